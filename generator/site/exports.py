"""Open data: every record as CSV, JSON and GeoJSON, the format's JSON Schemas,
and an export in the data·inclusion schema (v1).

Columns come from the models, in a stable order: the fields common to every
record, then each kind's own fields (in the order of MODELS), then what the
generator derives from the gazetteer. A field shared by several kinds
(`gestionnaire`, `date_creation`) is one column.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, get_args

from pydantic.fields import FieldInfo

from generator.records.models import MODELS, Record
from generator.records.validation import submodel_of
from generator.records.vocabulary import Acces, CategorieEsms, CategorieRessource, Kind, Precision, Public, Statut, Vocabulary
from generator.site.model import UNCONFIRMED, Entry, SiteModel
from generator.site.pages import Asset, Page, page_url, record_path

DATA_DIR = "donnees"
# Where a record lies, as the GeoJSON says it: its id, longitude and latitude (None without a place).
Point = tuple[str, float | None, float | None]
LICENCE_URLS = {
    "Licence Ouverte 2.0": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    "ODbL": "https://opendatacommons.org/licenses/odbl/1-0/",
}
LIST_SEPARATOR = "|"

# Model fields that carry no description of their own; the models' descriptions win.
FIELD_DESCRIPTIONS = {
    "type": "Type de structure.",
    "nom": "Nom de la structure.",
    "statut": "Situation de la structure.",
    "adresse.commune": "Commune, telle qu'écrite dans la fiche.",
    "adresse.code_postal": "Code postal à 5 chiffres.",
    "adresse.code_insee": "Code officiel géographique (INSEE) de la commune, s'il est écrit dans la fiche.",
    "coordonnees.lat": "Latitude saisie dans la fiche (WGS 84).",
    "coordonnees.lon": "Longitude saisie dans la fiche (WGS 84).",
    "coordonnees.precision": "Précision de la position saisie.",
    "telephone": "Téléphone, au format international (E.164).",
    "courriel": "Adresse de courriel.",
    "site_web": "Site web.",
    "publics": "Publics accueillis.",
    "acces": "Conditions d'accès.",
    "territoire.national": "La structure agit dans toute la France (true/false).",
    "sources.titre": "Titre de chaque source de la fiche.",
    "sources.url": "Adresse web de chaque source.",
    "verifie_le": "Date de la dernière vérification de la fiche (AAAA-MM-JJ).",
    "date_creation": "Date de création : AAAA, AAAA-MM ou AAAA-MM-JJ.",
    "date_ouverture": "Date d'ouverture : AAAA, AAAA-MM ou AAAA-MM-JJ.",
    "nombre_adherents.nombre": "Nombre d'adhérents.",
    "nombre_adherents.annee": "Année où ce nombre d'adhérents a été compté.",
    "file_active.nombre": "Nombre de membres actifs.",
    "file_active.annee": "Année où la file active a été comptée.",
    "installation": "Étape d'installation du collectif.",
    "instances": "Instances du CLSM.",
    "categorie": "Catégorie de l'établissement ou de la ressource.",
    "gestionnaire": "Organisme gestionnaire.",
    "siret": "Numéro SIRET (14 chiffres).",
    "type_employeur": "Type d'employeur.",
    "engagements": "Engagements de l'employeur.",
}


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    kinds: tuple[Kind, ...]  # the kinds of record that have this field


DERIVED = [
    Column("departement", "Départements où est la structure (déduits de l'adresse et du territoire).", tuple(Kind)),
    Column("region", "Régions où est la structure (déduites de l'adresse et du territoire).", tuple(Kind)),
    Column("lat", "Latitude de la position affichée sur la carte (WGS 84).", tuple(Kind)),
    Column("lon", "Longitude de la position affichée sur la carte (WGS 84).", tuple(Kind)),
    Column("precision", f"Précision de cette position. Valeurs : {Precision.describe()}.", tuple(Kind)),
]


def columns() -> list[Column]:
    """Every column of the exports, described from the models."""
    found: dict[str, tuple[str, list[Kind]]] = {}
    for kind, model in MODELS.items():
        for name, info in _leaf_fields(model):
            description, kinds = found.get(name, ("", []))
            found[name] = (description or _describe(name, info), [*kinds, kind])
    return [Column(name, description, tuple(kinds)) for name, (description, kinds) in found.items()] + DERIVED


def _leaf_fields(model: Any, prefix: str = "") -> Iterator[tuple[str, FieldInfo]]:
    for name, info in model.model_fields.items():
        nested = submodel_of(info.annotation)
        if nested is None:
            yield prefix + name, info
        else:
            yield from _leaf_fields(nested, f"{prefix}{name}.")


def _describe(name: str, info: FieldInfo) -> str:
    description = info.description or FIELD_DESCRIPTIONS.get(name, "")
    vocabulary = _vocabulary_in(info.annotation)
    if vocabulary is not None:
        description = f"{description} Valeurs : {vocabulary.describe()}."
    return description.strip()


def _vocabulary_in(annotation: Any) -> type[Vocabulary] | None:
    if isinstance(annotation, type) and issubclass(annotation, Vocabulary):
        return annotation
    return next((found for argument in get_args(annotation) if (found := _vocabulary_in(argument))), None)


# --- One record, as data -------------------------------------------------------------


def record_data(entry: Entry) -> dict[str, Any]:
    """The record as JSON data (null for empty fields), with what the gazetteer derives."""
    place = entry.place
    return {
        **entry.record.model_dump(mode="json"),
        "departement": list(place.departements),
        "region": list(place.regions),
        "lat": place.lat,
        "lon": place.lon,
        "precision": place.precision.value if place.precision else None,
    }


def flat_row(data: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """CSV cells of JSON data: nested fields as dotted names, lists joined with « | »."""
    row: dict[str, str] = {}
    for key, value in data.items():
        name = prefix + key
        if value is None or value == []:
            continue  # an empty cell, also for every sub-field of an absent object or an empty list of objects
        if isinstance(value, dict):
            row.update(flat_row(value, name + "."))
        elif value and isinstance(value, list) and isinstance(value[0], dict):
            # A list of objects (sources): one column per sub-field, the items' values joined.
            cells = [flat_row(item, name + ".") for item in value]
            for column in dict.fromkeys(c for cell in cells for c in cell):
                row[column] = LIST_SEPARATOR.join(cell.get(column, "") for cell in cells)
        elif isinstance(value, list):
            row[name] = LIST_SEPARATOR.join(map(_cell, value))
        else:
            row[name] = _cell(value)
    return row


def _cell(value: str | int | float | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# --- The files -----------------------------------------------------------------------


# Spreadsheet programs run a cell that starts with one of these as a formula (OWASP, « CSV
# injection »): a professional opening structures.csv must never run what a record says.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def spreadsheet_safe(cell: str) -> str:
    """The cell, with a single quote before it when a spreadsheet would read it as a formula.

    A plain number (a negative longitude, a phone number in E.164) runs nothing and stays a number.
    """
    if cell.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def structures_csv(records: Iterable[dict[str, Any]]) -> str:
    names = [column.name for column in columns()]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    for data in records:
        row = flat_row(data)
        writer.writerow([spreadsheet_safe(cell) if (cell := row.pop(name, "")) else "" for name in names])
        if row:
            raise ValueError(f"{data['id']}: fields without a column: {', '.join(row)}")
    return out.getvalue()


def structures_geojson(points: list[Point], texts: list[str]) -> str:
    """Features at the records' `points`, whose properties are the records; `texts` are their JSON, already encoded."""
    return "".join(['{"type": "FeatureCollection", "features": ', *_array_parts(_features(points, texts)), "}\n"])


def _features(points: list[Point], texts: list[str]) -> Iterator[tuple[str, ...]]:
    """Each feature in pieces: the record's text is referred to, not copied into its feature (at
    50,000 records, the features would be 66 MB more)."""
    for (record_id, lon, lat), text in zip(points, texts, strict=True):
        # GeoJSON allows a null geometry: a record without an address (a national network, a place not known yet).
        geometry = {"type": "Point", "coordinates": [lon, lat]} if lat is not None else None
        yield f'{{"type": "Feature", "id": {json.dumps(record_id)}, "geometry": {json.dumps(geometry)}, "properties": ', text, "}"


def record_schemas() -> dict[Kind, dict]:
    """JSON Schemas of the YAML files: the `id` is the file name, so it is not a field."""
    schemas = {}
    for kind, model in MODELS.items():
        schema = model.model_json_schema()
        schema["properties"].pop("id")
        schema["required"].remove("id")
        schema["title"] = f"Fiche Passerelle : {kind.label}"
        schema["description"] = kind.description
        schemas[kind] = schema
    return schemas


def json_list(items: Iterable[Any]) -> str:
    """A JSON array with one item per line: readable, diffable, and written by the
    C encoder (an indented dump falls back to pure Python, 10 times slower)."""
    return json_lines(json.dumps(item, ensure_ascii=False) for item in items)


def json_lines(texts: Iterable[str]) -> str:
    """A JSON array of items already encoded, one per line."""
    return "".join([*_array_parts((text,) for text in texts), "\n"])


def _array_parts(items: Iterable[tuple[str, ...]]) -> Iterator[str]:
    """The pieces of a JSON array, one item per line, each item already encoded in pieces. The
    pieces are joined once: a concatenation would copy the tens of megabytes of an export
    at 50,000 records."""
    yield "[\n"
    for index, pieces in enumerate(items):
        if index:
            yield ",\n"
        yield from pieces
    yield "\n]"


def open_data_assets(site: SiteModel) -> Iterator[Asset]:
    """One file at a time: at 50,000 records each is tens of megabytes, and a build writes it before the next is made."""
    texts: list[str] = []
    points: list[Point] = []

    def each_record_once() -> Iterator[dict[str, Any]]:
        """Each record's data, for its CSV row; the JSON and the GeoJSON keep only its text and its
        point (all of them as data would be 160 MB at 50,000 records)."""
        for entry in site.entries.values():
            data = record_data(entry)
            texts.append(json.dumps(data, ensure_ascii=False))
            points.append((data["id"], data["lon"], data["lat"]))
            yield data

    yield Asset(f"{DATA_DIR}/structures.csv", structures_csv(each_record_once()))
    yield Asset(f"{DATA_DIR}/structures.json", json_lines(texts))
    yield _geojson_asset(points, texts)
    yield Asset(f"{DATA_DIR}/data-inclusion-structures.json", json_list(data_inclusion_structures(site)))
    yield Asset(f"{DATA_DIR}/data-inclusion-services.json", json_list(data_inclusion_services(site)))
    for kind, schema in record_schemas().items():
        yield Asset(f"{DATA_DIR}/schemas/{kind.value}.schema.json", json.dumps(schema, ensure_ascii=False, indent=2) + "\n")


def _geojson_asset(points: list[Point], texts: list[str]) -> Asset:
    """The GeoJSON file; the records' texts and points are let go before it is written, and
    no variable of open_data_assets holds the file while the next one is made."""
    asset = Asset(f"{DATA_DIR}/structures.geojson", structures_geojson(points, texts))
    texts.clear()
    points.clear()
    return asset


def open_data_pages(site: SiteModel) -> list[Page]:
    counts = Counter(entry.record.type for entry in site.entries.values())
    exported = [entry for entry in site.entries.values() if _in_data_inclusion(entry)]
    in_data_inclusion = Counter(entry.record.type for entry in exported)
    licence = site.settings.data_licence
    return [
        Page(
            f"{DATA_DIR}/index.md",
            "Données ouvertes",
            "open_data.html",
            {
                "counts": {kind: counts[kind] for kind in Kind},
                "total": sum(counts.values()),
                "columns": columns(),
                "licence": licence,
                "licence_url": LICENCE_URLS.get(licence),
                "di_counts": {kind: in_data_inclusion[kind] for kind in DATA_INCLUSION_KINDS},
                # As their pages say: a statut unwritten, or not vouched for recently (model.shown_status).
                "di_unconfirmed": sum(entry.status == UNCONFIRMED for entry in exported),
                # Links relative to the page, which is the folder of the files.
                "schemas": [(kind, f"schemas/{kind.value}.schema.json") for kind in MODELS],
            },
            description="Toutes les fiches de l'annuaire à télécharger (CSV, JSON, GeoJSON, data·inclusion), leur licence et leurs colonnes.",
        )
    ]


# --- data·inclusion (schema v1) --------------------------------------------------------
# data·inclusion describes the offer of social and professional inclusion. Only
# structures a person can be directed to belong there: a CLSM is a concertation
# body without reception of the public, an employer is not an inclusion
# structure. The schema has no status: a structure closed or not open yet is left out,
# one whose record does not say its situation goes, its date_maj telling how old it is.

DATA_INCLUSION_SOURCE = "passerelle"
DATA_INCLUSION_KINDS = (Kind.GEM, Kind.COLLECTIF, Kind.ESMS, Kind.RESSOURCE)
DI_NAME_LENGTH = 150
RESEAUX_PORTEURS = {
    CategorieEsms.ESAT: "esat",
    CategorieRessource.MDPH: "mdph",
    CategorieRessource.CMP: "cmp",
}
HANDICAP_PUBLICS = {Public.TROUBLES_PSYCHIQUES, Public.LESION_CEREBRALE, Public.TROUBLES_COGNITIFS, Public.NEURODEVELOPPEMENT}


@dataclass(frozen=True)
class ServiceKind:
    """The one service data·inclusion can describe for a kind of structure."""

    nom: str
    type: str | None
    thematiques: tuple[str, ...]


SERVICES = {
    Kind.GEM: ServiceKind("Entraide entre pairs (groupe d'entraide mutuelle)", None, ("sante--sante-mentale",)),
    Kind.COLLECTIF: ServiceKind(
        "Entraide et accompagnement vers l'emploi (collectif d'entraide et d'insertion)",
        "accompagnement",
        ("sante--sante-mentale", "trouver-un-emploi--maintien-dans-lemploi"),
    ),
}


def _in_data_inclusion(entry: Entry) -> bool:
    # A structure that is closed or not open yet is not a place to send people; an unwritten
    # statut goes as it is, with its date of verification (date_maj) telling how old it is.
    return entry.record.type in DATA_INCLUSION_KINDS and entry.record.statut in (Statut.ACTIF, None)


def _di_id(record: Record) -> str:
    return f"{DATA_INCLUSION_SOURCE}--{record.id}"


def _di_place(entry: Entry, site: SiteModel) -> dict[str, Any]:
    """Address fields shared by Structure and Service."""
    adresse, place = entry.record.adresse, entry.place
    # A commune centroid would be shown as the address: only exact positions go out.
    exact = place.located and not place.approximate
    return {
        "commune": place.commune.nom if place.commune else (adresse.commune if adresse else None),
        "code_postal": adresse.code_postal if adresse else None,
        "code_insee": place.commune.insee if place.commune else None,
        "adresse": adresse.voie if adresse else None,
        "latitude": place.lat if exact else None,
        "longitude": place.lon if exact else None,
        "telephone": entry.record.telephone,
        "courriel": entry.record.courriel,
        "horaires_accueil": entry.record.horaires,
        "lien_source": site.settings.site_url.rstrip("/") + "/" + page_url(record_path(entry.id)) if site.settings.site_url else None,
    }


def _di_name(nom: str) -> str:
    return nom if len(nom) <= DI_NAME_LENGTH else nom[: DI_NAME_LENGTH - 1].rstrip() + "…"


def data_inclusion_structures(site: SiteModel) -> Iterator[dict[str, Any]]:
    for entry in site.entries.values():
        if not _in_data_inclusion(entry):
            continue
        record = entry.record
        reseau = RESEAUX_PORTEURS.get(getattr(record, "categorie", None))
        yield {
            "source": DATA_INCLUSION_SOURCE,
            "id": _di_id(record),
            "nom": _di_name(record.nom),
            "date_maj": record.verifie_le.isoformat(),
            "description": record.description if record.description and len(record.description) >= 5 else None,
            "siret": getattr(record, "siret", None),
            "site_web": record.site_web,
            "accessibilite_lieu": record.accessibilite.acceslibre if record.accessibilite else None,
            "reseaux_porteurs": [reseau] if reseau else None,
            **_di_place(entry, site),
        }


def data_inclusion_services(site: SiteModel) -> Iterator[dict[str, Any]]:
    for entry in site.entries.values():
        service = SERVICES.get(entry.record.type)
        if service is None or not _in_data_inclusion(entry):
            continue
        record = entry.record
        handicap = bool(HANDICAP_PUBLICS.intersection(record.publics))
        walk_in = Acces.SANS_ORIENTATION in record.acces
        modes = [
            mode
            for mode, available in (
                ("se-presenter", walk_in and record.adresse is not None),
                ("telephoner", record.telephone),
                ("envoyer-un-courriel", record.courriel),
            )
            if available
        ]
        yield {
            "source": DATA_INCLUSION_SOURCE,
            "id": f"{_di_id(record)}--service",
            "structure_id": _di_id(record),
            "nom": _di_name(service.nom),
            "description": record.description if record.description and len(record.description) >= 5 else entry.record.type.description,
            "date_maj": record.verifie_le.isoformat(),
            "type": service.type,
            "thematiques": list(service.thematiques),
            "publics": ["personnes-en-situation-de-handicap"] if handicap else None,
            "publics_precisions": ", ".join(p.label for p in record.publics) or None,
            "conditions_acces": " ".join(a.description for a in record.acces) or None,
            "modes_accueil": ["en-presentiel"] if record.adresse else None,
            "modes_mobilisation": modes or None,
            "mobilisable_par": (["usagers", "professionnels"] if walk_in else ["professionnels"]) if record.acces else None,
            "zone_eligibilite": _zone(entry, site),
            "volume_horaire_hebdomadaire": getattr(record, "ouverture_hebdomadaire", None),
            **_di_place(entry, site),
        }


def _zone(entry: Entry, site: SiteModel) -> list[str] | None:
    """data·inclusion's eligibility zone: communes and départements (a région is its départements)."""
    territoire = entry.record.territoire
    if territoire is None:
        return None
    if territoire.national:
        return ["france"]
    regions = set(territoire.regions)
    codes = [*territoire.communes, *territoire.departements, *(d.code for d in site.gazetteer.departements() if d.region in regions)]
    return list(dict.fromkeys(codes)) or None

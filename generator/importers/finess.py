"""Import ESMS records from FINESS, the national register of health and social establishments.

`passerelle import finess FILE` reads either format below, keeps the medico-social
categories of this directory, and writes or updates one `data/esms/<id>.yaml` each.

1. The historical etalab extraction, ``etalab-cs1100507-stock-YYYYMMDD-HHMM.csv``
   (data.gouv.fr, « FINESS Extraction du Fichier des établissements »): `;`-separated,
   no header, Windows-1252 ("latin-1") or, in recent files, UTF-8. Layout, from the
   DREES notice of the extraction and checked against public readers of the file
   (e.g. taniki/notebooks "Production d'un csv utilisable de la base FINESS"):

   * first line ``finess;etalab;<version>;<YYYY-MM-DD>`` — the extraction date;
   * ``structureet`` rows, one per establishment (ET), 32 fields: structureet,
     nofinesset, nofinessej, rs, rslongue, complrs, compldistrib, numvoie, typvoie,
     voie, compvoie, lieuditbp, commune (3 characters within the département),
     departement (``01``…``95``, ``2A``, ``2B``, and ``9A`` Guadeloupe, ``9B``
     Martinique, ``9C`` Guyane, ``9D`` La Réunion, ``9E`` Saint-Pierre-et-Miquelon,
     ``9F`` Mayotte), libdepartement, ligneacheminement (``92260 FONTENAY AUX ROSES``),
     telephone, telecopie, categetab, libcategetab, categagretab, libcategagretab,
     siret, codeape, codemft, libmft, codesph, libsph, dateouv, dateautor, datemaj,
     numuai. The INSEE code is département + commune in mainland France
     (``01`` + ``451``) and ``97`` + commune overseas (``9A`` + ``101`` → ``97101``);
   * ``geolocalisation;<nofinesset>;<x>;<y>;<sourcecoordet>;<datemaj>`` rows.
     ``sourcecoordet`` reads ``<quality>,<supplier>,<score>,<reference>,<system>``,
     e.g. ``1,ATLASANTE,96,BAN,EPSG:2154 RGF93 / Lambert-93 (Métropole)``. Systems
     handled (older files name them without the EPSG code): EPSG:2154 Lambert-93
     (mainland, Corsica), EPSG:5490 RGAF09 / UTM 20N (Guadeloupe, Martinique),
     EPSG:2972 RGFG95 / UTM 22N (Guyane), EPSG:2975 RGR92 / UTM 40S (La Réunion),
     EPSG:4471 RGM04 / UTM 38S (Mayotte), WGS84 / UTM zone NN (Saint-Pierre-et-
     Miquelon: 32621), and Lambert II étendu (EPSG:27572) should an old file name it.
     Any other system: the coordinates are left out (counted), and a converted point
     farther than 50 km from the establishment's commune is left out too.

   The stock lists the establishments open at the extraction date and has no
   closure column: an establishment is closed when it is no longer in the file.

2. The FINESS+ JSON export published by the ANS (github.com/ansforge/finess,
   ``flux/out/data.gouv/structure``, schema v1.0.0): ``generatedAt``, then ``pmej``,
   the legal entities (EJ: ``informationsGeneralesPMEJ.denominationLonguePmSmsse``
   is the gestionnaire), each with its ``ege`` — the establishments:
   ``informationsGeneralesEGE.numFinessEge``, ``nomEgeLong``, ``dateFermeture``;
   ``categorieentiteGeographiqueExercice`` (same codes as ``categetab``);
   ``etatObjet`` (``A`` active, ``I`` inactive); ``adresse[]`` (``ligneQuatre`` is the
   street line, ``codePostal``, ``cogCommune`` the INSEE code,
   ``coordonneesGeographique``); ``contact[].telecom.telephone``. The WGS84
   ``directionLatitude``/``directionLongitude`` are used; ``coordonneeX``/``Y`` are
   not: in the published files they hold Lambert-93 northing and easting swapped
   (Bourg-en-Bresse: X 6570414, Y 873766), as reported in ansforge/finess issue #24.
   A daily file may be an excerpt, so absence means nothing there: only
   ``etatObjet: I`` or a ``dateFermeture`` closes an establishment.

Categories (ANS nomenclature TRE-R66 « Catégorie d'établissement », as listed in the
value set JDV_J55_CategorieEG_ROR, version 2026-05-05): see CATEGORIES below.

Records stay the people's: a re-import changes only the fields FINESS owns (OWNED),
keeps every other field, comment and the key order (ruamel.yaml round trip), never
deletes a file, and never reopens a record a person marked closed.
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import phonenumbers
from pydantic import ValidationError
from pyproj import Transformer
from pyproj.exceptions import CRSError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from generator.catalogue import load_catalogue
from generator.geo.gazetteer import Commune, Gazetteer
from generator.geo.geocoding import plausible
from generator.geo.places import place_record
from generator.problems import DataError
from generator.records.models import Esms, check_phone
from generator.records.validation import explain
from generator.records.vocabulary import Acces, CategorieEsms, Kind, Precision, Statut
from generator.records.yamlfile import read_yaml

CATEGORIES: dict[str, CategorieEsms] = {
    "246": CategorieEsms.ESAT,  # Etablissement et service d'aide par le travail (ESAT)
    "445": CategorieEsms.SAMSAH,  # Service d'accompagnement médico-social pour adultes handicapés
    "446": CategorieEsms.SAVS,  # Service d'accompagnement à la vie sociale (SAVS)
    "437": CategorieEsms.FAM,  # Foyer d'accueil médicalisé pour adultes handicapés (FAM)
    "382": CategorieEsms.FOYER_DE_VIE,  # Foyer de vie pour adultes handicapés
    "252": CategorieEsms.FOYER_HEBERGEMENT,  # Foyer d'hébergement d'adultes handicapés
    "255": CategorieEsms.MAS,  # Maison d'accueil spécialisée (MAS)
    "448": CategorieEsms.EAM,  # Etablissement d'accueil médicalisé en tout ou partie personnes handicapées
    "449": CategorieEsms.EANM,  # Etablissement d'accueil non médicalisé pour personnes handicapées
}
"""FINESS category code → category of the directory; other codes asked for become `autre`."""

ETALAB_SOURCE = (
    "FINESS — extraction du fichier des établissements",
    "https://www.data.gouv.fr/fr/datasets/finess-extraction-du-fichier-des-etablissements/",
)
FINESS_PLUS_SOURCE = (
    "FINESS+ — flux « Structures » (open data)",
    "https://github.com/ansforge/finess/tree/main/flux/out/data.gouv/structure",
)
FINESS_URLS = {ETALAB_SOURCE[1], FINESS_PLUS_SOURCE[1]}

OWNED = ("nom", "categorie", "finess", "gestionnaire", "adresse", "coordonnees", "telephone", "sources", "verifie_le", "statut")
"""Fields a re-import may change; `statut` only ever to `ferme`."""

# Key order of a new record; also where a key missing from an edited record is inserted.
KEY_ORDER = (
    "type",
    "nom",
    "categorie",
    "finess",
    "gestionnaire",
    "statut",
    "description",
    "adresse",
    "coordonnees",
    "telephone",
    "courriel",
    "site_web",
    "horaires",
    "publics",
    "acces",
    "orientation_cdaph",
    "capacite",
    "accessibilite",
    "territoire",
    "partenaires",
    "sources",
    "verifie_le",
)

HEADER = (
    "Fiche créée par « passerelle import finess ». À chaque import, nom, categorie, finess, gestionnaire,\n"
    "adresse, coordonnees, telephone, la source FINESS et verifie_le sont repris de FINESS (corrigez-les\n"
    "dans FINESS) ; les autres champs et ces commentaires sont à vous et sont gardés."
)

OVERSEAS = {"9A": "971", "9B": "972", "9C": "973", "9D": "974", "9E": "975", "9F": "976"}
PHONE_REGIONS = {"971": "GP", "972": "MQ", "973": "GF", "974": "RE", "975": "PM", "976": "YT", "977": "BL", "978": "MF"}

STREET_TYPES = {
    "R": "RUE",
    "RUE": "RUE",
    "AV": "AVENUE",
    "BD": "BOULEVARD",
    "PL": "PLACE",
    "RTE": "ROUTE",
    "CHE": "CHEMIN",
    "CH": "CHEMIN",
    "ALL": "ALLEE",
    "IMP": "IMPASSE",
    "QU": "QUAI",
    "QUA": "QUAI",
    "SQ": "SQUARE",
    "CRS": "COURS",
    "PAS": "PASSAGE",
    "RPT": "ROND-POINT",
    "FG": "FAUBOURG",
    "LD": "LIEU-DIT",
    "HAM": "HAMEAU",
    "CITE": "CITE",
    "CIT": "CITE",
    "RES": "RESIDENCE",
    "PRO": "PROMENADE",
    "PROM": "PROMENADE",
    "SEN": "SENTIER",
    "MTE": "MONTEE",
    "ESP": "ESPLANADE",
    "DOM": "DOMAINE",
    "LOT": "LOTISSEMENT",
    "TRA": "TRAVERSE",
    "VLA": "VILLA",
    "CAR": "CARREFOUR",
    "ZA": "ZA",
    "ZI": "ZI",
    "ZAC": "ZAC",
}
NUMBER_SUFFIXES = {"B": "BIS", "T": "TER", "Q": "QUATER", "C": "QUINQUIES"}
_POSTAL_BOX = re.compile(r"^(?:BP|B\.P\.|CS|TSA)\b", re.IGNORECASE)
_EPSG = re.compile(r"EPSG:(\d{4,5})")
_UTM = re.compile(r"UTM[ _]?(?:zone[ _]?)?(\d{1,2})\s*([NS])|UTM[ _]([NS])(\d{1,2})", re.IGNORECASE)
_FILE_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})-\d{4}")

ETALAB_COLUMNS = (
    "section",
    "nofinesset",
    "nofinessej",
    "rs",
    "rslongue",
    "complrs",
    "compldistrib",
    "numvoie",
    "typvoie",
    "voie",
    "compvoie",
    "lieuditbp",
    "commune",
    "departement",
    "libdepartement",
    "ligneacheminement",
    "telephone",
    "telecopie",
    "categetab",
    "libcategetab",
    "categagretab",
    "libcategagretab",
    "siret",
    "codeape",
    "codemft",
    "libmft",
    "codesph",
    "libsph",
    "dateouv",
    "dateautor",
    "datemaj",
    "numuai",
)


class FinessError(Exception):
    """The file cannot be read as a FINESS extraction."""


# --- Reading both formats --------------------------------------------------------------


@dataclass(frozen=True)
class Establishment:
    finess: str
    nom: str
    categorie: str
    departement: str
    gestionnaire: str | None = None
    voie: str | None = None
    code_postal: str | None = None
    code_insee: str | None = None
    localite: str = ""
    telephone: str | None = None
    position: tuple[float, float] | None = None
    ferme: bool = False


@dataclass(frozen=True)
class Extraction:
    date: date
    source: tuple[str, str]
    establishments: list[Establishment]
    present: frozenset[str]
    """Every establishment number in the file, whatever its category."""
    complete: bool
    """A full stock: an establishment missing from it is closed."""
    departements: frozenset[str] = frozenset()
    """Départements the file covers, whatever the category."""
    unknown_systems: int = 0


def read_extraction(path: Path, categories: Iterable[str]) -> Extraction:
    """Read an etalab CSV or a FINESS+ JSON file; establishments of `categories` only."""
    wanted = set(categories)
    raw = path.read_bytes()
    if raw.lstrip()[:1] == b"{":
        return _read_finess_plus(json.loads(raw.decode("utf-8-sig")), wanted)
    return _read_etalab(_decode(raw), path.name, wanted)


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _read_etalab(text: str, name: str, wanted: set[str]) -> Extraction:
    lines = text.splitlines()
    if not lines or not lines[0].startswith("finess;etalab"):
        raise FinessError("ce n'est pas une extraction FINESS : la première ligne devrait commencer par « finess;etalab »")
    extraction_date = _etalab_date(lines[0].split(";"), name)
    rows: list[dict[str, str]] = []
    positions: dict[str, tuple[str, str, str]] = {}
    for line in lines[1:]:
        fields = line.split(";")
        if fields[0] == "structureet" and len(fields) >= len(ETALAB_COLUMNS) - 1:
            rows.append(dict(zip(ETALAB_COLUMNS, (f.strip() for f in fields), strict=False)))  # the last column may be missing
        elif fields[0] == "geolocalisation" and len(fields) >= 5:
            positions[fields[1].strip()] = (fields[2].strip(), fields[3].strip(), fields[4].strip())
    unknown = 0
    establishments = []
    for row in rows:
        if row["categetab"] not in wanted:
            continue
        departement = OVERSEAS.get(row["departement"], row["departement"])
        insee = ("97" if departement.startswith("97") else departement) + row["commune"] if row["commune"] else None
        code_postal, localite = _split_acheminement(row["ligneacheminement"])
        position = None
        if row["nofinesset"] in positions:
            x, y, system = positions[row["nofinesset"]]
            position = _to_wgs84(x, y, system)
            unknown += position is None and bool(x)
        establishments.append(
            Establishment(
                finess=row["nofinesset"],
                nom=_clean(row["rslongue"]) or _clean(row["rs"]),
                categorie=row["categetab"],
                departement=departement,
                voie=_street(row["numvoie"], row["compvoie"], row["typvoie"], row["voie"], row["lieuditbp"]),
                code_postal=code_postal,
                code_insee=insee,
                localite=localite,
                telephone=row["telephone"] or None,
                position=position,
            )
        )
    present = frozenset(row["nofinesset"] for row in rows)
    covered = frozenset(OVERSEAS.get(row["departement"], row["departement"]) for row in rows)
    return Extraction(extraction_date, ETALAB_SOURCE, establishments, present, complete=True, departements=covered, unknown_systems=unknown)


def _etalab_date(header: list[str], name: str) -> date:
    for value in header[2:]:
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            continue
    match = _FILE_DATE.search(name)
    if match:
        return date(*map(int, match.groups()))
    raise FinessError("date d'extraction introuvable (ni dans la première ligne, ni dans le nom du fichier)")


def _split_acheminement(text: str) -> tuple[str | None, str]:
    match = re.match(r"\s*(\d{5})\s+(.*)", text)
    if not match:
        return None, _clean(text)
    localite = re.sub(r"\s+CEDEX(\s+\d+)?\s*$", "", match.group(2), flags=re.IGNORECASE)
    return match.group(1), _clean(localite)


def _read_finess_plus(data: dict[str, Any], wanted: set[str]) -> Extraction:
    try:
        extraction_date = date.fromisoformat(str(data["generatedAt"])[:10])
        legal_entities = data["pmej"]
    except (KeyError, ValueError, TypeError):
        raise FinessError("ce n'est pas un export FINESS+ : « generatedAt » et « pmej » sont attendus") from None
    establishments = []
    present = set()
    for entity in legal_entities:
        general = entity.get("informationsGeneralesPMEJ") or {}
        gestionnaire = _clean(general.get("denominationLonguePmSmsse") or general.get("denominationPm") or "") or None
        for ege in entity.get("ege") or []:
            info = ege.get("informationsGeneralesEGE") or {}
            number = str(info.get("numFinessEge", "")).strip()
            present.add(number)
            category = str(ege.get("categorieentiteGeographiqueExercice", "")).strip()
            if category not in wanted:
                continue
            address = _main_address(ege.get("adresse") or [])
            insee = (address.get("cogCommune") or "").strip() or None
            establishments.append(
                Establishment(
                    finess=number,
                    nom=_clean(info.get("nomEgeLong") or info.get("nomEgeCourt") or ""),
                    categorie=category,
                    departement=departement_of(insee) if insee else "",
                    gestionnaire=gestionnaire,
                    voie=_clean(address.get("ligneQuatre") or "")
                    or _street(
                        address.get("numeroVoie"),
                        address.get("complementVoie"),
                        address.get("typeVoie"),
                        address.get("libelleVoie"),
                        address.get("lieuDit"),
                    ),
                    code_postal=(address.get("codePostal") or "").strip() or None,
                    code_insee=insee,
                    localite=_clean(address.get("ligneAcheminement") or ""),
                    telephone=next(
                        (c["telecom"]["telephone"] for c in ege.get("contact") or [] if (c.get("telecom") or {}).get("telephone")), None
                    ),
                    position=_wgs84(address.get("coordonneesGeographique") or {}),
                    ferme=ege.get("etatObjet") == "I" or bool(info.get("dateFermeture")),
                )
            )
    return Extraction(extraction_date, FINESS_PLUS_SOURCE, establishments, frozenset(present), complete=False)


def _main_address(addresses: list[dict[str, Any]]) -> dict[str, Any]:
    # Usage 03 is the establishment's own address (02: the legal entity's).
    return next((a for a in addresses if a.get("usageAdresse") == "03"), addresses[0] if addresses else {})


def _wgs84(point: dict[str, Any]) -> tuple[float, float] | None:
    try:
        lat, lon = float(point["directionLatitude"]), float(point["directionLongitude"])
    except (KeyError, TypeError, ValueError):
        return None
    return (round(lat, 6), round(lon, 6)) if -90 <= lat <= 90 and -180 <= lon <= 180 else None


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _street(number: str | None, suffix: str | None, kind: str | None, name: str | None, locality: str | None) -> str | None:
    number, suffix, kind, name, locality = (_clean(part) for part in (number, suffix, kind, name, locality))
    if name:
        parts = [number, NUMBER_SUFFIXES.get(suffix.upper(), suffix), STREET_TYPES.get(kind.upper(), kind), name]
        return " ".join(part for part in parts if part)
    if locality and not _POSTAL_BOX.match(locality):
        return locality
    return None


def departement_of(insee: str) -> str:
    """Département of an INSEE commune code: three characters overseas, two elsewhere."""
    return insee[:3] if insee[:2] in ("97", "98") else insee[:2]


# --- Coordinates ------------------------------------------------------------------------


def crs_of(source: str) -> int | None:
    """EPSG code of the system named in a `sourcecoordet` value, or None if unknown."""
    match = _EPSG.search(source)
    if match:
        return int(match.group(1))
    upper = source.upper()
    if "LAMBERT" in upper and "93" in upper:
        return 2154
    if "LAMBERT" in upper and "ETENDU" in upper:  # Lambert II étendu, before Lambert-93 became the rule
        return 27572
    utm = _UTM.search(source)
    if utm:
        zone = int(utm.group(1) or utm.group(4))
        hemisphere = (utm.group(2) or utm.group(3)).upper()
        # The French overseas datums of each zone (RGAF09, RGFG95, RGR92, RGM04).
        french = {(20, "N"): 5490, (22, "N"): 2972, (40, "S"): 2975, (38, "S"): 4471}
        return french.get((zone, hemisphere), (32600 if hemisphere == "N" else 32700) + zone)
    return None


@functools.cache
def _transformer(epsg: int) -> Transformer:
    return Transformer.from_crs(f"EPSG:{epsg}", "EPSG:4326", always_xy=True)


def _to_wgs84(x: str, y: str, source: str) -> tuple[float, float] | None:
    epsg = crs_of(source)
    if epsg is None:
        return None
    try:
        lon, lat = _transformer(epsg).transform(float(x), float(y))
    except (ValueError, CRSError):  # an unreadable number, or a code pyproj does not know
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return round(lat, 6), round(lon, 6)


# --- Writing records --------------------------------------------------------------------


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    notes: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [
            f"{len(self.added)} ajoutée(s), {len(self.updated)} mise(s) à jour, {len(self.closed)} fermée(s), "
            f"{len(self.unchanged)} inchangée(s), {sum(self.skipped.values())} ignorée(s)."
        ]
        lines += [f"  ignorée(s) : {count} — {reason}" for reason, count in sorted(self.skipped.items())]
        lines += [f"  note : {count} — {reason}" for reason, count in sorted(self.notes.items())]
        return "\n".join(lines)


def yaml_io() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def import_finess(
    path: Path,
    data_dir: Path,
    categories: Iterable[str] = tuple(CATEGORIES),
    departements: Iterable[str] | None = None,
    gazetteer: Gazetteer | None = None,
) -> ImportReport:
    """Write the establishments of `path` into `data_dir/esms/`; validate the folder after."""
    gazetteer = gazetteer or Gazetteer.load()
    extraction = read_extraction(path, categories)
    scope = set(departements) if departements else None
    report = ImportReport()
    if extraction.unknown_systems:
        report.notes["coordonnées dans un système inconnu, non reprises"] += extraction.unknown_systems
    existing = _existing_records(data_dir)
    yaml = yaml_io()
    for establishment in sorted(extraction.establishments, key=lambda e: e.finess):
        if scope is not None and establishment.departement not in scope:
            continue
        _import_one(establishment, extraction, existing, data_dir, gazetteer, yaml, report)
    if extraction.complete:
        _close_missing(extraction, existing, scope, yaml, report)
    try:
        load_catalogue(data_dir, gazetteer)
    except DataError as error:
        report.problems = [str(problem) for problem in error.problems]
    return report


@dataclass(frozen=True)
class _Known:
    path: Path
    statut: str
    departement: str | None
    imported: bool
    """Carries a FINESS source: written by this importer, so absence can close it."""


def _existing_records(data_dir: Path) -> dict[str, _Known]:
    known = {}
    folder = data_dir / Kind.ESMS.value
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else ():
        data = read_yaml(path).data
        if not isinstance(data, dict) or not isinstance(data.get("finess"), str):
            continue
        adresse = data.get("adresse") if isinstance(data.get("adresse"), dict) else {}
        insee = adresse.get("code_insee")
        sources = data.get("sources") if isinstance(data.get("sources"), list) else []
        imported = any(isinstance(s, dict) and s.get("url") in FINESS_URLS for s in sources)
        known[data["finess"].upper()] = _Known(
            path, str(data.get("statut", Statut.ACTIF.value)), departement_of(insee) if isinstance(insee, str) else None, imported
        )
    return known


def _import_one(
    item: Establishment,
    extraction: Extraction,
    existing: dict[str, _Known],
    data_dir: Path,
    gazetteer: Gazetteer,
    yaml: YAML,
    report: ImportReport,
) -> None:
    known = existing.get(item.finess.upper())
    if item.ferme:
        if known is None:
            report.skipped["fermé dans FINESS et absent de l'annuaire"] += 1
        else:
            _close(known.path, extraction, yaml, report)
        return
    adresse, commune, note = _address(item, gazetteer)
    if adresse is None:
        report.skipped[note] += 1
        return
    if note:
        report.notes[note] += 1
    values: dict[str, Any] = {
        "nom": item.nom,
        "categorie": CATEGORIES.get(item.categorie, CategorieEsms.AUTRE).value,
        "finess": DoubleQuotedScalarString(item.finess),
        "gestionnaire": item.gestionnaire,
        "adresse": adresse,
        "coordonnees": None,
        "telephone": _phone(item, report),
    }
    if item.position is not None:
        if plausible(*item.position, commune):
            values["coordonnees"] = {"lat": item.position[0], "lon": item.position[1], "precision": Precision.ADRESSE.value}
        else:
            report.notes["coordonnées FINESS loin de la commune, non reprises"] += 1
    if known is None:
        path = data_dir / Kind.ESMS.value / f"finess-{item.finess.lower()}.yaml"
        document = _new_document(values, extraction)
        changed = True
    else:
        path = known.path
        document = yaml.load(path.read_text(encoding="utf-8"))
        changed = _merge(document, values, extraction)
        if known.statut == Statut.FERME.value:
            report.notes["fermée dans l'annuaire mais ouverte dans FINESS (statut gardé : vérifiez)"] += 1
    if not changed:
        report.unchanged.append(path.stem)
        return
    reason = _write_valid(path, document, yaml, gazetteer)
    if reason:
        report.skipped[reason] += 1
        return
    (report.added if known is None else report.updated).append(path.stem)


def _address(item: Establishment, gazetteer: Gazetteer) -> tuple[dict[str, Any] | None, Commune | None, str]:
    """The record's address, written so that places.py finds the same commune.

    A postcode that does not fit the commune (CEDEX codes, old codes) is left out
    and the commune kept by its INSEE code, rather than losing the establishment.
    """
    commune = gazetteer.commune(item.code_insee) if item.code_insee else None
    street = {"voie": item.voie} if item.voie else {}
    if item.code_postal:
        parent = gazetteer.commune(commune.parent) if commune and commune.parent else None
        name = (parent or commune).nom if commune else item.localite
        found = gazetteer.match(item.code_postal, name) if name else None
        if found is not None and (commune is None or item.code_insee in (found.insee, found.parent)):
            code = item.code_insee if commune else found.insee
            return (
                {
                    **street,
                    "code_postal": DoubleQuotedScalarString(item.code_postal),
                    "commune": name,
                    "code_insee": DoubleQuotedScalarString(code),
                },
                found,
                "",
            )
    if commune is not None:
        note = "code postal absent ou ne correspondant pas à la commune : commune gardée par son code INSEE" if item.code_postal else ""
        return {**street, "commune": commune.nom, "code_insee": DoubleQuotedScalarString(commune.insee)}, commune, note
    return (
        None,
        None,
        f"commune introuvable dans le référentiel (code INSEE {item.code_insee or '?'}, {item.code_postal or ''} {item.localite})".replace(
            "  ", " "
        ),
    )


def _phone(item: Establishment, report: ImportReport) -> str | None:
    if not item.telephone:
        return None
    region = PHONE_REGIONS.get(item.departement, "FR")
    try:
        number = phonenumbers.parse(item.telephone, region)
        if not phonenumbers.is_valid_number(number):
            raise ValueError(item.telephone)
        style = phonenumbers.PhoneNumberFormat.NATIONAL if region == "FR" else phonenumbers.PhoneNumberFormat.INTERNATIONAL
        text = phonenumbers.format_number(number, style)
        check_phone(text)  # the records' own rule: what is written must load
    except (phonenumbers.NumberParseException, ValueError):
        report.notes["téléphone invalide dans FINESS, non repris"] += 1
        return None
    return DoubleQuotedScalarString(text)


def _source(extraction: Extraction) -> CommentedMap:
    title, url = extraction.source
    return CommentedMap([("titre", title), ("url", url), ("date", DoubleQuotedScalarString(extraction.date.isoformat()))])


def _new_document(values: dict[str, Any], extraction: Extraction) -> CommentedMap:
    document = CommentedMap()
    initial = {
        "type": Kind.ESMS.value,
        **{k: v for k, v in values.items() if v is not None},
        "statut": Statut.ACTIF.value,
        "acces": _flow([Acces.NOTIFICATION_CDAPH.value]),
        "orientation_cdaph": True,
        "sources": CommentedSeq([_source(extraction)]),
        "verifie_le": extraction.date,
    }
    for key in KEY_ORDER:
        if key in initial:
            document[key] = _node(initial[key])
    document.yaml_set_start_comment(HEADER)
    return document


def _merge(document: CommentedMap, values: dict[str, Any], extraction: Extraction) -> bool:
    """Set the FINESS-owned values; True if anything changed. FINESS gaps keep what is there."""
    changed = False
    for key, value in values.items():
        if value is not None:
            changed |= _set(document, key, value)
    sources = document.get("sources")
    if not isinstance(sources, list):
        changed |= _set(document, "sources", CommentedSeq([_source(extraction)]))
    else:
        ours = next((s for s in sources if isinstance(s, dict) and s.get("url") in FINESS_URLS), None)
        if ours is None:
            sources.append(_source(extraction))
            changed = True
        else:
            for key, value in _source(extraction).items():
                changed |= _set(ours, key, value)
    verified = document.get("verifie_le")
    if not isinstance(verified, date) or verified < extraction.date:
        changed |= _set(document, "verifie_le", extraction.date)
    return changed


def _set(mapping: CommentedMap, key: str, value: Any, order: tuple[str, ...] = KEY_ORDER) -> bool:
    """Set `key` only if its value differs, in place for sub-mappings (keeps their comments).

    A new key goes after the keys that come before it in `order`, so an edited
    record keeps the layout of the others.
    """
    current = mapping.get(key)
    if _plain(current) == _plain(value):
        return False
    if isinstance(value, dict) and isinstance(current, dict):
        for old in [k for k in current if k not in value]:
            del current[old]
        for sub_key, sub_value in value.items():
            _set(current, sub_key, sub_value, tuple(value))
        return True
    if key in mapping:
        mapping[key] = _node(value)
    elif key in order:
        earlier = set(order[: order.index(key)])
        mapping.insert(max((i + 1 for i, k in enumerate(mapping) if k in earlier), default=0), key, _node(value))
    else:
        mapping[key] = _node(value)
    return True


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _node(value: Any) -> Any:
    if isinstance(value, dict) and not isinstance(value, CommentedMap):
        return CommentedMap((k, _node(v)) for k, v in value.items())
    return value


def _flow(items: list[str]) -> CommentedSeq:
    sequence = CommentedSeq(items)
    sequence.fa.set_flow_style()
    return sequence


def _write_valid(path: Path, document: CommentedMap, yaml: YAML, gazetteer: Gazetteer) -> str | None:
    """Write the record, then read it back as the loader does; if it would not load,
    put the previous file back and say why."""
    previous = path.read_bytes() if path.exists() else None
    _write(path, document, yaml)
    reason = _why_invalid(path, gazetteer)
    if reason:
        if previous is None:
            path.unlink()
        else:
            path.write_bytes(previous)
    return reason


def _why_invalid(path: Path, gazetteer: Gazetteer) -> str | None:
    read = read_yaml(path)
    if read.problems or not isinstance(read.data, dict):
        return f"fiche illisible ({read.problems[0].message if read.problems else 'contenu inattendu'})"
    try:
        record = Esms.model_validate({**read.data, "id": path.stem})
    except ValidationError as error:
        first = explain(error, Esms, read)[0]
        hint = f" — {first.hint}" if first.hint else ""
        return f"fiche invalide ({first.field} : {first.message}{hint})"
    _, messages = place_record(record, gazetteer)
    return f"adresse non reconnue ({messages[0][1]})" if messages else None


def _close(path: Path, extraction: Extraction, yaml: YAML, report: ImportReport) -> None:
    document = yaml.load(path.read_text(encoding="utf-8"))
    if str(document.get("statut")) == Statut.FERME.value:
        report.unchanged.append(path.stem)
        return
    _set(document, "statut", Statut.FERME.value)
    _merge(document, {}, extraction)
    _write(path, document, yaml)
    report.closed.append(path.stem)


def _close_missing(extraction: Extraction, existing: dict[str, _Known], scope: set[str] | None, yaml: YAML, report: ImportReport) -> None:
    """A full stock no longer listing an establishment we imported: it has closed.

    Only records carrying a FINESS source (written by an import) and in a
    département the file covers (or the `--departements` asked for) are closed;
    a record a person created with a FINESS number is left alone.
    """
    covered = scope if scope is not None else extraction.departements
    for number, known in sorted(existing.items()):
        if number in extraction.present or not known.imported or known.statut == Statut.FERME.value:
            continue
        if known.departement in covered:
            _close(known.path, extraction, yaml, report)


def _write(path: Path, document: CommentedMap, yaml: YAML) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        yaml.dump(document, handle)


def parse_codes(values: list[str] | None) -> list[str] | None:
    """`--categories 246,445 --categories 446` → ['246', '445', '446']."""
    if not values:
        return None
    return [code.strip() for value in values for code in value.split(",") if code.strip()]

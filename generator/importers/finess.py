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
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pyproj import Transformer
from pyproj.exceptions import CRSError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from generator.catalogue import load_catalogue
from generator.geo.gazetteer import Gazetteer
from generator.geo.geocoding import plausible
from generator.importers.shared import ImportReport, address, departement_of, phone, record_problems, why_invalid
from generator.problems import DataError
from generator.records.vocabulary import Acces, CategorieEsms, Kind, Precision, Statut
from generator.records.yamlfile import read_yaml
from generator.records.yamlmerge import KEY_ORDER, flow, new_document, read, set_value, write, write_checked, yaml_io

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


HEADER = (
    "Fiche créée par « passerelle import finess ». À chaque import, nom, categorie, finess, gestionnaire,\n"
    "adresse, coordonnees, telephone, la source FINESS et verifie_le sont repris de FINESS (corrigez-les\n"
    "dans FINESS) ; les autres champs et ces commentaires sont à vous et sont gardés."
)

OVERSEAS = {"9A": "971", "9B": "972", "9C": "973", "9D": "974", "9E": "975", "9F": "976"}

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
            path, str(data.get("statut", "")), departement_of(insee) if isinstance(insee, str) else None, imported
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
    adresse, commune, note = address(item.voie, item.code_postal, item.code_insee, item.localite, gazetteer)
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
        document = read(path, yaml)
        changed = _merge(document, values, extraction)
        if known.statut == Statut.FERME.value:
            report.notes["fermée dans l'annuaire mais ouverte dans FINESS (statut gardé : vérifiez)"] += 1
    if not changed:
        report.unchanged.append(path.stem)
        return
    reason = why_invalid(write_checked(path, document, yaml, record_problems(gazetteer)))
    if reason:
        report.skipped[reason] += 1
        return
    (report.added if known is None else report.updated).append(path.stem)


def _phone(item: Establishment, report: ImportReport) -> str | None:
    if not item.telephone:
        return None
    written = phone(item.telephone, item.departement)
    if written is None:
        report.notes["téléphone invalide dans FINESS, non repris"] += 1
    return written


def _source(extraction: Extraction) -> CommentedMap:
    title, url = extraction.source
    return CommentedMap([("titre", title), ("url", url), ("date", DoubleQuotedScalarString(extraction.date.isoformat()))])


def _new_document(values: dict[str, Any], extraction: Extraction) -> CommentedMap:
    initial = {
        "type": Kind.ESMS.value,
        **values,
        "statut": Statut.ACTIF.value,
        "acces": flow([Acces.NOTIFICATION_CDAPH.value]),
        "orientation_cdaph": True,
        "sources": CommentedSeq([_source(extraction)]),
        "verifie_le": extraction.date,
    }
    return new_document(initial, KEY_ORDER, HEADER)


def _merge(document: CommentedMap, values: dict[str, Any], extraction: Extraction) -> bool:
    """Set the FINESS-owned values; True if anything changed. FINESS gaps keep what is there."""
    changed = False
    for key, value in values.items():
        if value is not None:
            changed |= set_value(document, key, value, KEY_ORDER)
    sources = document.get("sources")
    if not isinstance(sources, list):
        changed |= set_value(document, "sources", CommentedSeq([_source(extraction)]), KEY_ORDER)
    else:
        ours = next((s for s in sources if isinstance(s, dict) and s.get("url") in FINESS_URLS), None)
        if ours is None:
            sources.append(_source(extraction))
            changed = True
        else:
            for key, value in _source(extraction).items():
                changed |= set_value(ours, key, value)
    verified = document.get("verifie_le")
    if not isinstance(verified, date) or verified < extraction.date:
        changed |= set_value(document, "verifie_le", extraction.date, KEY_ORDER)
    return changed


def _close(path: Path, extraction: Extraction, yaml: YAML, report: ImportReport) -> None:
    document = read(path, yaml)
    if str(document.get("statut")) == Statut.FERME.value:
        report.unchanged.append(path.stem)
        return
    set_value(document, "statut", Statut.FERME.value, KEY_ORDER)
    _merge(document, {}, extraction)
    write(path, document, yaml)
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


def parse_codes(values: list[str] | None) -> list[str] | None:
    """`--categories 246,445 --categories 446` → ['246', '445', '446']."""
    if not values:
        return None
    return [code.strip() for value in values for code in value.split(",") if code.strip()]

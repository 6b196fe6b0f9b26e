"""The historical etalab extraction of FINESS: ``etalab-cs1100507-stock-YYYYMMDD-HHMM.csv``.

data.gouv.fr, « FINESS Extraction du Fichier des établissements »: `;`-separated, no
header, Windows-1252 ("latin-1") or, in recent files, UTF-8. Layout, from the DREES
notice of the extraction and checked against public readers of the file (e.g.
taniki/notebooks "Production d'un csv utilisable de la base FINESS"):

* first line ``finess;etalab;<version>;<YYYY-MM-DD>`` — the extraction date;
* ``structureet`` rows, one per establishment (ET), 32 fields (ETALAB_COLUMNS).
  ``commune`` is 3 characters within the département; ``departement`` is ``01``…``95``,
  ``2A``, ``2B``, and ``9A`` Guadeloupe, ``9B`` Martinique, ``9C`` Guyane, ``9D`` La
  Réunion, ``9E`` Saint-Pierre-et-Miquelon, ``9F`` Mayotte; ``ligneacheminement`` reads
  ``92260 FONTENAY AUX ROSES``. The INSEE code is département + commune in mainland
  France (``01`` + ``451``) and ``97`` + commune overseas (``9A`` + ``101`` → ``97101``);
* ``geolocalisation;<nofinesset>;<x>;<y>;<sourcecoordet>;<datemaj>`` rows, in the
  system ``sourcecoordet`` names (coordinates.py).

The stock lists the establishments open at the extraction date and has no closure
column: an establishment is closed when it is no longer in the file. So a file cut short
(an interrupted download: a last line without its end, a row of fewer fields than the
format, no ``geolocalisation`` section) is refused whole: its missing rows would read as
closures.
"""

from __future__ import annotations

import re
from datetime import date

from generator.importers.finess.coordinates import to_wgs84
from generator.importers.finess.extraction import Establishment, Extraction, FinessError, clean, street

SOURCE = (
    "FINESS — extraction du fichier des établissements",
    "https://www.data.gouv.fr/fr/datasets/finess-extraction-du-fichier-des-etablissements/",
)
OVERSEAS = {"9A": "971", "9B": "972", "9C": "973", "9D": "974", "9E": "975", "9F": "976"}
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
GEOLOCALISATION_COLUMNS = ("section", "nofinesset", "coordxet", "coordyet", "sourcecoordet", "datemaj")
# Fewest fields of each row kind; a structureet row may lack its last column (numuai).
MIN_FIELDS = {"structureet": len(ETALAB_COLUMNS) - 1, "geolocalisation": len(GEOLOCALISATION_COLUMNS)}
INCOMPLETE = (
    "le fichier est incomplet (téléchargement interrompu ?) : rien n'a été importé ; "
    "téléchargez-le à nouveau depuis data.gouv.fr et relancez l'import"
)


def decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def read_etalab(text: str, name: str, wanted: set[str]) -> Extraction:
    """The establishments of the `wanted` categories in an etalab file named `name`."""
    lines = text.splitlines()
    if not lines or not lines[0].startswith("finess;etalab"):
        raise FinessError("ce n'est pas une extraction FINESS : la première ligne devrait commencer par « finess;etalab »")
    extraction_date = _etalab_date(lines[0].split(";"), name)
    if not text.endswith(("\n", "\r")):
        raise FinessError(f"ligne {len(lines)} : la dernière ligne s'arrête sans fin de ligne, elle est coupée — {INCOMPLETE}")
    rows, positions = _read_rows(lines)
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
            position = to_wgs84(x, y, system)
            unknown += position is None and bool(x)
        establishments.append(
            Establishment(
                finess=row["nofinesset"],
                nom=clean(row["rslongue"]) or clean(row["rs"]),
                categorie=row["categetab"],
                departement=departement,
                voie=street(row["numvoie"], row["compvoie"], row["typvoie"], row["voie"], row["lieuditbp"]),
                code_postal=code_postal,
                code_insee=insee,
                localite=localite,
                telephone=row["telephone"] or None,
                position=position,
            )
        )
    present = frozenset(row["nofinesset"] for row in rows)
    covered = frozenset(OVERSEAS.get(row["departement"], row["departement"]) for row in rows)
    return Extraction(extraction_date, SOURCE, establishments, present, complete=True, departements=covered, unknown_systems=unknown)


def _read_rows(lines: list[str]) -> tuple[list[dict[str, str]], dict[str, tuple[str, str, str]]]:
    """The structureet rows, and the geolocalisation (x, y, system) of each establishment number."""
    rows: list[dict[str, str]] = []
    positions: dict[str, tuple[str, str, str]] = {}
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = [field.strip() for field in line.split(";")]
        _check_row(fields, number)
        if fields[0] == "structureet":
            rows.append(dict(zip(ETALAB_COLUMNS, fields, strict=False)))
        else:
            positions[fields[1]] = (fields[2], fields[3], fields[4])
    if not rows:
        raise FinessError(f"aucune ligne « structureet » (les établissements) — {INCOMPLETE}")
    if not positions:
        raise FinessError(
            "aucune ligne « geolocalisation » : toute extraction etalab en a, après les établissements, "
            f"et celle-ci s'arrête avant — {INCOMPLETE}"
        )
    return rows, positions


def _check_row(fields: list[str], number: int) -> None:
    least = MIN_FIELDS.get(fields[0])
    if least is None:
        raise FinessError(
            f"ligne {number} : « {fields[0][:40]} » au lieu de « structureet » ou « geolocalisation » en début de ligne — {INCOMPLETE}"
        )
    if len(fields) < least:
        what = f"{fields[0]} {fields[1]}" if len(fields) > 1 else fields[0]
        raise FinessError(f"ligne {number} ({what}) : {len(fields)} champ(s) au lieu de {least} au moins — {INCOMPLETE}")


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
        return None, clean(text)
    localite = re.sub(r"\s+CEDEX(\s+\d+)?\s*$", "", match.group(2), flags=re.IGNORECASE)
    return match.group(1), clean(localite)

"""What both FINESS readers give the importer, and the address text they both clean."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date


class FinessError(Exception):
    """The file cannot be read as a FINESS extraction."""


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


def clean(text: str | None) -> str:
    return " ".join((text or "").split())


def street(number: str | None, suffix: str | None, kind: str | None, name: str | None, locality: str | None) -> str | None:
    number, suffix, kind, name, locality = (clean(part) for part in (number, suffix, kind, name, locality))
    if name:
        parts = [number, NUMBER_SUFFIXES.get(suffix.upper(), suffix), STREET_TYPES.get(kind.upper(), kind), name]
        return " ".join(part for part in parts if part)
    if locality and not _POSTAL_BOX.match(locality):
        return locality
    return None

"""Where a record stands: its commune, département, région and map position.

Département and région are always derived from the gazetteer, never typed by
hand, so they cannot contradict the address. Explicit coordinates win; then a
street-level point from the geocoding cache (`passerelle geocode`); otherwise a
record sits at its commune's centre and says so (`precision: commune`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from generator.geo.gazetteer import Commune, Gazetteer, normalize
from generator.geo.geocoding import GeocodedPoint, address_query
from generator.records.models import Record
from generator.records.vocabulary import Precision
from generator.records.yamlfile import Location

Message = tuple[Location, str, str]
REGION_HINT = 'code INSEE de région, ex. "11" pour l\'Île-de-France'
DEPARTEMENT_HINT = 'ex. "92", "2A", "974"'


@dataclass(frozen=True)
class Place:
    commune: Commune | None = None
    departements: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    lat: float | None = None
    lon: float | None = None
    precision: Precision | None = None

    @property
    def located(self) -> bool:
        return self.lat is not None

    @property
    def approximate(self) -> bool:
        return self.precision == Precision.COMMUNE


def place_record(record: Record, gazetteer: Gazetteer, geocoded: Mapping[str, GeocodedPoint] | None = None) -> tuple[Place, list[Message]]:
    messages: list[Message] = []
    commune = _commune_of(record, gazetteer, messages)
    departements: list[str] = []
    regions: list[str] = []

    def add(departement: str | None, region: str | None) -> None:
        if departement and departement not in departements:
            departements.append(departement)
        if region and region not in regions:
            regions.append(region)

    if commune is not None:
        add(commune.departement, commune.region)
    if record.territoire is not None:
        for index, code in enumerate(record.territoire.regions):
            if gazetteer.region(code) is None:
                messages.append(
                    (
                        ("territoire", "regions", index),
                        f"région inconnue « {code} »",
                        REGION_HINT,
                    )
                )
            add(None, code)
        for index, code in enumerate(record.territoire.departements):
            found = gazetteer.departement(code)
            if found is None:
                messages.append((("territoire", "departements", index), f"département inconnu « {code} »", DEPARTEMENT_HINT))
            add(code, found.region if found else None)
        for index, code in enumerate(record.territoire.communes):
            covered = gazetteer.commune(code)
            if covered is None:
                messages.append(
                    (
                        ("territoire", "communes", index),
                        f"commune inconnue (code INSEE « {code} »)",
                        "vérifiez le code sur la fiche de la commune à l'INSEE",
                    )
                )
            else:
                add(covered.departement, covered.region)
    cached = (geocoded or {}).get(record.id)
    if record.coordonnees is not None:
        lat, lon, precision = record.coordonnees.lat, record.coordonnees.lon, record.coordonnees.precision
    elif cached is not None and cached.requete == address_query(record.adresse):
        # Only while the address is the one that was geocoded: after an edit the point
        # would show the old place labelled "exact address"; the commune's centre is
        # honest until `passerelle geocode` runs again.
        lat, lon, precision = cached.lat, cached.lon, Precision.ADRESSE
    elif commune is not None:
        lat, lon, precision = commune.lat, commune.lon, Precision.COMMUNE
    else:
        lat = lon = precision = None
    return Place(commune, tuple(departements), tuple(regions), lat, lon, precision), messages


def _commune_of(record: Record, gazetteer: Gazetteer, messages: list[Message]) -> Commune | None:
    adresse = record.adresse
    if adresse is None:
        return None
    if adresse.code_postal is None:
        commune = gazetteer.commune(adresse.code_insee)
        if commune is None:
            messages.append(
                (
                    ("adresse", "code_insee"),
                    f"code INSEE inconnu « {adresse.code_insee} »",
                    "vérifiez le code officiel géographique de la commune",
                )
            )
        elif normalize(commune.nom) != normalize(adresse.commune):
            messages.append(
                (
                    ("adresse", "commune"),
                    f"la commune « {adresse.commune} » ne correspond pas au code INSEE {adresse.code_insee} ({commune.nom})",
                    "corrigez le nom de la commune ou le code INSEE",
                )
            )
            return None
        return commune
    candidates = gazetteer.by_postcode(adresse.code_postal)
    if not candidates:
        messages.append(
            (("adresse", "code_postal"), f"code postal inconnu « {adresse.code_postal} »", "vérifiez les 5 chiffres du code postal")
        )
        return None
    commune = gazetteer.match(adresse.code_postal, adresse.commune)
    if commune is None:
        names = ", ".join(sorted({c.nom for c in candidates}))
        messages.append(
            (
                ("adresse", "commune"),
                f"la commune « {adresse.commune} » ne correspond pas au code postal {adresse.code_postal}",
                f"communes de ce code postal : {names}",
            )
        )
        return None
    if adresse.code_insee and adresse.code_insee not in (commune.insee, commune.parent):
        messages.append(
            (
                ("adresse", "code_insee"),
                f"le code INSEE « {adresse.code_insee} » ne correspond pas à {commune.nom} ({adresse.code_postal}), dont le code est {commune.insee}",
                "corrigez le code INSEE ou retirez-le : il est déduit de l'adresse",
            )
        )
    return commune

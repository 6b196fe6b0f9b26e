"""Street-level positions: the cache that an optional online step fills and the offline build reads.

`passerelle geocode` sends the street address of each record that has one and
no `coordonnees` to a geocoder (geopy's `BANFrance`, the Base Adresse Nationale,
or `Nominatim`), at most one request per `min_delay` seconds, and writes what it
finds into `data/geo/geocodage.yaml`:

    gem-l-eclaircie:
      lat: 48.79146
      lon: 2.28743
      requete: 43 rue du Télégraphe, 92260 Fontenay-aux-Roses
      score: 0.93
      date: '2026-11-23'

The build never touches the network: `load_catalogue` reads this file and
`place_record` uses an entry only while its `requete` is still the record's address.
The online step itself is `generator.importers.ban`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from generator.geo.gazetteer import Commune, distance_km
from generator.problems import Problem
from generator.records.models import Adresse
from generator.records.yamlmerge import replace_file

CACHE_PATH = Path("geo") / "geocodage.yaml"
# BAN scores run from 0 to 1; below this the match is usually another street.
MIN_SCORE = 0.5
# A point farther than this from its commune's centre is another place with the same
# street name (French Guiana's largest communes are about 100 km across).
MAX_KM_FROM_COMMUNE = 50.0

_HEADER = (
    "# Positions trouvées par « passerelle geocode » (Base Adresse Nationale), par identifiant de fiche.\n"
    "# Fichier écrit par la commande : ne le modifiez pas à la main. Une position n'est utilisée que si\n"
    "# « requete » est encore l'adresse de la fiche ; pour corriger une position, écrivez « coordonnees » dans la fiche.\n"
)


class GeocodedPoint(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    requete: str
    score: float | None = None
    date: date


def address_query(adresse: Adresse | None) -> str | None:
    """The text sent to the geocoder; None when there is no street to look for."""
    if adresse is None or not adresse.voie:
        return None
    town = f"{adresse.code_postal} {adresse.commune}" if adresse.code_postal else adresse.commune
    return f"{adresse.voie}, {town}"


def plausible(lat: float, lon: float, commune: Commune | None) -> bool:
    return commune is None or distance_km((lat, lon), (commune.lat, commune.lon)) <= MAX_KM_FROM_COMMUNE


def read_cache(data_dir: Path) -> tuple[dict[str, GeocodedPoint], list[Problem]]:
    path = data_dir / CACHE_PATH
    if not path.is_file():
        return {}, []
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        return {}, [
            Problem(path, 1, 1, "", f"cache de géocodage illisible : {error}", "supprimez le fichier et relancez « passerelle geocode »")
        ]
    if not isinstance(raw, dict):
        return {}, [Problem(path, 1, 1, "", "cache de géocodage illisible", "supprimez le fichier et relancez « passerelle geocode »")]
    points: dict[str, GeocodedPoint] = {}
    problems = []
    for record_id, entry in raw.items():
        try:
            points[str(record_id)] = GeocodedPoint.model_validate(entry)
        except ValidationError as error:
            problems.append(
                Problem(
                    path,
                    1,
                    1,
                    str(record_id),
                    f"entrée invalide du cache de géocodage ({error.errors()[0]['msg']})",
                    "supprimez cette entrée et relancez « passerelle geocode »",
                )
            )
    return points, problems


def write_cache(data_dir: Path, points: Mapping[str, GeocodedPoint]) -> Path:
    path = data_dir / CACHE_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    content = {record_id: points[record_id].model_dump(mode="json") for record_id in sorted(points)}
    text = _HEADER + (yaml.safe_dump(content, allow_unicode=True, sort_keys=False, width=1000) if content else "")
    # In one step: the positions are hours of geocoding at one request a second, and this runs
    # again when the person stops the run (Ctrl-C) or the disk is full.
    replace_file(path, text.encode("utf-8"))
    return path

"""Street-level positions: an optional online step that fills a cache the offline build reads.

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
The geocoder is a parameter, so tests hand in a fake object instead of the service.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import yaml
from geopy.extra.rate_limiter import RateLimiter
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .geography import Commune, distance_km
from .models import Adresse
from .problems import Problem
from .vocabulary import Statut

if TYPE_CHECKING:  # loading imports this module (through places) to read the cache
    from .loading import Catalogue

CACHE_PATH = Path("geo") / "geocodage.yaml"
USER_AGENT = "passerelle-annuaire"
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
        return {}, [Problem(path, 1, 1, "", f"cache de géocodage illisible : {error}", "supprimez le fichier et relancez « passerelle geocode »")]
    if not isinstance(raw, dict):
        return {}, [Problem(path, 1, 1, "", "cache de géocodage illisible", "supprimez le fichier et relancez « passerelle geocode »")]
    points: dict[str, GeocodedPoint] = {}
    problems = []
    for record_id, entry in raw.items():
        try:
            points[str(record_id)] = GeocodedPoint.model_validate(entry)
        except ValidationError as error:
            problems.append(Problem(path, 1, 1, str(record_id), f"entrée invalide du cache de géocodage ({error.errors()[0]['msg']})", "supprimez cette entrée et relancez « passerelle geocode »"))
    return points, problems


def write_cache(data_dir: Path, points: Mapping[str, GeocodedPoint]) -> Path:
    path = data_dir / CACHE_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    content = {record_id: points[record_id].model_dump(mode="json") for record_id in sorted(points)}
    text = _HEADER + (yaml.safe_dump(content, allow_unicode=True, sort_keys=False, width=1000) if content else "")
    path.write_text(text, encoding="utf-8")
    return path


# --- The online step ------------------------------------------------------------------


class Geocoder(Protocol):
    """What the command needs of a geopy geocoder: `geocode(query, exactly_one=True)`."""

    def geocode(self, query: str, exactly_one: bool = True) -> Any: ...


def make_geocoder(service: str, timeout: float = 10.0) -> Geocoder:
    from geopy.geocoders import BANFrance, Nominatim

    if service == "nominatim":
        return Nominatim(user_agent=USER_AGENT, timeout=timeout)
    return BANFrance(user_agent=USER_AGENT, timeout=timeout)


@dataclass
class GeocodeReport:
    found: list[str] = field(default_factory=list)
    already: int = 0
    not_found: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    left: int = 0


def geocode_catalogue(
    catalogue: Catalogue,
    data_dir: Path,
    geocoder: Geocoder,
    limit: int | None = None,
    min_delay: float = 1.0,
    today: date | None = None,
    progress: Callable[[str], None] = print,
) -> GeocodeReport:
    """Geocode the records that have a street and no coordinates; update the cache file.

    Stops at the first service error (after the rate limiter's retries); what was
    found until then is written to the cache all the same.
    """
    today = today or date.today()
    cache, problems = read_cache(data_dir)
    if problems:
        raise ValueError("\n".join(str(p) for p in problems))
    # Entries of deleted records are dropped; entries of edited addresses are redone below.
    cache = {rid: point for rid, point in cache.items() if rid in catalogue.records}
    report = GeocodeReport()
    todo = []
    for record_id in sorted(catalogue.records):
        record = catalogue.records[record_id]
        query = address_query(record.adresse)
        if query is None or record.coordonnees is not None or record.statut == Statut.FERME:
            continue
        if record_id in cache and cache[record_id].requete == query:
            report.already += 1
        else:
            todo.append((record_id, query))
    if limit is not None:
        report.left = max(0, len(todo) - limit)
        todo = todo[:limit]
    # The services' usage policies: at most one request per `min_delay` seconds.
    geocode = RateLimiter(geocoder.geocode, min_delay_seconds=min_delay, error_wait_seconds=5 * min_delay, max_retries=2, swallow_exceptions=False)
    try:
        for index, (record_id, query) in enumerate(todo, start=1):
            outcome = _geocode_one(geocode, record_id, query, catalogue.places[record_id].commune, today, cache, report)
            progress(f"[{index}/{len(todo)}] {record_id} : {outcome}")
    finally:
        write_cache(data_dir, cache)
    return report


def _geocode_one(geocode, record_id: str, query: str, commune: Commune | None, today: date, cache: dict[str, GeocodedPoint], report: GeocodeReport) -> str:
    location = geocode(query, exactly_one=True)
    if location is None:
        report.not_found.append(record_id)
        return "adresse non trouvée"
    raw = getattr(location, "raw", None) or {}
    score = (raw.get("properties") or {}).get("score") if isinstance(raw, dict) else None
    if score is not None and score < MIN_SCORE:
        report.rejected.append((record_id, f"correspondance trop faible (score {score:.2f})"))
        return f"écartée : score {score:.2f} trop faible"
    if not plausible(location.latitude, location.longitude, commune):
        report.rejected.append((record_id, f"position à plus de {MAX_KM_FROM_COMMUNE:.0f} km de la commune"))
        return "écartée : trop loin de la commune"
    cache[record_id] = GeocodedPoint(
        lat=round(location.latitude, 6), lon=round(location.longitude, 6), requete=query, score=None if score is None else round(float(score), 4), date=today
    )
    report.found.append(record_id)
    return f"{location.latitude:.5f}, {location.longitude:.5f}"

"""`passerelle geocode`: the online step that fills the geocoding cache (`generator.geo.geocoding`).

The geocoder is a parameter, so tests hand in a fake object instead of the service.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from geopy.extra.rate_limiter import RateLimiter

from generator import clock
from generator.catalogue import Catalogue
from generator.geo.gazetteer import Commune
from generator.geo.geocoding import MAX_KM_FROM_COMMUNE, MIN_SCORE, GeocodedPoint, address_query, plausible, read_cache, write_cache
from generator.records.vocabulary import Statut

USER_AGENT = "passerelle-annuaire"
# The fewest seconds between two requests each service's usage policy allows: Nominatim « an absolute
# maximum of 1 request per second » (operations.osmfoundation.org/policies/nominatim), the BAN
# 50 requests a second from one address (adresse.data.gouv.fr, « Limites d'usage »).
POLICY_MIN_DELAY = {"nominatim": 1.0, "ban": 1 / 50}


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
    today = today or clock.today()
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
    geocode = RateLimiter(
        geocoder.geocode, min_delay_seconds=min_delay, error_wait_seconds=5 * min_delay, max_retries=2, swallow_exceptions=False
    )
    try:
        with _retries_unlogged():
            for index, (record_id, query) in enumerate(todo, start=1):
                outcome = _geocode_one(geocode, record_id, query, catalogue.places[record_id].commune, today, cache, report)
                progress(f"[{index}/{len(todo)}] {record_id} : {outcome}")
    finally:
        write_cache(data_dir, cache)
    return report


@contextmanager
def _retries_unlogged() -> Iterator[None]:
    """geopy's rate limiter logs each retry with a full traceback, in English: the failure that ends the run is
    said once, in French, by the command."""
    logger = logging.getLogger("geopy")
    logger.addFilter(_not_a_retry)
    try:
        yield
    finally:
        logger.removeFilter(_not_a_retry)


def _not_a_retry(record: logging.LogRecord) -> bool:
    return not str(record.msg).startswith("RateLimiter")


def _geocode_one(
    geocode, record_id: str, query: str, commune: Commune | None, today: date, cache: dict[str, GeocodedPoint], report: GeocodeReport
) -> str:
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
        lat=round(location.latitude, 6),
        lon=round(location.longitude, 6),
        requete=query,
        score=None if score is None else round(float(score), 4),
        date=today,
    )
    report.found.append(record_id)
    return f"{location.latitude:.5f}, {location.longitude:.5f}"

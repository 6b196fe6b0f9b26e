"""The nearest structures to a point, for the finder, the maps and the observatory.

Distances are geodesic (geopy), in km. A cheap flat-earth estimate picks the
candidates first, so a catalogue of thousands of ESMS costs a few dozen
geodesic computations per query, not thousands.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable

from .geography import distance_km
from .site import Entry
from .vocabulary import Kind

# Within a few hundred km the flat estimate stays within a few per cent of the
# geodesic distance; candidates are kept up to this factor past the k-th one, so
# the final geodesic ranking cannot miss a closer entry. Farther than that (an
# island far from everything) the estimate is not trusted and every entry is measured.
_MARGIN = 1.10
_TRUSTED_KM = 500.0
_KM_PER_DEGREE = 111.2


def nearest(entries: Iterable[Entry], point: tuple[float, float], kind: Kind | None = None, k: int = 5) -> list[tuple[Entry, float]]:
    """The `k` located entries (of `kind`, if given) closest to `point` (lat, lon), nearest first."""
    if k <= 0:
        return []
    lat, lon = point
    located = [e for e in entries if e.place.located and (kind is None or e.record.type == kind)]
    estimates = [(_flat_km(lat, lon, e.place.lat, e.place.lon), e.id, e) for e in located]
    closest = heapq.nsmallest(k, estimates, key=lambda item: item[0])
    if not closest:
        return []
    bound = closest[-1][0] * _MARGIN + 1.0
    candidates = located if bound > _TRUSTED_KM else [e for estimate, _, e in estimates if estimate <= bound]
    measured = sorted(((distance_km(point, (e.place.lat, e.place.lon)), e.id, e) for e in candidates), key=lambda item: item[:2])
    return [(entry, km) for km, _, entry in measured[:k]]


def _flat_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    # Longitudes wrap: Wallis-et-Futuna sits next to the antimeridian.
    dlon = (lon2 - lon1 + 180.0) % 360.0 - 180.0
    x = dlon * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(x, lat2 - lat1) * _KM_PER_DEGREE

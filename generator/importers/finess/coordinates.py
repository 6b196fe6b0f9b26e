"""The coordinate systems named by the etalab extraction, converted to WGS84 with pyproj.

A ``geolocalisation`` row names its system in ``sourcecoordet``
(``<quality>,<supplier>,<score>,<reference>,<system>``), e.g.
``1,ATLASANTE,96,BAN,EPSG:2154 RGF93 / Lambert-93 (Métropole)``. Systems handled
(older files name them without the EPSG code): EPSG:2154 Lambert-93 (mainland,
Corsica), EPSG:5490 RGAF09 / UTM 20N (Guadeloupe, Martinique), EPSG:2972 RGFG95 /
UTM 22N (Guyane), EPSG:2975 RGR92 / UTM 40S (La Réunion), EPSG:4471 RGM04 / UTM 38S
(Mayotte), WGS84 / UTM zone NN (Saint-Pierre-et-Miquelon: 32621), and Lambert II
étendu (EPSG:27572) should an old file name it. Any other system: no position.
"""

from __future__ import annotations

import functools
import re

from pyproj import Transformer
from pyproj.exceptions import CRSError

_EPSG = re.compile(r"EPSG:(\d{4,5})")
_UTM = re.compile(r"UTM[ _]?(?:zone[ _]?)?(\d{1,2})\s*([NS])|UTM[ _]([NS])(\d{1,2})", re.IGNORECASE)
# The French overseas datums of each UTM zone (RGAF09, RGFG95, RGR92, RGM04).
_FRENCH_UTM = {(20, "N"): 5490, (22, "N"): 2972, (40, "S"): 2975, (38, "S"): 4471}


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
        return _FRENCH_UTM.get((zone, hemisphere), (32600 if hemisphere == "N" else 32700) + zone)
    return None


@functools.cache
def _transformer(epsg: int) -> Transformer:
    return Transformer.from_crs(f"EPSG:{epsg}", "EPSG:4326", always_xy=True)


def to_wgs84(x: str, y: str, source: str) -> tuple[float, float] | None:
    """(lat, lon) of a point given in the system `source` names; None if it cannot be read."""
    epsg = crs_of(source)
    if epsg is None:
        return None
    try:
        lon, lat = _transformer(epsg).transform(float(x), float(y))
    except (ValueError, CRSError):  # an unreadable number, or a code pyproj does not know
        return None
    return wgs84_point(lat, lon)


def wgs84_point(lat: float, lon: float) -> tuple[float, float] | None:
    """(lat, lon) rounded to about 10 cm, or None outside the globe."""
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return round(lat, 6), round(lon, 6)

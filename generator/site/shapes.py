"""The rows Python writes for the browser's scripts: every shape, named in one place.

Data files stay small by writing rows as JSON arrays, not objects: a map of the
whole country has tens of thousands of markers, the finder's commune files
35,000 names. Each array's fields are named here, once, as a NamedTuple: Python
builds rows from these classes (`json.dumps` writes a NamedTuple as an array),
and the scripts read them by name through a declaration of the same fields,
such as

    var MARKER_ROW = {"lat": 0, "lon": 1, ...};  // generator/site/shapes.py

then `row[MARKER_ROW.lat]`, never `row[0]`. `javascript_declaration()` writes
that line; tests/test_shapes.py checks that each script holds it exactly (and
says the line to paste when a shape changes). The finder's record rows are JSON
objects with short keys: RECORD_KEYS says what each key holds.
"""

from __future__ import annotations

import json
import re
from typing import NamedTuple


class BoundingBox(NamedTuple):
    """The smallest box holding some points (a map zone's places, a shard's records, a square degree of communes)."""

    south: float
    west: float
    north: float
    east: float


# --- Maps (generator/site/maps.py → site_theme/assets/javascripts/passerelle-map.js) ---------


class MarkerRow(NamedTuple):
    """One place on a map: in the data files of `carte/donnees/` (generator/site/maps.py), or a record page's `data-marker`."""

    lat: float
    lon: float
    kind: int  # the kind's `ordinal` (records/vocabulary.py): its place in the legend and in MapKind rows
    approximate: int  # 1 when the record is placed at its commune's centre, else 0
    id: str  # the record's id: its page is structures/<id>/
    name: str
    commune: str  # "" when the record has no commune
    status: str | None = None  # the shown status' label (« À confirmer »…); left out of the row when there is none
    # Temporary closures not over at the build date, [[du, au], …] (closures.map_closures): the popup
    # checks them against the place's day, in its time zone (hours.time_zone). Both left out when
    # there is no closure (status is then "" if needed).
    closures: list[list[str]] | None = None
    time_zone: str | None = None

    def written(self) -> list[object]:
        """The row as written in the files: trailing fields left out when empty."""
        if self.closures:
            return [*self[:-3], self.status or "", self.closures, self.time_zone]
        return list(self[:-2]) if self.status else list(self[:-3])


class ZoneRow(NamedTuple):
    """The places of a national or région map that lie in one département, in the map's `index.json`.

    Until the view comes close, such a map draws one circle per zone with its count, and
    fetches a zone's file of `MarkerRow`s only then (generator/site/maps.py)."""

    code: str  # the département's code (maps.OTHER_ZONE for places with no département)
    name: str  # « Hauts-de-Seine (92) »
    lat: float  # the mean of its places: where its circle is drawn
    lon: float
    counts: list[int]  # its places by kind, in the order of MarkerRow.kind
    box: BoundingBox  # around its places
    file: str  # its MarkerRows, from the site's root


class MapKind(NamedTuple):
    """One kind in a map's `data-kinds`, in the order of `MarkerRow.kind`."""

    value: str  # the kind's value: the pin is drawn with the CSS class `pa-pin--<value>`
    label: str


# --- Finder (generator/site/finder.py → site_theme/assets/javascripts/passerelle-finder.js) -------


class ShardRow(NamedTuple):
    """One file of records in the finder's `index.json` (`shards`): `structures/<kind>-<area>.json`."""

    kind: str  # the records' kind (value)
    area: str  # a département code, « r<région> » or « fr » (records without a place, by what they cover)
    count: int  # records in the file
    box: BoundingBox | None  # around the located records; null when none is located
    version: str  # hash of the file's content, in its URL: a browser may keep it for good


class TerritoryFileRow(NamedTuple):
    """One file of records serving a territory, in `index.json` (`territories`, by area)."""

    count: int
    version: str


class DepartementRow(NamedTuple):
    """One département in `index.json` (`departements`, by code)."""

    region: str  # the région's code
    nom: str


class KindWords(NamedTuple):
    """How the finder speaks of one kind, in `index.json` (`labels.kinds`, by value)."""

    heading: str  # title of its group of results
    singular: str  # « 1 GEM trouvé »
    plural: str  # « 3 collectifs d'entraide trouvés », and the coverage note's « {lieux} »
    gender: str  # "f" or "m": « trouvée » or « trouvé »


class NetworkRow(NamedTuple):
    """A record whom the coverage note sends people to, in `index.json` (`coverage.networks`, by kind)."""

    id: str
    nom: str
    why: str  # what it is, in a few words: « réseau national », « centre ressource »…


class KnownCountRow(NamedTuple):
    """A reference count beside the directory's figure, in `index.json` (`coverage.counts`, by kind then area).

    The area is « fr », « r<région> » or a département code (data/references.yaml)."""

    statement: str  # « Hauts-de-Seine (92) : 19 CLSM en 2018, selon l'ARS Île-de-France. »
    listed: str  # « Cet annuaire en liste 0. »
    missing: int  # 1 when the directory lists fewer than the count
    stale: str | None  # the warning when the count is old, else null
    source_title: str
    source_date: str
    source_url: str  # "" when the source has no address


class PostcodeCommune(NamedTuple):
    """A commune of a postcode, in `communes/cp-<2 digits>.json` (lists by postcode)."""

    insee: str
    nom: str
    lat: float
    lon: float


class NamedCommune(NamedTuple):
    """A commune suggested for a name being typed, in `communes/nom-<prefix>.json` and `communes/top-<prefix>.json`."""

    nom: str
    insee: str
    cp: str  # its first postcode, "" when it has none
    lat: float
    lon: float


class PositionCommune(NamedTuple):
    """A commune centre, in `communes/pos-<lat>_<lon>.json`: the commune of a position is the nearest centre."""

    insee: str
    lat: float
    lon: float


JAVASCRIPT = {
    "passerelle-map.js": (MarkerRow, MapKind, ZoneRow, BoundingBox),
    "passerelle-finder.js": (
        BoundingBox,
        ShardRow,
        TerritoryFileRow,
        DepartementRow,
        KindWords,
        NetworkRow,
        KnownCountRow,
        PostcodeCommune,
        NamedCommune,
        PositionCommune,
    ),
}
"""The shapes each script reads (site_theme/assets/javascripts/)."""


RECORD_KEYS = {
    "i": "id of the record (its page is structures/<id>/)",
    "n": "name",
    "k": "kind (value)",
    "c": "category or employer type (value)",
    "v": "commune name",
    "d": "département codes of its place or territory",
    "r": "région codes of its place or territory",
    "la": "latitude (only for a located record)",
    "lo": "longitude",
    "ap": "1: placed at its commune's centre",
    "t": "phone (E.164), for its link",
    "tt": "phone as written on the record page (text.phone_display)",
    "p": "publics (values)",
    "a": "access conditions (values)",
    "m": "1 or 0: accessible with reduced mobility (unknown: left out)",
    "h": "open hours of a usual week, Monday first: « 0900-1200,1400-1700|…|| », a note after « ~ » (of an interval, or of a day without one: hours.weekly_schedule, span_code)",
    "hc": "hours that change with the date: each coming day that differs from `h`, {AAAA-MM-JJ: spans as in `h`} (closures.browser_fields)",
    "s": "shown status (slug), left out when there is none",
    "f": "temporary closures not over at the build date: [[du, au], …] (closures.browser_fields)",
    "e": "hours of each day of exceptional hours from the build date on: {AAAA-MM-JJ: spans as in `h`, « ? » unknown}",
    "j": "hours on the coming public holidays when the hours say (`PH`): one spans string if all agree, else {AAAA-MM-JJ: spans}",
    "q": "words of its description, normalized, for the free-text search",
    "tn": "1: serves the whole country",
    "tr": "régions it serves",
    "td": "départements it serves",
    "tc": "communes it serves (INSEE codes, arrondissements of a split commune included)",
}
"""The finder's record rows (`finder.record_row`, `finder.coverage_keys`): JSON objects, empty fields left out.

Short keys, as a national directory's shards hold tens of thousands of rows."""


def javascript_name(shape: type[tuple]) -> str:
    """MarkerRow → MARKER_ROW."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", shape.__name__).upper()


def javascript_declaration(shape: type[tuple]) -> str:
    """The line a script declares a shape with: the position of each field, by name."""
    positions = {name: index for index, name in enumerate(shape._fields)}
    return f"var {javascript_name(shape)} = {json.dumps(positions)};  // generator/site/shapes.py"

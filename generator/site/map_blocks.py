"""What each map of a page shows, computed here for `_map.html` to display.

A map block is one of three kinds, all clustered with a layer toggle per kind but
the last:
- the national map and a région's fetch an index of zones (one per département)
  and draw a circle with its count per zone, until the view comes close enough to
  fetch and draw the places of the zones in view: a first view of 50,000 markers
  would keep a phone busy for seconds;
- a département's map fetches one data file of its markers;
- a record's map carries its one marker in the page.
Rows are `ZoneRow`s and `MarkerRow`s (generator/site/shapes.py); the data files
are written by generator/site/maps.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from generator.records.vocabulary import Kind
from generator.site.closures import map_closures
from generator.site.hours import time_zone
from generator.site.model import Entry
from generator.site.shapes import MapKind, MarkerRow

DATA_DIR = "carte/donnees"
# ~1 m: more digits would only make the files bigger.
COORDINATE_DIGITS = 5
# The first view of the national map: metropolitan France and Corsica.
FRANCE_BOUNDS = ((41.3, -5.2), (51.1, 9.6))


# The same on every map: made once, not for each of the record pages (10 µs each).
_MAP_KINDS = tuple(MapKind(kind.value, kind.label) for kind in Kind)

# Up to this many places, a zoned map draws places rather than circles: all of them at once when
# the whole map holds no more, else those of the zones in view (passerelle-map.js).
PLACES_AT_ONCE = 2000


def data_path(scope: str, code: str) -> str:
    """The markers of a département's map."""
    return f"{DATA_DIR}/{scope}-{code}.json"


def zones_path(scope: str, code: str) -> str:
    """The index of the zones of the national map (`france`, `fr`) or a région's (`region`, its code)."""
    return f"{DATA_DIR}/{scope}-{code}/index.json"


def zone_path(scope: str, code: str, zone: str) -> str:
    """The markers of one zone of that map."""
    return f"{DATA_DIR}/{scope}-{code}/{zone}.json"


def marker_row(entry: Entry, today: date) -> MarkerRow:
    """The record's marker, with its closures not over on `today` (the build date) and its time zone for the popup."""
    place = entry.place
    closures = map_closures(entry.record, today)
    return MarkerRow(
        lat=round(place.lat, COORDINATE_DIGITS),
        lon=round(place.lon, COORDINATE_DIGITS),
        kind=entry.record.type.ordinal,
        approximate=int(place.approximate),
        id=entry.id,
        name=entry.record.nom,
        commune=place.commune.nom if place.commune else "",
        status=entry.status.label if entry.status else None,
        closures=closures or None,
        time_zone=time_zone(place.departements) if closures else None,
    )


@dataclass(frozen=True)
class MapLayer:
    """The places of one kind on a map: a toggle of the layers, or the key of a record's map."""

    kind: Kind
    count: int


@dataclass(frozen=True)
class MapBlock:
    label: str  # the map's accessible name
    layers: list[MapLayer]  # in the order of the kinds, kinds without a located place left out
    zones_src: str = ""  # the index of its zones (national and région maps)
    data_src: str = ""  # or the data file of its markers (a département's map)
    marker: MarkerRow | None = None  # or a record's one marker, written in the page
    bounds: tuple[tuple[float, float], tuple[float, float]] | None = None  # first view, else the markers'
    size: str = "medium"

    @property
    def fetched(self) -> str:
        """The file the map fetches first, "" for a record's map: a clustered map with layer toggles."""
        return self.zones_src or self.data_src

    @property
    def places_at_once(self) -> int:
        return PLACES_AT_ONCE

    @property
    def kinds(self) -> tuple[MapKind, ...]:
        """Every kind, in the order of MarkerRow.kind: the script draws a marker's pin from it."""
        return _MAP_KINDS

    @property
    def located(self) -> int:
        """How many places the map shows."""
        return sum(layer.count for layer in self.layers)


def layers_of(entries: list[Entry]) -> list[MapLayer]:
    counts = {kind: 0 for kind in Kind}
    for entry in entries:
        if entry.place.located:
            counts[entry.record.type] += 1
    return [MapLayer(kind, count) for kind, count in counts.items() if count]


def france_map(entries: list[Entry]) -> MapBlock:
    return MapBlock("Carte de France des structures", layers_of(entries), zones_path("france", "fr"), bounds=FRANCE_BOUNDS, size="large")


def region_map(title: str, code: str, entries: list[Entry]) -> MapBlock:
    return MapBlock(f"Carte des structures : {title}", layers_of(entries), zones_path("region", code))


def departement_map(title: str, code: str, entries: list[Entry]) -> MapBlock:
    return MapBlock(f"Carte des structures : {title}", layers_of(entries), data_src=data_path("departement", code))


def record_map(entry: Entry, today: date) -> MapBlock | None:
    """A record's small map, or None when it has no place to show."""
    if not entry.place.located:
        return None
    return MapBlock(
        f"Carte de l’emplacement : {entry.record.nom}", [MapLayer(entry.record.type, 1)], marker=marker_row(entry, today), size="small"
    )

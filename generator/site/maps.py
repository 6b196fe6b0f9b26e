"""Maps: the marker data files for the browser, and the national map page.

A département's map fetches one file of `MarkerRow`s (generator/site/shapes.py),
`carte/donnees/departement-<code>.json`. The national map and each région's are
zoned (generator/site/map_blocks.py): an index of `ZoneRow`s, one per département
where places lie, `carte/donnees/<scope>-<code>/index.json`, and one file of
`MarkerRow`s per zone beside it. The names come from map_blocks, which the map
blocks of the pages fetch too; a record page draws its one marker from
data-attributes, without any file. `site_theme/assets/javascripts/passerelle-map.js`
draws them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from statistics import fmean

from generator.geo.gazetteer import Region
from generator.records.vocabulary import Kind
from generator.site.map_blocks import COORDINATE_DIGITS, data_path, france_map, marker_row, zone_path, zones_path
from generator.site.model import Entry, Section, SiteModel
from generator.site.pages import Asset, Page
from generator.site.shapes import BoundingBox, ZoneRow

# The zone of located places with no département (coordinates without an address, no territory).
OTHER_ZONE = "autres"


def marker_data(entries: list[Entry], today: date) -> str:
    rows = [marker_row(entry, today).written() for entry in entries if entry.place.located]
    return _json(rows)


def map_assets(site: SiteModel) -> list[Asset]:
    assets = zoned_assets(site, "france", "fr", list(site.entries.values()))
    for code, entries in site.by_region.items():
        assets += zoned_assets(site, "region", code, entries)
    assets += [Asset(data_path("departement", code), marker_data(entries, site.today)) for code, entries in site.by_departement.items()]
    return assets


def zoned_assets(site: SiteModel, scope: str, code: str, entries: list[Entry]) -> list[Asset]:
    """The index of a zoned map and the markers of each of its zones."""
    zones: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        if entry.place.located:
            zones[zone_of(entry)].append(entry)
    zones = dict(sorted(zones.items()))
    index = [zone_row(site, zone_path(scope, code, zone), zone, placed) for zone, placed in zones.items()]
    return [Asset(zones_path(scope, code), _json(index))] + [
        Asset(zone_path(scope, code, zone), marker_data(placed, site.today)) for zone, placed in zones.items()
    ]


def zone_of(entry: Entry) -> str:
    """The département where the record's place lies: one zone per place, not one per territory it serves."""
    place = entry.place
    if place.commune is not None:
        return place.commune.departement
    return place.departements[0] if place.departements else OTHER_ZONE


def zone_row(site: SiteModel, file: str, zone: str, entries: list[Entry]) -> ZoneRow:
    departement = site.gazetteer.departement(zone)
    lats = [entry.place.lat for entry in entries]
    lons = [entry.place.lon for entry in entries]
    counts = [0] * len(Kind)
    for entry in entries:
        counts[entry.record.type.ordinal] += 1
    return ZoneRow(
        code=zone,
        name=f"{departement.nom} ({zone})" if departement else "Autres lieux",
        lat=round(fmean(lats), COORDINATE_DIGITS),
        lon=round(fmean(lons), COORDINATE_DIGITS),
        counts=counts,
        box=BoundingBox(*(round(value, COORDINATE_DIGITS) for value in (min(lats), min(lons), max(lats), max(lons)))),
        file=file,
    )


def _json(rows: list) -> str:
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class RegionCount:
    """One row of the /carte/ table: what the région's own page lists, by kind."""

    region: Region
    total: int
    by_kind: dict[str, int]


def map_pages(site: SiteModel) -> list[Page]:
    entries = list(site.entries.values())
    kinds = [Section(kind) for kind in Kind if any(e.record.type == kind for e in entries)]
    rows = [RegionCount(region, len(site.by_region[region.code]), _count_by_kind(site.by_region[region.code])) for region in site.regions()]
    france = france_map(entries)
    return [
        Page(
            "carte/index.md",
            "Carte des structures",
            "map_page.html",
            {"map": france, "unplaced": len(entries) - france.located, "kinds": kinds, "rows": rows},
            description="Toutes les structures de l'annuaire sur une carte, avec leur liste par région.",
        )
    ]


def _count_by_kind(entries: list[Entry]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry.record.type.value] = counts.get(entry.record.type.value, 0) + 1
    return counts

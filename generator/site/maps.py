"""Maps: the marker data files for the browser, and the national map page.

The national map, each région and each département get one data file of
`MarkerRow`s (generator/site/shapes.py), named `carte/donnees/<scope>-<code>.json`
(map_blocks.data_path: the map blocks of the pages fetch the same names); a record
page draws its one marker from data-attributes, without any file.
`site_theme/assets/javascripts/passerelle-map.js` draws them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from generator.geo.gazetteer import Region
from generator.records.vocabulary import Kind
from generator.site.map_blocks import data_path, france_map, marker_row
from generator.site.model import Entry, Section, SiteModel
from generator.site.pages import Asset, Page


def marker_data(entries: list[Entry], today: date) -> str:
    rows = [marker_row(entry, today).written() for entry in entries if entry.place.located]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"))


def map_assets(site: SiteModel) -> list[Asset]:
    assets = [Asset(data_path("france", "fr"), marker_data(list(site.entries.values()), site.today))]
    assets += [Asset(data_path("region", code), marker_data(entries, site.today)) for code, entries in site.by_region.items()]
    assets += [Asset(data_path("departement", code), marker_data(entries, site.today)) for code, entries in site.by_departement.items()]
    return assets


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

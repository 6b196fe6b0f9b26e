"""Maps: compact marker data for the browser, and the national map page.

Every map draws rows of places, `MarkerRow` (generator/site/shapes.py: position,
kind, whether the position is approximate, id, name, commune and shown status). The national
map, each région and each département get one data file, named
`carte/donnees/<scope>-<code>.json` (`_map.html` builds the same names); a
record page draws its one marker from data-attributes, without any file.
`site_theme/assets/javascripts/passerelle-map.js` draws them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from generator.geo.gazetteer import Region
from generator.records.vocabulary import Kind
from generator.site.model import Entry, Section, SiteModel
from generator.site.pages import Asset, Page
from generator.site.shapes import MarkerRow

DATA_DIR = "carte/donnees"
# ~1 m: more digits would only make the files bigger.
COORDINATE_DIGITS = 5


def data_path(scope: str, code: str) -> str:
    return f"{DATA_DIR}/{scope}-{code}.json"


def marker_row(entry: Entry) -> MarkerRow:
    place = entry.place
    return MarkerRow(
        lat=round(place.lat, COORDINATE_DIGITS),
        lon=round(place.lon, COORDINATE_DIGITS),
        kind=entry.record.type.ordinal,
        approximate=int(place.approximate),
        id=entry.id,
        name=entry.record.nom,
        commune=place.commune.nom if place.commune else "",
        status=entry.status.label if entry.status else None,
    )


def marker_data(entries: list[Entry]) -> str:
    rows = [marker_row(entry).written() for entry in entries if entry.place.located]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"))


def map_assets(site: SiteModel) -> list[Asset]:
    assets = [Asset(data_path("france", "fr"), marker_data(list(site.entries.values())))]
    assets += [Asset(data_path("region", code), marker_data(entries)) for code, entries in site.by_region.items()]
    assets += [Asset(data_path("departement", code), marker_data(entries)) for code, entries in site.by_departement.items()]
    return assets


@dataclass(frozen=True)
class RegionCount:
    """One row of the /carte/ table: what the région's own page lists, by kind."""

    region: Region
    total: int
    by_kind: dict[str, int]


def map_pages(site: SiteModel) -> list[Page]:
    entries = list(site.entries.values())
    located = [entry for entry in entries if entry.place.located]
    kinds = [Section(kind) for kind in Kind if any(e.record.type == kind for e in entries)]
    rows = [RegionCount(region, len(site.by_region[region.code]), _count_by_kind(site.by_region[region.code])) for region in site.regions()]
    return [
        Page(
            "carte/index.md",
            "Carte des structures",
            "map_page.html",
            {"located": located, "entries": entries, "kinds": kinds, "rows": rows, "data_src": data_path("france", "fr")},
            description="Toutes les structures de l'annuaire sur une carte, avec leur liste par région.",
        )
    ]


def _count_by_kind(entries: list[Entry]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry.record.type.value] = counts.get(entry.record.type.value, 0) + 1
    return counts

"""Every page and asset of the site: the directory's own, then each feature's.

A new feature writes its module with functions `SiteModel -> list[Page]` (and
`-> list[Asset]`) and lists them here; nothing else needs to know about it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from generator.site import admin, easy_read, exports, finder, maps, observatory, orientation, search, selection
from generator.site.model import SiteModel
from generator.site.pages import Asset, Page, directory_pages, record_pages

PAGE_BUILDERS = (
    directory_pages,
    maps.map_pages,
    finder.finder_pages,
    observatory.observatory_pages,
    exports.open_data_pages,
    orientation.orientation_pages,
    easy_read.easy_read_pages,
    selection.selection_pages,
    search.search_pages,
)
# The pages that show one record: `mkdocs serve` writes them first after the record is edited.
RECORD_PAGE_BUILDERS = (record_pages, easy_read.easy_read_pages)
ASSET_BUILDERS = (
    maps.map_assets,
    finder.finder_assets,
    exports.open_data_assets,
    admin.admin_assets,
    selection.selection_assets,
)


def build_pages(site: SiteModel) -> list[Page]:
    return [page for contribute in PAGE_BUILDERS for page in contribute(site)]


def build_assets(site: SiteModel) -> Iterator[Asset]:
    """Each feature's assets in turn: a build may write and let go of one feature's before the next's are made."""
    for contribute in ASSET_BUILDERS:
        yield from contribute(site)


def pages_of_records(site: SiteModel, ids: Iterable[str]) -> list[Page]:
    """The pages of the records `ids` (their own pages, not the lists that name them)."""
    return [page for contribute in RECORD_PAGE_BUILDERS for page in contribute(site, ids)]

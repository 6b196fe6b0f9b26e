"""The site search's index, written once every page is: a post-build step.

Records and territories are documents of the site model (generator/site/search.py);
every other page is read from the HTML the engine wrote, whichever engine it was:
its part marked `data-search-body` (main.html), without the parts marked
`data-search-ignore`, its first heading as title, `data-search-kind` as what it is and
`data-search-excerpt` as its excerpt. Record, territory and easy-read pages (the bulk pages) are not read: there are
tens of thousands, and the model already says what they hold.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

from generator.build.site_files import site_files
from generator.build.sources import Generation
from generator.site.model import SiteModel
from generator.site.search import BUNDLE_FOLDER, SearchDocument, index_files, record_documents, territory_documents

# Elements that have no end tag: they never open a part of the page.
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
# Elements whose text is not the page's words (a list of choices is not text).
_NOT_TEXT = frozenset("script style template svg select".split())
# Elements that separate words: their text does not run into the next one's.
_BREAKS = frozenset(
    "address article aside blockquote br dd details div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header "
    "hr li main nav ol p pre section summary table td th tr ul".split()
)


def write_search_index(site_dir: Path, generation: Generation) -> None:
    """The index of every page of the built site in `site_dir`, into `site_dir/BUNDLE_FOLDER/`."""
    write_index(site_dir, site_documents(site_dir, generation.site, {page.url for page in generation.bulk}))


def site_documents(site_dir: Path, site: SiteModel, bulk: set[str]) -> list[SearchDocument]:
    """Territories, the pages the engine wrote (but the `bulk` ones, URLs from the site root), then records."""
    return territory_documents(site) + page_documents(site_dir, bulk) + record_documents(site)


def write_index(site_dir: Path, documents: list[SearchDocument]) -> None:
    bundle = site_dir / BUNDLE_FOLDER
    shutil.rmtree(bundle, ignore_errors=True)
    for name, content in index_files(documents).items():
        target = bundle / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")


def page_documents(site_dir: Path, left_out: set[str]) -> list[SearchDocument]:
    """The searchable pages the engine wrote, by URL, but those of `left_out` (URLs from the site root)."""
    documents = []
    # In the order of their files' paths (a folder's pages before its neighbour « a-b »'s, as pathlib sorts).
    for url in sorted(_page_urls(site_dir), key=lambda url: [*url.split("/")[:-1], "index.html"]):
        if url in left_out:
            continue
        reader = _SearchedPart()
        reader.feed((site_dir / url / "index.html").read_text(encoding="utf-8"))
        if reader.found:
            title = " ".join("".join(reader.title or reader.page_title.split(" - ")[:1]).split())
            text = " ".join("".join(reader.text).split())
            documents.append(SearchDocument(url, title, reader.kind, text=text, excerpt=reader.excerpt))
    return documents


def _page_urls(site_dir: Path) -> Iterator[str]:
    """The URL of every page of the site (a folder's index.html), from the site root."""
    return (url for url, entry in site_files(site_dir) if entry.name == "index.html")


class _SearchedPart(HTMLParser):
    """The title, kind and words of a page's part marked `data-search-body`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found = False
        self.kind = ""
        self.excerpt = ""
        self.title: list[str] = []  # the first heading's text
        self.page_title = ""  # <title>, when the part has no heading
        self.text: list[str] = []
        self._open: list[tuple[str, str]] = []  # (tag, role) of every open element: "body", "ignore", "h1", "skip" or ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        if tag in _BREAKS:
            self.text.append(" ")
        if tag in _VOID:
            return
        names = dict(attrs)
        role = ""
        if "data-search-body" in names:
            role, self.found = "body", True
            self.kind, self.excerpt = names.get("data-search-kind") or "", names.get("data-search-excerpt") or ""
        elif "data-search-ignore" in names or tag in _NOT_TEXT:
            role = "skip"
        elif tag == "h1" and not self.title:
            role = "h1"
        self._open.append((tag, role))

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in _BREAKS:
            self.text.append(" ")
        # Close up to the matching element (HTML lets some end tags be left out).
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                del self._open[index:]
                return

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.page_title += data
        roles = [role for _, role in self._open if role]
        if "body" not in roles or "skip" in roles[roles.index("body") :]:
            return
        if roles[-1] == "h1":
            self.title.append(data)
        else:
            self.text.append(data)

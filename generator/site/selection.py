"""« Ma sélection » (/selection/): records a visitor keeps to print together or share as a link.

A professional referring someone usually hands over two or three places. Any
visitor can add records to a selection from a record page or a finder result;
the selection is kept in the browser only (localStorage: no account, no server,
no cookie), shown on /selection/, printed there as one document (each record's
sheet on its own A4 page) and shared as a link that carries only record ids, in
its fragment (`/selection/#ids=a,b,c`), which browsers never send to a server.
Everything in the browser is site_theme/assets/javascripts/passerelle-selection.js.

/selection/ prints the record pages' own sheets, so that a selection prints
exactly what each record page prints. It must not ask the server for them by
record id: the requests would tell the server which places were chosen for
someone. After the build, the printable part of every record page is copied into
a few files (`selection/fiches/<n>.json`), each holding about SHEETS_PER_FILE
sheets, a record's file chosen by a hash of its id; the page asks only for the
files numbered by the hashes of its ids, and the server learns no more than
« one of these twenty records ».
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Iterator

from generator.site.model import SiteModel
from generator.site.pages import Asset, Page

SELECTION_PAGE = "selection/index.md"
SHEETS_FOLDER = "selection/fiches"
# Relative to the page, /selection/.
SHEETS_URL = "fiches/"
RECORDS_URL = "../structures/"
# About this many sheets a file: the crowd each requested record hides in, against the
# weight of a file (about 2 KB of compressed HTML a sheet).
SHEETS_PER_FILE = 20

# The record page's sheet: the record's own <article>, which holds no other article.
_SHEET_START = '<article class="pa-record"'
_SHEET_END = "</article>"
# Parts of a record page that are for the screen only (print hides them): not copied into
# sheets, which keeps the files light and leaves /selection/ no interactive part it does not
# show. (tag, class) of each part's outer element.
SCREEN_ONLY = (
    ("div", "pa-record-actions"),  # print button, report links
    ("div", "pa-map-block"),  # the map, with its scripts and stylesheet
    ("p", "pa-easy-read-link"),
    ("div", "pa-selection-toggle"),  # this feature's own button
)
# Where a screen-only part is: one search for all of them (a sheet is read once for each
# record of a build), by their class, which starts with a plain text the search skips to
# (a search from each « < » for the tag and its class took twice as long); then its tag.
_SCREEN_ONLY_CLASS = re.compile(f'class="({"|".join(re.escape(css_class) for _, css_class in SCREEN_ONLY)})[" ]')
_TAG_OF_CLASS = {css_class: tag for tag, css_class in SCREEN_ONLY}
_TAG_NAME = re.compile(r"<(\w+)")
_TAGS = {tag: re.compile(rf"<(/?){tag}\b[^>]*>") for tag in {tag for tag, _ in SCREEN_ONLY}}
# Sections of a record page that print does not show either (« Print » in passerelle.css
# hides them by their heading's id): a heading and the list under it.
_NOT_PRINTED = re.compile(r'<h2 id="(?:territoire|partenaires|sources)">.*?</h2>\s*<ul\b[^>]*>.*?</ul>', re.S)
_INDENT = re.compile(r"\n[ \t]+")


def selection_pages(site: SiteModel) -> list[Page]:
    context = {
        "sheet_files": sheet_file_count(len(site.entries)),
        "sheets_url": SHEETS_URL,
        "records_url": RECORDS_URL,
    }
    return [
        Page(
            SELECTION_PAGE,
            "Ma sélection",
            "selection.html",
            context,
            description="Les structures que vous avez choisies : à imprimer ensemble, une fiche par page, ou à envoyer par un lien.",
        )
    ]


def sheet_file_count(records: int) -> int:
    return max(1, math.ceil(records / SHEETS_PER_FILE))


def sheet_file_of(record_id: str, files: int) -> int:
    """The file of a record's sheet: FNV-1a (32 bits) of its id, modulo the number of files.

    The script computes the same (`fileOf` in passerelle-selection.js); ids are ASCII
    (records/models.py, ID_PATTERN).
    """
    hashed = 0x811C9DC5
    for byte in record_id.encode("ascii"):
        hashed = ((hashed ^ byte) * 0x01000193) & 0xFFFFFFFF
    return hashed % files


def printable_sheet(record_page: str) -> str | None:
    """The sheet of a finished record page (its <article>), without its screen-only parts; None if it has none."""
    start = record_page.find(_SHEET_START)
    end = record_page.find(_SHEET_END, start)
    if start < 0 or end < 0:
        return None
    sheet = _without_screen_only_parts(record_page[start : end + len(_SHEET_END)])
    return _INDENT.sub("\n", _NOT_PRINTED.sub("", sheet))


def _without_screen_only_parts(html: str) -> str:
    """`html` without each SCREEN_ONLY element and its content (nested elements of its tag counted)."""
    position = 0
    while (found := _SCREEN_ONLY_CLASS.search(html, position)) is not None:
        start = html.rfind("<", 0, found.start())  # the tag the class is in
        tag = _TAG_OF_CLASS[found.group(1)]
        if _TAG_NAME.match(html, start).group(1) != tag:
            position = found.end()
            continue
        depth = 0
        for closing in _TAGS[tag].finditer(html, start):
            depth += -1 if closing.group(1) else 1
            if depth == 0:
                html = html[:start] + html[closing.end() :]
                break
        else:
            raise ValueError(f"<{tag} {found.group(0)}> is never closed")
        position = start
    return html


def sheet_assets(record_ids: Iterable[str], sheet_of: Callable[[str], str]) -> Iterator[Asset]:
    """The sheets' files: `selection/fiches/<n>.json`, each {record id: sheet HTML}; every file, even empty.

    One file at a time, each sheet asked of `sheet_of` when its file is made: at 50,000 records
    the sheets are 150 MB, which a build need not hold together."""
    ids = sorted(record_ids)
    files = sheet_file_count(len(ids))
    grouped: list[list[str]] = [[] for _ in range(files)]
    for record_id in ids:
        grouped[sheet_file_of(record_id, files)].append(record_id)
    for number, group in enumerate(grouped):
        sheets = {record_id: sheet_of(record_id) for record_id in group}
        yield Asset(f"{SHEETS_FOLDER}/{number}.json", json.dumps(sheets, ensure_ascii=False, separators=(",", ":")))

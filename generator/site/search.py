"""The site's search: its page (/recherche/) and its index, built by Pagefind from the written HTML.

The index is built after the engine has written every page (bulk record and territory
pages included), from the HTML alone: whatever engine built the site, the same step
indexes it. Pagefind splits the index into small compressed chunks, so a first query
downloads a few hundred kilobytes even at tens of thousands of records (bench/search.py).

What is indexed is chosen in the templates: only the parts marked `data-pagefind-body`
(the content of every page not excluded with `search: exclude`), without the parts
marked `data-pagefind-ignore` (lists of other records, contact details, sources, tables of
figures: a number typed, « 92 », must find the Hauts-de-Seine, not a count or a phone number).
Record and territory pages carry `data-pagefind-meta` « type » and « lieu », so a
result says what a place is and where (two GEMs with similar names are told apart).
The page's script (site_theme/assets/javascripts/passerelle-search.js) uses
Pagefind's JavaScript API with the site's own French interface.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from generator.site.model import SECTIONS, SiteModel
from generator.site.pages import Page, relative_url

SEARCH_PAGE = "recherche/index.md"
# Where Pagefind writes its files, relative to the site root.
BUNDLE_FOLDER = "pagefind"
LANGUAGE = "fr"
# Pagefind also writes its own ready-made interfaces; the site has its own, in French and
# under the Content-Security-Policy, so these files would only be published unused.
UNUSED_BUNDLE_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)


class SearchIndexError(Exception):
    """The search index could not be built; the message says why, in French."""


@dataclass(frozen=True)
class SearchIndex:
    pages: int
    seconds: float


def search_pages(site: SiteModel) -> list[Page]:
    page_url = SEARCH_PAGE.removesuffix("index.md")
    context = {
        "bundle_url": relative_url(page_url, BUNDLE_FOLDER + "/"),
        "site_root": "../" * page_url.count("/"),
        "sections": SECTIONS,
    }
    return [
        Page(
            SEARCH_PAGE,
            "Rechercher",
            "search.html",
            context,
            description="Rechercher une structure par son nom, sa ville ou son département, un territoire ou un guide.",
            # The search page does not list itself among the results.
            searchable=False,
        )
    ]


def write_search_index(site_dir: Path) -> SearchIndex:
    """Index the built site in `site_dir` with Pagefind, into `site_dir/pagefind/`."""
    start = time.perf_counter()
    bundle = site_dir / BUNDLE_FOLDER
    shutil.rmtree(bundle, ignore_errors=True)
    command = [str(_pagefind()), "--site", str(site_dir), "--output-subdir", BUNDLE_FOLDER, "--force-language", LANGUAGE, "--silent"]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SearchIndexError(f"l'index de recherche n'a pas pu être construit (Pagefind) :\n{done.stderr or done.stdout}")
    for name in UNUSED_BUNDLE_FILES:
        (bundle / name).unlink(missing_ok=True)
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    pages = sum(language["page_count"] for language in entry["languages"].values())
    return SearchIndex(pages=pages, seconds=time.perf_counter() - start)


def _pagefind() -> Path:
    """The Pagefind program shipped in the `pagefind[extended]` package (no download at build time)."""
    try:
        from pagefind.service import get_executable

        executable = get_executable()
    except (ImportError, FileNotFoundError):
        executable = None
    if executable is None or not executable.is_file():
        raise SearchIndexError(
            "Pagefind est introuvable : installez les dépendances du projet "
            "(python3 -m pip install -c requirements.lock -e .), qui comprennent pagefind[extended]."
        )
    return executable

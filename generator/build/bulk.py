"""Record and territory pages ("bulk" pages), set into the layout the engine rendered for their folder.

They are thousands of pages with one layout per folder, out of the navigation.
Sending each through the engine (a Markdown pass, the whole theme template with
its navigation) costs more than everything else together, so
the engine renders one hidden layout page per folder, with placeholders for the
title, the description and the content, and each page's fragment is set into a
copy of it. The layout pages are then removed, from the folders and the sitemap.

That layout is a lighter one (generator/build/lean.py).
"""

from __future__ import annotations

import multiprocessing
import os
import re
from pathlib import Path

from markupsafe import escape

from generator.build import BuildFailed, heap
from generator.build.lean import IconSprite, lean_layout
from generator.build.sitemap import add_to_sitemap
from generator.site.glossary import Glossary
from generator.site.pages import Page, Renderer, page_url

# Placeholders of the shared layout: plain tokens that survive escaping and `striptags`.
LAYOUT_TITLE = "PASSERELLE-LAYOUT-TITLE"
LAYOUT_DESCRIPTION = "PASSERELLE-LAYOUT-DESCRIPTION"
# A heading, so that the theme does not add a title of its own above the record's.
LAYOUT_CONTENT = "<h1>PASSERELLE-LAYOUT-CONTENT</h1>"

# Below this many pages, forking workers costs more than it saves (and `mkdocs serve`
# on a resource centre's real data stays in one process).
PARALLEL_FROM = 500
# Above this many pages, this process writes them all. A forked worker copies each memory page
# whose objects it reads (their reference counts change): about 4 KB per page written, measured
# at 50,000 records (430 MB in all, what kept a national build over 1 GB). Just under this size
# (19,500 records, 39,000 pages) the copy was 110 MB, and the second core is worth it.
PARALLEL_UP_TO = 40_000


def layout_path(bulk_page: Page) -> str:
    """A hidden page in the bulk page's folder, so that its relative links fit them all."""
    return bulk_page.path.rsplit("/", 1)[0] + "/passerelle-layout.md"


def layout_pages(bulk: list[Page]) -> list[Page]:
    """One layout per folder. The pages of a folder share its HTML around their content, the
    search index's marks (main.html) included: the layout is searchable when its pages are."""
    searchable = {layout_path(page): page.searchable for page in bulk}
    return [Page(path, LAYOUT_TITLE, "", description=LAYOUT_DESCRIPTION, searchable=value) for path, value in searchable.items()]


class BulkWriter:
    """Writes the bulk pages of one build into the site the engine built."""

    def __init__(self, pages: list[Page], renderer: Renderer, glossary: Glossary, layouts: dict[str, str] | None = None):
        self.pages = pages
        self.renderer = renderer
        self.glossary = glossary
        # Layout page path → the HTML the engine rendered (`take_layouts`, or kept from a previous build).
        self.layouts: dict[str, str] = layouts if layouts is not None else {}
        self._pieces: dict[str, list[str]] = {}  # each layout cut at its placeholders, once (`pieces`)

    def take_layouts(self, site_dir: Path) -> None:
        """Read the layout pages the engine wrote, and remove them from the site."""
        icons = IconSprite()
        for layout in layout_pages(self.pages):
            page = site_dir / page_url(layout.path) / "index.html"
            self.layouts[layout.path] = lean_layout(page.read_text(encoding="utf-8"), page_url(layout.path), icons)
            page.unlink()
            page.parent.rmdir()
        icons.write(site_dir)

    def write(self, site_dir: Path, site_url: str) -> None:
        """Every bulk page, on every core (they are independent), then their URLs in the sitemap."""
        count = len(self.pages)
        workers = 1 if count > PARALLEL_UP_TO else min(len(os.sched_getaffinity(0)), max(1, count // PARALLEL_FROM))
        bounds = [(count * i // workers, count * (i + 1) // workers) for i in range(workers)]
        # Forked workers share the site model, templates and layouts instead of receiving copies.
        # Kept out of every garbage collection until all pages are written (heap.py), here and in
        # the workers: a collection writes into each object it looks at, and so copies every
        # memory page they are on. This process writes the last slice itself.
        context = multiprocessing.get_context("fork")
        processes = [context.Process(target=self._write_slice, args=(site_dir, *bound)) for bound in bounds[:-1]]
        with heap.kept():
            try:
                for process in processes:
                    process.start()
                self._write_slice(site_dir, *bounds[-1])
            finally:
                for process in processes:
                    process.join()
        if any(process.exitcode for process in processes):
            raise BuildFailed("l'écriture des pages des fiches a échoué (voir l'erreur ci-dessus)")
        add_to_sitemap(site_dir, site_url, [page.url for page in self.pages], [page_url(path) for path in self.layouts])

    def _write_slice(self, site_dir: Path, start: int, stop: int) -> None:
        for page in self.pages[start:stop]:
            self.write_page(site_dir, page)

    def pieces(self, layout: str) -> list[str]:
        """The layout's HTML cut around its placeholders, which stand alone in the list: a page is
        then one join (four `str.replace` over the whole layout cost 7 µs more a page)."""
        if layout not in self._pieces:
            placeholders = (LAYOUT_CONTENT, LAYOUT_TITLE, LAYOUT_DESCRIPTION, page_url(layout))
            self._pieces[layout] = re.split(f"({'|'.join(map(re.escape, placeholders))})", self.layouts[layout])
        return self._pieces[layout]

    def write_page(self, site_dir: Path, page: Page) -> None:
        layout = layout_path(page)
        values = {
            LAYOUT_CONTENT: self.glossary.annotate(self.renderer.render(page)),
            LAYOUT_TITLE: str(escape(page.title)),
            LAYOUT_DESCRIPTION: str(escape(page.description)),
            page_url(layout): page.url,
        }
        html = "".join([values.get(piece, piece) for piece in self.pieces(layout)])
        # os rather than pathlib, bytes rather than text: 12 µs less a page (of 100,000 at 50,000 records).
        folder = os.path.join(site_dir, page.url)
        try:
            os.mkdir(folder)  # its parent is the layout's folder, which the engine made: 4 µs less than makedirs
        except FileExistsError:
            pass
        except FileNotFoundError:
            os.makedirs(folder)
        with open(os.path.join(folder, "index.html"), "wb") as file:
            file.write(html.encode("utf-8"))

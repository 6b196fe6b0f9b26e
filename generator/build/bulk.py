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
from collections.abc import Callable
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path

from markupsafe import escape

from generator.build import BuildFailed, heap, memory
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
# Each process takes this many pages at a time, until none is left: the faster one writes more,
# and a worker that stops early leaves no page unwritten.
CHUNK = 100
# The build's memory, this process's and its workers' together, is kept under this. A forked worker
# copies each memory page it writes to, and reading an object writes to it (its reference count):
# 7 KB per bulk page it writes at 20,000 records, 11 KB at 50,000 (its memory.own() read as it
# wrote), and 5.6 KB at 50,000 once the builder has given back the memory it freed (`memory.give_back`,
# below); a worker writing half of the pages, before that, took a 50,000-record build to 983 MiB (bench/run.py),
# over the 1 GB it is held to. A worker takes pages while the build stays under the budget, then
# stops, and this process writes the rest. The margin under 1 GB is for what the memory grows by
# between two readings.
MEMORY_BUDGET = 900 * 2**20
# A worker reads the build's memory before its first pages, then every this many pages: about a
# second of work, for a reading of about 20 ms (memory.py).
CHECK_EVERY = 2000


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
        """Every bulk page, on every core while the memory allows (they are independent), then their URLs in the sitemap."""
        count = len(self.pages)
        workers = min(len(os.sched_getaffinity(0)), max(1, count // PARALLEL_FROM)) - 1 if memory.readable() else 0
        # Kept out of every garbage collection until all pages are written (heap.py), here and in
        # the workers: a collection writes into each object it looks at, and so copies every
        # memory page they are on.
        with heap.kept():
            if workers:
                self._write_on_every_core(site_dir, workers)
            else:
                for page in self.pages:
                    self.write_page(site_dir, page)
        add_to_sitemap(site_dir, site_url, [page.url for page in self.pages], [page_url(path) for path in self.layouts])

    def _write_on_every_core(self, site_dir: Path, workers: int) -> None:
        """Forked workers share the site model, templates and layouts instead of receiving copies; this
        process writes pages too, until none is left."""
        # Freed memory given back first: the worker then copies less, and writes more pages before the
        # budget stops it (the figures are in memory.give_back and above MEMORY_BUDGET).
        memory.give_back()
        context = multiprocessing.get_context("fork")
        taken = context.Value("q", 0)  # the pages before this one are taken
        budget = _Budget(os.getpid(), workers)
        started = [context.Process(target=self._write_taken, args=(site_dir, taken, budget)) for _ in range(workers)]
        try:
            for process in started:
                process.start()
            self._write_taken(site_dir, taken)
        finally:
            for process in started:
                process.join()
        if any(process.exitcode for process in started):
            raise BuildFailed("l'écriture des pages des fiches a échoué (voir l'erreur ci-dessus)")

    def _write_taken(self, site_dir: Path, taken: Synchronized, may_go_on: Callable[[], bool] = lambda: True) -> None:
        """Take pages CHUNK at a time and write them, until none is left or `may_go_on()` is false."""
        while may_go_on():
            with taken.get_lock():
                start = taken.value
                taken.value = start + CHUNK
            if start >= len(self.pages):
                return
            for page in self.pages[start : start + CHUNK]:
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


class _Budget:
    """Whether a worker may take more pages: the build's memory under MEMORY_BUDGET, read every CHECK_EVERY pages."""

    def __init__(self, builder: int, workers: int):
        self.builder = builder
        self.workers = workers
        self.unchecked = CHECK_EVERY  # pages taken since the last reading: read before the first

    def __call__(self) -> bool:
        if self.unchecked < CHECK_EVERY:
            self.unchecked += CHUNK
            return True
        self.unchecked = CHUNK
        # Each worker counts itself for all of them: they write alike.
        return memory.resident(self.builder) + self.workers * memory.own() <= MEMORY_BUDGET

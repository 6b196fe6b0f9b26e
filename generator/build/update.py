"""Rewrite only what changed: a finished site brought up to date with new data.

A full build writes every page. `WrittenSite` remembers what it wrote of the
generated part of the site: the inputs of each bulk page (`Page.inputs`) and the
layout of its folder, the fragment of each page the engine laid out, the digest
of each data file. `update` compares a new generation with it and writes only
what differs. An edited record rewrites its own pages, those of its partners, the
territory pages that list it and the data files that contain it; a page the
engine lays out (a list, the freshness page…) is laid out again by the engine
(`Relayout`) only when its fragment changed. Files of pages and data files that
are no more are removed, and the sitemap follows.

`mkdocs serve` runs it after each edit of the data (engines/mkdocs/preview.py);
an incremental full build can run it on a site built before, given what that
build wrote.

What `update` cannot do, it says by raising `NeedsFullBuild`: when what every
page may show changed (`SiteModel.shared`: the day, the re-verification delay,
the settings, the glossary), or when pages appear or disappear outside the bulk
folders the engine laid out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.build.bulk import BulkWriter, layout_path
from generator.build.finish import POST_BUILD_STEPS, annotate_page, sitemap_root
from generator.build.sitemap import add_to_sitemap
from generator.build.sources import Generation, write_file
from generator.site.pages import Page, page_url

# Lays out one page with the engine's theme from its fragment, into the site folder.
Relayout = Callable[[Page, str], None]


class NeedsFullBuild(Exception):
    """The change reaches further than `update` can follow; the message says why."""


class Stopped(Exception):
    """`update` was asked to stop (newer data came); what it wrote so far is remembered."""


@dataclass
class WrittenSite:
    """What a build wrote of the generated part of the site in `site_dir`."""

    site_dir: Path
    generation: Generation  # the last generation written in full
    layouts: dict[str, str]  # the engine's layout of each bulk folder (bulk.py)
    bulk: dict[str, Any]  # bulk page path → what it was written from (`written_from`)
    fragments: dict[str, str]  # path of a page the engine laid out → its fragment
    assets: dict[str, bytes]  # asset path → digest of its content

    @classmethod
    def after_build(cls, site_dir: Path, generation: Generation, layouts: dict[str, str]) -> WrittenSite:
        return cls(
            site_dir,
            generation,
            layouts,
            {page.path: written_from(page) for page in generation.bulk},
            dict(generation.fragments),
            {asset.path: _digest(asset.content) for asset in generation.assets},
        )


def written_from(page: Page) -> Any:
    """What a bulk page is written from, compared with ==; None when unknown (the page is always written)."""
    return None if page.inputs is None else (page.title, page.description, page.template, page.inputs)


def write_bulk_pages(written: WrittenSite, generation: Generation, pages: list[Page]) -> None:
    """Write these bulk pages of `generation` now, into their folder's layout (e.g. an edited record's own pages)."""
    _check_layouts(written, pages)
    writer = BulkWriter(pages, generation.renderer, generation.glossary, written.layouts)
    for page in pages:
        writer.write_page(written.site_dir, page)
        written.bulk[page.path] = written_from(page)


def _check_layouts(written: WrittenSite, pages: list[Page]) -> None:
    missing = {layout_path(page) for page in pages} - written.layouts.keys()
    if missing:
        raise NeedsFullBuild(f"pages dans un dossier sans mise en page du moteur : {', '.join(sorted(missing))}")


def update(written: WrittenSite, generation: Generation, relayout: Relayout, stopped: Callable[[], bool] = lambda: False) -> None:
    """Write into `written.site_dir` what differs between what was written and `generation`.

    `written` follows every write, so that after `Stopped` (raised when `stopped()`
    becomes true) a later update starts from what is really on disk.
    """
    if generation.site.shared != written.generation.site.shared:
        raise NeedsFullBuild("ce que montrent toutes les pages a changé (date, délai de revérification, réglages, glossaire)")
    if {page.path for page in generation.pages} != written.fragments.keys():
        raise NeedsFullBuild("des pages mises en forme par le moteur apparaissent ou disparaissent")
    _check_layouts(written, generation.bulk)
    _relayout_changed(written, generation, relayout, stopped)
    _follow_bulk_pages(written, generation)
    pages = [page for page in generation.bulk if page.inputs is None or written.bulk.get(page.path) != written_from(page)]
    for start in range(0, len(pages), 50):
        _check(stopped)
        write_bulk_pages(written, generation, pages[start : start + 50])
    _write_assets(written, generation, stopped)
    for step in POST_BUILD_STEPS:
        step(written.site_dir, generation)
    written.generation = generation


def _relayout_changed(written: WrittenSite, generation: Generation, relayout: Relayout, stopped: Callable[[], bool]) -> None:
    for page in generation.pages:
        fragment = generation.fragments[page.path]
        if fragment == written.fragments[page.path]:
            continue
        _check(stopped)
        relayout(page, fragment)
        target = written.site_dir / page.url / "index.html"
        target.write_text(annotate_page(target.read_text(encoding="utf-8"), generation.glossary), encoding="utf-8")
        written.fragments[page.path] = fragment


def _follow_bulk_pages(written: WrittenSite, generation: Generation) -> None:
    """Remove the bulk pages that are no more, and put the new ones in the sitemap (written next)."""
    now = {page.path for page in generation.bulk}
    gone = [path for path in written.bulk if path not in now]
    new = [page.path for page in generation.bulk if page.path not in written.bulk]
    for path in gone:
        target = written.site_dir / page_url(path) / "index.html"
        target.unlink(missing_ok=True)
        if target.parent.is_dir() and not any(target.parent.iterdir()):
            target.parent.rmdir()
        del written.bulk[path]
    if gone or new:
        add_to_sitemap(written.site_dir, sitemap_root(generation.site), [page_url(path) for path in new], [page_url(path) for path in gone])
    for path in new:
        written.bulk[path] = None  # in the sitemap, not written yet


def _write_assets(written: WrittenSite, generation: Generation, stopped: Callable[[], bool]) -> None:
    now = {asset.path for asset in generation.assets}
    for path in [path for path in written.assets if path not in now]:
        (written.site_dir / path).unlink(missing_ok=True)
        del written.assets[path]
    for asset in generation.assets:
        digest = _digest(asset.content)
        if written.assets.get(asset.path) == digest:
            continue
        _check(stopped)
        content = asset.content
        if asset.path.endswith(".html") and isinstance(content, str):
            content = annotate_page(content, generation.glossary)  # as the build does to every page
        write_file(written.site_dir / asset.path, content)
        written.assets[asset.path] = digest


def _digest(content: str | bytes) -> bytes:
    return hashlib.blake2b(content if isinstance(content, bytes) else content.encode("utf-8"), digest_size=16).digest()


def _check(stopped: Callable[[], bool]) -> None:
    if stopped():
        raise Stopped

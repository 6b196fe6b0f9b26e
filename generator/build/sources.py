"""The generated pages and assets, as source files of the engine's docs folder.

A generated page is written as `<stem>/index.md` (`observatoire/fraicheur.md`
becomes `observatoire/fraicheur/index.md`): its URL does not change, and an engine
that rewrites the relative links of raw HTML in other pages (Zensical does) leaves
those of an index page alone. The file holds the page's title and description as
front matter, then its HTML fragment, which Markdown passes through.

Record and territory pages ("bulk" pages) are not written: the engine renders one
layout page per folder (bulk.py), and the generator fills copies of it.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path
from typing import Any

from generator.build import BuildFailed, heap
from generator.build.bulk import LAYOUT_CONTENT, layout_pages
from generator.build.lean import LAYOUT_META
from generator.build.project import PLUGIN, SiteSource
from generator.site.data_folder import load_site
from generator.site.features import build_assets, build_pages
from generator.site.glossary import Glossary
from generator.site.model import SettingError, SiteModel
from generator.site.pages import Asset, Page, Renderer

# Characters encoded at a time when a file is written (write_file).
WRITE_SLICE = 1 << 20


@dataclass
class Generation:
    """Everything the generator makes for one build of a site."""

    site: SiteModel
    renderer: Renderer
    glossary: Glossary
    pages: list[Page]  # laid out by the engine
    bulk: list[Page]  # set by the generator into the engine's layout of their folder

    @cached_property
    def fragments(self) -> dict[str, str]:
        """The HTML fragment of each page the engine lays out, by page path."""
        return {page.path: self.renderer.render(page) for page in self.pages}

    @cached_property
    def assets(self) -> list[Asset]:
        """Every asset, kept: `mkdocs serve` compares them from one build to the next."""
        return list(self.made_assets())

    def made_assets(self) -> Iterator[Asset]:
        """Every asset, made as it is asked for. `passerelle build` and `mkdocs build` write each and let it
        go: held together, they would be the peak of a national build's memory (370 MB at 50,000 records)."""
        with settings_checked():
            yield from build_assets(self.site)


def generate(site: SiteModel, templates_dir: Path) -> Generation:
    renderer = Renderer(templates_dir, site)
    glossary = Glossary(site.glossary, renderer.environment.get_template("abbr.html"))
    with settings_checked():
        pages = build_pages(site)
    return Generation(site, renderer, glossary, [p for p in pages if not p.bulk], [p for p in pages if p.bulk])


def generate_site(source: SiteSource) -> Generation:
    """Read the data folder and generate its site; the site model, then its pages, are kept out of the
    collector's passes (heap.py) until the build ends, done or failed, and calls `heap.release()`."""
    with heap.paused():
        site = load_site(source.data_dir, source.settings)
    heap.keep()
    generation = generate(site, source.templates_dir)
    heap.keep()
    return generation


@contextmanager
def settings_checked() -> Iterator[None]:
    """A setting the site model cannot use, said as a build failure."""
    try:
        yield
    except SettingError as error:
        raise BuildFailed(f"{PLUGIN}: réglages à corriger dans la configuration :\n{error}") from None


def source_path(path: str) -> str:
    """Where a generated page is written in the docs folder: `a/b.md` → `a/b/index.md`."""
    stem = path.removesuffix(".md")
    return path if stem == "index" or stem.endswith("/index") else f"{stem}/index.md"


def source_files(generation: Generation, assets: Iterable[Asset]) -> Iterator[tuple[str, str | bytes]]:
    """(docs-relative path, content) of every file the generator adds to the engine's docs folder."""
    for page in generation.pages:
        yield source_path(page.path), page_source(page, generation.fragments[page.path])
    for layout in layout_pages(generation.bulk):
        yield source_path(layout.path), page_source(layout, LAYOUT_CONTENT, LAYOUT_META)
    # `map` keeps no reference to the asset it gave, a loop variable would: each asset can go
    # once written, while the next is made (an export is tens of megabytes at 50,000 records).
    yield from map(_path_and_content, assets)


def _path_and_content(asset: Asset) -> tuple[str, str | bytes]:
    return asset.path, asset.content


def stage_assets(generation: Generation, folder: Path) -> list[str]:
    """Write every asset into `folder` as it is made, for an engine that copies files itself; their paths.

    Each asset is let go once written (`map`, as in `source_files`): held until the
    engine copies them, they would be the peak of a national build's memory.
    """
    return list(map(partial(_stage_asset, folder), generation.made_assets()))


def _stage_asset(folder: Path, asset: Asset) -> str:
    write_file(folder / asset.path, asset.content)
    return asset.path


def page_source(page: Page, html: str, extra_meta: dict[str, Any] | None = None) -> str:
    meta: dict[str, Any] = {"title": page.title, "description": page.description, **(extra_meta or {})}
    if not page.searchable:
        meta["search"] = {"exclude": True}
    # JSON is YAML, and much faster to write than yaml.safe_dump for thousands of pages.
    return f"---\n{json.dumps(meta, ensure_ascii=False)}\n---\n\n{html}\n"


def write_sources(generation: Generation, written: Path, docs_dir: Path) -> None:
    """The hand-written pages of `written`, then the generated files, into `docs_dir`."""
    shutil.copytree(written, docs_dir)
    for path, content in source_files(generation, generation.made_assets()):
        target = docs_dir / path
        if target.exists():
            raise BuildFailed(f"{written / path} : ce fichier porte le nom d'une page générée par Passerelle ; renommez-le")
        write_file(target, content)
        del content  # before the next file is made, not after


def write_file(target: Path, content: str | bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        target.write_bytes(content)
        return
    # Encoded a slice at a time: a national export is tens of megabytes, and encoding it
    # whole would hold a second copy of it at the peak of the build's memory.
    with target.open("w", encoding="utf-8") as handle:
        for start in range(0, len(content), WRITE_SLICE):
            handle.write(content[start : start + WRITE_SLICE])


def moved_pages(generation: Generation) -> dict[str, str]:
    """Generated pages whose source file is not at their path: the navigation names them by their path."""
    return {page.path: source_path(page.path) for page in generation.pages if source_path(page.path) != page.path}


def translate_nav(nav: Any, moved: dict[str, str]) -> Any:
    """The `nav` setting with each moved page named by its source file."""
    if isinstance(nav, str):
        return moved.get(nav, nav)
    if isinstance(nav, list):
        return [translate_nav(item, moved) for item in nav]
    if isinstance(nav, dict):
        return {title: translate_nav(item, moved) for title, item in nav.items()}
    return nav

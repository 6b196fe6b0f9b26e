"""A thin MkDocs front end: it adds Passerelle's generated pages to the site.

All the work is in plain `generator` modules; this file only translates
between them and MkDocs' hooks, so the site can move to another generator.

Record and territory pages ("bulk" pages) are thousands of pages with one
layout per folder, out of the navigation. Sending each
through MkDocs (a Markdown pass, Material's whole template with its navigation)
costs more than everything else together, so MkDocs renders one layout page
with placeholders per folder, and each page's fragment is set into a copy of it.
"""

from __future__ import annotations

import gzip
import json
import multiprocessing
import os
import re
import shutil
from pathlib import Path

from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkDocsPage

from generator.catalogue import load_catalogue
from generator.engines.mkdocs.config import PasserelleConfig
from generator.geo.gazetteer import Gazetteer
from generator.problems import DataError
from generator.site.features import build_assets, build_pages
from generator.site.glossary import Glossary, load_terms
from generator.site.model import SiteModel, SiteSettings
from generator.site.pages import Page, Renderer, page_url
from generator.site.search import SearchIndexError, write_search_index


class PasserellePlugin(BasePlugin[PasserelleConfig]):
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not config.use_directory_urls:
            raise PluginError("passerelle: use_directory_urls must stay true (generated links are directory URLs)")
        root = Path(config.config_file_path).parent
        self.data_dir = (root / self.config.data_dir).resolve()
        self.templates_dir = (root / self.config.templates_dir).resolve()
        self.settings = SiteSettings(
            site_url=config.site_url or "",
            contact_email=self.config.contact_email,
            repository_url=self.config.repository_url,
            tile_url=self.config.tile_url,
            tile_attribution=self.config.tile_attribution,
            data_licence=self.config.data_licence,
        )
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        try:
            site = SiteModel(load_catalogue(self.data_dir, Gazetteer.load()), Gazetteer.load(), self.settings)
            self.renderer = Renderer(self.templates_dir, site)
            self.glossary = Glossary(load_terms(), self.renderer.environment.get_template("abbr.html"))
            pages = build_pages(site)
        except DataError as error:
            raise PluginError(f"passerelle: les données contiennent des erreurs :\n{error.report()}") from None
        self.pages: dict[str, Page] = {}
        self.bulk: list[Page] = []
        self.layouts: dict[str, str] = {}  # layout page path → its HTML, once MkDocs has rendered it
        for page in pages:
            if page.bulk:
                self.bulk.append(page)
                continue
            self.pages[page.path] = page
            files.append(File.generated(config, page.path, content=_front_matter(page)))
        for path in dict.fromkeys(_layout_path(page) for page in self.bulk):
            self.layouts[path] = ""
            # Searchable: the bulk pages inherit its HTML around their content, the search index's mark included.
            layout = Page(path, LAYOUT_TITLE, "", description=LAYOUT_DESCRIPTION)
            files.append(File.generated(config, path, content=_front_matter(layout)))
        for asset in build_assets(site):
            files.append(File.generated(config, asset.path, content=asset.content))
        return files

    def on_page_content(self, html: str, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        if page.file.src_uri in self.layouts:
            return LAYOUT_CONTENT
        generated = self.pages.get(page.file.src_uri)
        # Every page, generated or written, gets its acronyms explained.
        return self.glossary.annotate(self.renderer.render(generated) if generated else html)

    def on_post_page(self, output: str, page: MkDocsPage, config: MkDocsConfig) -> str:
        if page.file.src_uri in self.layouts:
            self.layouts[page.file.src_uri] = output
        return output

    def on_post_build(self, config: MkDocsConfig) -> None:
        site_dir = Path(config.site_dir)
        if self.bulk:
            for path in self.layouts:
                shutil.rmtree(site_dir / page_url(path))
            _write_in_parallel(self, site_dir)
            _add_to_sitemap(site_dir, config.site_url or "", [page.url for page in self.bulk], [page_url(path) for path in self.layouts])
        # Last: the index is built from every written page, whichever engine wrote it.
        try:
            write_search_index(site_dir)
        except SearchIndexError as error:
            raise PluginError(f"passerelle: {error}") from None

    def write_bulk_pages(self, site_dir: Path, start: int, stop: int) -> None:
        for page in self.bulk[start:stop]:
            layout = _layout_path(page)
            html = (
                self.layouts[layout]
                .replace(LAYOUT_CONTENT, self.glossary.annotate(self.renderer.render(page)))
                .replace(LAYOUT_TITLE, str(escape(page.title)))
                .replace(LAYOUT_DESCRIPTION, str(escape(page.description)))
                .replace(page_url(layout), page.url)
            )
            target = site_dir / page.url / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(html, encoding="utf-8")

    def on_serve(self, server, config: MkDocsConfig, builder):
        server.watch(str(self.data_dir))
        server.watch(str(self.templates_dir))
        return server


# Placeholders of the shared layout: plain tokens that survive escaping and `striptags`.
LAYOUT_TITLE = "PASSERELLE-LAYOUT-TITLE"
LAYOUT_DESCRIPTION = "PASSERELLE-LAYOUT-DESCRIPTION"
# A heading, so that Material does not add a title of its own above the record's.
LAYOUT_CONTENT = "<h1>PASSERELLE-LAYOUT-CONTENT</h1>"


def _layout_path(bulk_page: Page) -> str:
    """A hidden page in the bulk page's folder, so that its relative links fit them all."""
    return bulk_page.path.rsplit("/", 1)[0] + "/passerelle-layout.md"


def _front_matter(page: Page) -> str:
    meta: dict = {"title": page.title, "description": page.description}
    if not page.searchable:
        meta["search"] = {"exclude": True}
    # JSON is YAML, and much faster to write than yaml.safe_dump for thousands of pages.
    return f"---\n{json.dumps(meta, ensure_ascii=False)}\n---\n"


# Below this many record pages, forking workers costs more than it saves (and `mkdocs
# serve` on a resource centre's real data stays in one process).
PARALLEL_FROM = 500
_job: tuple[PasserellePlugin, Path] | None = None


def _write_in_parallel(plugin: PasserellePlugin, site_dir: Path) -> None:
    """Render and write the record pages on every core: they are independent of each other."""
    global _job
    count = len(plugin.bulk)
    workers = min(len(os.sched_getaffinity(0)), max(1, count // PARALLEL_FROM))
    if workers == 1:
        plugin.write_bulk_pages(site_dir, 0, count)
        return
    # Forked workers inherit the site model and templates instead of receiving copies.
    _job = (plugin, site_dir)
    bounds = [(count * i // workers, count * (i + 1) // workers) for i in range(workers)]
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            pool.starmap(_write_slice, bounds)
    finally:
        _job = None


def _write_slice(start: int, stop: int) -> None:
    plugin, site_dir = _job
    plugin.write_bulk_pages(site_dir, start, stop)


def _add_to_sitemap(site_dir: Path, site_url: str, urls: list[str], layout_urls: list[str]) -> None:
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.exists():
        return
    entries = "".join(f"    <url>\n         <loc>{escape(site_url + url)}</loc>\n    </url>\n" for url in urls)
    text = sitemap.read_text(encoding="utf-8")
    for layout_url in layout_urls:
        text = re.sub(rf"\s*<url>\s*<loc>[^<]*{re.escape(layout_url)}</loc>.*?</url>", "", text, flags=re.S)
    text = text.replace("</urlset>", entries + "</urlset>")
    sitemap.write_text(text, encoding="utf-8")
    (site_dir / "sitemap.xml.gz").write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))

"""A thin MkDocs front end: it adds Passerelle's generated pages to the site.

All the work is in plain `generator` modules; this file only translates
between them and MkDocs' hooks, so the site can move to another generator.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkDocsPage

from ..geography import Gazetteer
from ..loading import load_catalogue
from ..pages import Page, Renderer, build_assets, build_pages
from ..problems import DataError
from ..site import SiteModel, SiteSettings
from .config import PasserelleConfig


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
        )
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        try:
            catalogue = load_catalogue(self.data_dir, Gazetteer.load())
        except DataError as error:
            raise PluginError(f"passerelle: les données contiennent des erreurs :\n{error.report()}") from None
        site = SiteModel(catalogue, Gazetteer.load(), self.settings)
        self.renderer = Renderer(self.templates_dir, site)
        self.pages: dict[str, Page] = {}
        for page in build_pages(site):
            self.pages[page.path] = page
            files.append(File.generated(config, page.path, content=_front_matter(page)))
        for asset in build_assets(site):
            files.append(File.generated(config, asset.path, content=asset.content))
        return files

    def on_page_content(self, html: str, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        generated = self.pages.get(page.file.src_uri)
        return self.renderer.render(generated) if generated else html

    def on_serve(self, server, config: MkDocsConfig, builder):
        server.watch(str(self.data_dir))
        server.watch(str(self.templates_dir))
        return server


def _front_matter(page: Page) -> str:
    meta = {"title": page.title, "description": page.description}
    if not page.searchable:
        meta["search"] = {"exclude": True}
    return f"---\n{yaml.safe_dump(meta, allow_unicode=True)}---\n"

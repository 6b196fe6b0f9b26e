"""The `passerelle` MkDocs plugin, for `mkdocs serve` (and `mkdocs build`): the build's steps in MkDocs' hooks.

It runs the same functions as `passerelle build` (generator/build/): the data
folder is read and the generated pages and assets are added to MkDocs' files
(`on_files`), then the built site is finished (`on_post_build`). Prefer
`passerelle build` to publish: MkDocs empties the site folder before the data
is read, so a broken record would leave an empty site.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from generator.build import BuildFailed
from generator.build.finish import finish_site
from generator.build.pipeline import notices
from generator.build.project import PLUGIN, PasserelleOptions, site_source, theme_values
from generator.build.sources import generate, moved_pages, source_files, translate_nav
from generator.engines.mkdocs.config import PasserelleConfig
from generator.problems import DataError
from generator.site.data_folder import load_site


class PasserellePlugin(BasePlugin[PasserelleConfig]):
    serving = False

    def on_startup(self, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not config.use_directory_urls:
            raise PluginError(f"{PLUGIN}: use_directory_urls doit rester à true (les liens des pages générées finissent par /)")
        root = Path(config.config_file_path).parent
        try:
            self.source = site_source(PasserelleOptions(**dict(self.config)), root, config.site_url or "", config.site_name)
        except BuildFailed as error:
            raise PluginError(str(error)) from None
        if not self.serving:  # `mkdocs serve` always sets a local address: nothing to say then
            for notice in self.source.notices:
                notices.warning(notice)
        # Nor does MkDocs write a local address in canonical links and the sitemap.
        config.site_url = self.source.settings.site_url or None
        config.extra[PLUGIN] = theme_values(self.source.settings, config.nav)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        try:
            site = load_site(self.source.data_dir, self.source.settings)
        except DataError as error:
            raise PluginError(f"{PLUGIN}: les données contiennent des erreurs :\n{error.report()}") from None
        self.generation = generate(site, self.source.templates_dir)
        for path, content in source_files(self.generation):
            files.append(File.generated(config, path, content=content))
        config.nav = translate_nav(config.nav, moved_pages(self.generation))
        return files

    def on_post_build(self, config: MkDocsConfig) -> None:
        try:
            finish_site(Path(config.site_dir), self.generation)
        except BuildFailed as error:
            raise PluginError(str(error)) from None

    def on_serve(self, server, config: MkDocsConfig, builder):
        server.watch(str(self.source.data_dir))
        server.watch(str(self.source.templates_dir))
        return server

"""The `passerelle` MkDocs plugin, for `mkdocs serve` and `mkdocs build`: the build's steps in MkDocs' hooks.

It runs the same functions as `passerelle build` (generator/build/): the data
folder is read and every generated page rendered in `on_config`, before MkDocs
empties the site folder, so that broken data fails `mkdocs build` (and
`mkdocs gh-deploy`) with the previous site untouched; the generated pages and
assets are added to MkDocs' files (`on_files`), then the built site is finished
(`on_post_build`). Under `mkdocs build` the assets wait in a folder beside the
site, not in memory, until MkDocs copies them (the open data of a national
directory is hundreds of megabytes); the folder goes when the build ends, done or failed.

Under `mkdocs serve`, the session (preview.py) takes over the rebuilds: an edit
of the data updates only the pages it changes, and broken data leaves the last
good site served, with the list of problems on every page.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation

from generator.build import BuildFailed, heap, notices
from generator.build.finish import finish_site
from generator.build.project import PLUGIN, PasserelleOptions, read_by_build, site_dir_problem, site_source, theme_values
from generator.build.sources import Generation, generate_site, moved_pages, source_files, stage_assets, translate_nav
from generator.build.update import WrittenSite
from generator.clock import today
from generator.engines.mkdocs.config import PasserelleConfig
from generator.engines.mkdocs.end_of_life import end_of_life_notice
from generator.engines.mkdocs.preview import MkDocsLayout, Preview
from generator.problems import SITE_UNCHANGED, DataError

# After a failure once MkDocs has written the site (on_post_build): it holds MkDocs' pages, not the finished site.
SITE_UNFINISHED = "Le site est incomplet : corrigez, puis relancez la construction."


class BuildRefused(Abort):
    """Why a build stops, said once in French on stderr, and what became of the site.

    A plugin's PluginError is logged by MkDocs (« ERROR - … ») and followed by its own
    English « Aborted with a BuildError! » on stdout; an Abort is shown as it is, by
    `show` under `mkdocs build`, and as its text by `mkdocs serve` and `passerelle build`.
    """

    def __init__(self, message: str, site_unchanged: bool = True):
        super().__init__(message)
        self.site_unchanged = site_unchanged

    def show(self, *args, **kwargs) -> None:
        print(f"{self.format_message()}\n{SITE_UNCHANGED if self.site_unchanged else SITE_UNFINISHED}", file=sys.stderr)


class PasserellePlugin(BasePlugin[PasserelleConfig]):
    # Having `on_startup` keeps this object from one build to the next of a `mkdocs serve`.
    preview: Preview | None = None
    staging: Path | None = None  # the assets' folder under `mkdocs build`
    staged: list[str] = []

    def on_startup(self, command: str, dirty: bool) -> None:
        # MkDocs keeps a plugin with `on_startup` for the process: a build after a `mkdocs serve` in
        # the same process (the tests) must not take over the preview's ways (assets not staged).
        self.preview = Preview() if command == "serve" else None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not config.use_directory_urls:
            raise BuildRefused(f"{PLUGIN}: use_directory_urls doit rester à true (les liens des pages générées finissent par /)")
        root = Path(config.config_file_path).parent
        try:
            self.source = site_source(PasserelleOptions(**dict(self.config)), root, config.site_url or "", config.site_name)
        except BuildFailed as error:
            raise BuildRefused(str(error)) from None
        # `mkdocs serve` builds into a folder of its own, and always sets a local address: nothing to check or say then.
        if self.preview is None:
            custom_dir = config.theme.custom_dir
            read = read_by_build(Path(config.config_file_path), Path(config.docs_dir), custom_dir and Path(custom_dir), self.source)
            problem = site_dir_problem(Path(config.site_dir), read)
            if problem:  # MkDocs empties the site folder
                raise BuildRefused(problem)
            for notice in filter(None, (*self.source.notices, end_of_life_notice(today()))):
                notices.warning(notice)
        # Nor does MkDocs write a local address in canonical links and the sitemap.
        config.site_url = self.source.settings.site_url or None
        config.extra[PLUGIN] = theme_values(self.source.settings, config.nav)
        # Everything that may fail is done here, before MkDocs empties the site folder.
        self.generation: Generation | None = None
        try:
            # Kept from the collector until the build ends (on_post_build, on_build_error).
            self.generation = generate_site(self.source)
            if self.preview is None:
                site_dir = Path(config.site_dir)
                site_dir.parent.mkdir(parents=True, exist_ok=True)
                self.staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-donnees-", dir=site_dir.parent))
                self.staged = stage_assets(self.generation, self.staging)
                self.sources = list(source_files(self.generation, ()))
            else:  # the preview compares the assets from one build to the next: kept
                self.sources = list(source_files(self.generation, self.generation.assets))
        except DataError as error:
            if self.preview is None or self.preview.has_site:
                if self.preview is not None:
                    self.preview.show_problems(error.problems, root)
                raise BuildRefused(f"{PLUGIN}: les données contiennent des erreurs :\n{error.report()}") from None
            # The first build of `mkdocs serve`: nothing to keep, an empty site; the session shows the problems.
            self.preview.show_problems(error.problems, root)
            config.nav = []
        except BuildFailed as error:
            raise BuildRefused(str(error)) from None
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        if self.generation is None:  # broken data at the first build of `mkdocs serve`
            return Files([file for file in files if not file.is_documentation_page()])
        for path, content in self.sources:
            files.append(File.generated(config, path, content=content))
        for path in self.staged:
            files.append(File.generated(config, path, abs_src_path=str(self.staging / path)))
        config.nav = translate_nav(config.nav, moved_pages(self.generation))
        self.files = files
        return files

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav
        return nav

    def on_env(self, env, config: MkDocsConfig, files: Files):
        self.env = env
        return env

    def on_post_build(self, config: MkDocsConfig) -> None:
        self._drop_staging()
        if self.generation is not None:
            self._finish(config)
        heap.release()

    def _finish(self, config: MkDocsConfig) -> None:
        site_dir = Path(config.site_dir)
        try:
            layouts = finish_site(site_dir, self.generation)
        except BuildFailed as error:
            raise BuildRefused(str(error), site_unchanged=False) from None
        if self.preview is not None:
            written = WrittenSite.after_build(site_dir, self.generation, layouts)
            self.preview.built(written, MkDocsLayout(config, self.files, self.nav, self.env), self.source)
        self.sources = []

    def on_build_error(self, error: Exception) -> None:
        self._drop_staging()
        heap.release()

    def _drop_staging(self) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
        self.staging, self.staged = None, []

    def on_serve(self, server, config: MkDocsConfig, builder):
        if self.preview is not None:
            self.preview.attach(server, builder, config)
        return server

    def on_shutdown(self) -> None:
        if self.preview is not None:
            self.preview.close()

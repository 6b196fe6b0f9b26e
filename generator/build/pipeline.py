"""`passerelle build`: the whole build, with the engine as one step, and the published site replaced only on success.

The build happens in a fresh folder beside the published site: the engine's
configuration, its docs folder (hand-written pages, then generated pages and
assets) and the site it builds. When every step has succeeded, the new site
replaces the published one by renaming; on any failure the folder is deleted and
the published site is not touched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Protocol

from generator.build import BuildFailed, heap, notices
from generator.build.finish import finish_site
from generator.build.project import PLUGIN, Project, load_project, theme_values, write_config
from generator.build.sources import Generation, generate_site, moved_pages, translate_nav, write_sources
from generator.problems import DataError, system_problem, system_reason

# What `mkdir` gives under the usual umask: the staging folder must not keep mkdtemp's 0700,
# or a web server running as another user could no longer read the published site.
SITE_MODE = 0o755


class Engine(Protocol):
    """A site engine, as `passerelle build` uses it (the adapters are in `generator.engines`)."""

    name: str

    def configure(self, config: dict[str, Any], project: Project, tree: Path) -> dict[str, Any]:
        """The build tree's configuration with this engine's own settings (it may write files under `tree`)."""

    def build(self, config_file: Path) -> None:
        """Build the site of `config_file` into its `site_dir`; raise BuildFailed on failure."""


def build_site(engine: Engine, config_file: Path, site_dir: Path | None = None) -> Path:
    """Build the site of `config_file` with `engine` into `site_dir` (default: the configuration's)."""
    project = load_project(config_file, site_dir)
    for notice in project.source.notices:
        notices.warning(notice)
    tree = _new_tree(project.site_dir)
    try:
        _build_in(tree, engine, project, _generation(project))
    except OSError as error:
        raise BuildFailed(system_problem(error)) from None
    finally:
        shutil.rmtree(tree, ignore_errors=True)
        heap.release()
    return project.site_dir


def _new_tree(target: Path) -> Path:
    """The build's folder beside the site, made before anything is generated: a site that cannot be written
    there is said at once, not after minutes of work."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{target.name}-nouveau-", dir=target.parent))
    except OSError as error:
        raise BuildFailed(f"le site ne peut pas être écrit dans {target.parent} : {system_reason(error)}") from None


def _build_in(tree: Path, engine: Engine, project: Project, generation: Generation) -> None:
    """The generated files, built by the engine in `tree`, finished and put in place of the site."""
    write_sources(generation, project.docs_dir, tree / "docs")
    config = engine.configure(tree_config(project, generation), project, tree)
    engine.build(write_config(config, tree / "mkdocs.yml"))
    built = tree / "site"
    finish_site(built, generation)
    os.chmod(built, SITE_MODE)
    _swap_in(built, project.site_dir)


def _generation(project: Project) -> Generation:
    try:
        return generate_site(project.source)
    except DataError as error:
        raise BuildFailed(f"{PLUGIN}: les données contiennent des erreurs :\n{error.report()}") from None


def tree_config(project: Project, generation: Generation) -> dict[str, Any]:
    """The project's configuration, pointed at the build tree, without the Passerelle plugin (its work is done)."""
    config = dict(project.config)
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    config["plugins"] = [p for p in config.get("plugins") or [] if p != PLUGIN and not (isinstance(p, dict) and PLUGIN in p)]
    if "nav" in config:
        config["nav"] = translate_nav(config["nav"], moved_pages(generation))
    if project.custom_dir is not None:
        config["theme"] = {**config["theme"], "custom_dir": str(project.custom_dir)}
    config["extra"] = {**(config.get("extra") or {}), PLUGIN: theme_values(generation.site.settings, project.config.get("nav"))}
    # Only a public address reaches the engine (canonical links, sitemap): never a local one.
    config.pop("site_url", None)
    if generation.site.settings.site_url:
        config["site_url"] = generation.site.settings.site_url
    return config


def _swap_in(staging: Path, target: Path) -> None:
    """Two renames on the same file system: the site is missing only between them, for microseconds."""
    if not target.exists():
        staging.rename(target)
        return
    previous = staging.parent.with_name(staging.parent.name.replace("-nouveau-", "-ancien-"))
    target.rename(previous)
    staging.rename(target)
    try:
        shutil.rmtree(previous)
    except OSError as error:  # the new site is in place: said, not a failed build
        notices.warning(
            f"ATTENTION : le site est à jour, mais l'ancien n'a pas pu être supprimé ({system_problem(error)}) : supprimez {previous} vous-même."
        )

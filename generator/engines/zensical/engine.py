"""Zensical, the successor of Material for MkDocs by the same team, as the engine of `passerelle build`.

Zensical reads `mkdocs.yml` and renders Material's templates with MiniJinja
(`theme.variant: classic` keeps Material's look); it runs no MkDocs plugin, which
`passerelle build` does not need. Differences it needs from the MkDocs build:

* its theme overrides: `site_theme/` with `site_theme/zensical/` laid over it (the
  header, copied from Zensical's own with the site's search form);
* no search of its own: Zensical's search plugin, on by default, is turned off (the
  site's search index is built after the engine, generator/build/search_index.py);
* the build runs in a child process: Zensical's runtime starts threads, and the
  bulk pages are then written by processes forked from this one.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import zensical

from generator.build import BuildFailed
from generator.build.project import Project

# Subfolder of the theme overrides (`theme.custom_dir`) holding Zensical's own overrides.
OVERLAY = "zensical"
_COLOURS = re.compile(r"\x1b\[[0-9;]*m")


class ZensicalEngine:
    name = "zensical"

    def configure(self, config: dict[str, Any], project: Project, tree: Path) -> dict[str, Any]:
        theme = dict(config.get("theme") or {})
        theme.setdefault("variant", "classic")
        if project.custom_dir is not None:
            theme["custom_dir"] = str(assemble_overrides(project.custom_dir, project.source.templates_dir, tree / "overrides"))
        plugins = [*(config.get("plugins") or []), {"search": {"enabled": False}}]
        return {**config, "theme": theme, "plugins": plugins}

    def build(self, config_file: Path) -> None:
        command = [sys.executable, "-m", "zensical", "build", "--config-file", str(config_file)]
        done = subprocess.run(command, cwd=config_file.parent, capture_output=True, text=True)
        if done.returncode:
            raise BuildFailed(
                f"Zensical {zensical.version()} n'a pas pu construire le site :\n{zensical_report(done.stdout + done.stderr)}"
            )


def zensical_report(output: str) -> str:
    """What Zensical said, without its colours nor the Python traceback it ends with (its last line says why)."""
    lines = _COLOURS.sub("", output).strip().splitlines()
    if "Traceback (most recent call last):" in lines:
        lines = lines[: lines.index("Traceback (most recent call last):")] + lines[-1:]
    return "\n".join(lines)


def assemble_overrides(custom_dir: Path, templates_dir: Path, target: Path) -> Path:
    """`custom_dir` without Passerelle's page templates, then its Zensical overlay (which replaces what it also has)."""

    def left_out(folder: str, names: list[str]) -> set[str]:
        here = Path(folder)
        return {name for name in names if here / name in (custom_dir / OVERLAY, templates_dir)}

    shutil.copytree(custom_dir, target, ignore=left_out)
    if (custom_dir / OVERLAY).is_dir():
        shutil.copytree(custom_dir / OVERLAY, target, dirs_exist_ok=True)
    return target

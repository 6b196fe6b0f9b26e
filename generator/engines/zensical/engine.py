"""Zensical, the successor of Material for MkDocs by the same team, as the engine of `passerelle build`.

Zensical reads `mkdocs.yml` and renders Material's templates with MiniJinja
(`theme.variant: classic` keeps Material's look); it runs no MkDocs plugin, which
`passerelle build` does not need. Differences it needs from the MkDocs build:

* its theme overrides: `site_theme/` with `site_theme/zensical/` laid over it, and
  without the partials copied from Material 9.8 that would replace Zensical's own
  (the search dialog);
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
from generator.build.project import PLUGIN, Project

# Subfolder of the theme overrides (`theme.custom_dir`) holding Zensical's own overrides.
OVERLAY = "zensical"
# Overrides copied from Material for MkDocs 9.8 that do not fit Zensical's templates.
MATERIAL_ONLY = ("partials/search.html",)
# Zensical's script draws its search dialog in a shadow root with a <style> element of its
# own: the Content-Security-Policy allows that exact stylesheet, by its hash (deploy/README.md).
# A new Zensical version may change it: the browser tests then report the refused style and
# Chromium's message gives the new hash.
SEARCH_STYLE_HASH = "'sha256-NwSx/R2V/U4jnW0Tq5pQ53Y/rzPVJ4dqE7D6UTA/J1k='"
_COLOURS = re.compile(r"\x1b\[[0-9;]*m")


class ZensicalEngine:
    name = "zensical"

    def configure(self, config: dict[str, Any], project: Project, tree: Path) -> dict[str, Any]:
        theme = dict(config.get("theme") or {})
        theme.setdefault("variant", "classic")
        if project.custom_dir is not None:
            theme["custom_dir"] = str(assemble_overrides(project.custom_dir, project.source.templates_dir, tree / "overrides"))
        extra = dict(config["extra"])
        extra[PLUGIN] = {**extra[PLUGIN], "style_sources": [*extra[PLUGIN]["style_sources"], SEARCH_STYLE_HASH]}
        return {**config, "theme": theme, "extra": extra}

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
    """`custom_dir` without Passerelle's page templates and Material's own partials, then its Zensical overlay."""

    def left_out(folder: str, names: list[str]) -> set[str]:
        here = Path(folder)
        return {
            name
            for name in names
            if here / name in (custom_dir / OVERLAY, templates_dir) or (here / name).relative_to(custom_dir).as_posix() in MATERIAL_ONLY
        }

    shutil.copytree(custom_dir, target, ignore=left_out)
    if (custom_dir / OVERLAY).is_dir():
        shutil.copytree(custom_dir / OVERLAY, target, dirs_exist_ok=True)
    return target

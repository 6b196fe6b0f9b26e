"""MkDocs with Material for MkDocs, as the engine of `passerelle build`.

The build tree is a plain MkDocs project (docs folder, theme overrides, search
plugin): the Passerelle plugin is not needed there, its work is already done.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from generator.build import BuildFailed, notices
from generator.build.project import Project
from generator.clock import today
from generator.engines.mkdocs.end_of_life import end_of_life_notice


class MkDocsEngine:
    name = "mkdocs"

    def configure(self, config: dict[str, Any], project: Project, tree: Path) -> dict[str, Any]:
        return config

    def build(self, config_file: Path) -> None:
        # MkDocs reports what went wrong (e.g. a warning in strict mode) through its logger.
        report = logging.StreamHandler(sys.stderr)
        report.setLevel(logging.WARNING)
        logging.getLogger("mkdocs").addHandler(report)
        try:
            build(load_config(str(config_file)))
        except MkDocsException as error:
            raise BuildFailed(str(error)) from None
        finally:
            logging.getLogger("mkdocs").removeHandler(report)
        notice = end_of_life_notice(today())
        if notice:
            notices.warning(notice)

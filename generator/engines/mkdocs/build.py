"""Build the site beside the published one, and put it in place only when the build succeeded.

MkDocs empties `site_dir` before it reads anything (in `mkdocs.commands.build.build`,
`clean_directory` runs before the `on_files` event that loads the data), so a build
that fails on a broken record, or on a warning in strict mode, would leave an empty or
half-written site where the last good one was. Here MkDocs writes into a fresh sibling
folder; on success the two folders are swapped by renaming, on failure the new one is
deleted and the published site is not touched.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from generator.engines import BuildFailed

# What `mkdir` gives under the usual umask: the staging folder must not keep mkdtemp's 0700,
# or a web server running as another user could no longer read the published site.
SITE_MODE = 0o755


def build_site(config_file: Path, site_dir: Path | None = None) -> Path:
    """Build with MkDocs into `site_dir` (default: the config's); raise BuildFailed on failure."""
    target = Path(site_dir).resolve() if site_dir else Path(load_config(str(config_file)).site_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-nouveau-", dir=target.parent))
    # MkDocs reports what went wrong (e.g. each problem of the data) through its logger,
    # the plugin what the builder should know (e.g. no public address) through its own.
    report = logging.StreamHandler(sys.stderr)
    report.setLevel(logging.WARNING)
    loggers = [logging.getLogger("mkdocs"), logging.getLogger("passerelle")]
    for logger in loggers:
        logger.addHandler(report)
    try:
        build(load_config(str(config_file), site_dir=str(staging)))
    except MkDocsException as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildFailed(str(error)) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        for logger in loggers:
            logger.removeHandler(report)
    os.chmod(staging, SITE_MODE)
    _swap_in(staging, target)
    return target


def _swap_in(staging: Path, target: Path) -> None:
    """Two renames on the same file system: the site is missing only between them, for microseconds."""
    if not target.exists():
        staging.rename(target)
        return
    previous = staging.with_name(staging.name.replace("-nouveau-", "-ancien-"))
    target.rename(previous)
    staging.rename(target)
    shutil.rmtree(previous)

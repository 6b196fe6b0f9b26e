"""Build real Passerelle sites for the tests, as `passerelle build` does, with either engine."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml

from generator.build.pipeline import build_site as build_with
from generator.engines import engine_named

ROOT = Path(__file__).resolve().parents[1]


def build_site(
    out_dir: Path,
    data_dir: Path | None = None,
    strict: bool = True,
    site_url: str | None = None,
    engine: str = "mkdocs",
    **plugin_options,
) -> Path:
    """Build the repository's site (optionally from another data folder) into `out_dir` with `engine`."""
    build_with(engine_named(engine), write_config(out_dir, data_dir, strict, site_url, **plugin_options), out_dir)
    return out_dir


def write_config(out_dir: Path, data_dir: Path | None = None, strict: bool = True, site_url: str | None = None, **plugin_options) -> Path:
    """Write `<out_dir>-mkdocs.yml` beside `out_dir`: the repository's config with these settings.

    `site_url=""` drops absolute URLs (canonical links, the 404 page's assets), for a site
    served on another port than mkdocs.yml's.
    """
    with open(ROOT / "mkdocs.yml", encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    for plugin in raw["plugins"]:
        if isinstance(plugin, dict) and "passerelle" in plugin:
            options = plugin["passerelle"]
            if data_dir is not None:
                options["data_dir"] = str(data_dir)
                # mkdocs.yml names shipped records whom the finder points to; another data folder has others.
                options["coverage_networks"] = {}
            options.update(plugin_options)
    raw["docs_dir"] = str(ROOT / "content")
    raw["site_dir"] = str(out_dir)
    raw["strict"] = strict
    if site_url is not None:
        raw["site_url"] = site_url
    config_file = out_dir.parent / f"{out_dir.name}-mkdocs.yml"
    # Relative settings (custom_dir, templates) resolve against the config file's folder.
    raw["theme"]["custom_dir"] = str(ROOT / raw["theme"]["custom_dir"])
    for plugin in raw["plugins"]:
        if isinstance(plugin, dict) and "passerelle" in plugin:
            options = plugin["passerelle"]
            options["data_dir"] = str((ROOT / options["data_dir"]).resolve())
            options["templates_dir"] = str(ROOT / options["templates_dir"])
            # The configuration is written outside the repository: say where the data is in it.
            options.setdefault("data_path_in_repository", "data")
    config_file.parent.mkdir(parents=True, exist_ok=True)
    config_file.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return config_file


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def mkdocs_serve(config: Path, port: int) -> Iterator[None]:
    """`mkdocs serve -f config` on a local port while the block runs.

    MkDocs serves from a temporary site (`$TMPDIR/mkdocs_*`, one site's size) that it removes
    only on Ctrl-C; stopped otherwise, it leaves it behind, and a suite run again and again
    fills the disk of its machine. So the server's temporary files go in a folder of ours.
    """
    with tempfile.TemporaryDirectory(prefix="passerelle-serve-") as scratch:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": scratch},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            yield
        finally:
            server.terminate()
            server.wait(timeout=60)

"""`passerelle build`: a failed build leaves the published site exactly as it was."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from generator.cli import main
from tests.records import gem_named
from tests.sitebuild import write_config


def snapshot(site: Path) -> dict[str, bytes]:
    return {str(path.relative_to(site)): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def staging_folders(site: Path) -> list[str]:
    return [path.name for path in site.parent.iterdir() if path.name.startswith(f".{site.name}-")]


@pytest.fixture
def project(tmp_path) -> tuple[Path, Path, Path]:
    """A data folder with one record, a config building it, and the site folder."""
    data = tmp_path / "data"
    (data / "gem").mkdir(parents=True)
    (data / "gem" / "gem-exemple.yaml").write_text(gem_named("GEM Premier"), encoding="utf-8")
    site = tmp_path / "public" / "site"
    return data, write_config(site, data_dir=data), site


def test_mkdocs_alone_empties_the_site_when_the_data_is_broken(project):
    """Why `passerelle build` exists: MkDocs cleans site_dir before the plugin reads the data."""
    data, config_file, site = project
    assert main(["build", "--config-file", str(config_file)]) == 0
    assert (site / "index.html").is_file()
    (data / "gem" / "gem-exemple.yaml").write_text("type: gem\nnom: [\n", encoding="utf-8")
    with pytest.raises(Abort):
        build(load_config(str(config_file)))
    assert not (site / "index.html").exists()


def test_failed_build_leaves_the_previous_site_byte_identical(project, capsys):
    data, config_file, site = project
    assert main(["build", "--config-file", str(config_file), "--site-dir", str(site)]) == 0
    before = snapshot(site)
    assert "GEM Premier" in before["structures/gem-exemple/index.html"].decode("utf-8")
    capsys.readouterr()

    (data / "gem" / "gem-exemple.yaml").write_text(gem_named("GEM Second").replace('"92260"', '"9226"'), encoding="utf-8")
    assert main(["build", "--config-file", str(config_file), "--site-dir", str(site)]) == 1
    error = capsys.readouterr().err
    assert "gem-exemple.yaml:4:3: adresse.code_postal: format invalide « 9226 »" in error
    assert "Le site n'a pas été modifié." in error and "Traceback" not in error
    assert snapshot(site) == before
    assert staging_folders(site) == [], "no staging folder is left behind"


def test_successful_build_replaces_the_site_readable_by_a_web_server(project):
    data, config_file, site = project
    assert main(["build", "--config-file", str(config_file), "--site-dir", str(site)]) == 0
    (site / "stale.html").write_text("ancienne page", encoding="utf-8")
    (data / "gem" / "gem-exemple.yaml").write_text(gem_named("GEM Second"), encoding="utf-8")
    assert main(["build", "--config-file", str(config_file), "--site-dir", str(site)]) == 0
    assert "GEM Second" in (site / "structures" / "gem-exemple" / "index.html").read_text(encoding="utf-8")
    assert not (site / "stale.html").exists()
    assert stat.S_IMODE(site.stat().st_mode) == 0o755
    assert staging_folders(site) == []

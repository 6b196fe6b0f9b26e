"""build/update.py: a site brought up to date after an edit is the site a full build makes of the new data.

The site is built as `mkdocs serve` builds it (the plugin's preview session
keeps what the build wrote and MkDocs' page pipeline), then one record is edited
and `update` writes what differs. Every file must then be what a full build of
the edited data writes: no page, list or data file may keep an old value.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from generator.build.project import PLUGIN
from generator.build.sources import generate
from generator.build.update import NeedsFullBuild, update
from generator.site.data_folder import load_site, update_site
from tests.records import gem_named
from tests.sitebuild import write_config

SERVE_URL = "http://127.0.0.1:8000/"


def partner_of(nom: str, partner: str) -> str:
    return gem_named(nom) + f"partenaires: [{partner}]\n"


def serve_build(config_file: Path):
    """Build as `mkdocs serve` does; return the plugin, which keeps what the build wrote."""
    config = load_config(str(config_file))
    config.plugins.on_startup(command="serve", dirty=False)
    build(config, serve_url=SERVE_URL)
    return config.plugins[PLUGIN]


def site_files(site: Path) -> dict[str, object]:
    """Every file of the site, comparable between two builds."""
    files: dict[str, object] = {}
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        name = str(path.relative_to(site))
        content = path.read_bytes()
        if name.endswith(".gz"):
            content = gzip.decompress(content)  # the archive's header carries the time it was written
        if name == "search/search_index.json":  # the same entries; an updated page's come last
            index = json.loads(content)
            content = (index["config"], sorted(json.dumps(entry, sort_keys=True) for entry in index["docs"]))
        if name.startswith("sitemap.xml"):  # the same addresses; a new page's comes last
            content = sorted(re.findall(rb"<url>.*?</url>", content, flags=re.S))
        files[name] = content
    return files


@pytest.fixture
def data(tmp_path) -> Path:
    data = tmp_path / "data"
    (data / "gem").mkdir(parents=True)
    (data / "gem" / "gem-alpha.yaml").write_text(partner_of("GEM Alpha", "gem-beta"), encoding="utf-8")
    (data / "gem" / "gem-beta.yaml").write_text(gem_named("GEM Beta"), encoding="utf-8")
    (data / "gem" / "gem-gamma.yaml").write_text(gem_named("GEM Gamma"), encoding="utf-8")
    return data


EDITS = {
    # A new name: its pages, its partner's page, the lists, the map and the open data.
    "renamed": gem_named("GEM Beta renommé"),
    # Another département: a territory page appears (in a folder the engine laid out).
    "moved": gem_named("GEM Beta").replace('"92260"', '"93000"').replace("Fontenay-aux-Roses", "Bobigny"),
    # Out of the régions of a région's site (option regions): its pages go, its partner's page no longer links it.
    "left the site's régions": gem_named("GEM Beta").replace('"92260"', '"59000"').replace("Fontenay-aux-Roses", "Lille"),
}
OPTIONS = {"left the site's régions": {"regions": ["11"]}}


@pytest.mark.parametrize("edit", EDITS)
def test_an_update_writes_what_a_full_build_writes(tmp_path, data, edit):
    options = OPTIONS.get(edit, {})
    plugin = serve_build(write_config(tmp_path / "served", data_dir=data, strict=False, **options))
    preview = plugin.preview
    edited = data / "gem" / "gem-beta.yaml"
    edited.write_text(EDITS[edit], encoding="utf-8")

    # As the preview reads an edit: that file alone, the other entries kept from the last model.
    site = update_site(preview.site, plugin.source.data_dir, [edited])
    assert site is not None and site.entries["gem-alpha"] is preview.site.entries["gem-alpha"]
    generation = generate(site, plugin.source.templates_dir)
    update(preview.written, generation, preview.layout)

    serve_build(write_config(tmp_path / "fresh", data_dir=data, strict=False, **options))
    updated, fresh = site_files(tmp_path / "served"), site_files(tmp_path / "fresh")
    assert sorted(updated) == sorted(fresh)
    assert [name for name in fresh if updated[name] != fresh[name]] == []
    if edit == "renamed":  # what a full build of the old data would not have written
        assert "GEM Beta renommé" in updated["structures/gem-alpha/index.html"].decode("utf-8")
    if options:
        assert "structures/gem-beta/index.html" not in updated and "gem-beta" not in updated["structures/gem-alpha/index.html"].decode(
            "utf-8"
        )


def test_an_update_refuses_a_change_of_what_every_page_shows(tmp_path, data):
    plugin = serve_build(write_config(tmp_path / "served", data_dir=data, strict=False))
    settings = replace(plugin.source.settings, site_name="Un autre nom")
    generation = generate(load_site(plugin.source.data_dir, settings), plugin.source.templates_dir)
    with pytest.raises(NeedsFullBuild):
        update(plugin.preview.written, generation, plugin.preview.layout)

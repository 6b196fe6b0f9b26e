"""Maps (issue #4) in the built site: marker data files, map blocks, self-hosting.

A synthetic catalogue (bench/synthetic.py plus a few records written here: exact
positions, a record without any place) is built with the real MkDocs plugin.
The browser tests (tests/browser/test_maps.py) reuse `write_map_data`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from textwrap import dedent

import pytest

from bench.synthetic import write_records
from generator.catalogue import load_catalogue
from generator.geo.gazetteer import Gazetteer
from generator.records.vocabulary import Kind
from generator.site.model import SiteModel, shown_status
from tests.sitebuild import ROOT, build_site

TILE_URL = "https://tiles.passerelle.test/{z}/{x}/{y}.png"
TILE_HOST = "tiles.passerelle.test"
CDN_URL = re.compile(
    r"(?:https?:)?//[^\s\\\"'`()<>]*(?:unpkg\.com|jsdelivr\.net|cdnjs\.cloudflare\.com|code\.jquery\.com|maxcdn|bootstrapcdn|"
    r"ajax\.googleapis\.com|cdn\.skypack\.dev|esm\.sh|rawgit|githack|cdn\.leafletjs\.com|api\.mapbox\.com)[^\s\\\"'`()<>]*",
    re.IGNORECASE,
)
# Material's own bundle (and its source map) names two lazy loaders that never run here: a ResizeObserver polyfill
# (every supported browser has ResizeObserver) and Mermaid (the site draws no Mermaid diagram).
MATERIAL_LAZY_LOADERS = {"https://unpkg.com/resize-observer-polyfill", "https://unpkg.com/mermaid@11/dist/mermaid.min.js"}
KIND_INDEX = {kind.value: index for index, kind in enumerate(Kind)}
SOURCE = """\
sources:
  - titre: "Donnée synthétique (tests/test_maps.py)"
    document: "Générée pour les tests ; ne décrit aucune structure réelle."
    date: "2026-01-01"
verifie_le: 2026-01-01
"""
# Records placed exactly (coordonnees) and one with no place at all, next to bench/synthetic.py's
# records, which all sit at their commune's centre.
EXTRA = {
    "gem/synthetique-gem-exact.yaml": """\
        type: gem
        nom: "SYNTHÉTIQUE GEM à l'adresse exacte"
        adresse: {voie: "1 rue de l'Exemple", commune: "Lille", code_insee: "59350"}
        coordonnees: {lat: 50.6365, lon: 3.0635}
        publics: [troubles_psychiques]
        acces: [sans_orientation, adhesion]
        """,
    "clsm/synthetique-clsm-exact.yaml": """\
        type: clsm
        nom: "SYNTHÉTIQUE CLSM à l'adresse exacte"
        adresse: {voie: "2 place de l'Exemple", commune: "Lille", code_insee: "59350"}
        coordonnees: {lat: 50.6292, lon: 3.0573}
        territoire: {communes: ["59350"]}
        """,
    "collectif/synthetique-collectif-lille.yaml": """\
        type: collectif
        nom: "SYNTHÉTIQUE collectif à Lille"
        adresse: {commune: "Lille", code_insee: "59350"}
        publics: [troubles_psychiques]
        acces: [sans_orientation, adhesion]
        """,
    "ressource/synthetique-ressource-nationale.yaml": """\
        type: ressource
        nom: "SYNTHÉTIQUE ressource nationale, sans lieu d'accueil"
        categorie: cmp
        territoire: {national: true}
        """,
}


def write_map_data(data_dir: Path) -> None:
    write_records(data_dir, 80, seed=7)
    for name, body in EXTRA.items():
        path = data_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(body) + SOURCE, encoding="utf-8")


def build_map_site(root: Path) -> tuple[Path, Path]:
    """(data_dir, site_dir) of a synthetic site whose map tiles come from TILE_HOST."""
    data_dir = root / "data"
    write_map_data(data_dir)
    site = build_site(root / "site", data_dir, tile_url=TILE_URL, tile_attribution="Fonds de carte : essai")
    return data_dir, site


@pytest.fixture(scope="module")
def map_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return build_map_site(tmp_path_factory.mktemp("maps"))


def html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def map_block(page: str) -> str:
    start = page.index('<div class="pa-map-block"')
    end = page.index("passerelle-map.js", start)
    return page[start : page.index("</div>", end) + len("</div>")]


def map_attribute(page: str, name: str) -> str:
    match = re.search(rf'{name}=(["\'])(.*?)\1', map_block(page), re.DOTALL)
    assert match, f"no {name} on the map"
    return match.group(2)


def listed_ids(page: str) -> set[str]:
    """Records listed on a territory page, after its map (the accessible alternative)."""
    after_map = page[page.index("passerelle-map.js") :]
    return set(re.findall(r'class="pa-entry__name" href="[./]*structures/([^/"]+)/"', after_map))


def rows_of(site: Path, data_src: str) -> list[list]:
    return json.loads((site / data_src).read_text(encoding="utf-8"))


def map_rows(site: Path, page: str) -> list[list]:
    """The marker rows a map can draw: its data file's, or those of every zone of a zoned map."""
    if "data-zones=" in map_block(page):
        return [row for zone in rows_of(site, map_attribute(page, "data-zones")) for row in rows_of(site, zone[6])]
    return rows_of(site, map_attribute(page, "data-src"))


def national_rows(site: Path) -> list[list]:
    """The marker rows of the national map."""
    return map_rows(site, html(site, "carte"))


def test_national_file_has_every_located_record_once(map_site):
    data_dir, site = map_site
    catalogue = load_catalogue(data_dir, Gazetteer.load())
    model = SiteModel(catalogue, Gazetteer.load())
    rows = national_rows(site)
    located = {rid for rid, place in catalogue.places.items() if place.located}
    assert sorted(row[4] for row in rows) == sorted(located)
    assert "synthetique-ressource-nationale" not in located
    for row in rows:
        record, place = catalogue.records[row[4]], catalogue.places[row[4]]
        assert row[:4] == [round(place.lat, 5), round(place.lon, 5), KIND_INDEX[record.type.value], int(place.approximate)]
        status = shown_status(record, model.is_stale(record))
        assert row[5:] == [record.nom, place.commune.nom, *([status.label] if status else [])]


@pytest.mark.parametrize("url", ["carte", "regions/32"])
def test_a_zoned_map_counts_and_frames_the_places_of_each_zone(map_site, url):
    """Each zone: the places lying in one département, counted by kind, in a box, its circle among them."""
    data_dir, site = map_site
    catalogue = load_catalogue(data_dir, Gazetteer.load())
    page = html(site, url)
    index = map_attribute(page, "data-zones")
    zones = rows_of(site, index)
    assert len(zones) > 1
    assert {zone[6] for zone in zones} == {
        path.relative_to(site).as_posix() for path in (site / index).parent.glob("*.json") if path.name != "index.json"
    }
    for code, name, lat, lon, counts, (south, west, north, east), file in zones:
        rows = rows_of(site, file)
        assert rows and counts == [sum(1 for row in rows if row[2] == kind) for kind in range(len(Kind))]
        assert {catalogue.places[row[4]].commune.departement for row in rows} == {code}
        assert name == f"{Gazetteer.load().departement(code).nom} ({code})"
        assert all(south <= row[0] <= north and west <= row[1] <= east for row in rows)
        assert south <= lat <= north and west <= lon <= east
    assert map_attribute(page, "data-places-at-once") == "2000"


def test_approximate_flag_follows_the_precision(map_site):
    _, site = map_site
    rows = {row[4]: row for row in national_rows(site)}
    assert rows["synthetique-gem-exact"][3] == 0
    assert rows["synthetique-collectif-lille"][3] == 1


def test_territory_maps_draw_the_located_records_of_their_list(map_site):
    data_dir, site = map_site
    catalogue = load_catalogue(data_dir, Gazetteer.load())
    pages = sorted((site / "departements").glob("*/index.html")) + sorted((site / "regions").glob("*/index.html"))
    assert len(pages) > 10
    for path in pages:
        page = path.read_text(encoding="utf-8")
        located = {rid for rid in listed_ids(page) if catalogue.places[rid].located}
        assert {row[4] for row in map_rows(site, page)} == located, path
        assert f"La carte montre {len(located)} lieu" in page
        assert 'href="#' in map_block(page), "the map links to the list that follows it"


def test_map_page_links_every_region(map_site):
    data_dir, site = map_site
    page = html(site, "carte")
    regions = {p.parent.name for p in (site / "regions").glob("*/index.html")}
    assert regions and set(re.findall(r'href="\.\./regions/(\w+)/"', page)) == regions
    assert "1 structure n'a pas d'adresse dans l'annuaire" in page


def test_record_map_is_one_inline_marker(map_site):
    _, site = map_site
    exact = json.loads(map_attribute(html(site, "structures/synthetique-gem-exact"), "data-marker"))
    assert exact[:5] == [50.6365, 3.0635, KIND_INDEX["gem"], 0, "synthetique-gem-exact"]
    approximate = html(site, "structures/synthetique-collectif-lille")
    assert json.loads(map_attribute(approximate, "data-marker"))[3] == 1
    assert "position approximative" in map_block(approximate)
    assert "pa-map-block" not in html(site, "structures/synthetique-ressource-nationale")


def test_map_blocks_fit_a_strict_content_security_policy(map_site):
    _, site = map_site
    for url in ("carte", "departements/59", "structures/synthetique-gem-exact"):
        block = map_block(html(site, url))
        assert "style=" not in block
        assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", block))
        assert 'role="region"' in block and 'aria-label="Carte' in block
        assert "pa-map__fallback" in block, "a message stands in for the map without JavaScript"


def test_tile_server_is_a_setting(map_site):
    _, site = map_site
    page = html(site, "carte")
    assert map_attribute(page, "data-tile-url") == TILE_URL
    assert "tile.openstreetmap.org" not in page


def test_default_tiles_are_openstreetmap(built_site):
    page = html(built_site, "carte")
    assert map_attribute(page, "data-tile-url") == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert "openstreetmap.org/copyright" in map_attribute(page, "data-tile-attribution")


@pytest.mark.parametrize("which", ["real", "synthetic"])
def test_no_cdn_anywhere_in_the_built_site(which, built_site, map_site):
    site = built_site if which == "real" else map_site[1]
    found = []
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".js", ".css", ".json", ".xml", ".txt", ".map"}:
            urls = set(CDN_URL.findall(path.read_text(encoding="utf-8", errors="replace")))
            if re.fullmatch(r"assets/javascripts/bundle\.\w+\.min\.js(?:\.map)?", path.relative_to(site).as_posix()):
                urls -= MATERIAL_LAZY_LOADERS
            found += [f"{path.relative_to(site)}: {url}" for url in sorted(urls)]
    assert not found


def test_vendored_libraries_are_served_with_their_licences(built_site):
    for library, licence in (("leaflet", "LICENSE"), ("leaflet-markercluster", "MIT-LICENCE.txt")):
        vendored = ROOT / "site_theme" / "assets" / "vendor" / library
        assert (vendored / licence).is_file() and (vendored / "VERSION").is_file()
        assert (built_site / "assets" / "vendor" / library / licence).is_file()
    assert (built_site / "assets" / "vendor" / "leaflet" / "leaflet.js").stat().st_size > 100_000


def test_record_pages_draw_the_marker_rows_of_the_data_files(map_site):
    """A record's map and the national map show it with one row (map_blocks.marker_row)."""
    _, site = map_site
    rows = {row[4]: row for row in national_rows(site)}
    assert any(len(row) == 8 for row in rows.values()), "a status in some row"
    for record_id, row in rows.items():
        assert json.loads(map_attribute(html(site, f"structures/{record_id}"), "data-marker")) == row

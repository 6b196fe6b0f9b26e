"""Maps (issue #4) in headless Chromium: markers, layers, keyboard, privacy, axe-core.

The synthetic site of tests/test_maps.py is built with its tiles on TILE_HOST, which
the `page_at` fixture answers with a 1-pixel PNG: the tests stay offline and check
that tiles are the only requests leaving 127.0.0.1.
"""

from __future__ import annotations

from collections import Counter

import pytest

from generator.catalogue import load_catalogue
from generator.geo.gazetteer import Gazetteer
from tests.test_maps import KIND_INDEX, TILE_HOST, build_map_site

DEPARTEMENT = "59"  # Nord: synthetic records of several kinds, exact and approximate.

# Markers the cluster group holds; markers and clusters drawn (a cluster counts its children).
COUNT_LAYERS = "el => el.paMap.cluster.getLayers().length"
COUNT_DRAWN = """el => {
  const pins = el.querySelectorAll('.leaflet-marker-pane .pa-pin').length;
  const grouped = [...el.querySelectorAll('.leaflet-marker-pane .pa-cluster__count')]
    .reduce((sum, c) => sum + Number(c.textContent.replace(/\\D/g, '')), 0);
  return pins + grouped;
}"""


@pytest.fixture(scope="module")
def map_site(tmp_path_factory):
    data_dir, site = build_map_site(tmp_path_factory.mktemp("maps-browser"))
    return load_catalogue(data_dir, Gazetteer.load()), site


@pytest.fixture
def open_map(page_at, serve_site, map_site):
    def _open(url: str):
        page = page_at(serve_site(map_site[1]) + url, allow_hosts=[TILE_HOST])
        page.wait_for_selector("[data-pa-map][data-ready=true]")
        return page, page.locator("[data-pa-map]")

    return _open


def located_in(catalogue, departement: str | None = None) -> Counter:
    return Counter(
        record.type.value
        for rid, record in catalogue.records.items()
        if catalogue.places[rid].located and (departement is None or departement in catalogue.places[rid].departements)
    )


def only_local_and_tiles(page) -> None:
    tiles = [url for url in page.requests if TILE_HOST in url]
    others = [url for url in page.requests if TILE_HOST not in url and not url.startswith("http://127.0.0.1:")]
    assert tiles, "the map asked its tile server for tiles"
    assert not others


def test_national_map_holds_every_located_record(open_map, map_site):
    catalogue, _ = map_site
    page, container = open_map("carte/")
    assert container.evaluate(COUNT_LAYERS) == sum(located_in(catalogue).values())
    status = page.locator("[data-pa-map-status]").inner_text()
    assert status.startswith(f"{sum(located_in(catalogue).values())} lieux affichés")
    only_local_and_tiles(page)


def test_departement_map_draws_its_list_and_toggles_kinds(open_map, map_site):
    catalogue, _ = map_site
    expected = located_in(catalogue, DEPARTEMENT)
    assert len(expected) >= 2, "the synthetic data gives this département several kinds"
    page, container = open_map(f"departements/{DEPARTEMENT}/")
    total = sum(expected.values())
    assert container.evaluate(COUNT_LAYERS) == total
    assert container.evaluate(COUNT_DRAWN) == total

    kind, count = expected.most_common(1)[0]
    box = page.locator(f"[data-pa-map-layers] input[value='{KIND_INDEX[kind]}']")
    box.uncheck()
    page.wait_for_function(f"el => el.paMap.cluster.getLayers().length === {total - count}", arg=container.element_handle())
    assert container.evaluate(COUNT_DRAWN) == total - count
    assert container.locator(f".pa-pin--{kind}").count() == 0
    box.check()
    page.wait_for_function(f"el => el.paMap.cluster.getLayers().length === {total}", arg=container.element_handle())
    page.wait_for_function(f"el => ({COUNT_DRAWN})(el) === {total}", arg=container.element_handle())
    only_local_and_tiles(page)


def test_record_map_shows_one_marker_and_says_when_it_is_approximate(open_map):
    page, container = open_map("structures/synthetique-gem-exact/")
    pins = container.locator(".leaflet-marker-pane .pa-pin")
    assert pins.count() == 1
    assert "pa-pin--gem" in pins.get_attribute("class") and "pa-pin--approx" not in pins.get_attribute("class")
    only_local_and_tiles(page)

    page, container = open_map("structures/synthetique-collectif-lille/")
    pin = container.locator(".leaflet-marker-pane .pa-pin")
    assert "pa-pin--approx" in pin.get_attribute("class")
    assert "position approximative" in pin.get_attribute("title")
    assert "position approximative" in page.locator("[data-pa-map-key]").inner_text()


def test_marker_opens_its_popup_from_the_keyboard(open_map):
    page, container = open_map(f"departements/{DEPARTEMENT}/")
    # Zoom in on an exact marker so that it stands alone, then reach it as a keyboard user would.
    container.evaluate("el => el.paMap.map.setView([50.6365, 3.0635], 18, {animate: false})")
    marker = container.locator('.pa-pin[title^="SYNTHÉTIQUE GEM à l\'adresse exacte"]')
    marker.focus()
    page.keyboard.press("Enter")
    link = container.locator(".leaflet-popup a.pa-popup__link")
    assert link.get_attribute("href").endswith("/structures/synthetique-gem-exact/")
    assert link.evaluate("a => a === document.activeElement")
    popup = container.locator(".leaflet-popup").inner_text()
    assert "GEM" in popup and "Lille" in popup
    assert container.locator(".leaflet-popup-close-button").get_attribute("aria-label") == "Fermer"


def test_map_is_keyboard_usable(open_map):
    page, container = open_map("carte/")
    zoom = container.evaluate("el => el.paMap.map.getZoom()")
    # Leaflet ignores a zoom asked during a zoom animation: wait for each one to end.
    arm = "el => { el.zoomEnded = new Promise(done => el.paMap.map.once('zoomend', done)); }"
    container.evaluate(arm)
    container.focus()
    page.keyboard.press("+")
    container.evaluate("el => el.zoomEnded")
    assert container.evaluate("el => el.paMap.map.getZoom()") > zoom
    zoom_in = container.locator(".leaflet-control-zoom-in")
    assert zoom_in.get_attribute("title") == "Zoom avant"
    container.evaluate(arm)
    zoom_in.focus()
    page.keyboard.press("Enter")
    container.evaluate("el => el.zoomEnded")
    assert container.evaluate("el => el.paMap.map.getZoom()") > zoom + 1


@pytest.mark.parametrize("url", ["carte/", f"departements/{DEPARTEMENT}/", "structures/synthetique-gem-exact/"])
def test_axe_finds_no_violation(url, open_map, axe_violations, format_violations):
    page, _ = open_map(url)
    violations = axe_violations(page)
    assert not violations, format_violations(violations)


def test_pages_are_complete_without_javascript(chromium, serve_site, map_site):
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(serve_site(map_site[1]) + f"departements/{DEPARTEMENT}/")
        assert page.locator(".pa-map__fallback").is_visible()
        assert page.locator("[data-pa-map-layers]").is_hidden()
        assert page.locator(".pa-entry").count() >= 3
        assert not [url for url in requests if TILE_HOST in url]
    finally:
        context.close()


def test_maps_work_after_following_links(open_map):
    # navigation.instant stays off (mkdocs.yml): each link is a full page load that draws its map.
    page, _ = open_map("carte/")
    page.get_by_role("link", name="Hauts-de-France", exact=True).first.click()
    page.wait_for_url("**/regions/32/")
    page.get_by_role("link", name="SYNTHÉTIQUE GEM à l'adresse exacte").click()
    page.wait_for_selector("[data-pa-map][data-ready=true] .leaflet-marker-pane .pa-pin--gem")

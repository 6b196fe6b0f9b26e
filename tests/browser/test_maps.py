"""Maps (issue #4) in headless Chromium: markers, layers, keyboard, privacy, axe-core.

The synthetic site of tests/test_maps.py is built with its tiles on TILE_HOST, which
the `page_at` fixture answers with a 1-pixel PNG: the tests stay offline and check
that tiles are the only requests leaving 127.0.0.1.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from generator.catalogue import load_catalogue
from generator.geo.gazetteer import Gazetteer
from generator.site.map_blocks import FRANCE_BOUNDS
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
    # Its record writes no statut: the popup says what « À confirmer » means, not the word alone.
    assert "À confirmer : rien de récent ne dit que la structure accueille en ce moment." in popup
    assert container.locator(".leaflet-popup-close-button").get_attribute("aria-label") == "Fermer"
    # Escape closes it, and the focus goes back to the marker, not to the start of the page.
    page.keyboard.press("Escape")
    container.locator(".leaflet-popup").wait_for(state="detached")
    assert marker.evaluate("el => el === document.activeElement")
    # As does « Fermer », reached with Tab.
    page.keyboard.press("Enter")
    link.wait_for()
    page.keyboard.press("Tab")
    assert container.locator(".leaflet-popup-close-button").evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    container.locator(".leaflet-popup").wait_for(state="detached")
    assert marker.evaluate("el => el === document.activeElement")


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


@pytest.fixture
def open_zoned(page_at, serve_site, map_site):
    """/carte/ as a national directory shows it: circles per département (few places at once allowed)."""

    def _open(url: str = "carte/"):
        page = page_at(serve_site(map_site[1]) + url, allow_hosts=[TILE_HOST])

        def fewer_places_at_once(route):
            page_html = route.fetch().text()
            assert 'data-places-at-once="2000"' in page_html
            route.fulfill(body=page_html.replace('data-places-at-once="2000"', 'data-places-at-once="10"'), content_type="text/html")

        page.route("**/" + url, fewer_places_at_once)
        page.requests.clear()
        page.reload()
        page.wait_for_selector("[data-pa-map][data-ready=true]")
        return page, page.locator("[data-pa-map]")

    return _open


def zones_of(site, url: str = "carte") -> list[list]:
    page = (site / url / "index.html").read_text(encoding="utf-8")
    return json.loads((site / re.search(r'data-zones="([^"]+)"', page).group(1)).read_text(encoding="utf-8"))


CIRCLE_COUNTS = (
    "el => [...el.querySelectorAll('.leaflet-marker-pane .pa-cluster__count')].map(c => Number(c.textContent.replace(/\\D/g, '')))"
)


def test_a_big_national_map_starts_with_one_circle_per_departement(open_zoned, map_site):
    catalogue, site = map_site
    page, container = open_zoned()
    zones = zones_of(site)
    total = sum(located_in(catalogue).values())
    assert container.evaluate("el => el.paMap.cluster.getLayers().length") == 0, "no place drawn yet"
    assert sorted(container.evaluate("el => el.paMap.circles.getLayers().map(circle => circle.paCount)")) == sorted(
        sum(zone[4]) for zone in zones
    )
    # Circles close on screen merge: what is drawn still adds up to every place in view (overseas ones are not).
    (south, west), (north, east) = FRANCE_BOUNDS
    in_view = [zone for zone in zones if south <= zone[2] <= north and west <= zone[3] <= east]
    assert len(in_view) < len(zones), "the synthetic data has places overseas"
    assert sum(container.evaluate(CIRCLE_COUNTS)) == sum(sum(zone[4]) for zone in in_view)
    assert page.locator("[data-pa-map-status]").inner_text().startswith(f"{total} lieux sur la carte, comptés par département")
    assert [url for url in page.requests if "/carte/donnees/" in url] == [page.url + "donnees/france-fr/index.json"], "no place file yet"
    only_local_and_tiles(page)


def test_choosing_a_circle_from_the_keyboard_draws_the_places_of_its_departement(open_zoned, map_site):
    _, site = map_site
    page, container = open_zoned()
    zones = zones_of(site)
    nord = next(zone for zone in zones if zone[0] == DEPARTEMENT)
    places = json.loads((site / nord[6]).read_text(encoding="utf-8"))
    container.evaluate(f"el => el.paMap.map.setView([{nord[2]}, {nord[3]}], 8, {{animate: false}})")  # its circle stands alone
    circle = container.locator(f'.pa-cluster[title="{nord[1]} : {len(places)} lieux, voir les lieux"]')
    assert circle.get_attribute("role") == "button"
    circle.focus()
    page.keyboard.press("Enter")
    shown = (
        "([el, ids]) => { const held = new Set(el.paMap.cluster.getLayers().map(m => m.paRow[4])); return ids.every(id => held.has(id)); }"
    )
    page.wait_for_function(shown, arg=[container.element_handle(), [row[4] for row in places]])
    assert container.evaluate("el => el.paMap.map.hasLayer(el.paMap.cluster) && !el.paMap.map.hasLayer(el.paMap.circles)")
    assert container.evaluate("el => el === document.activeElement"), "the keyboard stays on the map"
    page.wait_for_function("() => / affichés? sur la carte/.test(document.querySelector('[data-pa-map-status]').textContent)")
    fetched = {url.rsplit("/", 1)[1].removesuffix(".json") for url in page.requests if "/carte/donnees/france-fr/" in url} - {"index"}
    assert DEPARTEMENT in fetched and len(fetched) < len(zones), "only the files of the zones in view are fetched"


def test_layer_toggles_change_the_counts_of_the_circles(open_zoned, map_site):
    catalogue, _ = map_site
    page, container = open_zoned()
    counts = located_in(catalogue)
    kind, count = counts.most_common(1)[0]
    page.locator(f"[data-pa-map-layers] input[value='{KIND_INDEX[kind]}']").uncheck()
    total = sum(counts.values()) - count
    page.wait_for_function(f"el => ({CIRCLE_COUNTS})(el).reduce((a, b) => a + b, 0) === {total}", arg=container.element_handle())
    assert page.locator("[data-pa-map-status]").inner_text().startswith(f"{total} lieux sur la carte")


def test_axe_finds_no_violation_on_the_circles(open_zoned, axe_violations, format_violations):
    page, _ = open_zoned()
    violations = axe_violations(page)
    assert not violations, format_violations(violations)

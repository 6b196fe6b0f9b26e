"""The shipped site under both engines (MkDocs-Material and Zensical), in headless Chromium.

The same checks run on each engine's build: the record page, the finder and the map
work, axe-core finds nothing, and every page carries the
Content-Security-Policy with nothing inline. The other browser tests check the
MkDocs build in depth; these make sure Zensical gives the same site
(the site search is checked under both engines by tests/browser/test_search.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.catalogue import load_catalogue
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.gate import ENGINES, browser_site, html_pages, tile_host
from tests.browser.test_csp_privacy import VIOLATION_LOG, _Head, directives
from tests.browser.test_finder import names, wait_for_results
from tests.browser.test_maps import COUNT_LAYERS
from tests.sitebuild import ROOT


@pytest.fixture(scope="module", params=ENGINES)
def engine_site(request, tmp_path_factory) -> tuple[str, Path]:
    """(engine, site folder)."""
    return request.param, browser_site(tmp_path_factory, request.param)


@pytest.fixture
def open_page(engine_site, serve_site, page_at):
    """``open_page(path, viewport=DESKTOP) -> Page`` on the engine's site; CSP violations logged in window.__csp."""

    def _open(path: str, viewport: dict | None = None):
        page = page_at("about:blank", viewport=viewport, allow_hosts=[tile_host()])
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.add_init_script(VIOLATION_LOG)
        page.goto(serve_site(engine_site[1]) + path, wait_until="networkidle")
        return page

    return _open


def assert_clean(page, axe_violations, format_violations) -> None:
    assert page.evaluate("window.__csp") == [], "the Content-Security-Policy refused something"
    assert page.errors == []
    violations = axe_violations(page)
    assert not violations, format_violations(violations)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_record_page(open_page, axe_violations, format_violations, viewport):
    page = open_page("structures/gem-l-eclaircie/", viewport)
    assert page.locator("h1").all_inner_texts() == ["GEM L'Éclaircie"]
    assert page.title().startswith("GEM L'Éclaircie - ")
    assert page.locator("article abbr[title]").count() > 0, "acronyms are explained"
    page.wait_for_selector("[data-pa-map][data-ready=true]")
    assert page.locator("[data-pa-map] .leaflet-marker-pane .pa-pin").count() == 1
    assert page.get_by_role("button", name="Imprimer la fiche").is_visible()
    assert_clean(page, axe_violations, format_violations)


def test_finder(open_page, axe_violations, format_violations):
    page = open_page("trouver/?type=gem", PHONE)
    page.fill("#pa-finder-place", "92260")
    page.get_by_role("button", name="Rechercher").click()
    wait_for_results(page, "3 GEM trouvés près de Fontenay-aux-Roses")
    assert names(page)[0] == "GEM L'Éclaircie"
    assert_clean(page, axe_violations, format_violations)


def test_map(open_page, axe_violations, format_violations):
    catalogue = load_catalogue(ROOT / "data")
    located = sum(1 for place in catalogue.places.values() if place.located)
    page = open_page("carte/")
    page.wait_for_selector("[data-pa-map][data-ready=true]")
    assert page.locator("[data-pa-map]").evaluate(COUNT_LAYERS) == located
    assert page.locator("[data-pa-map-status]").inner_text().startswith(f"{located} lieux affichés")
    assert any(tile_host() in url for url in page.requests)
    assert_clean(page, axe_violations, format_violations)


def test_selection(open_page, axe_violations, format_violations):
    """« Ma sélection »: a record page's button, then /selection/ with its sheet (tests/browser/test_selection.py in depth)."""
    page = open_page("structures/gem-l-eclaircie/", PHONE)
    page.get_by_role("button", name="Ajouter à ma sélection : GEM L'Éclaircie").click()
    page.get_by_role("link", name="Voir ma sélection (1 structure)").click()
    page.wait_for_function("() => document.getElementById('pa-selection-title')?.textContent === 'Votre sélection : 1 structure'")
    assert page.locator(".pa-selection__name").all_inner_texts() == ["GEM L'Éclaircie"]
    assert page.locator(".pa-selection__sheets article.pa-record h1").all_inner_texts() == ["GEM L'Éclaircie"]
    assert_clean(page, axe_violations, format_violations)


def test_record_page_menu_links_the_main_sections_with_its_icons_drawn(open_page):
    """The bulk pages' lighter layout (generator/build/lean.py): the icons come from one shared file, the
    menu opens with the keyboard on a phone and leads to the site's main sections."""
    page = open_page("structures/gem-l-eclaircie/", PHONE)
    shown = "uses => uses.filter(u => u.closest('svg').checkVisibility()).map(u => u.getBBox().width)"
    widths = page.locator("header svg use").evaluate_all(shown)  # the menu's and the search's on a phone
    assert len(widths) >= 2 and all(width > 0 for width in widths), f"icons not drawn: {widths}"
    menu = page.get_by_role("button", name="Menu")
    menu.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.closest('.md-sidebar--primary')")
    drawer = page.locator(".md-sidebar--primary")
    for name in ("Accueil", "Trouver", "Carte", "GEM", "Territoires", "Facile à lire", "À propos"):
        assert drawer.get_by_role("link", name=name, exact=True).is_visible(), name
    drawer.get_by_role("link", name="Trouver", exact=True).click()
    page.wait_for_url("**/trouver/")


def test_every_page_carries_the_policy_and_nothing_inline(engine_site):
    _, site = engine_site
    problems = []
    for path in html_pages(site):
        head = _Head()
        head.feed((site / (path + "index.html" if path.endswith("/") or not path else path)).read_text(encoding="utf-8"))
        policy = directives(head.policy or "")
        if policy.get("script-src") != ["'self'"] or policy.get("style-src") != ["'self'"]:
            problems.append(f"{path or '/'}: {head.policy}")
        problems += [f"{path or '/'}: {inline}" for inline in head.inline + head.resources_before_policy]
    assert not problems, "\n".join(problems[:20])


def test_every_zensical_page_works_under_the_policy(tmp_path_factory, serve_site, page_at):
    """MkDocs' pages are all visited by test_csp_privacy.py; Zensical's here."""
    site = browser_site(tmp_path_factory, "zensical")
    page = page_at("about:blank", allow_hosts=[tile_host()])
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(VIOLATION_LOG)
    problems = []
    for path in html_pages(site):
        errors.clear()
        page.goto(serve_site(site) + path, wait_until="load")
        problems += [f"{path or '/'}: {problem}" for problem in page.evaluate("window.__csp") + errors]
    assert not problems, "\n".join(problems[:20])

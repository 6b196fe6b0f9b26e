"""Observatory, freshness and open data pages in headless Chromium: axe-core, no request elsewhere."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import DESKTOP, PHONE

PAGES = ["observatoire/", "observatoire/fraicheur/", "donnees/"]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("path", PAGES)
def test_no_axe_violation(path, viewport, built_site, serve_site, page_at, axe_violations, format_violations, external_requests):
    page = page_at(serve_site(built_site) + path, viewport=viewport)
    # Folded tables and lists are checked too.
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)
    assert external_requests(page) == []


def test_charts_are_images_with_a_text_alternative(built_site, serve_site, page_at):
    page = page_at(serve_site(built_site) + "observatoire/")
    charts = page.locator("svg[role=img]")
    assert charts.count() >= 5
    for index in range(charts.count()):
        chart = charts.nth(index)
        name = chart.evaluate(
            "el => el.getAttribute('aria-labelledby').split(' ').map(id => document.getElementById(id).textContent).join(' ')"
        )
        assert len(name) > 40 and chart.locator("title").count() == 1 and chart.locator("desc").count() == 1
    # Each bar chart is followed by a table with one row per bar.
    bar_charts = page.locator("figure.pa-chart")
    # Records, distance, coverage of the reference counts: no ranking is drawn, every département of the shipped data ties.
    assert bar_charts.count() == 3
    for index in range(bar_charts.count()):
        bars, rows = bar_charts.nth(index).evaluate(
            "el => [el.querySelectorAll('rect').length, el.nextElementSibling.querySelectorAll('table tbody tr').length]"
        )
        assert bars == rows > 0


def test_long_reports_lay_out_only_what_is_near_the_screen(built_site, serve_site, page_at):
    """On a phone, the observatory's tables and charts far below are laid out when scrolled to, not while
    the page opens (Lighthouse's total blocking time); they are all there when they are reached."""
    page = page_at(serve_site(built_site) + "observatoire/", viewport=PHONE)
    # The last table or chart out of the folded parts, and whether its content is laid out.
    last = page.locator(":is(.pa-obs-scroll, .pa-chart, .pa-gridmap):not(details *)").last
    laid_out = "el => el.firstElementChild.checkVisibility({contentVisibilityAuto: true})"
    assert not last.evaluate(laid_out), "a table far below is laid out while the page opens"
    last.scroll_into_view_if_needed()
    page.wait_for_function(laid_out, arg=last.element_handle())
    assert last.evaluate("el => el.firstElementChild.getBoundingClientRect().height") > 100


def test_folded_lists_read_as_sentences_and_count_collectivites_apart(built_site, serve_site, page_at):
    """What a visitor reads on the fold: words separated (an <abbr> inside), and a collectivité d'outre-mer
    (Polynésie française, Nouvelle-Calédonie…) not counted as a département."""
    page = page_at(serve_site(built_site) + "observatoire/", viewport=PHONE)
    summary = page.locator("#sans-gem + details > summary")
    assert re.fullmatch(
        r"Voir les \d+ départements et \d collectivités d’outre-mer sans GEM dans l’annuaire", summary.inner_text().replace("'", "’")
    )
    summary.click()
    assert "Polynésie française (987, collectivité d’outre-mer)" in summary.locator("xpath=..").inner_text().replace("'", "’")
    assert "Polynésie française (987, collectivité d’outre-mer)" in page.locator("#table-regions").inner_text().replace("'", "’")

# ruff: noqa: F811
"""The finder and the search of a région's site (option `regions`), asked about a place outside its régions.

Its nearest results are the nearest it knows, far away; places nearer the person are
simply not in this directory. The finder says so, in the live status and on the page,
rather than let « none found » or a 200 km answer stand as the whole truth.
"""

from __future__ import annotations

from tests.browser.conftest import PHONE, axe_violations, format_violations
from tests.browser.test_finder import finder_at, wait_for_results  # noqa: F401
from tests.browser.test_search import search
from tests.test_regions import data, idf_site  # noqa: F401

OUTSIDE = "Lille est hors du territoire de ce site (Île-de-France) : il y a sans doute des lieux plus près, que ce site ne connaît pas."


def test_a_place_outside_the_site_s_regions_is_told_so(finder_at, idf_site):
    page = finder_at("?cp=59000&type=gem", site=idf_site)
    wait_for_results(page, "à moins de 100 km de Lille")
    assert OUTSIDE in page.locator("#pa-finder-status").inner_text()
    assert page.locator(".pa-finder__outside").inner_text() == OUTSIDE
    assert page.errors == []
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)


def test_a_departement_outside_the_site_s_regions_is_not_answered_with_none_found(finder_at, idf_site):
    # A link made on another site, or the national one: the site has nothing there, which is no answer.
    page = finder_at("?dep=59&type=gem", site=idf_site)
    wait_for_results(page, "hors du territoire")
    said = "Ce département est hors du territoire de ce site (Île-de-France) : il y a sans doute des lieux plus près, que ce site ne connaît pas."
    assert said in page.locator("#pa-finder-status").inner_text()
    assert page.locator(".pa-finder__outside").inner_text() == said


def test_a_place_inside_is_answered_as_before(finder_at, idf_site):
    page = finder_at("?cp=92260&type=gem", site=idf_site, viewport=PHONE)
    wait_for_results(page, "près de Fontenay-aux-Roses")
    assert "hors du territoire" not in page.locator("#pa-finder-status").inner_text()
    assert page.locator(".pa-finder__outside").count() == 0


def test_a_search_with_no_result_says_which_regions_the_site_covers(idf_site, serve_site, page_at):
    page = search(page_at, serve_site(idf_site), "Strasbourg")
    assert page.locator("#pa-search-status").inner_text() == (
        "Aucun résultat pour « Strasbourg ». Ce site couvre : Île-de-France. Les lieux des autres régions n'y sont pas. "
        "Essayez un autre mot ou un numéro de département, ou parcourez l'annuaire avec les liens ci-dessous. "
        "Pour les lieux les plus proches d'une ville ou d'un code postal : Trouver un lieu."
    )

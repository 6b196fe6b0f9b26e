"""A département's long list, folded by commune: keyboard, screen reader (axe) and print, in Chromium."""

from __future__ import annotations

import pytest

from tests.test_site import build_folded_site


@pytest.fixture(scope="module")
def folded_site(tmp_path_factory):
    return build_folded_site(tmp_path_factory.mktemp("folded-browser"))


def test_a_commune_opens_from_the_keyboard(folded_site, serve_site, page_at, axe_violations, format_violations):
    page = page_at(serve_site(folded_site) + "departements/92/")
    clamart = page.locator("details.pa-commune", has_text="Clamart (92)")
    assert not clamart.get_by_role("link", name="GEM 4").is_visible(), "folded at first"
    clamart.locator("summary").focus()
    page.keyboard.press("Enter")
    assert clamart.get_by_role("link", name="GEM 4").is_visible()
    assert clamart.locator("summary").bounding_box()["height"] >= 44
    violations = axe_violations(page)
    assert not violations, format_violations(violations)


def test_the_printed_page_lists_every_commune_open(folded_site, serve_site, page_at):
    page = page_at(serve_site(folded_site) + "departements/92/")
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    assert page.locator("details.pa-commune:not([open])").count() == 0, "opened for the print, in every browser"
    page.emulate_media(media="print")
    assert all(link.is_visible() for link in page.locator(".pa-commune .pa-entry__name").all())
    assert page.locator(".pa-commune .pa-entry__name").count() == 7
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    page.emulate_media(media="screen")
    assert page.locator("details.pa-commune[open]").count() == 0, "folded back after printing"


def test_without_javascript_the_printed_page_still_lists_every_commune(chromium, serve_site, folded_site):
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(serve_site(folded_site) + "departements/92/")
        page.emulate_media(media="print")
        assert all(link.is_visible() for link in page.locator(".pa-commune .pa-entry__name").all())
    finally:
        context.close()

"""An easy-read record page in Chromium: axe-clean on a phone and a desktop, under the site's CSP,
and the two versions of the record reachable from each other."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import DESKTOP
from tests.browser.gate import browser_site, tile_host

PHONE_390 = {"width": 390, "height": 844}
RECORD = "clubhouse-france"  # has an address, a phone, an e-mail and old information: every part of the page


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return browser_site(tmp_path_factory)


@pytest.mark.parametrize("viewport", [PHONE_390, DESKTOP], ids=["phone-390", "desktop"])
def test_easy_read_page_has_no_axe_violation(site, serve_site, page_at, axe_violations, format_violations, viewport):
    page = page_at(serve_site(site) + f"facile/structures/{RECORD}/", viewport=viewport, allow_hosts={tile_host()})
    assert page.locator(".falc h1").inner_text() == "Association Clubhouse France"
    violations = axe_violations(page)
    assert not violations, format_violations(violations)


def test_easy_read_and_full_versions_link_to_each_other(site, serve_site, page_at):
    csp: list[str] = []
    errors: list[str] = []
    page = page_at("about:blank", viewport=PHONE_390)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: csp.append(message.text) if "Content Security Policy" in message.text else None)
    base = serve_site(site)
    page.goto(base + f"facile/structures/{RECORD}/", wait_until="load")
    page.get_by_role("link", name="Version complète de cette page").click()
    page.wait_for_url(base + f"structures/{RECORD}/")
    assert page.locator("article.pa-record h1").inner_text() == "Association Clubhouse France"
    page.get_by_role("link", name="Version facile à lire").click()
    page.wait_for_url(base + f"facile/structures/{RECORD}/")
    assert page.get_by_role("link", name="01 30 44 17 49").get_attribute("href") == "tel:+33130441749"
    assert csp == [] and errors == []

"""axe-core on every page type of the real site (any impact fails), on a desktop and on a phone.

Page types come from the built site's folders (tests/browser/gate.py): a new feature's
pages are checked as soon as they exist, and the core types must always be there.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.gate import browser_site, missing_core_types, page_types, tile_host

VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}
# On a phone, the types whose layout changes most (drawer, maps, forms, long tables); every type
# is checked on a desktop. axe takes seconds per page, so the phone pass is kept to these.
PHONE_TYPES = {"accueil", "structure gem", "region", "carte", "trouver", "orientation/…", "observatoire", "donnees"}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return browser_site(tmp_path_factory)


def test_core_page_types_exist(site):
    assert not missing_core_types(page_types(site)), "a core page type disappeared from the site"


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_no_axe_violation_on_any_page_type(site, serve_site, page_at, axe_violations, format_violations, viewport):
    base = serve_site(site)
    failures = []
    for name, path in page_types(site).items():
        if viewport == "phone" and name not in PHONE_TYPES:
            continue
        page = page_at(base + path, viewport=VIEWPORTS[viewport], allow_hosts={tile_host()})
        violations = axe_violations(page)
        if violations:
            failures.append(f"--- {name} (/{path}):\n{format_violations(violations)}")
        page.context.close()
    assert not failures, "\n".join(failures)


def test_menu_links_are_large_enough_targets_on_a_desktop(site, serve_site, page_at):
    """WCAG 2.2 « Target Size (Minimum) » (Lighthouse's target-size): every link of the menu is 24 px high or more."""
    page = page_at(serve_site(site) + "a-propos/", viewport=DESKTOP)
    heights = page.locator(".md-sidebar--primary .md-nav__link").evaluate_all(
        "links => links.filter(a => a.offsetParent).map(a => [a.textContent.trim(), a.getBoundingClientRect().height])"
    )
    assert heights and all(height >= 24 for _, height in heights), [h for h in heights if h[1] < 24]

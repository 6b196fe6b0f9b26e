"""A structure that welcomes nobody now (closed, closed for a time, not open yet), or whose situation is to
confirm, in headless Chromium.

Its record page says so before anything else and its easy-read page says where to look
instead: both lead to the finder, for structures of the same kind near it. The records
are the synthetic ones that fill every value (bench/synthetic.py): « SYNTHÉTIQUE GEM 13 »
is closed, in Fontenay-aux-Roses.
"""

from __future__ import annotations

import pytest

from bench.synthetic import write_every_value_records
from tests.browser.conftest import PHONE
from tests.sitebuild import build_site

CLOSED = "synthetique-gem-13"


@pytest.fixture(scope="module")
def every_value_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("not-open")
    write_every_value_records(root / "data")
    return build_site(root / "site", data_dir=root / "data")


@pytest.mark.parametrize(
    ("url", "link_name"),
    [
        (f"structures/{CLOSED}/", "Chercher d'autres structures de ce type près d'ici"),
        (f"facile/structures/{CLOSED}/", "Trouver un lieu"),
    ],
)
def test_a_closed_structure_s_pages_lead_to_others_of_its_kind_near_it(
    every_value_site, serve_site, page_at, axe_violations, format_violations, url, link_name
):
    base = serve_site(every_value_site)
    page = page_at(base + url, viewport=PHONE)
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    page.get_by_role("link", name=link_name).click()
    page.wait_for_url(f"{base}trouver/?type=gem&cp=92260")
    page.wait_for_function("() => (document.getElementById('pa-finder-status') || {}).textContent?.includes('GEM trouvé')")
    assert "près de Fontenay-aux-Roses" in page.locator("#pa-finder-status").inner_text()
    assert page.input_value("#pa-finder-type") == "gem"


def test_a_record_that_does_not_say_its_situation_says_why_it_is_a_confirmer(
    every_value_site, serve_site, page_at, axe_violations, format_violations
):
    # « SYNTHÉTIQUE GEM 1 » is recent, has no statut and no phone: its badge « À confirmer » is explained.
    page = page_at(serve_site(every_value_site) + "structures/synthetique-gem-1/", viewport=PHONE)
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    box = page.get_by_role("note").filter(has_text="À confirmer")
    assert box.is_visible()
    assert "Rien de récent ne dit que la structure accueille en ce moment. Renseignez-vous avant de vous déplacer." in box.inner_text()


@pytest.mark.parametrize(("url", "shown"), [("gem/", True), ("departements/75/", True), ("clsm/", False)])
def test_a_list_that_shows_a_confirmer_says_what_it_means(every_value_site, serve_site, page_at, url, shown):
    # « À confirmer » stood beside names in the lists with nothing saying what was to confirm; the key is
    # shown where a list shows that badge only (no CLSM of these records is « à confirmer »).
    page = page_at(serve_site(every_value_site) + url, viewport=PHONE)
    key = page.locator(".pa-status-key")
    assert key.is_visible() == shown
    assert (page.locator(".pa-entry .pa-badge--a_confirmer").count() > 0) == shown
    if shown:
        assert (
            "À confirmer : rien de récent ne dit que la structure accueille en ce moment. Sa fiche dit qui contacter." in key.inner_text()
        )


def test_a_record_page_says_what_its_partner_s_badge_means_on_screen_not_on_paper(every_value_site, serve_site, page_at):
    # « SYNTHÉTIQUE GEM 0 » has one partner, « SYNTHÉTIQUE Ressource 4 », which does not write its statut.
    page = page_at(serve_site(every_value_site) + "structures/synthetique-gem-0/", viewport=PHONE)
    key = page.locator(".pa-status-key")
    assert key.is_visible() and "rien de récent ne dit que la structure accueille" in key.inner_text()
    page.emulate_media(media="print")
    assert not key.is_visible() and not page.locator("#partenaires").is_visible()

"""Every page usable with a keyboard, on a phone and without JavaScript, on the real site (issue 13, §4).

Also where the shown status (« À confirmer ») reaches the browser: map popups and finder rows.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.browser.conftest import _is_local

PHONE_390 = {"width": 390, "height": 844}
# One page of each layout: finder, map, record, decision helper, a guide (with its table of
# contents), a territory, the observatory.
SAMPLE = ["trouver/", "carte/", "structures/clubhouse-lyon/", "orientation/", "guides/gem/", "regions/11/", "observatoire/"]
# Is the focused element something a sighted keyboard user sees? Off-screen, zero-sized, hidden,
# transparent (Material's closed search has opacity 0) or clipped away by an ancestor all say no.
FOCUS_SEEN = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const r = e.getBoundingClientRect();
  let seen = r.width > 0 && r.height > 0 && r.right > 0 && r.left < innerWidth && r.bottom > 0 && r.top < innerHeight
    && e.checkVisibility({visibilityProperty: true, opacityProperty: true});
  for (let a = e.parentElement; a && seen; a = a.parentElement) {
    const box = a.getBoundingClientRect(), style = getComputedStyle(a);
    if (style.overflow !== 'visible' && (box.width === 0 || box.height === 0 || r.left >= box.right || r.right <= box.left)) seen = false;
  }
  return {seen, what: e.tagName + ' ' + (e.getAttribute('aria-label') || e.textContent).trim().slice(0, 40)};
}"""


class _Focusables(HTMLParser):
    """The first focusable element of <body> in source order, and the ids of the page."""

    FOCUSABLE = {"a", "button", "input", "select", "textarea", "summary"}

    def __init__(self) -> None:
        super().__init__()
        self.in_body = False
        self.in_materials_skip = False  # Material's own skip link, hidden by passerelle.css
        self.first: tuple[str, dict] | None = None
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        if tag == "body":
            self.in_body = True
        elif tag == "div" and attributes.get("data-md-component") in ("skip", "announce"):
            self.in_materials_skip = attributes["data-md-component"] == "skip"
        elif self.in_body and self.first is None and tag in self.FOCUSABLE and not self.in_materials_skip:
            hidden_input = tag == "input" and (
                attributes.get("type") in ("hidden", "checkbox") and "md-toggle" in attributes.get("class", "")
            )
            if (tag != "a" or "href" in attributes) and not hidden_input:
                self.first = (tag, attributes)


def built_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("index.html")) + [site / "404.html"]


def test_every_page_starts_with_a_skip_link_to_its_content(built_site):
    pages = built_pages(built_site)
    assert len(pages) > 70
    for path in pages:
        parser = _Focusables()
        parser.feed(path.read_text(encoding="utf-8"))
        where = path.relative_to(built_site)
        assert parser.first is not None, where
        tag, attributes = parser.first
        assert (tag, attributes.get("href"), attributes.get("class")) == ("a", "#contenu", "md-skip"), f"{where}: first is {parser.first}"
        assert "contenu" in parser.ids, where


@pytest.mark.parametrize("path", SAMPLE)
def test_the_skip_link_is_the_first_tab_stop_and_leads_past_the_navigation(built_site, serve_site, page_at, path):
    page = page_at(serve_site(built_site) + path)
    page.keyboard.press("Tab")
    skip = page.locator("a.md-skip:focus")
    assert skip.count() == 1 and skip.inner_text().strip() == "Aller au contenu"
    page.wait_for_function("() => getComputedStyle(document.activeElement).opacity === '1'")
    assert page.evaluate(FOCUS_SEEN)["seen"]
    assert page.locator("a.md-skip").evaluate_all("links => links.filter(l => l.checkVisibility()).length") == 1
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("() => !!document.activeElement.closest('.md-content')"), page.evaluate(FOCUS_SEEN)


def test_hidden_navigation_takes_no_focus_on_a_390_px_screen(built_site, serve_site, page_at):
    page = page_at(serve_site(built_site) + "trouver/", viewport=PHONE_390)
    unseen = []
    for press in range(1, 34):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_SEEN)
        if focus and not focus["seen"]:  # the skip link fades in: look again once it has
            page.wait_for_timeout(300)
            focus = page.evaluate(FOCUS_SEEN)
        if focus and not focus["seen"]:
            unseen.append((press, focus["what"]))
    assert not unseen, f"{len(unseen)} of 33 Tab presses land on something not shown: {unseen[:5]}"


def test_the_menu_opens_and_closes_with_the_keyboard_on_a_phone(built_site, serve_site, page_at):
    page = page_at(serve_site(built_site) + "gem/", viewport=PHONE_390)
    menu = page.get_by_role("button", name="Menu")
    assert menu.get_attribute("aria-expanded") == "false"
    menu.focus()
    page.keyboard.press("Enter")
    assert menu.get_attribute("aria-expanded") == "true"
    page.wait_for_function("() => document.activeElement.closest('.md-sidebar--primary')")
    links = page.locator(".md-sidebar--primary a[href]").count()
    for _ in range(links + 3):  # every stop is in the open drawer and shown, never in the page it covers
        outside = page.evaluate("() => document.activeElement !== document.body && !document.activeElement.closest('.md-sidebar--primary')")
        assert not outside, page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)")
        if page.evaluate("() => document.activeElement !== document.body"):
            assert page.evaluate(FOCUS_SEEN)["seen"]
        page.keyboard.press("Tab")
        page.wait_for_timeout(50)
    page.keyboard.press("Escape")
    assert menu.get_attribute("aria-expanded") == "false"
    assert menu.evaluate("m => m === document.activeElement")
    page.wait_for_timeout(400)  # the drawer slides out, then leaves the Tab order
    assert not page.locator(".md-sidebar--primary a[href]").first.evaluate("a => a.checkVisibility({visibilityProperty: true})")
    # The search button too: it opens the search page, whose field takes the focus.
    page.get_by_role("button", name="Lancer la recherche").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/recherche/")
    page.wait_for_function("() => document.activeElement.id === 'pa-search-q'")
    assert page.evaluate(FOCUS_SEEN)["seen"]


def test_the_finder_without_javascript_says_why_and_offers_the_lists(chromium, serve_site, built_site):
    context = chromium.new_context(java_script_enabled=False, locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(serve_site(built_site) + "trouver/")
        note = page.locator(".pa-finder__nojs")
        assert note.is_visible() and "JavaScript" in note.inner_text()
        assert note.locator('a[href="#parcourir"]').is_visible()
        assert page.locator("#pa-finder").is_hidden()
        lists = page.locator("#parcourir + ul a")
        assert lists.count() >= 7 and all(link.is_visible() for link in lists.all())
    finally:
        context.close()


# Elements marked `hidden` that a visitor nevertheless sees: a control that does nothing, or a message
# that is not true. Material's « Retour en haut » is hidden by fading (opacity 0), not by display.
SHOWN_THOUGH_HIDDEN = """() => [...document.querySelectorAll('[hidden]:not(.md-top)')]
  .filter(e => e.checkVisibility({visibilityProperty: true, opacityProperty: true}))
  .map(e => e.tagName.toLowerCase() + ' « ' + e.textContent.trim().slice(0, 40) + ' »')"""


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_what_is_hidden_is_not_seen(chromium, serve_site, built_site, javascript):
    """« Afficher plus de résultats » with no result, « Imprimer les fiches » with an empty selection, a print
    button without the script that prints: the theme's buttons once beat `hidden` and showed them all."""
    context = chromium.new_context(java_script_enabled=javascript, locale="fr-FR", viewport=PHONE_390)
    try:
        page = context.new_page()
        for path in ["recherche/", "recherche/?q=zzzqqq", "selection/", "structures/clubhouse-lyon/", *SAMPLE]:
            page.goto(serve_site(built_site) + path)
            page.wait_for_load_state("networkidle")
            if javascript and path.startswith("recherche/?q="):
                page.wait_for_function("() => document.getElementById('pa-search-status').textContent.includes('Aucun résultat')")
            assert page.evaluate(SHOWN_THOUGH_HIDDEN) == [], path
    finally:
        context.close()


def test_with_javascript_the_finder_does_not_say_it_is_missing(built_site, serve_site, page_at):
    page = page_at(serve_site(built_site) + "trouver/")
    assert page.locator("#pa-finder").is_visible()
    assert page.locator(".pa-finder__nojs").is_hidden()


def test_an_unknown_address_gets_a_french_page_with_the_way_back(built_site, serve_site, page_at, axe_violations, format_violations):
    base = serve_site(built_site)
    not_found = (built_site / "404.html").read_bytes()
    page = page_at(base)
    # The test server has no error page: answer an unknown deep address as a web host would.
    page.route("**/une/adresse/inconnue/", lambda route: route.fulfill(status=404, body=not_found, content_type="text/html"))
    response = page.goto(base + "une/adresse/inconnue/")
    assert response.status == 404
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text() == "Page introuvable"
    assert "Not found" not in page.content() and page.title().startswith("Page introuvable")
    links = {link.inner_text(): link.get_attribute("href") for link in page.locator(".md-content a[href]").all()}
    for text in (
        "Revenir à l'accueil",
        "Trouver une structure près de chez vous",
        "Groupes d'entraide mutuelle (GEM)",
        "Par région et par département",
    ):
        assert text in links, links
    for href in links.values():
        target = built_site / href.lstrip("/").removesuffix(".")
        assert (target / "index.html").is_file(), href
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") != "static"  # styled: the CSS loaded
    violations = axe_violations(page)
    assert not violations, format_violations(violations)


def test_the_map_page_table_is_styled_like_the_other_tables(built_site, serve_site, page_at):
    base = serve_site(built_site)

    def header_cells(path: str) -> list[dict]:
        page = page_at(base + path)
        table = page.locator("table", has=page.locator("thead")).first
        return table.locator("thead th").evaluate_all(
            "cells => cells.map(c => ({padding: getComputedStyle(c).paddingLeft, right: c.getBoundingClientRect().right,"
            " textLeft: c.getBoundingClientRect().left + parseFloat(getComputedStyle(c).paddingLeft),"
            " textRight: c.getBoundingClientRect().right - parseFloat(getComputedStyle(c).paddingRight)}))"
        )

    regions = header_cells("carte/")
    observatory = header_cells("observatoire/")
    assert len(regions) >= 3 and regions[0]["padding"] == observatory[0]["padding"] != "0px"
    # Consecutive headings stand apart (they ran together: « TotalGEMCollectif… »).
    for left, right in zip(regions, regions[1:], strict=False):
        assert right["textLeft"] - left["textRight"] >= 16


def test_map_markers_and_popups_say_a_confirmer(built_site, serve_site, page_at):
    base = serve_site(built_site)
    page = page_at(base + "structures/clubhouse-lyon/", allow_hosts={"tile.openstreetmap.org"})
    page.wait_for_selector("[data-pa-map][data-ready=true]")
    assert "À confirmer" in page.locator(".leaflet-marker-icon.pa-pin").get_attribute("title")
    page = page_at(base + "departements/69/", allow_hosts={"tile.openstreetmap.org"})
    page.wait_for_selector("[data-pa-map][data-ready=true]")
    marker = page.locator('.leaflet-marker-icon.pa-pin[title^="Clubhouse de Lyon"]')
    assert "À confirmer" in marker.get_attribute("title")
    marker.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup")
    assert "À confirmer" in popup.inner_text() and "Ouvert" not in popup.inner_text()


def test_finder_rows_say_a_confirmer(chromium, serve_site, built_site):
    context = chromium.new_context(locale="fr-FR", service_workers="block")
    try:
        context.route("**/*", lambda route: route.continue_() if _is_local(route.request.url) else route.abort("blockedbyclient"))
        page = context.new_page()
        page.goto(serve_site(built_site) + "trouver/?type=collectif&cp=69001")
        page.wait_for_function("() => document.getElementById('pa-finder-status').textContent.includes('Lyon')")
        first = page.locator("#pa-finder-results li").first
        assert "Clubhouse de Lyon" in first.inner_text()
        assert first.locator(".pa-badge--a_confirmer").inner_text() == "À confirmer"
    finally:
        context.close()

"""« Ma sélection » in headless Chromium: add from a record page and the finder, see, remove,
print one sheet per A4 page, share a link, all without the ids reaching any server."""

from __future__ import annotations

import io
import json
import re

import pytest
from pypdf import PdfReader

from generator.catalogue import load_catalogue
from generator.site.selection import group_of
from tests.browser.conftest import DESKTOP
from tests.browser.test_csp_privacy import VIOLATION_LOG
from tests.browser.test_finder import wait_for_results
from tests.browser.test_print import LONG_ID, LONG_RECORD, MEDIUM_ID, MEDIUM_RECORD
from tests.sitebuild import ROOT, build_site
from tests.test_record_sheet import FULL_ID, write_full_record

PHONE_390 = {"width": 390, "height": 844}
KEY = "passerelle-selection"
SITE_URL = "https://annuaire.example.org/"
GROUP_REQUEST = re.compile(r"/selection/groupes/\d+\.json$")
RECORD_PAGE_REQUEST = re.compile(r"/structures/([a-z0-9-]+)/$")


def stored(page) -> list[str]:
    return [item["id"] for item in page.evaluate(f"JSON.parse(localStorage.getItem('{KEY}') || '[]')")]


def keep_in_browser(page, items: list[tuple[str, str]]) -> None:
    """Put a selection in the page's storage, as the buttons would have: [(id, name)]."""
    value = json.dumps([{"id": record_id, "nom": name} for record_id, name in items])
    page.evaluate("([key, value]) => localStorage.setItem(key, value)", [KEY, value])


def open_selection(page, url: str) -> None:
    page.goto(url, wait_until="networkidle")
    wait_for_title(page)


def wait_for_title(page) -> None:
    page.wait_for_function("() => !!document.getElementById('pa-selection-title')?.textContent")


def title(page) -> str:
    return page.locator("#pa-selection-title").inner_text().strip()


def listed(page) -> list[str]:
    return [name.strip() for name in page.locator(".pa-selection__name").all_inner_texts()]


def said(page, text: str) -> None:
    """`text` is in a live region (role=status) of the page."""
    page.wait_for_function(
        "t => [...document.querySelectorAll('[role=status]')].some(r => r.textContent.includes(t))", arg=text, timeout=5000
    )


def focused(page) -> str:
    """The text of the focused element, spaces and line breaks made single spaces."""
    return " ".join(page.evaluate("() => document.activeElement.innerText || document.activeElement.textContent").split())


def tab_to(page, name: str, presses: int = 80) -> None:
    """Press Tab, as a keyboard-only visitor does, until the focus is on the control named `name…`."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if focused(page).startswith(name):
            return
    raise AssertionError(f"{name!r} is not reached with Tab ({presses} presses)")


def requests_since(page, start: int) -> list[str]:
    return page.requests[start:]


def assert_the_chosen_hide_in_their_groups(site, requests: list[str], chosen: list[str]) -> None:
    """The record pages asked for are every page of the chosen records' groups, and no other request names a record:
    the server cannot tell which of a group was chosen."""
    groups = {int(path.stem): json.loads(path.read_text(encoding="utf-8")) for path in (site / "selection" / "groupes").glob("*.json")}
    crowd = {member for record_id in chosen for member in groups[group_of(record_id, len(groups))]}
    asked = {found.group(1) for url in requests if (found := RECORD_PAGE_REQUEST.search(url))}
    assert asked == crowd
    for url in requests:
        if not RECORD_PAGE_REQUEST.search(url):
            assert not any(member in url for member in crowd), url


# --- Add, see, remove ------------------------------------------------------------------------


def test_add_from_a_record_page_and_the_finder_see_them_and_remove_them(built_site, serve_site, page_at):
    base = serve_site(built_site)
    page = page_at(base + "structures/clubhouse-paris/", viewport=PHONE_390)
    # The live region is in the page, empty, before anything is said: screen readers then read what is put in it.
    assert page.locator("[role=status]").all_inner_texts() == [""]
    tab_to(page, "Ajouter à ma sélection")
    page.keyboard.press("Space")
    said(page, "Ajouté à votre sélection : Clubhouse de Paris. Votre sélection compte 1 structure.")
    assert page.get_by_role("button", name="Retirer de ma sélection : Clubhouse de Paris").is_visible()
    assert page.get_by_role("link", name="Voir ma sélection (1 structure)").bounding_box()["height"] >= 44

    # In the finder, each result has its button; the keyboard works it.
    page.goto(base + "trouver/?type=gem&cp=92260", wait_until="networkidle")
    wait_for_results(page, "3 GEM trouvés près de Fontenay-aux-Roses")
    results = page.locator(".pa-finder__result")
    assert results.count() == 3 and results.locator("button[data-pa-select]").count() == 3
    for name in ("GEM L'Éclaircie", "GEM Le Cap de Bonne Espérance"):
        tab_to(page, f"Ajouter à ma sélection : {name}")
        page.keyboard.press("Enter")
        assert page.get_by_role("button", name=f"Retirer de ma sélection : {name}").is_visible()
    said(page, "Ajouté à votre sélection : GEM Le Cap de Bonne Espérance. Votre sélection compte 3 structures.")
    assert stored(page) == ["clubhouse-paris", "gem-l-eclaircie", "gem-le-cap-de-bonne-esperance"]
    for button in page.locator("button[data-pa-select]").all():
        assert button.bounding_box()["height"] >= 44

    page.get_by_role("link", name="Voir ma sélection (3 structures)").focus()
    page.keyboard.press("Enter")
    wait_for_title(page)
    assert title(page) == "Votre sélection : 3 structures"
    assert listed(page) == ["Clubhouse de Paris", "GEM L'Éclaircie", "GEM Le Cap de Bonne Espérance"]
    first = page.locator(".pa-selection__item").first
    assert "Collectif d'entraide et d'insertion" in first.locator(".pa-kind").inner_text()
    assert first.locator("dl.pa-facts").inner_text().startswith("Adresse")
    assert first.get_by_role("link", name="Clubhouse de Paris").get_attribute("href") == base + "structures/clubhouse-paris/"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_390["width"]
    for target in page.locator(".pa-selection button:visible, .pa-selection__name a").all():
        box = target.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, target.inner_text()

    # Removing the middle one: the focus goes to the next record's button, and it is said.
    tab_to(page, "Retirer de ma sélection : GEM L'Éclaircie")
    page.keyboard.press("Enter")
    said(page, "Retiré de votre sélection : GEM L'Éclaircie. Votre sélection compte 2 structures.")
    assert focused(page).startswith("Retirer de ma sélection") and "Cap de Bonne Espérance" in focused(page)
    assert title(page) == "Votre sélection : 2 structures"
    assert stored(page) == ["clubhouse-paris", "gem-le-cap-de-bonne-esperance"]
    # The last one: to the one before it. The only one: to the heading, which says it is empty.
    page.keyboard.press("Enter")
    said(page, "Votre sélection compte 1 structure.")
    assert "Clubhouse de Paris" in focused(page)
    page.keyboard.press("Enter")
    said(page, "Retiré de votre sélection : Clubhouse de Paris. Votre sélection est vide.")
    assert focused(page) == "Votre sélection est vide"
    assert page.get_by_role("link", name="Trouver une structure").last.is_visible()
    assert page.locator("[data-pa-actions]").is_hidden() and stored(page) == []

    page.goto(base + "structures/clubhouse-paris/", wait_until="networkidle")
    assert page.get_by_role("button", name="Ajouter à ma sélection : Clubhouse de Paris").is_visible()
    assert page.locator("[data-pa-selection-link]").is_hidden()


def test_another_tab_sees_the_change(built_site, serve_site, page_at):
    base = serve_site(built_site)
    record = page_at(base + "structures/fnapsy/")
    other = record.context.new_page()
    other.goto(base + "selection/", wait_until="networkidle")
    wait_for_title(other)
    assert title(other) == "Votre sélection est vide"
    record.get_by_role("button", name=re.compile("^Ajouter à ma sélection")).click()
    other.wait_for_function("() => document.getElementById('pa-selection-title').textContent.includes('1 structure')")
    assert listed(other) == [record.locator("h1").inner_text()]


# --- Print -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sheets_site(tmp_path_factory):
    """The fullest, a medium and a long synthetic record, with a public address (printed link and QR code)."""
    data = tmp_path_factory.mktemp("selection-data")
    write_full_record(data)
    (data / "gem" / f"{MEDIUM_ID}.yaml").write_text(MEDIUM_RECORD, encoding="utf-8")
    (data / "gem" / f"{LONG_ID}.yaml").write_text(LONG_RECORD, encoding="utf-8")
    return build_site(tmp_path_factory.mktemp("selection") / "site", data_dir=data, site_url=SITE_URL)


def printed_text(page) -> list[str]:
    return [" ".join(sheet.extract_text().split()) for sheet in PdfReader(io.BytesIO(page.pdf(format="A4"))).pages]


def test_the_selection_prints_each_records_sheet_on_its_own_a4_page(sheets_site, serve_site, page_at):
    base = serve_site(sheets_site)
    ids = [MEDIUM_ID, FULL_ID, LONG_ID]
    alone = {}
    page = page_at(base + "structures/" + ids[0] + "/")
    for record_id in ids:
        page.goto(base + f"structures/{record_id}/", wait_until="networkidle")
        [alone[record_id]] = printed_text(page)
    keep_in_browser(page, [(record_id, "") for record_id in ids])
    open_selection(page, base + "selection/")
    page.get_by_role("button", name="Imprimer les fiches").wait_for()
    assert page.locator("[data-pa-sheets-hint]").inner_text() == "3 fiches, une par page."
    pages = printed_text(page)
    # One page per sheet, in the selection's order, each printed as its record page prints it.
    assert len(pages) == 3
    for record_id, text in zip(ids, pages, strict=True):
        assert text == alone[record_id], record_id
    assert "FIN DE LA PRÉSENTATION." in pages[0] and "Ma sélection" not in " ".join(pages)
    # Each sheet has its QR code, drawn by the browser, of its own record's public address.
    page.emulate_media(media="print")
    breaks = page.locator(".pa-selection__sheets > article.pa-record").evaluate_all("s => s.map(e => getComputedStyle(e).breakAfter)")
    assert breaks == ["page", "page", "auto"]
    codes = page.locator(".pa-selection__sheets [data-pa-qr]")
    assert [code.get_attribute("data-qr-url") for code in codes.all()] == [f"{SITE_URL}structures/{i}/" for i in ids]
    assert page.locator(".pa-selection__sheets [data-pa-qr] svg").count() == 3
    assert page.locator(".pa-selection-screen").is_hidden()


def test_a_sheet_is_the_record_pages_printed_part(built_site, serve_site, page_at):
    base = serve_site(built_site)
    page = page_at(base)
    keep_in_browser(page, [("clubhouse-paris", "")])
    open_selection(page, base + "selection/")
    sheet = page.locator(".pa-selection__sheets > article.pa-record")
    assert sheet.count() == 1
    html = sheet.evaluate("s => s.outerHTML")
    for printed in ("<h1>Clubhouse de Paris</h1>", "Fiche vérifiée le", 'class="pa-kind"', "<abbr", "pa-facts"):
        assert printed in html, printed
    # What print hides is not in the sheet: actions, map, easy-read link, this feature's button,
    # the territory, partner and source lists; nothing that runs or loads; no id repeated from sheet to sheet.
    record_page = (built_site / "structures" / "clubhouse-paris" / "index.html").read_text(encoding="utf-8")
    screen_only_parts = (
        "pa-record-actions",
        "pa-print-button",
        "pa-map",
        "leaflet",
        "Version facile à lire",
        "pa-selection-toggle",
        "pa-status-key",
    )
    for screen_only in screen_only_parts:
        assert screen_only in record_page and screen_only not in html, screen_only
    for section in ("territoire", "partenaires", "sources"):
        assert f'<h2 id="{section}">' in record_page, section
    assert "Sur le même territoire" not in html and "Partenaires" not in html and "Sources" not in html
    assert "<script" not in html and "<link" not in html and " id=" not in html
    # Its links point where they did on the record page.
    assert sheet.locator(".pa-kind a").first.get_attribute("href") == base + "collectifs/"


# --- Share -----------------------------------------------------------------------------------


def test_a_shared_link_round_trip_never_overwrites_and_never_sends_the_ids(built_site, serve_site, page_at):
    base = serve_site(built_site)
    shared = ["gem-l-eclaircie", "clubhouse-lyon"]
    sender = page_at(base)
    keep_in_browser(sender, [(i, "") for i in shared])
    start = len(sender.requests)
    open_selection(sender, base + "selection/")
    sender.get_by_role("button", name="Copier le lien de ma sélection").click()
    link = sender.get_by_label("Lien de ma sélection").input_value()
    assert link == base + "selection/#ids=gem-l-eclaircie,clubhouse-lyon"
    assert_the_chosen_hide_in_their_groups(built_site, requests_since(sender, start), shared)

    # Another browser, with a selection of its own.
    receiver = page_at(base + "structures/fnapsy/")
    receiver.get_by_role("button", name=re.compile("^Ajouter à ma sélection")).click()
    start = len(receiver.requests)
    open_selection(receiver, link)
    assert title(receiver) == "Sélection reçue : 2 structures"
    assert listed(receiver) == ["GEM L'Éclaircie", "Clubhouse de Lyon"]
    banner = receiver.locator("[data-pa-shared]")
    assert "Cette sélection vous a été envoyée par un lien." in banner.inner_text()
    assert "Votre propre sélection (1 structure) n'est pas modifiée." in banner.inner_text()
    assert stored(receiver) == ["fnapsy"], "opening a link changes nothing kept"
    assert receiver.locator("[data-pa-remove]").count() == 0
    assert receiver.get_by_role("button", name="Imprimer les fiches").is_visible()

    receiver.get_by_role("button", name="Garder ces structures dans ma sélection").click()
    said(receiver, "2 structures ajoutées à votre sélection. Votre sélection compte 3 structures.")
    assert stored(receiver) == ["fnapsy", "gem-l-eclaircie", "clubhouse-lyon"]
    assert title(receiver) == "Votre sélection : 3 structures" and focused(receiver) == title(receiver)
    assert receiver.url == base + "selection/"
    requests = requests_since(receiver, start)
    assert_the_chosen_hide_in_their_groups(built_site, requests, [*shared, "fnapsy"])
    assert any(GROUP_REQUEST.search(url) for url in requests)


def test_unknown_ids_and_unreadable_parts_of_a_link_are_said_plainly(built_site, serve_site, page_at):
    base = serve_site(built_site)
    page = page_at(base)
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    # A known id, an id no record has, a part that is no id at all, an empty part and a repeat.
    open_selection(page, base + "selection/#ids=gem-l-eclaircie,gem-synthetique-inconnu,Pas%20une%20fiche,,gem-l-eclaircie")
    assert title(page) == "Sélection reçue : 2 structures"
    gone = page.locator(".pa-selection__item").nth(1)
    assert gone.locator(".pa-selection__name").inner_text() == "Fiche « gem-synthetique-inconnu »"
    # Only its id is known: the page does not claim the record was removed.
    assert "Cette fiche n’est pas dans l’annuaire. Elle a peut-être été retirée, ou le lien a été mal copié." in gone.inner_text()
    unreadable = page.locator("[data-pa-unreadable]")
    assert unreadable.is_visible() and "Une partie de ce lien ne désigne aucune fiche" in unreadable.inner_text()
    assert page.locator("[data-pa-sheets-hint]").inner_text() == (
        "Une fiche, sur une page. Les fiches qui ne sont pas dans l’annuaire ne sont pas imprimées."
    )
    assert len(printed_text(page)) == 1
    # A link that cannot be read at all (broken percent-encoding): nothing shown, and said so.
    page.goto(base + "selection/#ids=%E9%")
    page.wait_for_function("() => document.getElementById('pa-selection-title').textContent === 'Ce lien ne contient aucune structure'")
    assert unreadable.is_visible() and page.locator(".pa-selection__item").count() == 0
    # A link of known ids only has no such note.
    page.goto(base + "selection/#ids=fnapsy")
    page.wait_for_function("() => document.getElementById('pa-selection-title').textContent === 'Sélection reçue : 1 structure'")
    assert unreadable.is_hidden()
    assert page.errors == []
    # In one's own selection, a record gone since it was chosen keeps its name, and can be removed.
    keep_in_browser(page, [("gem-synthetique-disparu", "GEM SYNTHÉTIQUE disparu"), ("fnapsy", "FNAPSY")])
    open_selection(page, base + "selection/")
    assert "Cette structure n’est plus dans l’annuaire." in page.locator(".pa-selection__item").first.inner_text()
    page.get_by_role("button", name="Retirer de ma sélection : GEM SYNTHÉTIQUE disparu").click()
    said(page, "Retiré de votre sélection : GEM SYNTHÉTIQUE disparu. Votre sélection compte 1 structure.")
    assert stored(page) == ["fnapsy"]


def test_the_script_finds_each_record_in_the_group_the_build_put_it_in(built_site, serve_site, page_at):
    page = page_at(serve_site(built_site) + "selection/")
    ids = sorted(load_catalogue(ROOT / "data").records) + ["a", "foobar", "z" * 80]
    for groups in (1, 2, 7, 2500):
        found = page.evaluate("([ids, n]) => ids.map(id => PasserelleSelection.groupOf(id, n))", [ids, groups])
        assert found == [group_of(i, groups) for i in ids], groups


# --- Accessibility, policy, fallbacks --------------------------------------------------------


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE_390], ids=["desktop", "phone"])
@pytest.mark.parametrize("state", ["empty", "filled", "shared"])
def test_the_selection_page_is_accessible_and_within_the_policy(
    built_site, serve_site, page_at, axe_violations, format_violations, external_requests, viewport, state
):
    base = serve_site(built_site)
    page = page_at(base, viewport=viewport)
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.add_init_script(VIOLATION_LOG)
    if state == "filled":
        keep_in_browser(page, [("clubhouse-paris", ""), ("gem-l-eclaircie", ""), ("gem-synthetique-disparu", "GEM SYNTHÉTIQUE disparu")])
    fragment = "#ids=clubhouse-lyon,ceapsy" if state == "shared" else ""
    open_selection(page, base + "selection/" + fragment)
    assert page.locator(".pa-selection__item").count() == {"empty": 0, "filled": 3, "shared": 2}[state]
    if state == "filled":
        page.get_by_role("button", name="Copier le lien de ma sélection").click()
    assert page.evaluate("window.__csp") == [], "the Content-Security-Policy refused something"
    assert page.errors == []
    assert external_requests(page) == [], "only the site's own files are asked for"
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    violations = axe_violations(page)
    assert not violations, format_violations(violations)


def test_the_record_page_with_its_button_stays_accessible(built_site, serve_site, page_at, axe_violations, format_violations):
    page = page_at(serve_site(built_site) + "structures/clubhouse-paris/", viewport=PHONE_390)
    page.get_by_role("button", name="Ajouter à ma sélection : Clubhouse de Paris").click()
    said(page, "Votre sélection compte 1 structure.")
    violations = axe_violations(page)
    assert not violations, format_violations(violations)


def test_without_javascript_no_button_and_the_page_says_why(chromium, serve_site, built_site):
    context = chromium.new_context(java_script_enabled=False, locale="fr-FR")
    try:
        page = context.new_page()
        base = serve_site(built_site)
        page.goto(base + "structures/clubhouse-paris/")
        assert page.get_by_role("button", name=re.compile("sélection")).count() == 0
        assert page.locator("[data-pa-selection-link]").is_hidden()
        page.goto(base + "selection/")
        note = page.locator(".pa-selection__nojs")
        assert note.is_visible() and "Ma sélection a besoin de JavaScript" in note.inner_text()
        assert page.locator("#pa-selection").is_hidden()
    finally:
        context.close()


BLOCKED_STORAGE = "Storage.prototype.setItem = function () { throw new DOMException('bloqué', 'SecurityError'); };"


def test_when_the_browser_keeps_nothing_no_button_offers_to_keep(built_site, serve_site, page_at):
    base = serve_site(built_site)
    page = page_at("about:blank")
    page.add_init_script(BLOCKED_STORAGE)
    page.goto(base + "structures/clubhouse-paris/", wait_until="networkidle")
    assert page.get_by_role("button", name=re.compile("sélection")).count() == 0
    page.goto(base + "trouver/?type=gem&cp=92260", wait_until="networkidle")
    wait_for_results(page, "3 GEM trouvés")
    assert page.locator(".pa-finder__result button").count() == 0
    open_selection(page, base + "selection/")
    assert page.locator("[data-pa-no-storage]").is_visible() and page.locator("[data-pa-empty]").is_hidden()
    # A shared link is still shown and printed; only keeping it is not offered. (Only the
    # fragment changes: the page shows the link's selection without being loaded again.)
    page.goto(base + "selection/#ids=clubhouse-lyon")
    page.wait_for_function("() => document.getElementById('pa-selection-title').textContent.startsWith('Sélection reçue')")
    assert listed(page) == ["Clubhouse de Lyon"]
    assert page.get_by_role("button", name="Imprimer les fiches").is_visible()
    assert page.locator("[data-pa-keep]").is_hidden()

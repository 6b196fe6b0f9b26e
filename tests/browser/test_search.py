"""The site's search box on the real site, in headless Chromium: it finds what people type.

Records, territory pages and guides are found (the site's search index,
generator/site/search.py), under both engines; each result says what a place is and where; the search works
with the keyboard alone, is axe-clean with results on a phone and a desktop, runs under
the strict Content-Security-Policy and contacts no other host.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from generator.site.search import BUNDLE_FOLDER
from tests.browser.conftest import DESKTOP
from tests.browser.gate import ENGINES, browser_site
from tests.browser.test_csp_privacy import VIOLATION_LOG

PHONE_390 = {"width": 390, "height": 844}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE_390}
CLUBHOUSES = ["clubhouse-bordeaux", "clubhouse-lille", "clubhouse-lyon", "clubhouse-nantes", "clubhouse-paris"]


@pytest.fixture(scope="module", params=ENGINES)
def site(request, tmp_path_factory) -> Path:
    """The shipped site built with each engine: the search must work the same under both."""
    return browser_site(tmp_path_factory, request.param)


def search(page_at, base: str, query: str, viewport: dict = DESKTOP):
    """Open the search page with `query` as the header box would, and wait for the announced outcome."""
    page = page_at("about:blank", viewport=viewport)
    page.add_init_script(VIOLATION_LOG)
    page.goto(f"{base}recherche/#q={quote(query)}", wait_until="load")
    page.locator("#pa-search-status").filter(has_text="pour « ").wait_for()
    return page


def results(page) -> list[dict[str, str]]:
    return page.evaluate(
        """() => [...document.querySelectorAll('#pa-search-results > li')].map(li => ({
            href: new URL(li.querySelector('a').href).pathname,
            title: li.querySelector('a').textContent,
            about: li.querySelector('.pa-search__about')?.textContent ?? '',
        }))"""
    )


def test_clubhouse_finds_every_clubhouse_record_with_its_kind_and_commune(site, serve_site, page_at):
    found = results(search(page_at, serve_site(site), "clubhouse"))
    by_page = {result["href"]: result for result in found}
    for clubhouse in CLUBHOUSES:
        assert f"/structures/{clubhouse}/" in by_page, f"{clubhouse} not found: {[r['href'] for r in found]}"
    lyon = by_page["/structures/clubhouse-lyon/"]
    assert lyon["about"] == "Collectif d'entraide et d'insertion · À confirmer · Lyon (69)"
    # The records come before the guides that mention them.
    assert {r["href"] for r in found[: len(CLUBHOUSES)]} <= {f"/structures/{c}/" for c in CLUBHOUSES} | {"/structures/clubhouse-france/"}


def test_lyon_finds_clubhouse_de_lyon_first(site, serve_site, page_at):
    page = search(page_at, serve_site(site), "Lyon")
    found = results(page)
    assert (found[0]["href"], found[0]["title"]) == ("/structures/clubhouse-lyon/", "Clubhouse de Lyon")
    assert page.locator("#pa-search-status").inner_text() == f"{len(found)} résultats pour « Lyon »."


def test_a_departement_number_finds_its_page_first(site, serve_site, page_at):
    first = results(search(page_at, serve_site(site), "92"))[0]
    assert first == {"href": "/departements/92/", "title": "Hauts-de-Seine (92)", "about": "Département · Île-de-France"}


def test_words_are_matched_without_accents_and_by_their_stem(site, serve_site, page_at):
    """French stemming: « eclaircie » finds « L'Éclaircie », « accompagnés » finds « accompagné »."""
    base = serve_site(site)
    assert results(search(page_at, base, "eclaircie"))[0]["href"] == "/structures/gem-l-eclaircie/"
    assert "/guides/emploi-accompagne/" in [r["href"] for r in results(search(page_at, base, "accompagnés"))]


def test_a_mistyped_word_is_searched_by_the_words_near_it_and_the_answer_says_so(site, serve_site, page_at):
    """A person on a phone slips: « clubouse » finds the Clubhouses, and the answer says it searched near words."""
    base = serve_site(site)
    page = search(page_at, base, "clubouse")
    found = [result["href"] for result in results(page)]
    assert {f"/structures/{clubhouse}/" for clubhouse in CLUBHOUSES} <= set(found)
    assert re.fullmatch(
        r"\d+ résultats pour « clubouse ». Nous n'avons pas trouvé le mot « clubouse ». Nous avons cherché des mots qui lui ressemblent.",
        page.locator("#pa-search-status").inner_text(),
    )
    assert "clubhouse" in page.locator("#pa-search-results mark").first.inner_text().lower()  # what was found, marked
    # Two letters swapped; a word typed right beside it is searched as it is.
    page = search(page_at, base, "eclaircei fontenay")
    assert results(page)[0]["href"] == "/structures/gem-l-eclaircie/"
    assert "le mot « eclaircei »" in page.locator("#pa-search-status").inner_text()
    assert "fontenay" not in page.locator("#pa-search-status").inner_text().split(".", 1)[1]


@pytest.mark.parametrize("typed", ["vlubhouse", "lcubhouse", "xclubhouse"])
def test_a_slip_in_the_first_two_letters_is_searched_in_the_files_of_the_keys_beside(site, serve_site, page_at, typed):
    """The word is then in another file of the index: « v » for « c » (side by side on the keyboard),
    « lc » for « cl », a letter typed first."""
    page = search(page_at, serve_site(site), typed)
    assert {f"/structures/{clubhouse}/" for clubhouse in CLUBHOUSES} <= {result["href"] for result in results(page)}
    assert f"Nous n'avons pas trouvé le mot « {typed} ». Nous avons cherché des mots qui lui ressemblent." in (
        page.locator("#pa-search-status").inner_text()
    )


def test_an_unknown_word_says_so_and_where_to_look(site, serve_site, page_at):
    page = search(page_at, serve_site(site), "zzzqqq")
    assert page.locator("#pa-search-status").inner_text().startswith("Aucun résultat pour « zzzqqq »")
    assert page.locator("#pa-search-results").is_hidden()
    assert page.get_by_role("link", name="Par région et par département").is_visible()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_keyboard_only_search_from_any_page(site, serve_site, page_at, viewport):
    """Tab to the header's search, type, Enter, hear the count, Tab to a result, Enter: its page opens."""
    base = serve_site(site)
    page = page_at(base + "guides/", viewport=VIEWPORTS[viewport])
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.pa-search-box') !== null"):
            break
    else:
        pytest.fail("the header's search box cannot be reached with Tab")
    focused = page.evaluate("document.activeElement.id || document.activeElement.className")
    if viewport == "phone":  # only the button shows: it opens the search page, its box focused
        assert "pa-search-box__button" in focused
        page.keyboard.press("Enter")
        page.wait_for_url("**/recherche/**")
        page.wait_for_function("() => document.activeElement.id === 'pa-search-q'")
    else:
        assert focused == "pa-search-box-q"
    page.keyboard.type("lyon")
    page.keyboard.press("Enter")
    page.wait_for_url("**/recherche/#q=lyon")
    # The words stay in the address's fragment: the server never receives them.
    assert [url for url in page.requests if "lyon" in url] == []
    status = page.locator("#pa-search-status")
    status.filter(has_text="résultats pour « lyon »").wait_for()
    assert status.get_attribute("role") == "status"
    assert page.evaluate("document.activeElement.id") == "pa-search-q"
    page.keyboard.press("Tab")  # the « Rechercher » button
    page.keyboard.press("Tab")  # the first result
    assert page.evaluate("document.activeElement.textContent") == "Clubhouse de Lyon"
    page.keyboard.press("Enter")
    page.wait_for_url("**/structures/clubhouse-lyon/")


def test_typing_on_the_search_page_updates_the_results_and_the_address(site, serve_site, page_at):
    page = page_at(serve_site(site) + "recherche/")
    assert page.evaluate("document.activeElement.id") == "pa-search-q"
    page.keyboard.type("clubhouse", delay=30)
    page.locator("#pa-search-status").filter(has_text="pour « clubhouse »").wait_for()
    assert page.url.endswith("recherche/#q=clubhouse")
    page.locator("#pa-search-q").fill("92")
    page.locator("#pa-search-status").filter(has_text="pour « 92 »").wait_for()
    assert results(page)[0]["href"] == "/departements/92/"


def test_a_search_from_an_easy_read_page_leads_to_easy_read_records(site, serve_site, page_at):
    base = serve_site(site)
    page = page_at(base + "facile/structures/clubhouse-lyon/")
    page.locator("#pa-search-box-q").fill("lyon")
    page.locator("#pa-search-box-q").press("Enter")
    page.wait_for_url("**/recherche/#q=lyon&facile=1")
    page.locator("#pa-search-status").filter(has_text="pour « lyon »").wait_for()
    assert results(page)[0]["href"] == "/facile/structures/clubhouse-lyon/"


def test_an_easy_read_search_without_result_answers_in_short_sentences_with_a_next_step(site, serve_site, page_at):
    page = page_at(serve_site(site) + "recherche/#q=zzzqqq&facile=1")
    status = page.locator("#pa-search-status")
    status.filter(has_text="Nous n'avons rien trouvé pour « zzzqqq ».").wait_for()
    sentences = [s for s in re.split(r"(?<=[.:])\s+", status.inner_text()) if s]
    assert sentences and all(len(sentence.split()) <= 15 for sentence in sentences), sentences
    assert "département" not in status.inner_text() and "annuaire" not in status.inner_text()
    status.get_by_role("link", name="Trouver un lieu près de chez vous").click()
    # Words that name no town are not taken for one: the finder waits for a place, as when opened.
    page.wait_for_url("**/trouver/")
    page.locator("#pa-finder-place").wait_for()
    assert page.locator("#pa-finder-place").input_value() == ""
    assert page.locator("#pa-finder-status").inner_text() == "" and page.locator("#pa-finder-results").get_attribute("aria-busy") is None
    # Not from an easy-read page: the directory's words, as before.
    page = page_at(serve_site(site) + "recherche/#q=zzzqqq")
    page.locator("#pa-search-status").filter(has_text="Aucun résultat pour « zzzqqq ».").wait_for()
    assert "ville" not in page.locator("#pa-search-status").inner_text().split(" ou parcourez")[0]


def test_a_town_or_a_postcode_without_result_leads_to_the_nearest_places(site, serve_site, page_at):
    """« montreuil » or « 93100 » has no record: « Essayez un nom de ville » was no answer to a town's name."""
    base = serve_site(site)
    page = search(page_at, base, "93100")
    status = page.locator("#pa-search-status")
    assert "Pour les lieux les plus proches d'une ville ou d'un code postal : Trouver un lieu." in status.inner_text()
    status.get_by_role("link", name="Trouver un lieu").click()
    page.wait_for_url("**/trouver/?cp=93100")
    page.locator("#pa-finder-status").filter(has_text="Montreuil").wait_for()
    # A town's name is handed over too, and searched there: the person does not type it again.
    page = search(page_at, base, "nanterre")
    page.locator("#pa-search-status").get_by_role("link", name="Trouver un lieu").click()
    page.locator("#pa-finder-status").filter(has_text="près de Nanterre.").wait_for()
    assert "insee=92050" in page.url and "lieu=" not in page.url
    page.go_back()  # to the search, not to the link, which would search again
    page.wait_for_url("**/recherche/#q=nanterre")
    # A name several towns share: the person chooses, as when typed there.
    page = search(page_at, base, "montreuil")
    assert page.locator("#pa-search-status a").get_attribute("href") == base + "trouver/?lieu=montreuil"
    page.locator("#pa-search-status a").click()
    page.locator("#pa-finder-status").filter(has_text="Plusieurs communes s’appellent « montreuil ».").wait_for()
    assert page.locator(".pa-finder__result").count() == 0 and page.locator(".pa-finder__suggestion").count() > 1


def test_an_address_with_its_words_in_the_query_still_searches_and_keeps_them_in_the_fragment(site, serve_site, page_at):
    """A form sent without JavaScript, or an older link, asks with ?q=…: the page answers, and the
    address it keeps (shared, bookmarked) holds the words in its fragment only."""
    page = page_at(serve_site(site) + "recherche/?q=lyon")
    page.locator("#pa-search-status").filter(has_text="pour « lyon »").wait_for()
    assert results(page)[0]["title"] == "Clubhouse de Lyon"
    page.locator("#pa-search-q").fill("lyon clubhouse")
    page.locator("#pa-search-status").filter(has_text="pour « lyon clubhouse »").wait_for()
    assert page.url.endswith("recherche/#q=lyon+clubhouse")


def test_more_results_on_request_focus_the_first_new_one(site, serve_site, page_at):
    page = search(page_at, serve_site(site), "entraide")
    assert len(results(page)) == 10
    page.locator("#pa-search-more").click()
    page.wait_for_function("() => document.querySelectorAll('#pa-search-results > li').length > 10")
    assert page.evaluate("document.activeElement === document.querySelectorAll('#pa-search-results > li a')[10]")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_no_axe_violation_with_results(site, serve_site, page_at, axe_violations, format_violations, viewport):
    page = search(page_at, serve_site(site), "clubhouse", VIEWPORTS[viewport])
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    if viewport == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_390["width"], "the page scrolls sideways"


def test_search_runs_under_the_policy_and_contacts_no_other_host(site, serve_site, page_at, external_requests):
    page = search(page_at, serve_site(site), "clubhouse")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__csp") == []
    assert external_requests(page) == []
    index = [urlsplit(url).path for url in page.requests if f"/{BUNDLE_FOLDER}/" in url]
    # The entry, the file of the words starting « cl », and the results' document file: nothing else.
    assert sorted(index) == [f"/{BUNDLE_FOLDER}/fiches/0.json", f"/{BUNDLE_FOLDER}/index.json", f"/{BUNDLE_FOLDER}/mots/cl.json"]


def test_without_javascript_the_page_says_so_and_offers_the_lists(site, serve_site, chromium):
    context = chromium.new_context(java_script_enabled=False, viewport=DESKTOP)
    try:
        page = context.new_page()
        page.goto(serve_site(site) + "guides/")
        page.locator("#pa-search-box-q").fill("lyon")
        page.locator("#pa-search-box-q").press("Enter")
        page.wait_for_url("**/recherche/?q=lyon")
        assert "La recherche a besoin de JavaScript" in page.locator("#pa-search-nojs").inner_text()
        assert page.get_by_role("link", name="trouver une structure près d'une ville").is_visible()
        assert page.get_by_role("link", name="Groupes d'entraide mutuelle (GEM)").count() >= 1
    finally:
        context.close()


def test_one_search_box_per_page(site, serve_site, page_at):
    base = serve_site(site)
    for path in ("", "structures/clubhouse-lyon/", "departements/92/", "recherche/"):
        page = page_at(base + path, wait="load")
        assert page.locator("input[type=search]").count() == 1, path
        assert page.locator(".md-search").count() == 0, f"{path}: Material's search box is still there"

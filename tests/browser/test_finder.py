"""The finder (/trouver/) in headless Chromium, on the real site built from data/."""

from __future__ import annotations

import pytest

from generator.geo.gazetteer import Gazetteer, normalize
from tests.browser.conftest import PHONE, _is_local

FONTENAY = {"latitude": 48.7896, "longitude": 2.2867}


@pytest.fixture
def finder_at(chromium, serve_site, built_site):
    """``finder_at(query, geolocation=None, viewport=PHONE, site=built_site, clock=None, time_zone=None) -> Page`` on /trouver/<query>.

    Nothing leaves 127.0.0.1; ``page.requests`` logs every request URL, ``page.errors``
    the script's errors, ``page.base`` is the site's address. ``clock`` fixes the
    browser's date and time, ``time_zone`` the visitor's (the machine's by default).
    """
    contexts = []

    def _open(query: str = "", geolocation: dict | None = None, viewport: dict | None = None, site=None, clock=None, time_zone=None):
        options = {"geolocation": geolocation, "permissions": ["geolocation"]} if geolocation else {}
        if time_zone:
            options["timezone_id"] = time_zone
        context = chromium.new_context(viewport=viewport or PHONE, locale="fr-FR", service_workers="block", **options)
        contexts.append(context)
        context.set_default_timeout(15_000)
        context.route("**/*", lambda route: route.continue_() if _is_local(route.request.url) else route.abort("blockedbyclient"))
        page = context.new_page()
        page.requests, page.errors = [], []
        page.on("request", lambda request: page.requests.append(request.url))
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        if clock:
            page.clock.set_fixed_time(clock)
        page.base = serve_site(site or built_site)
        page.goto(f"{page.base}trouver/{query}")
        page.wait_for_load_state("networkidle")
        return page

    yield _open
    for context in contexts:
        context.close()


def status(page) -> str:
    return page.locator("#pa-finder-status").inner_text().strip()


def names(page, kind_heading: str = "") -> list[str]:
    group = page.locator(".pa-finder__group", has_text=kind_heading) if kind_heading else page.locator(".pa-finder__group").first
    return [name.strip() for name in group.locator(".pa-finder__name").all_inner_texts()]


def wait_for_results(page, text: str) -> None:
    page.wait_for_function("t => document.getElementById('pa-finder-status').textContent.includes(t)", arg=text)


def test_around_me_puts_the_nearest_gem_first(finder_at):
    page = finder_at("?type=gem&autour=1", geolocation=FONTENAY)
    assert page.locator("#pa-finder-offer").is_visible()
    page.get_by_role("button", name="Autour de moi").click()
    wait_for_results(page, "près de vous")
    assert names(page)[0] == "GEM L'Éclaircie"
    assert "position approximative" in page.locator(".pa-finder__where").first.inner_text()
    # The search is in the address, the position is not (test_finder_answers.py follows it).
    assert page.url.endswith("/trouver/?type=gem")
    assert page.errors == []


def test_refused_geolocation_says_what_to_do(finder_at):
    page = finder_at("?type=gem")  # no permission granted: the browser refuses
    page.get_by_role("button", name="Autour de moi").click()
    message = page.locator("#pa-finder-message")
    message.wait_for(state="visible")
    assert "Vous n’avez pas autorisé la localisation" in message.inner_text()
    assert "tapez votre code postal ou votre ville" in message.inner_text()
    assert "lat=" not in page.url


def test_typing_a_postcode_finds_the_same_gem(finder_at):
    page = finder_at("?type=gem")
    page.fill("#pa-finder-place", "92260")
    page.get_by_role("button", name="Rechercher").click()
    wait_for_results(page, "3 GEM trouvés près de Fontenay-aux-Roses")
    assert names(page)[0] == "GEM L'Éclaircie"
    assert "cp=92260" in page.url and "type=gem" in page.url


@pytest.mark.parametrize(
    ("postcode", "near"),
    [
        ("93300", "près d’Aubervilliers."),
        ("94270", "près du Kremlin-Bicêtre."),
        ("93260", "près des Lilas."),
        ("92260", "près de Fontenay-aux-Roses."),
    ],
)
def test_the_place_searched_is_named_in_french(finder_at, postcode, near):
    """« près d’Aubervilliers », not « près de Aubervilliers »: what a person reads first."""
    page = finder_at(f"?type=gem&cp={postcode}")
    wait_for_results(page, "GEM trouvés")
    assert status(page).endswith(near), status(page)


def test_collectif_nearest_to_lyon_1er(finder_at):
    page = finder_at("?type=collectif&cp=69001")
    wait_for_results(page, "près de Lyon 1er Arrondissement")
    assert names(page)[0] == "Clubhouse de Lyon"


def test_suggestions_accept_missing_accents_and_st(finder_at):
    page = finder_at()
    page.fill("#pa-finder-place", "st etienne")
    suggestion = page.locator(".pa-finder__suggestion").first
    suggestion.wait_for()
    assert suggestion.inner_text() == "Saint-Étienne (42000) — Loire"
    page.fill("#pa-finder-place", "fontenay aux roses")
    page.locator(".pa-finder__suggestion", has_text="Fontenay-aux-Roses (92260) — Hauts-de-Seine").click()
    wait_for_results(page, "près de Fontenay-aux-Roses")
    assert "insee=92032" in page.url and "cp=92260" in page.url


def test_facets_combine(finder_at):
    page = finder_at("?cp=92260&type=collectif")
    wait_for_results(page, "collectifs d'entraide trouvés")
    assert len(names(page)) == 5
    page.locator("summary", has_text="Plus de critères").click()
    page.select_option("#pa-finder-reg", "84")
    # Lyon, 388 km away: not « près de Fontenay-aux-Roses »; and the five nearer ones are known, outside the région chosen.
    wait_for_results(page, "Aucun collectif d'entraide connu à moins de 100 km de Fontenay-aux-Roses avec vos critères : le plus proche")
    assert "1 collectif d'entraide trouvé plus loin." in status(page)
    assert names(page) == ["Clubhouse de Lyon"]
    assert "reg=84" in page.url and "type=collectif" in page.url
    page.check("input[name=ouvert]")  # no record gives its hours: never shown as open, nor as closed
    wait_for_results(page, "Aucun collectif d'entraide indiqué ouvert aujourd’hui plus loin.")
    assert "1 collectif d'entraide sans horaires renseignés" in status(page)
    assert "ouvert=1" in page.url
    page.select_option("#pa-finder-type", "clsm")
    wait_for_results(page, "Aucun CLSM trouvé")
    assert page.locator(".pa-finder__empty", has_text="Retirez un critère").is_visible()


def test_empty_result_suggests_the_nearest_of_another_kind(finder_at):
    page = finder_at("?cp=92260&type=clsm")
    wait_for_results(page, "Aucun CLSM trouvé près de Fontenay-aux-Roses")
    other = page.locator(".pa-finder__empty", has_text="Le lieu le plus proche d’un autre type")
    other.wait_for()
    assert "GEM L'Éclaircie" in other.inner_text()


def test_an_empty_answer_far_from_every_place_still_gives_a_next_step(finder_at):
    # Saint-Denis (La Réunion): the nearest place of the shipped data is in Lyon, 9,000 km away.
    page = finder_at("?cp=97400&type=esms")
    wait_for_results(page, "Aucun établissement ou service (ESMS) trouvé près de Saint-Denis")
    empty = page.locator(".pa-finder__empty")
    guide = empty.get_by_role("link", name="Comprendre ce que c’est, pour qui, et comment y aller")
    assert guide.get_attribute("href") == f"{page.base}guides/esms-mdph/"
    page.wait_for_load_state("networkidle")  # the alternatives are looked for
    assert "Le lieu le plus proche" not in empty.inner_text()  # not a place hours away
    assert not page.errors
    guide.click()
    page.wait_for_url(f"{page.base}guides/esms-mdph/")
    assert "MDPH" in page.locator("h1").inner_text()


def test_url_round_trips_with_back_and_forward(finder_at):
    page = finder_at("?type=gem&cp=92260&public=troubles_psychiques")
    wait_for_results(page, "3 GEM trouvés")
    # URL → state
    assert page.input_value("#pa-finder-type") == "gem"
    assert page.input_value("#pa-finder-place") == "92260"
    assert page.input_value("#pa-finder-public") == "troubles_psychiques"
    assert page.locator("#pa-finder-more").get_attribute("open") is not None
    # state → URL
    page.select_option("#pa-finder-type", "collectif")
    wait_for_results(page, "5 collectifs d'entraide trouvés")
    assert "type=collectif" in page.url and "cp=92260" in page.url and "public=troubles_psychiques" in page.url
    page.go_back()
    wait_for_results(page, "3 GEM trouvés")
    assert "type=gem" in page.url and page.input_value("#pa-finder-type") == "gem"
    page.go_forward()
    wait_for_results(page, "5 collectifs d'entraide trouvés")
    assert page.input_value("#pa-finder-type") == "collectif"


def test_keyboard_only(finder_at):
    page = finder_at()

    def tab_until(selector: str, limit: int = 40) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate("s => document.activeElement.matches(s)", selector):
                outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
                assert outline != "none", f"no visible focus on {selector}"
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_until("#pa-finder-place")
    page.keyboard.type("fontenay-aux")
    # The list of the whole text, not one shown for the letters typed before (a loaded machine may
    # type slower than the list's 120 ms pause): that one is redrawn, and the focus lost with it.
    page.locator('#pa-finder-suggestions[data-for="fontenay-aux"] .pa-finder__suggestion').first.wait_for()
    tab_until(".pa-finder__suggestion", limit=1)
    assert page.evaluate("() => document.activeElement.textContent") == "Fontenay-aux-Roses (92260) — Hauts-de-Seine"
    page.keyboard.press("Enter")
    wait_for_results(page, "près de Fontenay-aux-Roses")
    assert page.evaluate("() => document.activeElement.id") == "pa-finder-place"
    tab_until("button[type=submit]", limit=1)
    tab_until(".pa-finder__name")
    assert page.evaluate("() => document.activeElement.textContent") == "GEM L'Éclaircie"


def test_results_are_announced_in_a_polite_live_region(finder_at):
    page = finder_at()
    region = page.locator("#pa-finder-status")
    assert region.get_attribute("aria-live") == "polite" and region.inner_text() == ""
    page.fill("#pa-finder-place", "92260")
    page.select_option("#pa-finder-type", "gem")
    page.get_by_role("button", name="Rechercher").click()
    wait_for_results(page, "3 GEM trouvés près de Fontenay-aux-Roses.")


@pytest.mark.parametrize(
    "query, ready",
    [
        ("", None),
        ("?cp=92260&type=gem", "3 GEM trouvés"),
        ("?cp=92260&type=clsm&ouvert=1", "Aucun CLSM trouvé"),
    ],
)
def test_no_axe_violation(finder_at, axe_violations, format_violations, query, ready):
    page = finder_at(query)
    if ready:
        wait_for_results(page, ready)
        page.wait_for_load_state("networkidle")
    else:
        page.locator("#pa-finder").wait_for()
    violations = axe_violations(page)
    assert not violations, format_violations(violations)


def test_script_normalize_agrees_with_the_gazetteer(finder_at):
    names_ = sorted({c.nom for c in Gazetteer.load().communes()})
    samples = names_ + [
        "ST ETIENNE",
        "Ste-Foy-lès-Lyon",
        "L'Haÿ-les-Roses",
        "Œuvre d'Æthel",
        "  São_Paulo--  ",
        "e\u0301cole",
        "Straße",
        "İstanbul",
        "ﬁnance ①",
        "Saint\u00a0Denis\tSTS stes",
        "",
    ]
    in_browser = finder_at().evaluate("xs => xs.map(window.PasserelleFinder.normalize)", samples)
    mismatches = [(s, js, normalize(s)) for s, js in zip(samples, in_browser, strict=True) if js != normalize(s)]
    assert not mismatches, mismatches[:10]
    assert in_browser[samples.index("ST ETIENNE")] == "saint etienne"


def test_a_postcode_search_loads_its_postcode_file_only(finder_at):
    page = finder_at("?cp=92260")
    wait_for_results(page, "près de Fontenay-aux-Roses")
    requested = page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)")
    communes = [url for url in requested if "/trouver/donnees/communes/" in url]
    assert len(communes) == 1 and "communes/cp-92.json?v=" in communes[0]
    assert page.errors == []


def test_category_link_from_the_orientation_pages(finder_at):
    page = finder_at("?type=ressource&categorie=centre_ressource&reg=11")
    wait_for_results(page, "1 ressource trouvée")
    assert names(page) == ["Céapsy Île-de-France — Centre ressource troubles psychiques"]
    assert page.input_value("#pa-finder-cat") == "centre_ressource"
    assert "sans adresse dans l’annuaire" in page.locator(".pa-finder__where").first.inner_text()


NOT_DONE = "La recherche n’a pas pu se faire. Vérifiez votre connexion et réessayez."


@pytest.mark.parametrize(
    ("place", "retried"),
    [
        ("93100", "GEM trouvés près de Montreuil."),
        ("Montreuil", "Plusieurs communes s’appellent « Montreuil »."),
        ("Autour de moi", "GEM trouvés près de vous."),
    ],
)
def test_a_data_file_that_fails_to_load_is_said_never_blamed_on_the_place(finder_at, place, retried):
    # On a patchy phone connection: the postcode file failed, and the finder said « Nous ne
    # connaissons pas le code postal « 93100 » » (a name typed showed nothing at all).
    page = finder_at("?type=gem", geolocation=FONTENAY)
    wait_for_results(page, "3 GEM trouvés.")

    def search() -> None:
        if place == "Autour de moi":
            page.get_by_role("button", name="Autour de moi").click()
        else:
            page.fill("#pa-finder-place", place)
            page.get_by_role("button", name="Rechercher").click()

    communes = "**/trouver/donnees/communes/**"
    page.route(communes, lambda route: route.abort())
    search()
    wait_for_results(page, NOT_DONE)
    assert status(page) == NOT_DONE and page.locator("#pa-finder-message").inner_text() == NOT_DONE
    assert page.locator(".pa-finder__result").count() == 0  # nothing left from the search before
    # « Réessayez »: once the connection is back, the same action finds the place.
    page.unroute(communes)
    search()
    wait_for_results(page, retried)
    assert not page.locator("#pa-finder-message").is_visible()
    assert page.errors == []

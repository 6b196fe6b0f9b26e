# ruff: noqa: F811
"""The finder never claims more than its data says (issue 13, section 2), in headless Chromium.

Most tests run on the shipped site. One sample site adds SYNTHÉTIQUE records to a
copy of data/ (opening hours, a CLSM covering Paris, a MDPH covering the
Hauts-de-Seine) and sets the resource centre's coverage wording and contact.
"""

from __future__ import annotations

import re
import shutil
import textwrap
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from generator.geo.gazetteer import Gazetteer
from generator.site.orientation import load_tree

# The fixture `finder_at` is shared with test_finder.py: tests take it as a parameter of the same name.
from tests.browser.test_finder import finder_at, status, wait_for_results  # noqa: F401
from tests.records import VERIFIED
from tests.sitebuild import ROOT, build_site

FONTENAY = {"latitude": 48.7896, "longitude": 2.2867}
# Wednesday: the sample's « closed on Wednesdays » GEM is closed.
WEDNESDAY = datetime(2026, 11, 25, 10, 0)
SAMPLE_NOTE = "Ce répertoire d'essai ne liste pas tous les {lieux}."
SAMPLE_CONTACT = "contact@example.org"


def synthetic(kind: str, name: str, lines: str) -> str:
    return (
        f'type: {kind}\nnom: "SYNTHÉTIQUE {name}"\n'
        + textwrap.dedent(lines)
        + textwrap.dedent(
            f"""\
        sources:
          - titre: "Donnée synthétique des tests"
            document: "Fiche d'essai : ne décrit aucune structure réelle."
            date: "{VERIFIED}"
        verifie_le: {VERIFIED}
        """
        )
    )


SAMPLE_RECORDS = {
    "gem/synthetique-gem-ouvert-tous-les-jours.yaml": synthetic(
        "gem",
        "GEM ouvert tous les jours",
        """\
        statut: actif
        adresse: {code_postal: "92220", commune: Bagneux}
        horaires: "24/7"
        publics: [troubles_psychiques]
        accessibilite: {pmr: true}
        """,
    ),
    "gem/synthetique-gem-ferme-le-mercredi.yaml": synthetic(
        "gem",
        "GEM fermé le mercredi",
        """\
        adresse: {code_postal: "92320", commune: Châtillon}
        horaires: "Mo,Tu,Th,Fr,Sa,Su 10:00-17:00"
        publics: [troubles_psychiques]
        accessibilite: {pmr: false}
        """,
    ),
    "gem/synthetique-gem-ouvert-en-semaine.yaml": synthetic(
        "gem",
        "GEM ouvert en semaine",
        # No statut: its hours say it opens today, but nothing says it still receives (« À confirmer »).
        """\
        adresse: {code_postal: "92120", commune: Montrouge}
        horaires: "Mo-Fr 10:00-18:00"
        publics: [troubles_psychiques]
        """,
    ),
    "clsm/synthetique-clsm-de-paris.yaml": synthetic(
        "clsm",
        "CLSM de Paris",
        """\
        territoire: {communes: ["75056"]}
        """,
    ),
    "ressource/synthetique-mdph-92.yaml": synthetic(
        "ressource",
        "MDPH des Hauts-de-Seine",
        """\
        categorie: mdph
        territoire: {departements: ["92"]}
        """,
    ),
    # A resource centre one can reach (a number of the range kept for fiction), unlike the shipped Céapsy.
    "ressource/synthetique-centre-ressource-aura.yaml": synthetic(
        "ressource",
        "Centre ressource d'Auvergne-Rhône-Alpes",
        """\
        categorie: centre_ressource
        territoire: {regions: ["84"]}
        telephone: "01 99 00 00 01"
        """,
    ),
}


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("finder-answers")
    data = root / "data"
    shutil.copytree(ROOT / "data", data)
    # Without reference counts, the coverage note follows the number of structures found
    # alone (tests/browser/test_coverage.py tests it beside the counts).
    (data / "references.yaml").unlink()
    for path, text in SAMPLE_RECORDS.items():
        (data / path).parent.mkdir(exist_ok=True)
        (data / path).write_text(text, encoding="utf-8")
    return build_site(
        root / "site",
        data_dir=data,
        coverage_note=SAMPLE_NOTE,
        contact_email=SAMPLE_CONTACT,
        coverage_networks={"gem": ["cnigem"]},
    )


def names_in(locator) -> list[str]:
    return [name.strip() for name in locator.locator(".pa-finder__name").all_inner_texts()]


def record_links(locator) -> list[str]:
    """Identifiers of the records a part of the page links to."""
    return [
        href.rstrip("/").rsplit("/", 1)[-1]
        for href in (a.get_attribute("href") for a in locator.get_by_role("link").all())
        if "/structures/" in href
    ]


def group(page, title: str):
    return page.locator(".pa-finder__group", has=page.get_by_role("heading", level=2, name=re.compile("^" + re.escape(title))))


# --- « Ouvert aujourd'hui » ----------------------------------------------------------


def test_open_today_lists_places_with_unknown_hours_apart(finder_at):
    page = finder_at("?cp=92260&type=gem&ouvert=1")
    wait_for_results(page, "3 GEM sans horaires renseignés : renseignez-vous avant de vous déplacer.")
    assert "Aucun GEM trouvé" not in status(page)
    assert status(page).startswith("Aucun GEM indiqué ouvert aujourd’hui près de Fontenay-aux-Roses.")
    gems = group(page, "Groupes d'entraide mutuelle")
    assert gems.get_by_role("heading", level=3).inner_text() == "Horaires non renseignés — renseignez-vous avant de vous déplacer"
    assert names_in(gems) == ["GEM L'Éclaircie", "GEM Le Cap de Bonne Espérance", "GEM L'Espace convivial citoyen"]
    assert page.errors == []


def test_wheelchair_access_not_said_is_not_taken_for_none(finder_at):
    # No shipped record says whether a wheelchair gets in: the filter answered « Aucun GEM trouvé ».
    page = finder_at("?cp=92260&type=gem&pmr=1")
    wait_for_results(page, "dont l’accessibilité en fauteuil roulant n’est pas renseignée")
    assert status(page) == (
        "Aucun GEM indiqué accessible en fauteuil roulant près de Fontenay-aux-Roses. "
        "3 GEM dont l’accessibilité en fauteuil roulant n’est pas renseignée : renseignez-vous avant de vous déplacer."
    )
    gems = group(page, "Groupes d'entraide mutuelle")
    heading = "Accessibilité en fauteuil roulant non renseignée — renseignez-vous avant de vous déplacer"
    assert gems.get_by_role("heading", level=3).inner_text() == heading
    assert names_in(gems) == ["GEM L'Éclaircie", "GEM Le Cap de Bonne Espérance", "GEM L'Espace convivial citoyen"]
    assert page.errors == []


def test_wheelchair_access_keeps_places_that_say_it_first_and_drops_those_that_say_no(finder_at, sample_site):
    page = finder_at("?cp=92260&type=gem&pmr=1", site=sample_site, clock=WEDNESDAY)
    wait_for_results(page, "1 GEM accessible en fauteuil roulant près de Fontenay-aux-Roses.")
    assert status(page).endswith(
        " 4 GEM dont l’accessibilité en fauteuil roulant n’est pas renseignée : renseignez-vous avant de vous déplacer."
    )
    gems = group(page, "Groupes d'entraide mutuelle")
    accessible, unknown = gems.locator("ol").all()
    assert names_in(accessible) == ["SYNTHÉTIQUE GEM ouvert tous les jours"]
    assert len(names_in(unknown)) == 4 and "SYNTHÉTIQUE GEM fermé le mercredi" not in gems.inner_text()
    # With « Ouvert aujourd'hui » too: a place silent on both is under the first heading, counted once.
    page.check("input[name=ouvert]")
    wait_for_results(page, "1 GEM accessible en fauteuil roulant et ouvert aujourd’hui près de Fontenay-aux-Roses.")
    assert status(page).endswith(
        " 4 GEM dont l’accessibilité en fauteuil roulant n’est pas renseignée : renseignez-vous avant de vous déplacer."
    )
    assert [heading.inner_text() for heading in gems.get_by_role("heading", level=3).all()] == [
        "Accessibilité en fauteuil roulant non renseignée — renseignez-vous avant de vous déplacer"
    ]
    assert page.errors == []


def test_open_today_keeps_open_places_first_and_drops_closed_ones(finder_at, sample_site):
    page = finder_at("?cp=92260&type=gem&ouvert=1", site=sample_site, clock=WEDNESDAY)
    wait_for_results(
        page,
        "1 GEM ouvert aujourd’hui près de Fontenay-aux-Roses. 3 GEM sans horaires renseignés : renseignez-vous avant de vous"
        " déplacer. 1 GEM dont la situation est à confirmer : renseignez-vous avant de vous déplacer.",
    )
    gems = group(page, "Groupes d'entraide mutuelle")
    open_list, unknown_list, unconfirmed_list = gems.locator("ol").all()
    assert names_in(open_list) == ["SYNTHÉTIQUE GEM ouvert tous les jours"]
    assert len(names_in(unknown_list)) == 3 and "SYNTHÉTIQUE GEM fermé le mercredi" not in gems.inner_text()
    # Open today by its hours, but its record does not say it still receives: listed apart, never as open.
    assert names_in(unconfirmed_list) == ["SYNTHÉTIQUE GEM ouvert en semaine"]
    assert "Horaires d’aujourd’hui, à confirmer : 10 h – 18 h" in unconfirmed_list.inner_text()
    assert "Ouvert aujourd’hui" not in unconfirmed_list.inner_text() and "Ouvert aujourd’hui" in open_list.inner_text()
    assert [heading.inner_text() for heading in gems.get_by_role("heading", level=3).all()] == [
        "Horaires non renseignés — renseignez-vous avant de vous déplacer",
        "Situation à confirmer — renseignez-vous avant de vous déplacer",
    ]
    # Without the filter, the place closed today is listed, and says so.
    page.uncheck("input[name=ouvert]")
    wait_for_results(page, "6 GEM trouvés près de Fontenay-aux-Roses.")
    closed = page.locator(".pa-finder__result", has_text="SYNTHÉTIQUE GEM fermé le mercredi")
    assert "Fermé aujourd’hui" in closed.inner_text()


@pytest.mark.parametrize(
    "criterion, places_heading",
    [
        ("ouvert", "Horaires non renseignés — renseignez-vous avant de vous déplacer"),
        ("pmr", "Accessibilité en fauteuil roulant non renseignée — renseignez-vous avant de vous déplacer"),
    ],
)
def test_a_record_without_an_address_is_never_told_to_check_before_going(finder_at, criterion, places_heading):
    # Céapsy, Unafam and the documents of the CCOMS were under « … renseignez-vous avant de vous déplacer »:
    # there is nowhere to go, and their pages say how to reach them.
    page = finder_at(f"?cp=92260&{criterion}=1")
    wait_for_results(page, "pour savoir comment prendre contact.")
    territory = group(page, "Pour votre territoire")
    headings = [heading.inner_text() for heading in territory.get_by_role("heading", level=3).all()]
    assert headings == [places_heading, "Sans adresse dans l’annuaire — ouvrez la fiche pour savoir comment prendre contact"]
    places, addressless = territory.locator("ol").all()
    assert names_in(places) == ["Association Clubhouse France"]
    unplaced = names_in(addressless)
    assert len(unplaced) == 11 and any(name.startswith("Céapsy") for name in unplaced)
    assert addressless.locator(".pa-finder__where", has_text="sans adresse dans l’annuaire").count() == 11
    assert status(page).endswith(" 11 résultats sans adresse dans l’annuaire : ouvrez les fiches pour savoir comment prendre contact.")
    assert "déplacer" not in addressless.inner_text()
    # The places keep the advice.
    assert group(page, "Groupes d'entraide mutuelle").get_by_role("heading", level=3).inner_text() == places_heading
    assert page.errors == []


# --- Far from everything --------------------------------------------------------------


def test_a_nearest_place_hours_away_is_never_said_near(finder_at):
    # « 3 GEM trouvés près de Marseille », the first at 657 km; from La Réunion, at 9,367 km.
    page = finder_at("?type=gem&cp=13001&insee=13055")
    wait_for_results(page, "GEM trouvés plus loin.")
    assert status(page) == "Aucun GEM connu à moins de 100 km de Marseille : le plus proche est à 657 km. 3 GEM trouvés plus loin."
    # The far places are still listed, each with its distance.
    assert "à 657 km" in page.locator(".pa-finder__where").first.inner_text()
    assert len(names_in(group(page, "Groupes d'entraide mutuelle"))) == 3
    reunion = finder_at("?type=gem&cp=97400")
    wait_for_results(reunion, "GEM trouvés plus loin.")
    assert re.fullmatch(
        r"Aucun GEM connu à moins de 100 km de Saint-Denis : le plus proche est à 9\s367 km\. 3 GEM trouvés plus loin\.", status(reunion)
    )
    assert page.errors == [] and reunion.errors == []


def test_in_a_list_of_every_kind_a_kind_hours_away_says_so_above_its_places(finder_at):
    # From Lyon, a collectif is near and the list says « près de Lyon »; the GEM below it are hundreds of km away.
    page = finder_at("?cp=69001")
    wait_for_results(page, "près de Lyon 1er Arrondissement.")
    gems = group(page, "Groupes d'entraide mutuelle")
    assert re.fullmatch(
        r"Aucun GEM connu à moins de 100 km de Lyon 1er Arrondissement : le plus proche est à [\d\s]+ km\.",
        gems.locator(".pa-finder__note").inner_text(),
    )
    assert group(page, "Collectifs d'entraide").locator(".pa-finder__note").count() == 0
    # Asked for GEM alone, the summary says it, and the list does not say it twice.
    only = finder_at("?cp=69001&type=gem")
    wait_for_results(only, "Aucun GEM connu à moins de 100 km")
    assert group(only, "Groupes d'entraide mutuelle").locator(".pa-finder__note").count() == 0
    assert page.errors == [] and only.errors == []


def test_the_summary_counts_places_apart_from_what_serves_the_whole_territory(finder_at):
    # « 19 lieux trouvés près de Marseille »: eleven were national networks and documents, and
    # the nearest place was 278 km away.
    page = finder_at("?cp=13001&insee=13055")
    wait_for_results(page, "plus loin.")
    served = group(page, "Pour votre territoire").locator(".pa-finder__result").count()
    places = page.locator(".pa-finder__result").count() - served
    assert served and places
    assert status(page) == (
        f"{served} résultats trouvés pour votre territoire. Aucun autre lieu connu à moins de 100 km de Marseille :"
        f" le plus proche est à 278 km. {places} lieux trouvés plus loin."
    )
    # Near a place too, the places are counted apart: a national network is not « près de Fontenay-aux-Roses ».
    near = finder_at("?cp=92260")
    wait_for_results(near, "près de Fontenay-aux-Roses.")
    served = group(near, "Pour votre territoire").locator(".pa-finder__result").count()
    places = near.locator(".pa-finder__result").count() - served
    assert served and places
    assert status(near) == (f"{places} lieux trouvés près de Fontenay-aux-Roses. {served} résultats trouvés pour votre territoire.")


# --- Regional and national resources -------------------------------------------------


def test_resources_serving_the_place_are_listed_apart_without_a_distance(finder_at):
    page = finder_at("?type=ressource&cp=92260")
    # Only records serving the whole territory: none is said « près de Fontenay-aux-Roses ».
    wait_for_results(page, "ressources trouvées pour votre territoire.")
    assert "près de" not in status(page)
    territory = group(page, "Pour votre territoire")
    ceapsy = territory.locator(".pa-finder__result", has_text="Céapsy")
    assert ceapsy.locator(".pa-finder__where").inner_text() == "Pour toute la région · sans adresse dans l’annuaire"
    # Without an address, hours not given are not said, as on its record page: nowhere to go at those hours.
    assert ceapsy.locator(".pa-finder__details").count() == 0
    clubhouse = territory.locator(".pa-finder__result", has_text="Association Clubhouse France")
    assert clubhouse.locator(".pa-finder__details").inner_text() == "01 30 44 17 49 · Horaires non renseignés"
    unafam = territory.locator(".pa-finder__result", has_text="Unafam")
    assert unafam.locator(".pa-finder__where").inner_text().startswith("Pour toute la France")
    assert " km" not in territory.inner_text()
    # A national network with an office in Paris is in the territory's group, not at 12 km.
    assert "Association Clubhouse France" in names_in(territory)
    assert names_in(page.locator("#pa-finder-results")).count("Association Clubhouse France") == 1

    lyon = finder_at("?type=ressource&cp=69001")
    wait_for_results(lyon, "ressources trouvées pour votre territoire.")
    served = names_in(group(lyon, "Pour votre territoire"))
    assert any(name.startswith("Unafam") for name in served)
    assert not any(name.startswith("Céapsy") for name in served)


def test_a_record_without_an_address_shows_its_phone_and_no_unknown_hours(finder_at, sample_site):
    page = finder_at("?type=ressource&cp=69001", site=sample_site)
    wait_for_results(page, "ressources trouvées pour votre territoire.")
    centre = page.locator(".pa-finder__result", has_text="SYNTHÉTIQUE Centre ressource")
    assert centre.locator(".pa-finder__details").inner_text() == "01 99 00 00 01"


def test_territories_by_departement_and_by_commune(finder_at, sample_site):
    page = finder_at("?cp=92260", site=sample_site)
    wait_for_results(page, "près de Fontenay-aux-Roses.")
    mdph = group(page, "Pour votre territoire").locator(".pa-finder__result", has_text="SYNTHÉTIQUE MDPH")
    assert mdph.locator(".pa-finder__where").inner_text() == "Pour tout le département · sans adresse dans l’annuaire"
    assert "SYNTHÉTIQUE CLSM de Paris" not in page.locator("#pa-finder-results").inner_text()
    # A CLSM covering Paris covers each arrondissement, which a postcode search finds.
    paris = finder_at("?cp=75019&type=clsm", site=sample_site)
    wait_for_results(paris, "1 CLSM trouvé pour votre territoire.")
    clsm = group(paris, "Pour votre territoire").locator(".pa-finder__result")
    assert clsm.locator(".pa-finder__where").inner_text() == "Pour votre commune · sans adresse dans l’annuaire"


def test_the_territory_of_a_position_is_found_on_the_device(finder_at):
    page = finder_at("?type=ressource", geolocation=FONTENAY)
    page.get_by_role("button", name="Autour de moi").click()
    wait_for_results(page, "ressources trouvées pour votre territoire.")
    assert any(name.startswith("Céapsy") for name in names_in(group(page, "Pour votre territoire")))
    # The commune is looked up in a file of a whole square degree, never at the position.
    tiles = [url for url in page.requests if "/communes/pos-" in url]
    assert tiles and all("/communes/pos-48_2.json" in url for url in tiles)


# --- Coverage -------------------------------------------------------------------------


def test_few_structures_near_a_place_say_the_directory_may_not_list_them_all(finder_at):
    page = finder_at("?type=gem&cp=69001")
    wait_for_results(page, "Aucun GEM connu à moins de 100 km de Lyon 1er Arrondissement")
    box = page.locator(".pa-finder__coverage")
    assert (
        box.locator("p").first.inner_text()
        == "Cet annuaire ne recense pas l'ensemble des GEM : d'autres peuvent exister près de chez vous."
    )
    assert record_links(box) == ["cnigem", "ungf"]  # the networks mkdocs.yml names for GEM

    collectifs = finder_at("?type=collectif&cp=92260")
    wait_for_results(collectifs, "collectifs d'entraide trouvés près de Fontenay-aux-Roses.")
    # The network of Clubhouses; not the resource centre of Île-de-France, whose shipped record gives no contact.
    assert record_links(collectifs.locator(".pa-finder__coverage")) == ["clubhouse-france"]


def test_the_coverage_wording_and_contact_are_the_resource_centres(finder_at, sample_site):
    lyon = finder_at("?type=gem&cp=69001", site=sample_site)
    wait_for_results(lyon, "Aucun GEM connu à moins de 100 km de Lyon 1er Arrondissement")
    box = lyon.locator(".pa-finder__coverage")
    assert box.locator("p").first.inner_text() == "Ce répertoire d'essai ne liste pas tous les GEM."
    assert box.get_by_role("link", name=SAMPLE_CONTACT).get_attribute("href") == f"mailto:{SAMPLE_CONTACT}"
    # The resource centre serving Lyon, which gives a phone, then the network the settings name for GEM.
    assert record_links(box) == ["synthetique-centre-ressource-aura", "cnigem"]
    assert "(centre ressource de votre territoire)" in box.inner_text()
    # Six GEM within 30 km of Fontenay-aux-Roses: not « few ».
    near = finder_at("?type=gem&cp=92260", site=sample_site)
    wait_for_results(near, "6 GEM trouvés près de Fontenay-aux-Roses.")
    assert near.locator(".pa-finder__coverage").count() == 0


# --- The decision helper --------------------------------------------------------------


def test_every_outcome_of_the_decision_helper_finds_something_or_says_where_to_look(finder_at, built_site):
    page = finder_at()
    empty = []
    for node_id in load_tree().issues:
        page.goto(f"{page.base}orientation/{node_id}/")
        proposals = page.locator(".pa-proposal").all()
        for number, proposal in enumerate(proposals, start=1):
            find = proposal.locator(".pa-proposal__find a.md-button--primary")
            if find.count() == 0:
                elsewhere = proposal.locator(".pa-proposal__elsewhere")
                assert elsewhere.get_by_role("heading", name="Où chercher").is_visible(), f"{node_id} #{number}"
                assert len(elsewhere.inner_text()) > len("Où chercher") + 20
                continue
            href = find.get_attribute("href")
            finder = finder_at(urlsplit(href).query and "?" + urlsplit(href).query)
            finder.wait_for_function("() => document.getElementById('pa-finder-status').textContent.trim() !== ''")
            if finder.locator(".pa-finder__result").count() == 0:
                empty.append(f"{node_id} #{number}: {href} → {status(finder)}")
            finder.context.close()
    assert empty == []


def test_support_for_a_relative_lists_family_associations_never_a_gem(finder_at):
    page = finder_at()
    page.goto(f"{page.base}orientation/soutien-proches/")
    page.locator(".pa-proposal__find a.md-button--primary").first.click()
    page.wait_for_load_state("networkidle")
    assert parse_qs(urlsplit(page.url).query) == {"type": ["ressource"], "public": ["proches"]}
    page.fill("#pa-finder-place", "92260")
    page.get_by_role("button", name="Rechercher").click()
    wait_for_results(page, "ressources trouvées pour votre territoire.")
    found = names_in(page.locator("#pa-finder-results"))
    assert any(name.startswith("Unafam") for name in found) and any(name.startswith("UNAFTC") for name in found)
    assert not any("GEM" in name.split(" — ")[0] for name in found)


def test_an_empty_category_suggests_the_other_categories_of_the_kind_not_another_kind(finder_at):
    # As `categorie=association` found nothing while Unafam was filed as a national network.
    page = finder_at("?type=ressource&categorie=cmp&cp=92260")
    wait_for_results(page, "Aucune ressource trouvée près de Fontenay-aux-Roses.")
    other = page.locator(".pa-finder__empty p", has_text="Dans une autre catégorie")
    other.wait_for()
    assert "Le lieu le plus proche d’un autre type" not in page.locator("#pa-finder-results").inner_text()
    assert "GEM" not in other.inner_text().replace("CNIGEM", "")
    page.get_by_role("button", name=re.compile("^Voir les ressources de toutes les catégories")).click()
    wait_for_results(page, "ressources trouvées pour votre territoire.")
    assert "categorie=" not in page.url


@pytest.mark.parametrize("how", ["link", "form"])
def test_a_category_chosen_without_a_kind_searches_its_kind(finder_at, how):
    # « Plus de critères » → MDPH, the kind left at « Tous les types de lieux »: a TypeError, and no way on.
    if how == "link":
        page = finder_at("?categorie=mdph&cp=93100")
    else:
        page = finder_at("?cp=93100")
        wait_for_results(page, "près de Montreuil.")
        page.locator("summary", has_text="Plus de critères").click()
        page.select_option("#pa-finder-cat", "mdph")
    wait_for_results(page, "Aucune ressource trouvée près de Montreuil.")
    assert page.input_value("#pa-finder-type") == "ressource"
    empty = page.locator(".pa-finder__empty")
    assert "Choisissez « Tous les types de lieux »" not in empty.inner_text()  # the category would bring its kind back
    empty.locator("p", has_text="Dans une autre catégorie").wait_for()
    page.get_by_role("button", name="Voir les ressources de toutes les catégories").click()
    wait_for_results(page, "ressources trouvées pour votre territoire.")
    assert "categorie=" not in page.url and "type=ressource" in page.url
    assert page.errors == []


def test_a_category_the_form_does_not_list_still_offers_the_other_categories(finder_at):
    # An employer's type, in a link made by hand: no kind to take from the form.
    page = finder_at("?categorie=entreprise_adaptee&cp=93100")
    wait_for_results(page, "trouvé près de Montreuil.")
    page.locator(".pa-finder__empty p", has_text="Dans une autre catégorie").wait_for()
    page.get_by_role("button", name="Voir toutes les catégories").click()
    wait_for_results(page, "trouvés près de Montreuil.")
    assert "categorie=" not in page.url
    assert page.errors == []


# --- Ambiguous places -----------------------------------------------------------------


def test_a_name_shared_by_several_communes_is_never_picked_silently(finder_at, axe_violations, format_violations):
    page = finder_at("?type=gem")
    page.fill("#pa-finder-place", "St Denis")
    page.keyboard.press("Enter")
    wait_for_results(page, "Plusieurs communes s’appellent « St Denis ». Laquelle cherchez-vous ?")
    assert "cp=" not in page.url and page.locator(".pa-finder__result").count() == 0
    choices = page.locator(".pa-finder__suggestion").all_inner_texts()
    assert "Saint-Denis (93200) — Seine-Saint-Denis" in choices and "Saint-Denis (97400) — La Réunion" in choices
    assert page.evaluate("() => document.activeElement.classList.contains('pa-finder__suggestion')")
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    # With the keyboard: down to Seine-Saint-Denis, Enter.
    for _ in range(len(choices)):
        if page.evaluate("() => document.activeElement.textContent") == "Saint-Denis (93200) — Seine-Saint-Denis":
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    wait_for_results(page, "GEM trouvés près de Saint-Denis.")
    assert "insee=93066" in page.url
    first = page.locator(".pa-finder__where").first.inner_text()
    assert re.search(r"à \d+(,\d)? km", first) and int(re.search(r"à (\d+)", first).group(1)) < 30


def test_a_unique_name_is_taken_at_once(finder_at):
    page = finder_at("?type=gem")
    page.fill("#pa-finder-place", "fontenay aux roses")
    page.keyboard.press("Enter")
    wait_for_results(page, "3 GEM trouvés près de Fontenay-aux-Roses.")
    assert "insee=92032" in page.url


def test_the_only_start_of_a_name_is_taken_only_when_long_enough_not_to_be_a_slip(finder_at):
    """« lyn » searched near Lynde (Nord) at once: a person who meant Lyon had no way to see why."""
    page = finder_at("?type=gem")
    page.fill("#pa-finder-place", "lyn")
    page.keyboard.press("Enter")
    wait_for_results(
        page, "Une seule commune commence par « lyn ». Est-ce celle que vous cherchez ? Choisissez-la dans la liste sous le champ."
    )
    assert "cp=" not in page.url and page.locator(".pa-finder__result").count() == 0
    assert page.locator(".pa-finder__suggestion").all_inner_texts() == ["Lynde (59173) — Nord"]
    assert page.evaluate("() => document.activeElement.classList.contains('pa-finder__suggestion')")
    # From five letters on, a slip would have been guessed: the only start is that commune.
    page.fill("#pa-finder-place", "fontenay aux ro")
    page.keyboard.press("Enter")
    wait_for_results(page, "3 GEM trouvés près de Fontenay-aux-Roses.")


@pytest.mark.parametrize(
    ("typed", "question", "first"),
    [
        ("marseile", "Vouliez-vous dire l’une de ces communes ?", "Marseille (13001) — Bouches-du-Rhône"),
        # One commune near it: offered all the same, never taken for what was typed.
        ("nantere", "Vouliez-vous dire cette commune ?", "Nanterre (92000) — Hauts-de-Seine"),
        ("fontenay aux rozes", "Vouliez-vous dire cette commune ?", "Fontenay-aux-Roses (92260) — Hauts-de-Seine"),
        # A slip in the first two letters (« z », beside « a » on the French keyboard) is looked for in other files.
        ("mzrseille", "Vouliez-vous dire l’une de ces communes ?", "Marseille (13001) — Bouches-du-Rhône"),
        ("pnanterre", "Vouliez-vous dire cette commune ?", "Nanterre (92000) — Hauts-de-Seine"),
    ],
)
def test_a_commune_name_with_a_slip_is_offered_never_taken(finder_at, typed, question, first, axe_violations, format_violations):
    """« marseile » said « Nous ne trouvons pas », a dead end for a person who cannot check the spelling."""
    page = finder_at("?type=gem")
    page.fill("#pa-finder-place", typed)
    page.keyboard.press("Enter")
    wait_for_results(page, f"Nous ne trouvons pas « {typed} ». {question} Choisissez-la dans la liste sous le champ.")
    assert "cp=" not in page.url and page.locator(".pa-finder__result").count() == 0
    assert page.locator(".pa-finder__suggestion").all_inner_texts()[0] == first
    assert page.evaluate("() => document.activeElement.classList.contains('pa-finder__suggestion')")
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    page.keyboard.press("Enter")  # the first choice, focused
    wait_for_results(page, first.split(" (")[0])
    assert "cp=" + first.split("(")[1][:5] in page.url


def test_a_short_name_matching_no_commune_is_not_guessed(finder_at):
    """Four letters have too many neighbours: « lyom » could be Lyon as well as Lyoms."""
    page = finder_at("?type=gem")
    page.fill("#pa-finder-place", "lyom")
    page.keyboard.press("Enter")
    wait_for_results(page, "Nous ne trouvons pas « lyom ». Vérifiez le code postal ou le nom de la ville.")


@pytest.mark.parametrize("words", ["travail", "nantere", "manger"])
def test_words_handed_over_by_a_link_are_taken_only_for_a_whole_town_name(finder_at, words):
    """The search hands what it found nothing for to the finder (?lieu=…). « travail » starts the name of
    Travaillan, « nantere » and « manger » are a slip from Nanterre and Mangé: none was asked for here."""
    page = finder_at(f"?lieu={words}&type=gem")
    wait_for_results(page, "GEM trouvés.")
    assert page.locator("#pa-finder-place").input_value() == ""
    assert page.locator(".pa-finder__suggestion").count() == 0 and "près de" not in status(page)
    assert page.url.endswith("/trouver/?type=gem")
    assert page.errors == []


def test_the_script_knows_the_departement_of_every_place(finder_at):
    gazetteer = Gazetteer.load()
    places = gazetteer.communes() + gazetteer.arrondissements()
    codes = finder_at().evaluate("xs => xs.map(window.PasserelleFinder.departementOf)", [c.insee for c in places])
    assert [(c.insee, code) for c, code in zip(places, codes, strict=True) if code != c.departement] == []


# --- Position privacy -----------------------------------------------------------------


def test_a_position_never_leaves_the_device_unless_the_person_shares_a_link(finder_at, chromium):
    page = finder_at("?type=gem&autour=1", geolocation=FONTENAY)
    page.get_by_role("button", name="Autour de moi").click()
    wait_for_results(page, "3 GEM trouvés près de vous.")
    page.reload()
    page.wait_for_load_state("networkidle")
    wait_for_results(page, "3 GEM trouvés près de vous.")
    coordinates = re.compile(r"48[.,_]?7[89]|2[.,_]?2[89]|lat=|lon=|position")
    assert [url for url in page.requests if coordinates.search(urlsplit(url).path + "?" + urlsplit(url).query)] == []
    # Not the whole address: the server's port (« 42281 ») may read as a coordinate.
    assert not coordinates.search(page.url.split("/", 3)[3])

    page.get_by_role("button", name="Copier un lien vers ces résultats (avec votre position approximative)").click()
    assert "Ce lien contient votre position approximative" in page.locator("#pa-finder-share").inner_text()
    link = page.locator("#pa-finder-link").input_value()
    assert urlsplit(link).fragment == "position=48.79,2.29" and parse_qs(urlsplit(link).query) == {"type": ["gem"]}

    shared = finder_at()
    shared.goto(link)
    wait_for_results(shared, "3 GEM trouvés près de la position du lien partagé.")
    assert [url for url in shared.requests if coordinates.search(urlsplit(url).path + "?" + urlsplit(url).query)] == []
    assert urlsplit(shared.url).fragment == ""


def test_a_link_without_a_position_says_nothing_of_one(finder_at):
    page = finder_at("?type=gem&cp=92260")
    wait_for_results(page, "3 GEM trouvés")
    page.get_by_role("button", name="Copier un lien vers ces résultats").click()
    link = page.locator("#pa-finder-link").input_value()
    assert urlsplit(link).fragment == "" and parse_qs(urlsplit(link).query) == {"type": ["gem"], "cp": ["92260"]}
    assert not page.locator("#pa-finder-share-hint").is_visible()


# --- Accessibility of the new states --------------------------------------------------


@pytest.mark.parametrize(
    "query, ready",
    [
        ("?cp=92260&type=gem&ouvert=1", "sans horaires renseignés"),
        ("?cp=92260&pmr=1", "sans adresse dans l’annuaire"),
        ("?type=ressource&cp=92260", "ressources trouvées"),
        ("?type=gem&cp=69001", "3 GEM trouvés"),
        ("?type=ressource&categorie=cmp&cp=92260", "Aucune ressource trouvée"),
    ],
)
def test_no_axe_violation_in_the_new_states(finder_at, axe_violations, format_violations, query, ready):
    page = finder_at(query)
    wait_for_results(page, ready)
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name=re.compile("^Copier un lien")).click()
    violations = axe_violations(page)
    assert not violations, format_violations(violations)

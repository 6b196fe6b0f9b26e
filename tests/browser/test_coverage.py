# ruff: noqa: F811
"""What is known to exist beside what the directory lists (data/references.yaml), in headless Chromium.

The shipped counts: 430 GEM in France at the end of 2016 (CNSA), 5 collectifs in 2022
(Clubhouse France), 76 CLSM in Île-de-France in 2018 and their split by département
(ARS Île-de-France, cited by the Céapsy in 2021).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from generator.catalogue import load_catalogue
from generator.geo.gazetteer import Gazetteer
from generator.site.coverage import latest_counts
from generator.site.model import SiteModel
from tests.browser.conftest import DESKTOP, PHONE

# The fixture `finder_at` is shared with test_finder.py: tests take it as a parameter of the same name.
from tests.browser.test_finder import finder_at, wait_for_results  # noqa: F401
from tests.browser.test_finder_answers import record_links
from tests.sitebuild import ROOT

CEAPSY_STUDY = "Céapsy Île-de-France — LAB « Quelles dynamiques de participation aux conseils locaux de santé mentale (CLSM) en Île-de-France ? » (étude 2021)"


def box_of(page):
    return page.locator(".pa-finder__coverage")


def test_the_finder_gives_the_count_of_the_departement_searched_with_its_source(finder_at):
    page = finder_at("?type=clsm&cp=92260")
    wait_for_results(page, "Aucun CLSM trouvé près de Fontenay-aux-Roses.")
    box = box_of(page)
    assert (
        box.locator(".pa-finder__known").inner_text()
        == "Hauts-de-Seine (92) : 19 CLSM en 2018, selon l'ARS Île-de-France. Cet annuaire en liste 0."
    )
    assert box.locator(".pa-finder__known-old").inner_text() == "Ce chiffre date de 2018 : il a pu changer depuis."
    assert box.locator(".pa-finder__source").inner_text() == f"Source : {CEAPSY_STUDY}, 2021."
    # Where to look: the national directory of CLSM coordinators; not the resource centre of the région, whose
    # shipped record gives no phone, e-mail or website (tests/browser/test_finder_answers.py has one that does).
    assert record_links(box) == ["annuaire-coordinateurs-clsm-ccoms"]
    assert "(ressource nationale)" in box.inner_text()
    assert page.errors == []


def test_without_a_count_for_the_departement_the_regions_then_the_countrys(finder_at):
    region = finder_at("?type=clsm&reg=11")
    wait_for_results(region, "Aucun CLSM trouvé")
    assert box_of(region).locator(".pa-finder__known").inner_text() == (
        "Île-de-France : 76 CLSM en 2018 (dont 62 actifs), selon l'ARS Île-de-France. Cet annuaire en liste 0."
    )
    bordeaux = finder_at("?type=gem&cp=33000")
    wait_for_results(bordeaux, "Aucun GEM connu à moins de 100 km de Bordeaux")
    assert box_of(bordeaux).locator(".pa-finder__known").inner_text() == (
        "France : 430 GEM au 31 décembre 2016 (au moins un dans chaque département), selon la CNSA. Cet annuaire en liste 3 ; leur situation est à confirmer."
    )
    assert box_of(bordeaux).locator(".pa-finder__known-old").inner_text() == "Ce chiffre date du 31 décembre 2016 : il a pu changer depuis."
    # No source counted CLSM outside Île-de-France: no figure is made up.
    lyon = finder_at("?type=clsm&cp=69001")
    wait_for_results(lyon, "Aucun CLSM trouvé près de Lyon 1er Arrondissement.")
    assert box_of(lyon).count() == 1 and box_of(lyon).locator(".pa-finder__known").count() == 0
    assert record_links(box_of(lyon)) == ["annuaire-coordinateurs-clsm-ccoms"]


# The walk below runs searches in the page's own code, as the form does, then reads
# what the page shows: a search per kind and territory takes a few milliseconds.
WALK = """async (searches) => {
  const page = window.PasserelleFinder.page;
  await page.finder.ready();
  const shown = [];
  for (const [kind, dep, reg] of searches) {
    const state = Object.assign({}, page.state, {type: kind, dep: dep, reg: reg, cp: "", insee: "", lat: "", lon: "", q: ""});
    page.show(state, await page.finder.search(state, 10));
    const box = document.querySelector(".pa-finder__coverage");
    const known = box && box.querySelector(".pa-finder__known");
    const source = box && box.querySelector(".pa-finder__source");
    shown.push({
      known: known ? known.textContent : null,
      source: source ? source.textContent : null,
      links: box ? Array.from(box.querySelectorAll("a")).map(a => a.getAttribute("href")) : [],
    });
  }
  return shown;
}"""


def test_every_kind_in_every_territory_with_a_count_says_what_is_known_and_where_to_look(finder_at):
    gazetteer = Gazetteer.load()
    site = SiteModel(load_catalogue(ROOT / "data", gazetteer), gazetteer)
    latest = {(c.kind.value, c.area): c for c in latest_counts(site)}

    def expected(kind: str, areas: tuple[str, ...]):
        """The most precise count: the département's, else the région's, else the country's."""
        return next((latest[kind, area] for area in (*areas, "fr") if (kind, area) in latest), None)

    kinds = sorted({kind for kind, _ in latest})
    searches = [(kind, d.code, "", expected(kind, (d.code, f"r{d.region}"))) for kind in kinds for d in gazetteer.departements()]
    searches += [(kind, "", r.code, expected(kind, (f"r{r.code}",))) for kind in kinds for r in gazetteer.regions()]
    searches = [search for search in searches if search[3] is not None]
    # Every count of existing structures is reached: the départements', the région's, the country's.
    assert {(known.kind.value, known.area) for *_, known in searches} == set(latest)
    page = finder_at()
    shown = page.evaluate(WALK, [search[:3] for search in searches])
    wrong = []
    for (kind, dep, reg, known), said in zip(searches, shown, strict=True):
        where = f"{kind} {dep or 'r' + reg}"
        if said["known"] != f"{known.statement} {known.listed_text}":
            wrong.append(f"{where}: {said['known']!r}")
        elif not said["source"] or known.count.source.titre not in said["source"]:
            wrong.append(f"{where}: no source ({said['source']!r})")
        elif not any("/structures/" in href or href.startswith(("http", "mailto:")) for href in said["links"]):
            wrong.append(f"{where}: nowhere to look")
    assert wrong == [] and len(shown) > 200
    assert page.errors == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_coverage_message_is_accessible(finder_at, axe_violations, format_violations, viewport):
    page = finder_at("?type=clsm&cp=93200", viewport=viewport)
    wait_for_results(page, "Aucun CLSM trouvé près de Saint-Denis.")
    assert "Seine-Saint-Denis (93) : 14 CLSM en 2018" in box_of(page).inner_text()
    violations = axe_violations(page)
    assert not violations, format_violations(violations)


def test_the_observatory_sets_the_directory_beside_what_is_known(built_site, serve_site, page_at):
    page = page_at(serve_site(built_site) + "observatoire/", viewport=DESKTOP)
    warning = page.locator(".admonition.warning").first.inner_text()
    assert (
        "France : 430 GEM au 31 décembre 2016 (au moins un dans chaque département), selon la CNSA. Cet annuaire en liste 3 ; leur situation est à confirmer."
        in warning
    )
    table = page.locator("#table-chiffres-connus")
    # Long reports are laid out as they are scrolled to (content-visibility), by the next frame: read it as a reader does.
    table.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('#table-chiffres-connus tbody th').innerText !== ''")
    rows = {
        (row.locator("th").inner_text(), row.locator("td").first.inner_text()): [cell.inner_text() for cell in row.locator("td").all()[1:]]
        for row in table.locator("tbody tr").all()
    }
    assert len(rows) == 11  # GEM and collectifs in France, CLSM in Île-de-France and its 8 départements
    assert rows["Paris (75)", "CLSM"] == ["14, en 2018 Ancien : à revérifier", "l'ARS Île-de-France", "0", "0", "0", "0,0 %"]
    assert rows["Île-de-France", "CLSM"][0] == "76 (dont 62 actifs), en 2018 Ancien : à revérifier"
    assert rows["France", "GEM"] == [
        "430 (au moins un dans chaque département), au 31 décembre 2016 Ancien : à revérifier",
        "la CNSA",
        "3",
        "0",
        "3",  # listed, none said open: their situation is « à confirmer »
        "0,7 %",
    ]
    # More records than the source counted: said, not a share (they need not be the structures it counted).
    assert rows["France", "Collectif d'entraide et d'insertion"][2:] == ["7", "0", "7", "plus que la source n'en comptait"]
    # A territory with its own page links to it.
    assert table.get_by_role("link", name="Hauts-de-Seine (92)").get_attribute("href").endswith("departements/92/")
    objectives = page.locator("#table-objectifs tbody tr")
    # Long reports are laid out as they are scrolled to (content-visibility): read it as a reader does.
    objectives.first.scroll_into_view_if_needed()
    expect(objectives).to_have_count(1)
    expect(objectives.first).to_contain_text("10 (dont cinq nouveaux", use_inner_text=True)
    expect(objectives.first).to_contain_text("à l'horizon 2023", use_inner_text=True)
    sources = page.locator("#sources-chiffres-connus + ul li").all_inner_texts()
    assert len(sources) == 4 and any(source.startswith(CEAPSY_STUDY) for source in sources)
    assert any(re.match(r"Instruction n° DGCS/SD3B/2022/195 du 31 août 2022", source) for source in sources)
    assert page.locator("#chart-coverage-title").text_content() == "Part des structures recensées par d'autres sources que l'annuaire liste"

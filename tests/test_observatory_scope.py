"""A site limited to some régions (SiteSettings.regions): its observatory and reference counts say
nothing of the rest of France.

The records are synthetic (their ids say so): a GEM in Paris, one in Lille, a CLSM of Paris; the
reference counts (sources « Rapport SYNTHÉTIQUE ») are of France, two régions and two départements.
"""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

import pytest

from generator.catalogue import load_catalogue
from generator.geo.gazetteer import Gazetteer
from generator.records.vocabulary import Kind
from generator.site.coverage import coverages
from generator.site.model import SiteModel, SiteSettings
from generator.site.observatory import Observatory, observatory_pages, observe
from generator.site.pages import Renderer
from tests.sitebuild import ROOT
from tests.test_observatory import write
from tests.test_references import SOURCE, counts_file

ILE_DE_FRANCE = ("11",)
ILE_DE_FRANCE_DEPARTEMENTS = ["75", "77", "78", "91", "92", "93", "94", "95"]


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("data")
    write(data, "gem", "gem-synthetique-paris", "adresse: {commune: Paris, code_insee: '75056'}\n")
    write(data, "gem", "gem-synthetique-lille", "adresse: {commune: Lille, code_insee: '59350'}\n")
    write(data, "clsm", "clsm-synthetique-paris", "territoire: {communes: ['75056']}\n")
    counts_file(
        data,
        f"""\
        nombres:
          - {{type: gem, national: true, nombre: 430, date: "2016-12-31", selon: la CNSA, {SOURCE}}}
          - {{type: gem, region: "11", nombre: 60, date: "2018-09", selon: "l'ARS", {SOURCE}}}
          - {{type: gem, region: "32", nombre: 40, date: "2018", selon: "l'ARS", {SOURCE}}}
          - {{type: gem, departement: "92", nombre: 2, date: "2021", selon: "l'ARS", {SOURCE}}}
          - {{type: gem, departement: "59", nombre: 12, date: "2021", selon: "l'ARS", {SOURCE}}}
        """,
    )
    return data


def site_with(data: Path, gazetteer: Gazetteer, regions: tuple[str, ...] = ()) -> SiteModel:
    return SiteModel(load_catalogue(data, gazetteer), gazetteer, SiteSettings(regions=regions), today=date(2026, 6, 1))


@pytest.fixture(scope="module")
def scoped(data, gazetteer) -> Observatory:
    return observe(site_with(data, gazetteer, ILE_DE_FRANCE))


@pytest.fixture(scope="module")
def whole(data, gazetteer) -> Observatory:
    return observe(site_with(data, gazetteer))


def test_the_total_is_the_scopes_and_not_frances(scoped, whole, gazetteer):
    paris = gazetteer.commune("75056").population
    ile_de_france = sum(c.population for c in gazetteer.communes() if c.region == "11")
    assert (scoped.national.nom, scoped.national.population) == ("Île-de-France", ile_de_france)
    assert scoped.national.counts[Kind.GEM] == 1 and scoped.located[Kind.GEM] == 1  # not the GEM of Lille
    assert scoped.national.clsm_share() == pytest.approx(paris / ile_de_france)
    # Without a scope, the same records give the figures of France.
    france = sum(c.population for c in gazetteer.communes())
    assert (whole.national.nom, whole.national.population) == ("France", france)
    assert whole.national.counts[Kind.GEM] == 2 and whole.located[Kind.GEM] == 2
    assert whole.national.clsm_share() == pytest.approx(paris / france)


def test_the_tables_hold_no_territory_outside_the_scope(scoped, whole):
    assert [r.code for r in scoped.regions] == ["11"]
    assert [d.code for d in scoped.departements] == ILE_DE_FRANCE_DEPARTEMENTS
    assert {d.code for d in scoped.worst_served.departements} <= set(ILE_DE_FRANCE_DEPARTEMENTS)
    assert {d.code for missing in scoped.gaps.values() for d in missing} <= set(ILE_DE_FRANCE_DEPARTEMENTS)
    far = {row.commune.departement for rows in scoped.far_communes.values() for row in rows}
    assert far and far <= set(ILE_DE_FRANCE_DEPARTEMENTS)
    assert {"11", "32"} <= {r.code for r in whole.regions} and "59" in {d.code for d in whole.departements}


def test_counts_of_territories_outside_the_scope_are_left_out(data, gazetteer):
    def areas(regions: tuple[str, ...]) -> list[str]:
        return [c.area for c in coverages(site_with(data, gazetteer, regions))]

    assert areas(ILE_DE_FRANCE) == ["r11", "92"]
    assert areas(()) == ["fr", "r11", "r32", "59", "92"]


def rendered(site: SiteModel) -> tuple[list[str], str]:
    """The observatory page through the site's renderer: the names of its tables' total rows, and its
    text (tags and entities gone)."""
    page = Renderer(ROOT / "site_theme" / "passerelle", site).render(observatory_pages(site)[0])
    return re.findall(r'<tfoot>\s*<tr><th scope="row">([^<]*)</th>', page), html.unescape(re.sub(r"<[^>]+>", "", page))


def test_the_page_names_the_scope_as_its_total(data, gazetteer):
    totals, text = rendered(site_with(data, gazetteer, ILE_DE_FRANCE))
    assert totals == ["Île-de-France", "Île-de-France"]  # by région, by département
    assert "Sur le territoire de cet annuaire (Île-de-France), " in text and "En France" not in text
    assert "Pour le territoire de cet annuaire (Île-de-France), part des habitants" in text and "France entière" not in text
    assert "Carte de la France métropolitaine" not in text and "Cet annuaire ne couvre qu'une partie de la France (Île-de-France)" in text
    assert "Les communes d'outre-mer sont comptées" not in text
    assert "Île-de-France : 60 GEM en septembre 2018, selon l'ARS. Cet annuaire en liste 1." in text  # said first, as France's would be
    assert "430 GEM" not in text and "Hauts-de-France" not in text and "Nord (59)" not in text

    totals, text = rendered(site_with(data, gazetteer))
    assert totals == ["France", "France"] and "En France, " in text and "Carte de la France métropolitaine" in text
    assert "France : 430 GEM au 31 décembre 2016, selon la CNSA. Cet annuaire en liste 2." in text


def test_a_sample_is_judged_against_the_scope_s_share_of_france(tmp_path, gazetteer):
    # 120 GEM are a small share of France's offer, not of Île-de-France's (a fifth of the country).
    for number in range(120):
        write(tmp_path, "gem", f"gem-synthetique-{number:03d}", "adresse: {commune: Paris, code_insee: '75056'}\n")
    assert observe(site_with(tmp_path, gazetteer)).is_sample
    scoped = observe(site_with(tmp_path, gazetteer, ILE_DE_FRANCE))
    assert not scoped.is_sample and 80 < scoped.sample_below < 120

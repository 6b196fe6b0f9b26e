"""One data folder, one site per région (option `regions`): what each site shows, and what it says it leaves out.

A national directory is too big for one host (issue 16); each région's site keeps
the records that lie in or serve its régions, and national ones. It must not pass
for the whole country: territories outside have no page, partners outside no link,
and the finder, map, lists and open data say which régions the site covers.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from generator.build import BuildFailed
from generator.build.project import load_project
from tests.sitebuild import ROOT, build_site, write_config

# Lies in the Oise (Hauts-de-France) and serves the Val-d'Oise (Île-de-France).
ACROSS_THE_BORDER = """\
type: gem
nom: SYNTHÉTIQUE GEM de Beauvais pour le Val-d'Oise (fiche de test)
adresse:
  code_postal: "60000"
  commune: Beauvais
territoire:
  departements: ["95"]
sources:
  - titre: Fiche synthétique des tests de Passerelle
    document: aucun, cette structure n'existe pas
    date: "2026-01-15"
verifie_le: 2026-01-15
"""
SCOPE_NOTE = "Ce site couvre : Île-de-France. Les lieux des autres régions n'y sont pas."


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("regions") / "data"
    shutil.copytree(ROOT / "data", folder)
    (folder / "gem" / "synthetique-gem-de-beauvais.yaml").write_text(ACROSS_THE_BORDER, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def idf_site(tmp_path_factory, data) -> Path:
    return build_site(tmp_path_factory.mktemp("idf") / "site", data_dir=data, regions=["Île-de-France"])


def pages_of(site: Path, folder: str) -> set[str]:
    return {path.name for path in (site / folder).iterdir() if path.is_dir()}


def test_a_region_s_site_keeps_its_records_those_serving_it_and_the_national_ones(idf_site):
    records = pages_of(idf_site, "structures")
    assert {"clubhouse-paris", "ceapsy", "cnigem", "synthetique-gem-de-beauvais"} <= records
    assert not records & {"clubhouse-lille", "clubhouse-lyon", "clubhouse-nantes", "clubhouse-bordeaux"}
    assert pages_of(idf_site, "facile/structures") == records


def test_territories_outside_its_regions_have_no_page(idf_site):
    # Beauvais's record serves the Val-d'Oise: its page is there, not on an Oise page
    # that would list it alone, as if nothing else existed in the Oise.
    assert pages_of(idf_site, "regions") == {"11"}
    assert pages_of(idf_site, "departements") == {"75", "92", "95"}
    territories = (idf_site / "regions" / "index.html").read_text(encoding="utf-8")
    assert "Hauts-de-France" not in territories and "Oise (60)" not in territories


def test_partners_outside_its_regions_are_not_linked(idf_site):
    page = (idf_site / "structures" / "clubhouse-france" / "index.html").read_text(encoding="utf-8")
    partners = page[page.index('id="partenaires"') :]
    assert "clubhouse-paris/" in partners
    assert "clubhouse-lille/" not in page and "clubhouse-lyon/" not in page


def test_its_open_data_sitemap_and_search_hold_its_records_only(idf_site):
    with open(idf_site / "donnees" / "structures.csv", encoding="utf-8", newline="") as handle:
        exported = {row["id"] for row in csv.DictReader(handle)}
    assert exported == pages_of(idf_site, "structures")
    assert "clubhouse-lille" not in (idf_site / "sitemap.xml").read_text(encoding="utf-8")
    searched = " ".join(path.read_text(encoding="utf-8") for path in (idf_site / "recherche-index").rglob("*.json"))
    assert "clubhouse-paris" in searched and "clubhouse-lille" not in searched


@pytest.mark.parametrize("page", ["trouver", "carte", "regions", "collectifs", "donnees"])
def test_pages_that_list_map_or_search_places_say_which_regions_the_site_covers(idf_site, page):
    assert SCOPE_NOTE in (idf_site / page / "index.html").read_text(encoding="utf-8")


def test_the_finder_knows_the_site_s_regions(idf_site):
    index = json.loads((idf_site / "trouver" / "donnees" / "index.json").read_text(encoding="utf-8"))
    assert index["scope"] == {"regions": ["11"], "name": "Île-de-France"}
    assert {shard[1] for shard in index["shards"]} <= {"75", "92", "60", "fr", "r11"}


def test_a_site_of_the_whole_folder_says_nothing_of_regions(built_site):
    index = json.loads((built_site / "trouver" / "donnees" / "index.json").read_text(encoding="utf-8"))
    assert "scope" not in index
    assert "clubhouse-lille" in pages_of(built_site, "structures")
    assert "pa-scope" not in (built_site / "trouver" / "index.html").read_text(encoding="utf-8")


def test_regions_are_given_by_code_or_name(tmp_path):
    config = write_config(tmp_path / "site", regions=["11", "bretagne", "Hauts-de-France", "Ile de France"])
    assert load_project(config).source.settings.regions == ("11", "53", "32")


def test_an_unknown_region_is_refused_in_french_with_the_known_ones(tmp_path):
    config = write_config(tmp_path / "site", regions=["Picardie", "11"])
    with pytest.raises(BuildFailed) as refused:
        load_project(config)
    message = str(refused.value)
    assert "regions : région inconnue « Picardie »" in message and "32 Hauts-de-France" in message and "11 Île-de-France" in message


def test_regions_must_be_a_list(tmp_path):
    config = write_config(tmp_path / "site", regions="11")
    with pytest.raises(BuildFailed, match="l'option regions de passerelle doit être une liste de régions"):
        load_project(config)


def test_a_network_named_in_the_settings_but_outside_the_site_s_regions_is_refused_as_such(tmp_path, data):
    with pytest.raises(BuildFailed) as failed:
        build_site(tmp_path / "site", data_dir=data, regions=["11"], coverage_networks={"collectif": ["clubhouse-lille"]})
    assert (
        "coverage_networks.collectif : la fiche « clubhouse-lille » n'est pas sur ce site, limité à Île-de-France (option regions)"
        in str(failed.value)
    )

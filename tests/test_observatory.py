"""The observatory's figures on a hand-made territory whose answers are known.

A tiny gazetteer (the real Gazetteer class over five rows) holds two
départements of 10,000 inhabitants each; records are YAML files in tmp_path.
"""

from __future__ import annotations

import html
import math
import re
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from generator import clock
from generator.catalogue import load_catalogue
from generator.cli import main
from generator.geo.gazetteer import Departement, Gazetteer, Region, distance_km
from generator.records.vocabulary import Kind
from generator.site.model import SiteModel
from generator.site.observatory import Territory, freshness, nearest_km, observe, territories_text, worst_served
from tests.records import VERIFIED

# insee, nom, codes_postaux, departement, region, population, lat, lon, approximate, parent, source
ROWS = [
    ["01001", "Alpha", "01100", "01", "84", "1000", "46.0", "5.0", "0", "", "test"],
    ["01002", "Beta", "01200", "01", "84", "3000", "46.0", "5.2", "0", "", "test"],
    ["01003", "Gamma", "01300", "01", "84", "6000", "46.5", "5.0", "0", "", "test"],
    ["02001", "Delta", "02000", "02", "32", "10000", "49.5", "3.5", "0", "", "test"],
    # An arrondissement municipal of Delta: not a commune of its own in the counts.
    ["02101", "Delta 1er", "02001", "02", "32", "4000", "49.51", "3.5", "0", "02001", "test"],
]
ALPHA, BETA, GAMMA, DELTA = (46.0, 5.0), (46.0, 5.2), (46.5, 5.0), (49.5, 3.5)
COLLECTIF_AT = (49.51, 3.52)


@pytest.fixture(scope="module")
def tiny() -> Gazetteer:
    return Gazetteer(
        [list(r) for r in ROWS],
        [Departement("01", "Ain", "84"), Departement("02", "Aisne", "32")],
        [Region("84", "Auvergne-Rhône-Alpes"), Region("32", "Hauts-de-France")],
    )


def write(data_dir: Path, kind: str, name: str, body: str, verifie_le: str = VERIFIED) -> None:
    path = data_dir / kind / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    statut = "" if "statut:" in body else "statut: actif\n"
    source = f"sources: [{{titre: Test, document: Document de test, date: '{verifie_le}'}}]\n"
    path.write_text(f"type: {kind}\nnom: {name}\n{statut}{body}{source}verifie_le: {verifie_le}\n", encoding="utf-8")


@pytest.fixture(scope="module")
def site(tiny: Gazetteer, tmp_path_factory: pytest.TempPathFactory) -> SiteModel:
    data = tmp_path_factory.mktemp("data")
    write(data, "gem", "gem-alpha", "adresse: {commune: Alpha, code_insee: '01001'}\n")
    write(data, "gem", "gem-delta-ferme", "statut: ferme\nadresse: {commune: Delta, code_insee: '02001'}\n")
    write(
        data,
        "collectif",
        "collectif-delta",
        f"adresse: {{commune: Delta, code_insee: '02001'}}\ncoordonnees: {{lat: {COLLECTIF_AT[0]}, lon: {COLLECTIF_AT[1]}}}\n",
    )
    write(data, "clsm", "clsm-beta", "territoire: {communes: ['01002']}\n")
    write(data, "clsm", "clsm-delta-1er", "territoire: {communes: ['02101']}\n")
    write(data, "ressource", "reseau-national", "categorie: reseau_national\nterritoire: {national: true}\n")
    return SiteModel(load_catalogue(data, tiny), tiny, today=date(2026, 6, 1))


@pytest.fixture(scope="module")
def obs(site: SiteModel):
    return observe(site)


def by_code(territories, code):
    return next(t for t in territories if t.code == code)


def test_counts_only_open_structures_in_their_territory(obs):
    ain, aisne = by_code(obs.departements, "01"), by_code(obs.departements, "02")
    assert (ain.population, aisne.population) == (10_000, 10_000)  # the arrondissement is not counted twice
    assert ain.counts == {Kind.GEM: 1, Kind.COLLECTIF: 0, Kind.CLSM: 1, Kind.ESMS: 0}
    assert aisne.counts == {Kind.GEM: 0, Kind.COLLECTIF: 1, Kind.CLSM: 1, Kind.ESMS: 0}  # the closed GEM is left out
    assert obs.national.population == 20_000
    assert obs.national.counts == {Kind.GEM: 1, Kind.COLLECTIF: 1, Kind.CLSM: 2, Kind.ESMS: 0}
    assert [r.code for r in obs.regions] == ["32", "84"] and by_code(obs.regions, "84").counts[Kind.GEM] == 1


def test_rates_per_100000_inhabitants(obs):
    ain = by_code(obs.departements, "01")
    assert ain.rate(Kind.GEM) == pytest.approx(10.0)
    assert ain.rate(Kind.COLLECTIF) == 0
    assert obs.national.rate(Kind.CLSM) == pytest.approx(10.0)


def test_gaps_list_departements_without_each_kind(obs):
    assert [d.code for d in obs.gaps[Kind.GEM]] == ["02"]
    assert [d.code for d in obs.gaps[Kind.COLLECTIF]] == ["01"]
    assert obs.gaps[Kind.CLSM] == []


def test_collectivites_d_outre_mer_are_counted_apart_from_departements(obs):
    def territory(code: str, collectivite: bool) -> Territory:
        return Territory(code, code, 1, {}, 0.0, {}, collectivite)

    assert territories_text([territory("01", False)], "département") == "1 département"
    assert territories_text([territory("01", False), territory("987", True)], "département") == (
        "1 département et 1 collectivité d'outre-mer"
    )
    assert territories_text([territory("975", True), territory("988", True)], "région") == "2 collectivités d'outre-mer"
    assert territories_text([], "département") == "0 département"
    assert Gazetteer.load().collectivites() == {"975", "977", "978", "984", "986", "987", "988", "989"}


def test_nearest_distances_match_geopy(tiny):
    communes = tiny.communes()
    assert [c.nom for c in communes] == ["Alpha", "Beta", "Gamma", "Delta"]
    found = nearest_km(np.array([(c.lat, c.lon) for c in communes]), [ALPHA, COLLECTIF_AT])
    expected = [min(distance_km((c.lat, c.lon), p) for p in (ALPHA, COLLECTIF_AT)) for c in communes]
    assert found[0] == pytest.approx(0, abs=1e-6)
    # Great circle on a sphere against geopy's ellipsoid: within half a per cent.
    assert list(found[1:]) == pytest.approx(expected[1:], rel=0.005)
    assert 15 < found[1] < 16 and 55 < found[2] < 56
    assert math.isinf(nearest_km(np.array([ALPHA]), [])[0])


def test_population_beyond_20_and_50_km(obs):
    # From the GEM in Alpha: Beta is ~15 km away, Gamma ~56 km, Delta ~400 km.
    assert obs.national.far_share(Kind.GEM, 20) == pytest.approx(16_000 / 20_000)
    assert obs.national.far_share(Kind.GEM, 50) == pytest.approx(16_000 / 20_000)
    assert by_code(obs.departements, "01").far_share(Kind.GEM, 20) == pytest.approx(0.6)
    assert by_code(obs.departements, "02").far_share(Kind.COLLECTIF, 20) == 0
    assert obs.national.far_share(Kind.COLLECTIF, 50) == pytest.approx(0.5)
    assert obs.worst_served.departements[0].code == "02"


def test_far_communes_report_the_geodesic_distance_to_the_nearest(obs):
    far = obs.far_communes[Kind.GEM]
    assert [row.commune.nom for row in far] == ["Delta", "Gamma"]  # most populous first
    assert far[0].distance_km == pytest.approx(distance_km(DELTA, ALPHA))
    assert far[1].distance_km == pytest.approx(distance_km(GAMMA, ALPHA))


def test_clsm_coverage_counts_arrondissements_as_part_of_their_commune(obs):
    # Beta (3,000) is covered, and 4,000 of Delta's 10,000 through its arrondissement.
    assert obs.national.clsm_share() == pytest.approx(7_000 / 20_000)
    assert by_code(obs.departements, "01").clsm_share() == pytest.approx(0.3)
    assert by_code(obs.departements, "02").clsm_share() == pytest.approx(0.4)


def test_a_departement_wide_clsm_covers_all_its_communes(tiny, tmp_path):
    write(tmp_path, "clsm", "clsm-ain", "territoire: {departements: ['01']}\n")
    obs = observe(SiteModel(load_catalogue(tmp_path, tiny), tiny))
    assert by_code(obs.departements, "01").clsm_share() == 1
    assert obs.national.clsm_share() == pytest.approx(0.5)
    assert obs.national.far_share(Kind.GEM, 50) == 1  # no GEM at all: everyone is far
    assert obs.far_communes[Kind.GEM][0].distance_km is None


def test_map_marks_cells_beyond_50_km(obs):
    gem_map = obs.maps[Kind.GEM]
    # Alpha and Beta are near, side by side in one row (one run); Gamma and Delta are far.
    assert (gem_map.cells, gem_map.far_cells) == (4, 2)
    assert [run.width for run in gem_map.runs if not run.far] == [2 * 8]
    assert sum(run.width for run in gem_map.runs if run.far) == 2 * 8


def test_freshness_puts_records_older_than_12_months_first(tiny, tmp_path):
    write(tmp_path, "gem", "gem-recent", "adresse: {commune: Alpha, code_insee: '01001'}\n", "2026-05-01")
    write(tmp_path, "gem", "gem-ancien", "adresse: {commune: Beta, code_insee: '01002'}\n", "2024-02-01")
    write(tmp_path, "clsm", "clsm-ancien", "territoire: {communes: ['01003']}\n", "2025-01-15")
    report = freshness(SiteModel(load_catalogue(tmp_path, tiny), tiny, today=date(2026, 6, 1)))
    assert [e.id for e in report.stale] == ["gem-ancien", "clsm-ancien"]
    assert [e.id for e in report.fresh] == ["gem-recent"]
    kinds = {line.kind: line for line in report.kinds}
    assert (kinds[Kind.GEM].total, kinds[Kind.GEM].stale, kinds[Kind.GEM].oldest) == (2, 1, date(2024, 2, 1))
    assert (kinds[Kind.ESMS].total, kinds[Kind.ESMS].oldest) == (0, None)


def test_stats_command_lists_records_to_check_again(tmp_path, capsys):
    write(tmp_path, "gem", "gem-ancien", "adresse: {code_postal: '92260', commune: Fontenay-aux-Roses}\n", "2020-03-01")
    write(tmp_path, "gem", "gem-recent", "adresse: {code_postal: '92260', commune: Fontenay-aux-Roses}\n", clock.today().isoformat())
    assert main(["stats", "--data", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    gem_line = next(line for line in out.splitlines() if line.startswith("gem "))
    assert gem_line.split()[:3] == ["gem", "2", "1"] and "2020-03-01" in gem_line
    assert f"2020-03-01  {tmp_path / 'gem' / 'gem-ancien.yaml'}" in out and "gem-recent.yaml" not in out


def test_stats_command_lists_records_without_statut(tmp_path, capsys):
    """Pages say « à confirmer » of a record without statut and count it nowhere as open: the staff are told which."""
    write(tmp_path, "gem", "gem-muet", "statut:\nadresse: {code_postal: '92260', commune: Fontenay-aux-Roses}\n", clock.today().isoformat())
    write(tmp_path, "gem", "gem-ouvert", "adresse: {code_postal: '92260', commune: Fontenay-aux-Roses}\n", clock.today().isoformat())
    assert main(["stats", "--data", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "1 fiche(s) sans statut : le site dit leur situation « à confirmer »" in out
    assert f"  {tmp_path / 'gem' / 'gem-muet.yaml'}  gem-muet" in out and "gem-ouvert.yaml" not in out


def test_observatory_pages_are_built(built_site):
    page = (built_site / "observatoire" / "index.html").read_text(encoding="utf-8")
    assert page.count('role="img"') >= 5 and "<desc id=" in page
    assert "Ce n'est pas un recensement." in page  # the shipped data is a sample, and the page says so
    fraicheur = (built_site / "observatoire" / "fraicheur" / "index.html").read_text(encoding="utf-8")
    assert "À revérifier" in fraicheur


def test_the_open_records_chart_says_what_it_leaves_out(built_site):
    """« GEM : 0 » under « Fiches ouvertes » read as « no GEM »: no shipped record is recent enough to say a structure open."""
    page = (built_site / "observatoire" / "index.html").read_text(encoding="utf-8")
    chart = html.unescape(re.sub(r"<(?!/?desc)[^>]+>", "", page[page.index('<figure class="pa-chart">') : page.index("</figure>")]))
    assert "GEM : 0. Collectif d'entraide et d'insertion : 0." in chart
    note = "Ne sont pas comptées les fiches dont la situation est à confirmer (GEM : 3 ; Collectif d'entraide et d'insertion : 7 ; Ressource : 12)."
    assert chart.count(note) == 2  # in the image's description and in its caption
    # The distances are also given counting the structures à confirmer.
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert "GEM ouvert à plus de 50 km : 100,0 %. GEM ouvert ou à confirmer à plus de 50 km : 82,0 %." in text


@pytest.fixture(scope="module")
def old(tiny: Gazetteer, tmp_path_factory: pytest.TempPathFactory):
    """A GEM in Alpha said open in 2024 and a collectif in Delta that says nothing: both « à confirmer » in 2026."""
    data = tmp_path_factory.mktemp("old")
    write(data, "gem", "gem-alpha", "adresse: {commune: Alpha, code_insee: '01001'}\n", "2024-02-01")
    write(data, "collectif", "collectif-delta", "statut:\nadresse: {commune: Delta, code_insee: '02001'}\n")
    return observe(SiteModel(load_catalogue(data, tiny), tiny, today=date(2026, 6, 1)))


def test_records_a_confirmer_are_counted_apart_not_open(old):
    ain = by_code(old.departements, "01")
    assert (ain.counts[Kind.GEM], ain.unconfirmed[Kind.GEM]) == (0, 1)
    assert dict(old.records)[Kind.GEM] == {"a_confirmer": 1}
    assert old.charts["records"].note == (
        "Ne sont pas comptées les fiches dont la situation est à confirmer (GEM : 1 ; Collectif d'entraide et d'insertion : 1)."
    )


def test_a_departement_with_records_a_confirmer_is_not_said_without(old):
    assert [d.code for d in old.gaps[Kind.GEM]] == ["02"]
    assert [d.code for d in old.unconfirmed_gaps[Kind.GEM]] == ["01"]
    assert [d.code for d in old.gaps[Kind.COLLECTIF]] == ["01"] and [d.code for d in old.unconfirmed_gaps[Kind.COLLECTIF]] == ["02"]


def test_distances_are_also_given_counting_records_a_confirmer(old):
    assert old.national.far_share(Kind.GEM, 50) == 1
    assert old.national.far_share(Kind.GEM, 50, counting_unconfirmed=True) == pytest.approx(16_000 / 20_000)
    alpha = next(row for row in old.far_communes[Kind.GEM] if row.commune.nom == "Alpha")
    assert alpha.distance_km is None and alpha.counting_unconfirmed_km == pytest.approx(0, abs=1e-6)
    assert (old.maps[Kind.GEM].far_cells, old.far_cells_counting_unconfirmed[Kind.GEM]) == (4, 2)
    assert old.located_unconfirmed == {Kind.GEM: 1, Kind.COLLECTIF: 1}


def departement(code: str, population: int, gem: float, collectif: float = 1.0) -> Territory:
    far = {(Kind.GEM, 50): gem * population, (Kind.COLLECTIF, 50): collectif * population}
    return Territory(code, f"Département {code}", population, {}, 0.0, far)


def test_a_ranking_says_how_many_tie_with_its_last_line():
    """15 départements shown at 100 % « where the share is the highest » while 90 were at 100 %: the most populous."""
    ranking = worst_served([departement("01", 500, 0.9)] + [departement(f"{code}", 1000 + code, 1.0) for code in range(10, 40)])
    assert [d.code for d in ranking.departements] == [str(code) for code in range(39, 25, -1)] + ["25"]
    assert ranking.text == (
        "30 départements sont à égalité : 100,0 % des habitants à plus de 50 km d'un GEM ouvert selon une fiche récente,"
        " 100,0 % d'un collectif. Voici les 15 plus peuplés."
    )
    ahead = worst_served(
        [departement("01", 500, 1.0), departement("02", 400, 1.0, 0.5)] + [departement(str(c), 900, 0.5) for c in range(10, 30)]
    )
    assert ahead.text.startswith("Après les 2 premiers, 20 départements sont à égalité : 50,0 % ")
    assert ahead.text.endswith("Voici les 13 plus peuplés.")


def test_a_ranking_of_equals_is_not_shown():
    ranking = worst_served([departement(str(code), 1000, 1.0) for code in range(10, 30)])
    assert ranking.departements == [] and ranking.text.startswith("Les 20 départements sont à égalité : 100,0 % ")
    few = worst_served([departement("01", 500, 1.0), departement("02", 400, 0.5)])
    assert [d.code for d in few.departements] == ["01", "02"]
    assert (
        few.text == "Les 2 départements où la part des habitants à plus de 50 km d'un GEM ouvert selon une fiche récente est la plus forte."
    )


def page_text(site: Path, url: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", (site / url / "index.html").read_text(encoding="utf-8"))).split())


def test_the_shipped_observatory_tells_unknown_from_none(built_site):
    """The GEM of Paris and of the Hauts-de-Seine say no statut: the page said Paris had none in the directory."""
    text = page_text(built_site, "observatoire")
    assert "aucun dans l'annuaire" not in text
    assert "Paris 75 2 103 778 aucun ouvert selon une fiche récente 4 km" in text
    assert "Paris (75) : 2 à confirmer Hauts-de-Seine (92) : 1 à confirmer" in text
    assert "Sans GEM (99 départements et 6 collectivités d'outre-mer)" in text
    assert "1215 carrés sur 1215 sont dans ce cas ; 1193 en comptant aussi les structures dont la situation est à confirmer." in text
    # Verified in 2022, no collectif is counted open; the count of 2022 is not said covered at 100 %.
    assert "Collectif d'entraide et d'insertion 0 0 0 0 7 7" in text
    assert "7 0 7 plus que la source n'en comptait" in text and "7 sur 5" not in text
    # The map's text equivalent: the départements' table has the shares far from an open GEM.
    assert "Habitants à plus de 50 km d'un GEM ouvert" in text
    # A kind in a sentence is a noun, not the type's label: « Sans Collectif d'entraide et d'insertion ».
    assert "Sans collectif d'entraide (" in text and "Collectifs d'entraide ouverts pour 100 000 hab." in text
    assert "Collectif d'entraide ouvert à plus de 50 km" in text and "Sans Collectif" not in text
    assert "Paris (75) 2 103 778 0 (et 2 à confirmer) 0,00 0 (et 1 à confirmer) 0,00" in text
    assert (
        "Les 107 départements sont à égalité" in text and 'id="chart-worst"' not in (built_site / "observatoire" / "index.html").read_text()
    )

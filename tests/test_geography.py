"""Gazetteer tests against the committed generator/geo/communes files (no mocks)."""

from pathlib import Path

import pytest

from generator.geo.gazetteer import Commune, Gazetteer, distance_km, normalize

DATA = Path(__file__).resolve().parents[1] / "generator" / "geo" / "communes"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def test_load_is_cached():
    fresh = Gazetteer.load(DATA)
    assert Gazetteer.load() is Gazetteer.load()
    assert len(fresh.communes()) > 34_000


def test_locate_postcode(gaz):
    [c] = gaz.locate("92260")
    assert (c.insee, c.nom, c.departement, c.region) == ("92032", "Fontenay-aux-Roses", "92", "11")
    assert gaz.region(c.region).nom == "Île-de-France"
    assert gaz.departement(c.departement).nom == "Hauts-de-Seine"
    assert gaz.departement("92").region == "11"
    assert not c.approximate and c.parent is None and c.population > 20_000


def test_insee_lookup(gaz):
    assert gaz.commune("42218").nom == "Saint-Étienne"
    assert gaz.locate("42218")[0].nom == "Saint-Étienne"  # no postcode 42218: INSEE
    assert gaz.commune("2A004").nom == "Ajaccio"
    assert gaz.locate("2a004")[0].nom == "Ajaccio"
    assert gaz.commune("2B033").nom == "Bastia"


@pytest.mark.parametrize("query", ["fontenay aux roses", "Fontenay-aux-Roses", "FONTENAY AUX ROSES", "fontenay-aux-rosés"])
def test_search_accent_case_hyphen_insensitive(gaz, query):
    assert gaz.search(query)[0].insee == "92032"


def test_st_means_saint(gaz):
    assert normalize("ST ETIENNE") == normalize("Saint-Étienne") == "saint etienne"
    assert normalize("Ste-Foy-lès-Lyon") == "sainte foy les lyon"
    assert normalize("L’Haÿ-les-Roses") == "l hay les roses"
    first = gaz.search("st etienne")[0]
    assert (first.insee, first.nom) == ("42218", "Saint-Étienne")
    assert gaz.locate("ste foy les lyon")[0].insee == "69202"


def test_exact_matches_before_prefix_then_population(gaz):
    results = gaz.search("saint denis", limit=50)
    exact = [c for c in results if normalize(c.nom) == "saint denis"]
    assert len(exact) >= 3  # ambiguous name: several communes
    assert {"93066", "97411"} <= {c.insee for c in exact}
    assert results[: len(exact)] == exact
    assert [c.population for c in exact] == sorted((c.population for c in exact), reverse=True)
    assert all(normalize(c.nom).startswith("saint denis") for c in results)
    assert len(gaz.search("saint", limit=7)) == 7


def test_paris_arrondissement_postcodes(gaz):
    first = gaz.locate("75020")[0]
    assert (first.insee, first.nom, first.parent) == ("75120", "Paris 20e Arrondissement", "75056")
    assert gaz.commune(first.parent).nom == "Paris"
    assert gaz.match("75020", "Paris").insee == "75120"
    assert gaz.match("75020", "PARIS 20") is None
    assert gaz.match("75116", "paris").insee == "75116"
    assert gaz.match("13008", "Marseille").parent == "13055"
    assert gaz.match("69003", "Lyon").insee == "69383"
    assert gaz.locate("75020 Paris")[0].insee == "75120"


def test_match(gaz):
    assert gaz.match("92260", "FONTENAY AUX ROSES").insee == "92032"
    assert gaz.match("92260", "Sceaux") is None
    assert gaz.match("99999", "Paris") is None


def test_arrondissements_are_entries_but_not_communes(gaz):
    communes = gaz.communes()
    insee = {c.insee for c in communes}
    assert "75056" in insee and "75120" not in insee
    assert all(c.parent is None for c in communes)
    arrondissements = [gaz.commune(f"751{n:02d}") for n in range(1, 21)]
    arrondissements += [gaz.commune(f"6938{n}") for n in range(1, 10)]
    arrondissements += [gaz.commune(f"132{n:02d}") for n in range(1, 17)]
    assert all(a is not None and a.parent in {"75056", "69123", "13055"} for a in arrondissements)
    assert not any(a.approximate for a in arrondissements)


def test_departements_and_regions(gaz):
    codes = {d.code for d in gaz.departements()}
    assert {"01", "2A", "2B", "95", "971", "972", "973", "974", "976"} <= codes
    assert gaz.departement("976").nom == "Mayotte"
    assert len([r for r in gaz.regions() if len(r.code) == 2]) == 18
    assert gaz.region("94").nom == "Corse"
    assert all(gaz.region(d.region) for d in gaz.departements())


def test_distance_paris_lyon(gaz):
    paris, lyon = gaz.commune("75056"), gaz.commune("69123")
    assert distance_km((paris.lat, paris.lon), (lyon.lat, lyon.lon)) == pytest.approx(392, abs=5)


def test_every_entry_is_coherent(gaz):
    for c in gaz.communes():
        assert isinstance(c, Commune)
        assert -90 <= c.lat <= 90 and -180 <= c.lon <= 180
        assert gaz.departement(c.departement) is not None, c
        assert c.insee.startswith(c.departement[:2])
    approximate = [c for c in gaz.communes() if c.approximate]
    # metropolitan France and DROM have real centroids, but for a handful of communes
    assert sum(1 for c in approximate if not c.departement.startswith("9")) < 10


@pytest.mark.parametrize("bad", ["", "   ", "0000", "00000", "123456", "zzzzqqq", "75 020", "2C004", None, 75020, "!!!"])
def test_invalid_inputs_return_empty(gaz, bad):
    assert gaz.locate(bad) == []
    assert gaz.search(bad) == []
    assert gaz.by_postcode(bad) == []
    assert gaz.commune(bad) is None
    assert gaz.match(bad, bad) is None
    assert gaz.departement(bad) is None
    assert gaz.region(bad) is None

"""The finder's page and data (generator/finder.py), without a browser."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from bench.synthetic import write_records
from generator.build import BuildFailed
from generator.geo.gazetteer import Gazetteer, normalize
from generator.records.models import Territoire
from generator.site.data_folder import load_site
from generator.site.finder import NAME_SHARD_SIZE, coverage_keys, name_tree, position_tiles, record_row, search_words, tile_key
from generator.site.hours import code_on, day_spans, readable_week, weekly_schedule
from generator.site.model import SiteSettings
from generator.site.search import BUNDLE_FOLDER
from tests.records import gem_named
from tests.sitebuild import build_site
from tests.test_search import Index

MONDAY = date(2026, 11, 23)


def test_weekly_schedule_lists_open_intervals_monday_first():
    assert weekly_schedule("Mo-Fr 09:00-12:00,14:00-17:00; Sa 10:00-12:00", MONDAY) == ("0900-1200,1400-1700|" * 5 + "1000-1200|")


def test_weekly_schedule_splits_a_night_opening_at_midnight():
    assert weekly_schedule("Sa 22:00-02:00", MONDAY).split("|") == ["", "", "", "", "", "2200-2400", "0000-0200"]


def test_weekly_schedule_shows_unknown_as_neither_open_nor_closed():
    # « ? »: the finder says « Horaires non renseignés » (it said « Fermé aujourd'hui »), the record page likewise.
    assert weekly_schedule("Mo-Fr 09:00-17:00 unknown; Sa 10:00-12:00", MONDAY) == "?|?|?|?|?|1000-1200|"
    assert dict(readable_week("Tu 14:00-18:00; We unknown", MONDAY))["Mercredi"] == "horaires non renseignés"
    assert dict(readable_week("Tu 14:00-18:00; We unknown", MONDAY))["Jeudi"] == "fermé"


def test_a_day_known_in_part_shows_what_is_known_and_what_is_to_confirm():
    # The known morning was hidden: the whole Monday read « horaires non renseignés ».
    hours = "Mo 09:00-12:00, Mo 14:00-17:00 unknown"
    assert weekly_schedule(hours, MONDAY) == "0900-1200,1400-1700~%C3%A0%20confirmer||||||"
    assert dict(readable_week(hours, MONDAY))["Lundi"] == "9 h – 12 h et 14 h – 17 h (à confirmer)"
    assert day_spans(code_on(hours, MONDAY, False)) == (("0900", "1200", ""), ("1400", "1700", "à confirmer"))
    noted = 'Mo 09:00-12:00, Mo 14:00-17:00 unknown "selon les activités"'
    assert dict(readable_week(noted, MONDAY))["Lundi"] == "9 h – 12 h et 14 h – 17 h (à confirmer : selon les activités)"
    # A day of which nothing open is known stays unknown as a whole.
    assert day_spans(code_on("Mo 14:00-17:00 unknown", MONDAY, False)) is None


def test_weekly_schedule_of_a_place_always_open():
    assert weekly_schedule("24/7", MONDAY) == "|".join(["0000-2400"] * 7)


def test_search_words_are_distinct_normalized_and_not_tiny():
    assert search_words("Un GEM à Saint-Étienne, le GEM des Îles") == "gem saint etienne des iles"


def test_every_commune_is_in_one_name_leaf_no_larger_than_a_shard():
    communes = [c for c in Gazetteer.load().communes()]
    leaves, nodes = name_tree(communes)
    seen: dict[str, str] = {}
    for key, members in leaves.items():
        assert len(members) <= NAME_SHARD_SIZE
        for commune in members:
            assert normalize(commune.nom).startswith(key)
            assert commune.insee not in seen, f"{commune.nom} in {seen.get(commune.insee)!r} and {key!r}"
            seen[commune.insee] = key
        populations = [c.population for c in members]
        assert populations == sorted(populations, reverse=True)
    # A name equal to a split prefix (« Mont ») is in that prefix's node file.
    for key, members in nodes.items():
        seen.update((c.insee, key) for c in members if normalize(c.nom) == key)
    assert len(seen) == len(communes)
    # A split prefix keeps a short list for what has been typed so far.
    assert "sai" in nodes and all(normalize(c.nom).startswith("sai") for c in nodes["sai"])
    # The script's rule finds every commune typed in full: the node of that exact
    # name, else the longest leaf key that starts the name.
    files = {("top", key): {c.insee for c in members} for key, members in nodes.items()}
    files.update({("nom", key): {c.insee for c in members} for key, members in leaves.items()})
    for commune in communes:
        key = normalize(commune.nom)
        file = ("top", key) if key in nodes else ("nom", next(key[:n] for n in range(len(key), 0, -1) if key[:n] in leaves))
        assert commune.insee in files[file], commune.nom


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("finder-synthetic")
    data = root / "data"
    write_records(data, 300, seed=5)
    closed = data / "gem" / "synthetique-ferme.yaml"
    closed.write_text(
        (data / "gem" / next(p.name for p in (data / "gem").iterdir()))
        .read_text(encoding="utf-8")
        .replace("statut: actif", "statut: ferme"),
        encoding="utf-8",
    )
    return build_site(root / "site", data_dir=data)


def test_shards_hold_every_open_record_once_with_a_box_around_it(synthetic_site: Path):
    folder = synthetic_site / "trouver" / "donnees"
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    ids: list[str] = []
    for kind, area, count, box, _version in index["shards"]:
        rows = json.loads((folder / "structures" / f"{kind}-{area}.json").read_text(encoding="utf-8"))
        assert len(rows) == count
        for row in rows:
            assert row["k"] == kind and area in row["d"]
            assert box[0] <= row["la"] <= box[2] and box[1] <= row["lo"] <= box[3]
            ids.append(row["i"])
    assert len(ids) == len(set(ids)) == 300
    assert "synthetique-ferme" not in ids


def test_shard_urls_change_with_their_content(synthetic_site: Path):
    index = json.loads((synthetic_site / "trouver" / "donnees" / "index.json").read_text(encoding="utf-8"))
    versions = [shard[4] for shard in index["shards"]]
    assert len(set(versions)) == len(versions)
    assert re.fullmatch(r"[0-9a-f]{10}", index["communes"]["v"])


def test_postcode_shards_put_arrondissements_first(built_site: Path):
    codes = json.loads((built_site / "trouver" / "donnees" / "communes" / "cp-69.json").read_text(encoding="utf-8"))
    assert codes["69001"][0][1] == "Lyon 1er Arrondissement"
    fontenay = json.loads((built_site / "trouver" / "donnees" / "communes" / "cp-92.json").read_text(encoding="utf-8"))["92260"]
    assert [c[1] for c in fontenay] == ["Fontenay-aux-Roses"]


def test_the_index_names_every_postcode_file(built_site: Path):
    # The script asks only for these: a postcode file that fails to load is then a failed search, not an unknown postcode.
    folder = built_site / "trouver" / "donnees"
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    files = sorted(path.stem.removeprefix("cp-") for path in (folder / "communes").glob("cp-*.json"))
    assert index["communes"]["postcodes"] == files and "92" in files and "96" not in files


def test_finder_page_works_without_script(built_site: Path):
    html = (built_site / "trouver" / "index.html").read_text(encoding="utf-8")
    article = html[html.index("<h1") : html.index("</article>")]
    # The form needs the script; the links to kinds and territories do not.
    assert re.search(r'<form class="pa-finder"[^>]*\shidden', article, re.S)
    for href in ("../gem/", "../collectifs/", "../clsm/", "../esms/", "../regions/"):
        assert f'href="{href}"' in article
    assert '<script src="../assets/javascripts/passerelle-finder.js" defer></script>' in article
    assert not re.search(r"<script(?![^>]*\ssrc=)", article), "inline script breaks script-src 'self'"
    assert " style=" not in article
    assert 'role="status" aria-live="polite"' in article


def test_shortcuts_to_the_finder(built_site: Path):
    for slug, kind in (("gem", "gem"), ("collectifs", "collectif")):
        html = (built_site / slug / "index.html").read_text(encoding="utf-8")
        assert f'href="../trouver/?type={kind}&amp;autour=1"' in html
        assert "Le plus proche de chez moi" in html
    assert "Le plus proche de chez moi" not in (built_site / "clsm" / "index.html").read_text(encoding="utf-8")
    home = (built_site / "index.html").read_text(encoding="utf-8")
    first_door = re.search(r'<a [^>]*class="pa-door"[^>]*>', home).group(0)
    assert 'href="trouver/?autour=1"' in first_door


def test_the_finder_page_is_found_by_the_site_search(built_site: Path):
    index = Index(built_site / BUNDLE_FOLDER)
    assert index.weight("trouver", "trouver/") > 0


def test_hours_read_as_a_week_in_plain_french():
    week = dict(readable_week("Mo-Fr 09:00-12:30,14:00-17:00; Sa 10:00-12:00", MONDAY))
    assert week["Lundi"] == "9 h – 12 h 30 et 14 h – 17 h"
    assert week["Samedi"] == "10 h – 12 h" and week["Dimanche"] == "fermé"


def finder_data(site: Path, name: str):
    return json.loads((site / "trouver" / "donnees" / name).read_text(encoding="utf-8"))


def test_records_serving_a_territory_are_filed_by_the_areas_they_cover(built_site: Path):
    index = finder_data(built_site, "index.json")
    assert {"fr", "r11", "r53", "r94"} <= set(index["territories"])
    national = {row["i"]: row for row in finder_data(built_site, "territoires/fr.json")}
    # Clubhouse France has an office in Paris and serves the whole country.
    assert {"unafam", "unaftc", "clubhouse-france", "cnigem"} <= set(national)
    assert all(row["tn"] == 1 for row in national.values())
    assert national["clubhouse-france"]["la"] and national["clubhouse-france"]["v"] == "Paris 20e Arrondissement"
    ile_de_france = finder_data(built_site, "territoires/r11.json")
    assert ("ceapsy", ["11"]) in [(row["i"], row["tr"]) for row in ile_de_france]
    assert index["territories"]["r11"][0] == len(ile_de_france) and re.fullmatch(r"[0-9a-f]{10}", index["territories"]["r11"][1])
    # Rows of the kind files keep their shape: no territory keys there.
    shard = next(s for s in index["shards"] if s[0] == "ressource" and s[1] == "r11")
    assert not any(
        key in row for row in finder_data(built_site, f"structures/ressource-{shard[1]}.json") for key in ("tn", "tr", "td", "tc")
    )


def test_a_commune_split_into_arrondissements_covers_each_of_them():
    gazetteer = Gazetteer.load()
    keys = coverage_keys(Territoire(communes=["75056", "92032"], departements=["93"]), gazetteer)
    assert keys["td"] == ["93"] and "tn" not in keys and "tr" not in keys
    assert keys["tc"][:2] == ["75056", "75101"] and "75119" in keys["tc"] and "92032" in keys["tc"]
    assert len(keys["tc"]) == 2 + 20
    assert coverage_keys(Territoire(national=True), gazetteer) == {"tn": 1}


def test_position_tiles_hold_every_place_of_a_postcode_search_once():
    gazetteer = Gazetteer.load()
    tiles = position_tiles(gazetteer)
    placed = {c.insee: key for key, communes in tiles.items() for c in communes}
    assert sum(len(communes) for communes in tiles.values()) == len(placed)
    # Paris is its arrondissements, as « 75019 » finds the 19th.
    assert "75056" not in placed and placed["75119"] == "48_2" and placed["13201"] == "43_5"
    assert placed["92032"] == tile_key(48.79, 2.29) == "48_2"
    assert placed["97411"] == "-21_55" and tile_key(-20.9, 55.4) == "-21_55"
    assert len(placed) == len(gazetteer.communes()) - 3 + len(gazetteer.arrondissements())


def test_the_coverage_settings_reach_the_finder_data(built_site: Path):
    coverage = finder_data(built_site, "index.json")["coverage"]
    assert coverage["note"] == "Cet annuaire ne recense pas l'ensemble des {lieux} : d'autres peuvent exister près de chez vous."
    assert {kind: [record_id for record_id, _name, _why in records] for kind, records in coverage["networks"].items()} == {
        "gem": ["cnigem", "ungf"],
        "collectif": ["clubhouse-france"],
        "clsm": ["annuaire-coordinateurs-clsm-ccoms"],
    }
    assert coverage["networks"]["collectif"][0][1:] == ["Association Clubhouse France", "réseau national"]
    # What a record is, in the words of its category: a directory is no network.
    assert coverage["networks"]["clsm"][0][2] == "ressource nationale"
    assert coverage["contact"] == ""


def test_unknown_records_or_kinds_in_coverage_networks_fail_the_build(tmp_path):
    data = tmp_path / "data"
    write_records(data, 5, seed=3)
    with pytest.raises(BuildFailed) as failed:
        build_site(tmp_path / "site", data_dir=data, coverage_networks={"gem": ["cnigemm"], "gems": []})
    assert "réglages à corriger dans la configuration" in str(failed.value)
    assert "coverage_networks.gem : fiche inconnue « cnigemm » — indiquez l'identifiant d'une fiche" in str(failed.value)
    assert "coverage_networks : type inconnu « gems » — types possibles : clsm, collectif, employeur, esms, gem, ressource" in str(
        failed.value
    )


@pytest.mark.parametrize(
    ("written", "shown"),
    [("01 30 44 17 49", "01 30 44 17 49"), ("0262 12 34 56", "0262 12 34 56"), ("+32 2 555 12 34", "+32 2 555 12 34")],
)
def test_a_row_carries_its_phone_as_the_record_page_writes_it(tmp_path, written, shown):
    # The finder's script shows it as it is, a foreign number included: no second copy of the display rule.
    (tmp_path / "gem").mkdir()
    (tmp_path / "gem" / "gem-exemple.yaml").write_text(gem_named("GEM Exemple") + f'telephone: "{written}"\n', encoding="utf-8")
    entry = load_site(tmp_path, SiteSettings()).entries["gem-exemple"]
    row = record_row(entry, date(2026, 11, 23))
    assert (row["tt"], row["t"]) == (shown, entry.record.telephone)

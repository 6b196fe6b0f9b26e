"""Reference counts (data/references.yaml): checked like records, set beside the directory's figures."""

from __future__ import annotations

import html
import json
import re
import textwrap
from datetime import date, timedelta
from pathlib import Path

import pytest

from bench.synthetic import write_records
from generator.build import BuildFailed
from generator.catalogue import load_catalogue
from generator.cli import main
from generator.geo.gazetteer import Gazetteer
from generator.problems import DataError
from generator.records.vocabulary import Kind, NatureNombre
from generator.site.coverage import coverages, latest_counts
from generator.site.model import SiteModel
from tests.records import VALID_GEM, VERIFIED
from tests.sitebuild import ROOT, build_site

SOURCE = 'source: {titre: "Rapport SYNTHÉTIQUE", document: "Document d\'essai", date: "2021"}'


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def counts_file(data: Path, text: str) -> Path:
    path = data / "references.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def record(data: Path, record_id: str, text: str) -> None:
    kind = text.split("type: ", 1)[1].split("\n", 1)[0]
    (data / kind).mkdir(parents=True, exist_ok=True)
    (data / kind / f"{record_id}.yaml").write_text(text, encoding="utf-8")


def gem_at(postcode: str, commune: str, statut: str | None) -> str:
    text = VALID_GEM.replace('code_postal: "92260"', f'code_postal: "{postcode}"').replace("Fontenay-aux-Roses", commune)
    return text + (f"statut: {statut}\n" if statut else "")


def problems_of(data: Path) -> list[str]:
    with pytest.raises(DataError) as error:
        load_catalogue(data)
    return [str(problem) for problem in error.value.problems]


# --- The shipped figures ------------------------------------------------------------------


def test_the_shipped_counts_are_those_the_seeds_give(gazetteer):
    shipped = {
        (c.type.value, c.area, c.nature.value, c.date, c.nombre, c.selon, c.note)
        for c in load_catalogue(ROOT / "data", gazetteer).references
    }
    ars = [("75", 14), ("77", 3), ("78", 8), ("91", 7), ("92", 19), ("93", 14), ("94", 6), ("95", 5)]
    assert shipped == {
        # CNSA, cahier pédagogique GEM, mai 2017: « 430 groupes d'entraide mutuelle au 31 décembre 2016 ».
        ("gem", "fr", "recenses", "2016-12-31", 430, "la CNSA", "au moins un dans chaque département"),
        # Clubhouse France, communiqué 2022: Paris, Lyon, Bordeaux, Nantes, Lille.
        (
            "collectif",
            "fr",
            "recenses",
            "2022",
            5,
            "l'association Clubhouse France",
            "les Clubhouses de Paris, Lyon, Bordeaux, Nantes et Lille",
        ),
        # DGCS instruction of 31 August 2022: 10 collectifs « à horizon 2023 », five new ones « d'ici 2025 ».
        (
            "collectif",
            "fr",
            "prevus",
            "2023",
            10,
            "la DGCS",
            "dont cinq nouveaux, à créer d'ici 2025 dans les régions qui n'en avaient pas",
        ),
        # Céapsy LAB 2021, citing the ARS Île-de-France's 2018 evaluation.
        ("clsm", "r11", "recenses", "2018", 76, "l'ARS Île-de-France", "dont 62 actifs"),
        *(("clsm", code, "recenses", "2018", count, "l'ARS Île-de-France", None) for code, count in ars),
    }
    assert sum(count for _, count in ars) == 76
    assert all(c.source.date for c in load_catalogue(ROOT / "data", gazetteer).references)


# --- Checked like records -----------------------------------------------------------------


def test_every_mistake_is_reported_at_once_where_it_is_in_french(tmp_path, capsys):
    record(tmp_path, "gem-a", VALID_GEM)
    path = counts_file(
        tmp_path,
        f"""\
        nombres:
          - type: clsm
            departement: "96"
            nombre: 19
            date: "2018"
            selon: "l'ARS"
            source: {{titre: Étude, document: Étude, date: "2017"}}
          - type: gems
            national: true
            nombre: -1
            date: "2018-02-30"
            selon: la CNSA
            source: {{titre: Cahier, url: "ftp://exemple"}}
          - type: gem
            region: "99"
            nombre: 3
            date: "2020"
            selon: la CNSA
            sourc: 1
            {SOURCE}
        """,
    )
    assert main(["validate", "--data", str(tmp_path)]) == 1
    err = capsys.readouterr().err.splitlines()
    expected = [
        f"{path}:3:5: nombres[0].departement: département inconnu « 96 »",
        f"{path}:5:5: nombres[0].date: nombre daté de 2018, mais sa source date de 2017",
        f"{path}:8:5: nombres[1].type: valeur inconnue « gems »",
        f"{path}:10:5: nombres[1].nombre: valeur hors limites « -1 » (au moins 0)",
        f"{path}:11:5: nombres[1].date: date inexistante « 2018-02-30 »",
        f"{path}:13:5: nombres[1].source.date: champ obligatoire manquant — ajoutez « date: … »",
        f"{path}:15:5: nombres[2].region: région inconnue « 99 »",
        f"{path}:19:5: nombres[2].sourc: champ inconnu — vouliez-vous dire « source » ?",
    ]
    for line in expected:
        assert any(reported.startswith(line) for reported in err), f"{line}\nnot in:\n" + "\n".join(err)
    assert err[-1] == f"{len(err) - 1} problèmes à corriger." and len(err) - 1 >= len(expected)


@pytest.mark.parametrize(
    "lines, message",
    [
        # A source and its date are required: a figure must be placed in time.
        ("national: true\nnombre: 3\ndate: '2020'\nselon: x\n", "nombres[0].source: champ obligatoire manquant"),
        (
            "national: true\nnombre: 3\ndate: '2020'\nselon: x\nsource: {titre: a, document: b}\n",
            "nombres[0].source.date: champ obligatoire manquant",
        ),
        (f"national: true\nnombre: 3\nselon: x\n{SOURCE}\n", "nombres[0].date: champ obligatoire manquant"),
        (f"national: true\nnombre: 3\ndate: '2020'\n{SOURCE}\n", "nombres[0].selon: champ obligatoire manquant"),
        # One territory, and only one.
        (f"nombre: 3\ndate: '2020'\nselon: x\n{SOURCE}\n", "nombres[0]: indiquez un seul territoire pour ce nombre"),
        (f"national: true\ndepartement: '92'\nnombre: 3\ndate: '2020'\nselon: x\n{SOURCE}\n", "nombres[0]: indiquez un seul territoire"),
        (f"departement: '2C'\nnombre: 3\ndate: '2020'\nselon: x\n{SOURCE}\n", "nombres[0].departement: format invalide « 2C »"),
        # Structures counted are counted in the past; an objective may be ahead.
        (f"national: true\nnombre: 3\ndate: '2099'\nselon: x\n{SOURCE}\n", "nombres[0].date: la date 2099 est dans le futur"),
        (f"national: true\nnombre: 3\ndate: '20-01'\nselon: x\n{SOURCE}\n", "nombres[0].date: date invalide « 20-01 »"),
        (f"national: true\nnombre: 3\ndate: '2020'\nnature: espere\nselon: x\n{SOURCE}\n", "nombres[0].nature: valeur inconnue « espere »"),
    ],
)
def test_what_a_count_must_say(tmp_path, lines, message):
    record(tmp_path, "gem-a", VALID_GEM)
    counts_file(tmp_path, "nombres:\n  - type: gem\n" + textwrap.indent(lines, "    "))
    assert any(message in problem for problem in problems_of(tmp_path)), problems_of(tmp_path)


def test_an_objective_may_be_dated_ahead_of_its_source(tmp_path, gazetteer):
    record(tmp_path, "gem-a", VALID_GEM)
    counts_file(
        tmp_path,
        f"nombres:\n  - type: gem\n    national: true\n    nature: prevus\n    nombre: 3\n    date: '2099'\n    selon: x\n    {SOURCE}\n",
    )
    (count,) = load_catalogue(tmp_path, gazetteer).references
    assert count.nature == NatureNombre.PREVUS and count.date == "2099"


def test_the_same_count_written_twice_is_an_error(tmp_path):
    record(tmp_path, "gem-a", VALID_GEM)
    item = f"  - type: gem\n    departement: '92'\n    nombre: 3\n    date: '2020'\n    selon: x\n    {SOURCE}\n"
    path = counts_file(tmp_path, "nombres:\n" + item + item)
    assert problems_of(tmp_path) == [
        f"{path}:8:5: nombres[1]: ce nombre (gem, même territoire, même date) est déjà indiqué ligne 2 — "
        "gardez-en un seul ; un autre comptage s'écrit avec sa propre date"
    ]


def test_without_the_file_there_is_no_count(tmp_path, gazetteer):
    record(tmp_path, "gem-a", VALID_GEM)
    assert load_catalogue(tmp_path, gazetteer).references == ()


def test_a_bad_count_fails_the_build(tmp_path):
    data = tmp_path / "data"
    write_records(data, 5, seed=3)
    counts_file(data, f"nombres:\n  - type: gem\n    region: '99'\n    nombre: 3\n    date: '2020'\n    selon: x\n    {SOURCE}\n")
    with pytest.raises(BuildFailed) as failed:
        build_site(tmp_path / "site", data_dir=data)
    assert "nombres[0].region: région inconnue « 99 »" in str(failed.value)


# --- Beside the directory's figures -------------------------------------------------------


@pytest.fixture
def sample(tmp_path, gazetteer) -> Path:
    """GEM in the Hauts-de-Seine (open, unknown, closed) and Paris, and counts of France, Île-de-France, 92 and 93."""
    record(tmp_path, "gem-ouvert-92", gem_at("92260", "Fontenay-aux-Roses", "actif"))
    record(tmp_path, "gem-inconnu-92", gem_at("92220", "Bagneux", None))
    record(tmp_path, "gem-ferme-92", gem_at("92120", "Montrouge", "ferme"))
    record(tmp_path, "gem-ouvert-75", gem_at("75019", "Paris", "actif"))
    counts_file(
        tmp_path,
        f"""\
        nombres:
          - {{type: gem, national: true, nombre: 430, date: "2016-12-31", selon: la CNSA, note: au moins un par département, {SOURCE}}}
          - {{type: gem, region: "11", nombre: 60, date: "2018-09", selon: "l'ARS", {SOURCE}}}
          - {{type: gem, region: "11", nombre: 50, date: "2017", selon: "l'ARS", {SOURCE}}}
          - {{type: gem, departement: "92", nombre: 2, date: "2021", selon: "l'ARS", {SOURCE}}}
          - {{type: gem, departement: "93", nombre: 12, date: "2021", selon: "l'ARS", {SOURCE}}}
          - {{type: clsm, national: true, nature: prevus, nombre: 500, date: "2030", selon: la DGCS, {SOURCE}}}
        """,
    )
    return tmp_path


def site_of(data: Path, gazetteer: Gazetteer, today: date = date(2022, 6, 1)) -> SiteModel:
    return SiteModel(load_catalogue(data, gazetteer), gazetteer, today=today)


def test_each_count_is_set_beside_the_records_of_its_kind_in_its_territory(sample, gazetteer):
    found = {(c.kind, c.area, c.count.date): c for c in coverages(site_of(sample, gazetteer))}
    france, idf, hauts_de_seine, seine_saint_denis = (
        found[Kind.GEM, "fr", "2016-12-31"],
        found[Kind.GEM, "r11", "2018-09"],
        found[Kind.GEM, "92", "2021"],
        found[Kind.GEM, "93", "2021"],
    )
    # Closed structures are not listed; those whose situation is unknown are, but not as open.
    assert (france.listed, france.open) == (3, 2)
    assert (idf.listed, idf.open) == (3, 2)
    assert (hauts_de_seine.listed, hauts_de_seine.open, hauts_de_seine.missing) == (2, 1, False)
    assert (seine_saint_denis.listed, seine_saint_denis.missing, seine_saint_denis.share) == (0, True, 0.0)
    assert hauts_de_seine.statement == "Hauts-de-Seine (92) : 2 GEM en 2021, selon l'ARS."
    assert seine_saint_denis.listed_text == "Cet annuaire en liste 0."
    # A record that does not say whether its structure is open is « à confirmer », not counted open or closed.
    assert (france.unconfirmed, hauts_de_seine.unconfirmed) == (1, 1)
    assert france.listed_text == "Cet annuaire en liste 3 ; pour 1 d'entre eux, la situation est à confirmer."
    assert france.statement == "France : 430 GEM au 31 décembre 2016 (au moins un par département), selon la CNSA."
    assert idf.statement == "Île-de-France : 60 GEM en septembre 2018, selon l'ARS."
    planned = found[Kind.CLSM, "fr", "2030"]
    assert planned.statement == "France : 500 CLSM prévus à l'horizon 2030, selon la DGCS." and not planned.missing


def test_a_structure_not_open_yet_is_said_apart_and_not_taken_for_one_the_count_counted(tmp_path, gazetteer):
    """« 2 GEM en 2021 … Cet annuaire en liste 2. » while one of the two was only announced: the directory seemed to
    miss none, and nobody was named to ask about the other."""
    for record_id, postcode, commune, statut in (
        ("gem-ouvert-93", "93100", "Montreuil", "actif"),
        ("gem-annonce-93", "93200", "Saint-Denis", "en_projet"),
    ):
        record(tmp_path, record_id, gem_at(postcode, commune, statut))
    counts_file(tmp_path, f'nombres:\n  - {{type: gem, departement: "93", nombre: 2, date: "2021", selon: "l\'ARS", {SOURCE}}}\n')
    (seine_saint_denis,) = coverages(site_of(tmp_path, gazetteer))
    assert (seine_saint_denis.listed, seine_saint_denis.open, seine_saint_denis.not_open_yet) == (2, 1, 1)
    assert seine_saint_denis.listed_text == "Cet annuaire en liste 2, dont 1 pas encore ouvert."
    assert seine_saint_denis.missing


def test_visitors_are_told_the_most_recent_count_of_existing_structures(sample, gazetteer):
    told = {(c.kind, c.area): c.count.date for c in latest_counts(site_of(sample, gazetteer))}
    assert told == {(Kind.GEM, "fr"): "2016-12-31", (Kind.GEM, "r11"): "2018-09", (Kind.GEM, "92"): "2021", (Kind.GEM, "93"): "2021"}


def test_counts_older_than_the_delay_are_flagged_like_records(sample, gazetteer):
    site = site_of(sample, gazetteer, today=date(2022, 6, 1))
    stale = {(c.area, c.count.date): c.stale_text for c in coverages(site) if c.stale}
    assert stale == {
        ("fr", "2016-12-31"): "Ce chiffre date du 31 décembre 2016 : il a pu changer depuis.",
        ("r11", "2018-09"): "Ce chiffre date de septembre 2018 : il a pu changer depuis.",
        ("r11", "2017"): "Ce chiffre date de 2017 : il a pu changer depuis.",
    }
    # The delay is the data folder's: 6 years make 2017 recent enough.
    (sample / "reverification.yaml").write_text("delai_mois: 72\n", encoding="utf-8")
    assert [c.count.date for c in coverages(site_of(sample, gazetteer, today=date(2022, 6, 1))) if c.stale] == []


def test_stats_lists_the_old_counts(sample, capsys):
    assert main(["stats", "--data", str(sample)]) == 0
    out = capsys.readouterr().out
    # Today, every count of existing structures is old; the 2030 objective is not.
    assert "5 nombre(s) de référence daté(s) de plus de 12 mois (references.yaml) :" in out and "2030" not in out
    assert "  2016-12-31  France : 430 GEM au 31 décembre 2016 (au moins un par département), selon la CNSA." in out


# --- On the shipped site ------------------------------------------------------------------


def test_the_finder_data_holds_each_territorys_latest_count(built_site):
    counts = json.loads((built_site / "trouver" / "donnees" / "index.json").read_text(encoding="utf-8"))["coverage"]["counts"]
    assert {kind: sorted(areas) for kind, areas in counts.items()} == {
        "gem": ["fr"],
        "collectif": ["fr"],  # the objective of the DGCS is no count of existing structures
        "clsm": ["75", "77", "78", "91", "92", "93", "94", "95", "r11"],
    }
    assert counts["clsm"]["92"] == [
        "Hauts-de-Seine (92) : 19 CLSM en 2018, selon l'ARS Île-de-France.",
        "Cet annuaire en liste 0.",
        1,
        "Ce chiffre date de 2018 : il a pu changer depuis.",
        "Céapsy Île-de-France — LAB « Quelles dynamiques de participation aux conseils locaux de santé mentale (CLSM) en Île-de-France ? » (étude 2021)",
        "2021",
        "",
    ]  # a KnownCountRow (generator/site/shapes.py)


def page_text(site: Path, url: str) -> str:
    """The text of a built page, tags (sigles in <abbr>…) and entities gone."""
    return html.unescape(re.sub(r"<[^>]+>", "", (site / url / "index.html").read_text(encoding="utf-8")))


def test_list_pages_say_what_other_sources_counted(built_site):
    clsm = page_text(built_site, "clsm")
    assert "Île-de-France : 76 CLSM en 2018 (dont 62 actifs), selon l'ARS Île-de-France. Cet annuaire en liste 0." in clsm
    assert "Hauts-de-Seine (92) : 19 CLSM en 2018, selon l'ARS Île-de-France. Cet annuaire en liste 0." in clsm
    assert "D'autres structures existent" in clsm
    gem = page_text(built_site, "gem")
    assert (
        "France : 430 GEM au 31 décembre 2016 (au moins un dans chaque département), selon la CNSA. Cet annuaire en liste 3 ; leur situation est à confirmer."
        in gem
    )
    assert "CLSM en 2018" not in gem
    # Verified in 2022, the five Clubhouses and the two collectifs then being set up are all « à confirmer »
    # on their pages: the count says so, not « dont 2 pas encore ouverts ».
    collectifs = page_text(built_site, "collectifs")
    assert "selon l'association Clubhouse France. Cet annuaire en liste 7 ; leur situation est à confirmer." in collectifs
    region = page_text(built_site, "regions/11")
    assert "Île-de-France : 76 CLSM en 2018" in region and "Hauts-de-Seine (92) : 19 CLSM" not in region
    departement = page_text(built_site, "departements/92")
    assert "Hauts-de-Seine (92) : 19 CLSM en 2018" in departement and "Île-de-France : 76" not in departement


def words(text: str) -> str:
    return " ".join(text.split())


def test_counts_of_one_source_say_their_age_and_their_source_once(built_site):
    """The CLSM page quoted the same study, and said « Ce chiffre date de 2018 », under each of nine counts."""
    clsm = words(page_text(built_site, "clsm"))
    known = clsm[clsm.index("D'autres structures existent") : clsm.index("Pour les connaître")]
    assert known.count("Source") == 1 and "Ce chiffre date" not in known
    assert known.index("Val-d'Oise (95) : 5 CLSM en 2018") < known.index(
        "Ces chiffres datent de 2018 : ils ont pu changer depuis. Source de ces chiffres : Céapsy"
    )
    # One count alone keeps its singular.
    departement = words(page_text(built_site, "departements/92"))
    assert "Ce chiffre date de 2018 : il a pu changer depuis. Source : Céapsy" in departement


def test_a_count_of_structures_the_directory_does_not_list_says_whom_to_ask(built_site):
    # The resource centre of the territory, then the records mkdocs.yml's coverage_networks sets for the kind; the
    # shipped Céapsy gives no phone, e-mail or website: named, it led to one more page without a contact.
    departement = words(page_text(built_site, "departements/92"))
    assert (
        "Pour les connaître, renseignez-vous auprès de : Annuaire des coordinateurs de CLSM (CCOMS) (ressource nationale)"
    ) in departement
    assert "(centre ressource de ce territoire)" not in departement + words(page_text(built_site, "regions/11"))
    # France has no resource centre of its own: the networks of the kind only.
    gem = words(page_text(built_site, "gem"))
    assert "renseignez-vous auprès de : CNIGEM — Collectif national inter-GEM (réseau national) UNGF" in gem
    assert "centre ressource de ce territoire" not in gem
    html = (built_site / "departements" / "92" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../../structures/annuaire-coordinateurs-clsm-ccoms/">' in html


def test_the_freshness_page_lists_old_counts(built_site):
    page = page_text(built_site, "observatoire/fraicheur")
    assert "Nombres de référence anciens (12)" in page
    assert "Val-d'Oise (95) : 5 CLSM en 2018, selon l'ARS Île-de-France." in page


def test_counts_use_the_status_pages_show(tmp_path, gazetteer):
    """Verified long ago, « actif » and « en_projet » are « à confirmer » on the records' pages: the count said
    « Cet annuaire en liste 2, dont 1 pas encore ouvert » of records whose situation nobody vouches for."""
    record(tmp_path, "gem-ouvert-93", gem_at("93100", "Montreuil", "actif"))
    record(tmp_path, "gem-annonce-93", gem_at("93200", "Saint-Denis", "en_projet"))
    counts_file(tmp_path, f'nombres:\n  - {{type: gem, departement: "93", nombre: 2, date: "2021", selon: "l\'ARS", {SOURCE}}}\n')
    two_years_on = date.fromisoformat(VERIFIED) + timedelta(days=730)
    (seine_saint_denis,) = coverages(site_of(tmp_path, gazetteer, today=two_years_on))
    assert (seine_saint_denis.open, seine_saint_denis.not_open_yet, seine_saint_denis.unconfirmed) == (0, 0, 2)
    assert seine_saint_denis.listed_text == "Cet annuaire en liste 2 ; leur situation est à confirmer."


def test_more_records_than_counted_give_no_share(tmp_path, gazetteer):
    """« 7 sur 5 », « Part listée 100 % »: more records than the count need not include every structure it counted."""
    for record_id, postcode, commune in (("gem-a-93", "93100", "Montreuil"), ("gem-b-93", "93200", "Saint-Denis")):
        record(tmp_path, record_id, gem_at(postcode, commune, "actif"))
    counts_file(tmp_path, f'nombres:\n  - {{type: gem, departement: "93", nombre: 1, date: "2021", selon: "l\'ARS", {SOURCE}}}\n')
    (seine_saint_denis,) = coverages(site_of(tmp_path, gazetteer))
    assert seine_saint_denis.more_than_counted and seine_saint_denis.share is None and not seine_saint_denis.missing

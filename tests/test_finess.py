"""`passerelle import finess`: both FINESS formats into a temporary data folder."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from generator.catalogue import load_catalogue
from generator.cli import main
from generator.geo.gazetteer import distance_km
from generator.importers.finess import CATEGORIES, FinessError, crs_of, import_finess, read_extraction
from generator.importers.shared import ImportReport
from generator.records.vocabulary import CategorieEsms, Precision, Statut

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "finess"
ETALAB = FIXTURES / "etalab-cs1100507-stock-20260512-0339.csv"
FINESS_PLUS = FIXTURES / "finess-plus-structures.json"
SAMPLE = ROOT.parent / "shared" / "reference" / "finess-plus" / "exemple-finess-structures-journalier-20260309.json"
SAMPLE_CATEGORIES = ["109", "182", "195", "354", "355", "365", "461", "500"]


def snapshot(data_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((data_dir / "esms").glob("*.yaml"))}


def test_etalab_extraction_becomes_valid_located_records(tmp_path):
    report = import_finess(ETALAB, tmp_path)
    assert report.problems == []
    # The EHPAD (category 500) is not a category of this directory.
    assert sorted(report.added) == ["finess-750800039", "finess-920800018", "finess-920800059", "finess-970800041"]
    assert report.notes == {
        "téléphone invalide dans FINESS, non repris": 1,
        "coordonnées dans un système inconnu, non reprises": 1,
        "code postal absent ou ne correspondant pas à la commune : commune gardée par son code INSEE": 1,
    }
    catalogue = load_catalogue(tmp_path)
    esat = catalogue.records["finess-920800018"]
    assert (esat.categorie, esat.finess, esat.telephone) == (CategorieEsms.ESAT, "920800018", "+33146611234")
    assert esat.adresse.voie == "12 RUE DES PÂQUERETTES"  # Windows-1252 decoded
    assert esat.verifie_le == date(2026, 5, 12) and esat.sources[0].date == "2026-05-12"
    assert esat.acces[0].value == "notification_cdaph" and esat.orientation_cdaph
    # Lambert-93 converted: the point the fixture was projected from, within a metre.
    place = catalogue.places["finess-920800018"]
    assert place.precision == Precision.ADRESSE
    assert distance_km((place.lat, place.lon), (48.7906, 2.2876)) < 0.001
    assert place.departements == ("92",) and place.regions == ("11",)
    # Guadeloupe: département 9A, commune 101, UTM 20N (EPSG:5490), phone in +590.
    guadeloupe = catalogue.places["finess-970800041"]
    assert guadeloupe.commune.insee == "97101" and guadeloupe.departements == ("971",)
    assert distance_km((guadeloupe.lat, guadeloupe.lon), (16.2727, -61.5017)) < 0.001
    assert catalogue.records["finess-970800041"].telephone == "+590590821963"
    assert catalogue.records["finess-970800041"].adresse.voie == "3 BIS BOULEVARD DU GÉNÉRAL DE GAULLE"
    # Paris: an arrondissement code, the invalid phone left out.
    paris = catalogue.records["finess-750800039"]
    assert catalogue.places[paris.id].commune.insee == "75113" and paris.telephone is None
    # CEDEX postcode dropped, commune kept by INSEE code; unknown coordinate system: commune centre.
    mas = catalogue.records["finess-920800059"]
    assert (mas.adresse.code_postal, mas.adresse.code_insee, mas.adresse.voie) == (None, "92032", None)
    assert catalogue.places[mas.id].precision == Precision.COMMUNE


def test_reimport_changes_no_byte(tmp_path):
    import_finess(ETALAB, tmp_path)
    before = snapshot(tmp_path)
    report = import_finess(ETALAB, tmp_path)
    assert snapshot(tmp_path) == before
    assert report.added == report.updated == report.closed == []
    assert len(report.unchanged) == 4


def later_stock(tmp_path: Path, drop: str | None = None, replace: tuple[str, str] | None = None) -> Path:
    text = ETALAB.read_bytes().decode("cp1252").replace("2026-05-12", "2026-06-12")
    lines = [line for line in text.split("\r\n") if not (drop and f";{drop};" in line)]
    text = "\r\n".join(lines)
    if replace:
        text = text.replace(*replace)
    path = tmp_path / "etalab-cs1100507-stock-20260612-0339.csv"
    path.write_bytes(text.encode("cp1252"))
    return path


HAND_EDITED = """\
# Fiche créée par « passerelle import finess ». À chaque import, nom, categorie, finess, gestionnaire,
# adresse, coordonnees, telephone, la source FINESS et verifie_le sont repris de FINESS (corrigez-les
# dans FINESS) ; les autres champs et ces commentaires sont à vous et sont gardés.
type: esms
nom: ESAT LES ATELIERS DE FONTENAY
categorie: esat
finess: "920800018"
statut: actif
# Rédigé avec l'équipe de l'ESAT en juin 2026.
description: >-
  Atelier de menuiserie et de jardinage,
  accueil en journée.
adresse:
  voie: 12 RUE DES PÂQUERETTES  # entrée par la cour
  code_postal: "92260"
  commune: Fontenay-aux-Roses
  code_insee: "92032"
coordonnees:
  lat: 48.7906
  lon: 2.287599
  precision: adresse
telephone: "01 46 61 12 34"
horaires: "Mo-Fr 08:30-16:30"
publics: [troubles_psychiques]
acces: [notification_cdaph, rqth]
orientation_cdaph: true
sources:
  - titre: FINESS — extraction du fichier des établissements
    url: https://www.data.gouv.fr/fr/datasets/finess-extraction-du-fichier-des-etablissements/
    date: "2026-05-12"
  - titre: Visite de l'ESAT
    document: "Compte rendu de visite, juin 2026"
    date: "2026-06"
verifie_le: 2026-05-12
"""


def test_hand_edits_and_comments_survive_a_reimport(tmp_path):
    import_finess(ETALAB, tmp_path)
    path = tmp_path / "esms" / "finess-920800018.yaml"
    path.write_text(HAND_EDITED, encoding="utf-8")
    stock = later_stock(tmp_path, replace=(";0146611234;", ";0146619999;"))
    report = import_finess(stock, tmp_path)
    # Every record was verified again at the new date; the ESAT's phone changed too.
    assert report.updated == ["finess-750800039", "finess-920800018", "finess-920800059", "finess-970800041"]
    expected = (
        HAND_EDITED.replace('"01 46 61 12 34"', '"01 46 61 99 99"')
        .replace('    date: "2026-05-12"', '    date: "2026-06-12"')
        .replace("verifie_le: 2026-05-12", "verifie_le: 2026-06-12")
    )
    # Only the FINESS-owned values moved: comments, hand fields, extra source and key order stay.
    assert path.read_text(encoding="utf-8") == expected
    load_catalogue(tmp_path)
    # And a third import of the same stock touches nothing.
    before = snapshot(tmp_path)
    import_finess(stock, tmp_path)
    assert snapshot(tmp_path) == before


def test_establishment_missing_from_a_full_stock_is_closed_not_deleted(tmp_path):
    import_finess(ETALAB, tmp_path)
    hand_made = tmp_path / "esms" / "esat-fait-main.yaml"
    hand_made.write_text(
        HAND_EDITED.replace('"920800018"', '"920800067"')
        .replace("FINESS — extraction", "Annuaire papier")
        .replace("https://www.data.gouv.fr/fr/datasets/finess-extraction-du-fichier-des-etablissements/", "https://exemple.fr/annuaire"),
        encoding="utf-8",
    )
    # Scoped to Paris, the absence of a Hauts-de-Seine establishment proves nothing.
    report = import_finess(later_stock(tmp_path, drop="920800018"), tmp_path, departements=["75"])
    assert report.closed == []
    report = import_finess(later_stock(tmp_path, drop="920800018"), tmp_path)
    assert report.closed == ["finess-920800018"]
    catalogue = load_catalogue(tmp_path)
    assert catalogue.records["finess-920800018"].statut == Statut.FERME
    assert catalogue.records["finess-920800018"].verifie_le == date(2026, 6, 12)
    # Not listed either, but written by a person: left alone.
    assert catalogue.records["esat-fait-main"].statut == Statut.ACTIF
    # Back in a later stock: the import does not reopen what was closed, it says so.
    report = import_finess(later_stock(tmp_path), tmp_path)
    assert load_catalogue(tmp_path).records["finess-920800018"].statut == Statut.FERME
    assert report.notes["fermée dans l'annuaire mais ouverte dans FINESS (statut gardé : vérifiez)"] == 1


def test_finess_plus_export(tmp_path):
    report = import_finess(FINESS_PLUS, tmp_path)
    assert report.problems == []
    assert report.added == ["finess-010800076", "finess-010800092"]
    assert report.skipped == {"fermé dans FINESS et absent de l'annuaire": 1}
    assert report.notes == {"téléphone invalide dans FINESS, non repris": 1}
    catalogue = load_catalogue(tmp_path)
    esat = catalogue.records["finess-010800076"]
    assert esat.gestionnaire == "ASSOCIATION DÉPARTEMENTALE DES AMIS ET PARENTS"
    assert esat.nom == "ESAT DU BUGEY" and esat.verifie_le == date(2026, 3, 9)
    # The WGS84 fields, not the swapped Lambert-93 pair.
    assert (esat.coordonnees.lat, esat.coordonnees.lon) == (46.205, 5.225)
    fam = catalogue.records["finess-010800092"]
    assert catalogue.places[fam.id].precision == Precision.COMMUNE and fam.telephone is None


def test_finess_plus_closure_marks_the_record_closed(tmp_path):
    import_finess(FINESS_PLUS, tmp_path)
    data = json.loads(FINESS_PLUS.read_text(encoding="utf-8"))
    esat = data["pmej"][0]["ege"][0]
    esat["etatObjet"] = "I"
    esat["informationsGeneralesEGE"]["dateFermeture"] = "2026-03-01"
    closed = tmp_path / "closed.json"
    closed.write_text(json.dumps(data), encoding="utf-8")
    report = import_finess(closed, tmp_path)
    assert report.closed == ["finess-010800076"]
    assert (tmp_path / "esms" / "finess-010800076.yaml").exists()
    assert load_catalogue(tmp_path).records["finess-010800076"].statut == Statut.FERME
    # A daily export may be an excerpt: the FAM absent from this one stays open.
    data["pmej"][0]["ege"] = [esat]
    closed.write_text(json.dumps(data), encoding="utf-8")
    import_finess(closed, tmp_path)
    assert load_catalogue(tmp_path).records["finess-010800092"].statut == Statut.ACTIF


@pytest.mark.skipif(
    not SAMPLE.is_file(), reason=f"official FINESS+ sample not found at {SAMPLE} (shared/reference is beside the repository)"
)
def test_official_finess_plus_sample(tmp_path):
    # The sample (Ain and Wallis-et-Futuna) holds no establishment of this directory's categories.
    assert import_finess(SAMPLE, tmp_path).added == []
    report = import_finess(SAMPLE, tmp_path, categories=SAMPLE_CATEGORIES)
    assert report.problems == [] and len(report.added) == 15
    assert report.skipped == {"fermé dans FINESS et absent de l'annuaire": 3}
    catalogue = load_catalogue(tmp_path)
    clinic = catalogue.records["finess-010780195"]
    assert clinic.gestionnaire == "CLINIQUE CONVERT" and clinic.adresse.voie == "62 AVENUE DE JASSERON"
    assert (clinic.coordonnees.lat, clinic.coordonnees.lon) == (46.211257, 5.254203)
    assert catalogue.places["finess-980600027"].departements == ("986",)
    before = snapshot(tmp_path)
    import_finess(SAMPLE, tmp_path, categories=SAMPLE_CATEGORIES)
    assert snapshot(tmp_path) == before


@pytest.mark.skipif(not SAMPLE.is_file(), reason=f"official FINESS+ sample not found at {SAMPLE}")
def test_sample_coordinates_x_y_are_swapped_lambert93():
    from pyproj import Transformer

    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    to_wgs84 = Transformer.from_crs("EPSG:2154", "EPSG:4326", always_xy=True)
    checked = 0
    for entity in data["pmej"]:
        for ege in entity["ege"]:
            point = ege["adresse"][0].get("coordonneesGeographique")
            if point:
                lon, lat = to_wgs84.transform(float(point["coordonneeY"]), float(point["coordonneeX"]))
                assert distance_km((lat, lon), (float(point["directionLatitude"]), float(point["directionLongitude"]))) < 0.05
                checked += 1
    assert checked > 10


@pytest.mark.parametrize(
    ("source", "epsg"),
    [
        ("1,ATLASANTE,96,BAN,EPSG:2154 RGF93 / Lambert-93 (Métropole)", 2154),
        ("1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,LAMBERT_93", 2154),
        ("2,ATLASANTE,96,BAN,EPSG:5490 RGAF09/UTM Zone 20N (Antilles)", 5490),
        ("1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,UTM_N22", 2972),
        ("1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,UTM_S40", 2975),
        ("2,ATLASANTE,100,BDADRESSE,EPSG:4471 RGM04/UTM zone 38S (Mayotte)", 4471),
        ("2,ATLASANTE,90,BAN,WGS84/UTM zone 21N (St-Pierre-et-Miquelon)", 32621),
        ("3,ATLASANTE,0,?,LAMBERT_II_ETENDU", 27572),
        ("3,ATLASANTE,0,?,GAUSS_LABORDE", None),
        ("", None),
    ],
)
def test_coordinate_systems_named_in_sourcecoordet(source, epsg):
    assert crs_of(source) == epsg


def test_category_codes_match_the_vocabulary():
    # Each directory category names its FINESS code in its description.
    for code, categorie in CATEGORIES.items():
        assert f"FINESS {code})" in categorie.description
    assert set(CATEGORIES.values()) == set(CategorieEsms) - {CategorieEsms.AUTRE}


def test_other_categories_become_autre_and_present_numbers_cover_every_category():
    extraction = read_extraction(ETALAB, ["500"])
    assert [e.finess for e in extraction.establishments] == ["920800026"]
    assert len(extraction.present) == 5 and extraction.complete
    assert extraction.departements == {"92", "971", "75"}


@pytest.mark.parametrize("command", [["finess", str(ETALAB)], ["data-inclusion", str(ETALAB)]])
def test_an_import_into_a_folder_that_is_not_there_is_refused_and_creates_nothing(tmp_path, capsys, command):
    """A mistyped --data would receive every record, in a folder no build reads: refused, with how to start one."""
    mistyped = tmp_path / "donnes"
    assert main(["import", *command, "--data", str(mistyped)]) == 1
    error = capsys.readouterr().err
    assert f"--data {mistyped} : dossier introuvable" in error
    assert f"pour commencer un nouvel annuaire, créez d'abord le dossier vide {mistyped}, puis relancez l'import" in error
    assert "Traceback" not in error and not mistyped.exists()
    (tmp_path / "src").mkdir()
    assert main(["import", *command, "--data", str(tmp_path)]) == 1  # a folder, but not one of records
    assert "ce dossier ne contient aucun dossier de fiches (gem/, collectif/, clsm/…)" in capsys.readouterr().err
    assert not (tmp_path / "esms").exists()


def test_cli_import_then_validate(tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir()  # a new directory starts in an empty folder
    assert main(["import", "finess", str(FINESS_PLUS), "--data", str(data), "--categories", "246", "--categories", "437,500"]) == 0
    out = capsys.readouterr().out
    assert "3 ajoutée(s)" in out and "0 ignorée(s)" in out  # the closed SAVS (446) was not asked for
    assert main(["validate", "--data", str(data)]) == 0
    broken = tmp_path / "broken.csv"
    broken.write_text("ceci n'est pas une extraction\n", encoding="utf-8")
    assert main(["import", "finess", str(broken), "--data", str(data)]) == 1
    assert "finess;etalab" in capsys.readouterr().err


def test_a_category_code_that_matches_nothing_is_said_not_a_silent_zero(tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir()
    assert main(["import", "finess", str(FINESS_PLUS), "--data", str(data), "--categories", "246,999"]) == 0
    out = capsys.readouterr().out
    assert (
        "note : 0 — établissement(s) de la catégorie 999 (--categories) dans ce fichier ; ce n'est pas une catégorie de l'annuaire" in out
    )
    assert "catégorie 246" not in out  # found, and a category of the directory
    (tmp_path / "other").mkdir()
    assert main(["import", "finess", str(ETALAB), "--data", str(tmp_path / "other"), "--categories", "500"]) == 0
    assert "catégorie 500" not in capsys.readouterr().out  # not the directory's, but in the file: it becomes « autre »


def test_coordinates_far_from_the_commune_are_left_out(tmp_path):
    data = json.loads(FINESS_PLUS.read_text(encoding="utf-8"))
    point = data["pmej"][0]["ege"][0]["adresse"][0]["coordonneesGeographique"]
    point["directionLatitude"], point["directionLongitude"] = point["directionLongitude"], point["directionLatitude"]
    swapped = tmp_path / "swapped.json"
    swapped.write_text(json.dumps(data), encoding="utf-8")
    report = import_finess(swapped, tmp_path / "data")
    assert report.notes["coordonnées FINESS loin de la commune, non reprises"] == 1
    catalogue = load_catalogue(tmp_path / "data")
    assert catalogue.records["finess-010800076"].coordonnees is None
    assert catalogue.places["finess-010800076"].precision == Precision.COMMUNE


def test_a_record_left_invalid_by_a_hand_edit_is_kept_and_the_reason_said_in_french(tmp_path):
    """The importer checks what it writes with the loader's own messages (records/validation.py)."""
    import_finess(ETALAB, tmp_path)
    path = tmp_path / "esms" / "finess-920800018.yaml"
    edited = HAND_EDITED.replace('horaires: "Mo-Fr 08:30-16:30"', 'horaire: "Mo-Fr 08:30-16:30"')
    path.write_text(edited, encoding="utf-8")
    report = import_finess(later_stock(tmp_path, replace=(";0146611234;", ";0146619999;")), tmp_path)
    assert "finess-920800018" not in report.updated
    assert report.skipped == {"fiche invalide (horaire : champ inconnu — vouliez-vous dire « horaires » ?)": 1}
    assert path.read_text(encoding="utf-8") == edited, "the hand-edited file is put back as it was"


def stock_lines(source: Path = ETALAB) -> list[str]:
    return source.read_bytes().decode("cp1252").split("\r\n")


def write_stock(folder: Path, lines: list[str], day: str = "20260512") -> Path:
    path = folder / f"etalab-cs1100507-stock-{day}-0339.csv"
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    return path


@pytest.mark.parametrize(
    ("cut", "said"),
    [
        # The first establishments, the next one cut at 40 characters: an interrupted download.
        (lambda lines: [*lines[:4], lines[4][:40], ""], "ligne 5 (structureet 920800026) : 4 champ(s) au lieu de 31 au moins"),
        (lambda lines: ["\r\n".join(lines)[:-20]], "ligne 11 : la dernière ligne s'arrête sans fin de ligne, elle est coupée"),
        (lambda lines: [*lines[:6], ""], "aucune ligne « geolocalisation » : toute extraction etalab en a"),
        (lambda lines: [lines[0], ""], "aucune ligne « structureet » (les établissements)"),
        (lambda lines: [";".join(line.split(";")[:20]) for line in lines], "ligne 2 (structureet 920800018) : 20 champ(s)"),
    ],
)
def test_an_incomplete_stock_is_refused_before_anything_is_written(tmp_path, cut, said):
    import_finess(ETALAB, tmp_path)
    before = snapshot(tmp_path)
    cut_off = write_stock(tmp_path, cut(stock_lines()), day="20261115")
    with pytest.raises(FinessError) as error:
        import_finess(cut_off, tmp_path)
    assert said in str(error.value) and "le fichier est incomplet (téléchargement interrompu ?)" in str(error.value)
    assert snapshot(tmp_path) == before


def test_only_a_departement_the_stock_has_rows_of_can_have_its_records_closed(tmp_path):
    import_finess(ETALAB, tmp_path)
    without_paris = later_stock(tmp_path, drop="750800039")
    with pytest.raises(FinessError, match=r"aucun établissement du ou des départements demandés \(75\) dans ce fichier"):
        import_finess(without_paris, tmp_path, departements=["75"])
    for departements in (["92", "75"], None):
        report = import_finess(without_paris, tmp_path, departements=departements)
        assert report.closed == []
        note = "absente du fichier, qui n'a aucun établissement de son département : gardée telle quelle (vérifiez le fichier)"
        assert f"  note : 1 — {note}\n    finess-750800039" in report.summary()
    assert load_catalogue(tmp_path).records["finess-750800039"].statut == Statut.ACTIF


def test_the_summary_names_each_record_it_closes(tmp_path):
    import_finess(ETALAB, tmp_path)
    report = import_finess(later_stock(tmp_path, drop="920800059"), tmp_path)
    assert report.summary().splitlines()[:2] == [
        "0 ajoutée(s), 3 mise(s) à jour, 1 fermée(s), 0 inchangée(s), 0 ignorée(s).",
        "  fermée : finess-920800059 « MAISON D'ACCUEIL SPÉCIALISÉE LE VAL »",
    ]


@pytest.mark.parametrize("written", ["2026-11-20", '"2026-11-20"'])
def test_a_record_verified_after_the_extraction_keeps_its_hand_corrections(tmp_path, monkeypatch, written):
    monkeypatch.setenv("PASSERELLE_TODAY", "2026-12-01")
    import_finess(ETALAB, tmp_path)
    assert main(["verifie", "finess-920800018", "--source", "Appel", "--date", "2026-11-20", "--data", str(tmp_path)]) == 0
    path = tmp_path / "esms" / "finess-920800018.yaml"
    text = path.read_text(encoding="utf-8").replace('"01 46 61 12 34"', '"01 46 61 55 55"')
    path.write_text(text.replace("verifie_le: 2026-11-20", f"verifie_le: {written}"), encoding="utf-8")
    before = path.read_bytes()
    summary = import_finess(ETALAB, tmp_path).summary()
    assert path.read_bytes() == before, "neither the phone nor verifie_le goes back to FINESS's"
    assert "  note : 1 — plus récente que l'extraction : gardée telle quelle\n    finess-920800018" in summary
    # Absent from a later stock, but called after it: not closed either.
    report = import_finess(later_stock(tmp_path, drop="920800018"), tmp_path)
    assert path.read_bytes() == before and report.closed == []
    note = "absente de FINESS ou fermée, mais vérifiée après l'extraction : gardée ouverte (vérifiez)"
    assert report.noted[note] == ["finess-920800018"]
    # A later extraction is newer than the call: FINESS's values come back, and its date.
    report = import_finess(later_stock(tmp_path, replace=("2026-06-12", "2026-11-25")), tmp_path)
    assert "finess-920800018" in report.updated
    assert load_catalogue(tmp_path).records["finess-920800018"].verifie_le == date(2026, 11, 25)


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (
            {"departements": ["Hauts-de-Seine"]},
            "--departements : « Hauts-de-Seine » n'est pas un code de département (le code de Hauts-de-Seine est 92)",
        ),
        (
            {"departements": ["092"]},
            "--departements : « 092 » n'est pas un code de département (vouliez-vous écrire 92, Hauts-de-Seine ?)",
        ),
        ({"categories": ["ESAT"]}, "--categories : « ESAT » n'est pas un code de catégorie FINESS ; pour ESAT, écrivez 246"),
    ],
)
def test_options_that_select_nothing_are_refused(tmp_path, options, said):
    with pytest.raises(FinessError) as error:
        import_finess(ETALAB, tmp_path, **options)
    assert said in str(error.value) and "rien n'a été importé" in str(error.value)
    assert not (tmp_path / "esms").exists()


def test_departement_codes_are_checked_as_the_gazetteer_writes_them(tmp_path):
    # Overseas rows (9A in the file) are selected by their INSEE code; « 2a » is Corse-du-Sud, absent from the file.
    assert import_finess(ETALAB, tmp_path, departements=["971"]).added == ["finess-970800041"]
    with pytest.raises(FinessError, match=r"départements demandés \(2A\)"):
        import_finess(ETALAB, tmp_path, departements=["2a"])


def test_an_extraction_dated_in_the_future_or_older_than_the_records_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("PASSERELLE_TODAY", "2026-05-11")
    with pytest.raises(FinessError, match=r"extraction datée du 2026-05-12, dans le futur \(nous sommes le 2026-05-11\)"):
        import_finess(ETALAB, tmp_path)
    assert not (tmp_path / "esms").exists()
    monkeypatch.setenv("PASSERELLE_TODAY", "2026-07-01")
    import_finess(later_stock(tmp_path), tmp_path)
    before = snapshot(tmp_path)
    with pytest.raises(FinessError) as error:
        import_finess(ETALAB, tmp_path)
    assert str(error.value).startswith(
        "extraction du 2026-05-12, plus ancienne que celle dont viennent déjà les fiches (FINESS du 2026-06-12, par exemple finess-"
    )
    assert snapshot(tmp_path) == before


def test_a_finess_plus_export_without_establishments_is_refused(tmp_path):
    empty = tmp_path / "vide.json"
    empty.write_text(json.dumps({"generatedAt": "2026-03-09", "pmej": []}), encoding="utf-8")
    with pytest.raises(FinessError, match="aucun établissement"):
        import_finess(empty, tmp_path)


def test_a_broken_json_file_is_said_in_french_with_its_line(tmp_path, capsys):
    broken = tmp_path / "bad.json"
    broken.write_text("{\n", encoding="utf-8")
    (tmp_path / "data").mkdir()
    assert main(["import", "finess", str(broken), "--data", str(tmp_path / "data")]) == 1
    error = capsys.readouterr().err
    assert error.startswith(f"{broken} : ligne 2, colonne 1 : JSON mal formé, le fichier est coupé ou a été modifié")
    assert "Expecting" not in error


def test_notes_to_check_list_their_records_up_to_twenty(tmp_path):
    import_finess(ETALAB, tmp_path)
    path = tmp_path / "esms" / "finess-920800018.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("statut: actif", "statut: ferme"), encoding="utf-8")
    summary = import_finess(ETALAB, tmp_path).summary()
    assert "  note : 1 — fermée dans l'annuaire mais ouverte dans FINESS (statut gardé : vérifiez)\n    finess-920800018" in summary
    assert "  note : 1 — téléphone invalide dans FINESS, non repris\n    finess-750800039" in summary
    report = ImportReport()
    for number in range(25):
        report.note("à vérifier", f"fiche-{number:02}")
    assert report.summary().splitlines()[-1] == "    " + ", ".join(f"fiche-{n:02}" for n in range(20)) + " et 5 autre(s)"

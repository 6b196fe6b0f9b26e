"""`passerelle import data-inclusion`: the site's own export read back, honest kinds, hand edits kept, French refusals."""

from __future__ import annotations

import csv
import json
import re
import shutil
import signal
from datetime import date, timedelta
from pathlib import Path

import pytest
from data_inclusion.schema.v1 import ReseauPorteur

from bench.synthetic import VERIFIED_DAYS_AGO, write_every_value_records
from generator.catalogue import Catalogue, load_catalogue
from generator.cli import main
from generator.importers import data_inclusion
from generator.importers.data_inclusion import (
    IDENTIFIER,
    NETWORKS,
    Mapping,
    Where,
    import_data_inclusion,
    kind_of,
)
from generator.importers.data_inclusion import Service as DiService
from generator.importers.data_inclusion import Structure as DiStructure
from generator.records.vocabulary import CategorieEsms, CategorieRessource, Kind, TypeEmployeur
from generator.site.model import UNCONFIRMED, shown_status
from tests.records import VERIFIED
from tests.sitebuild import build_site

EXPORT = ("data-inclusion-structures.json", "data-inclusion-services.json")


@pytest.fixture(scope="module")
def synthetic_export(tmp_path_factory) -> tuple[Path, Path]:
    """A site built from records that fill every field (bench/synthetic.py): its data folder and its /donnees/."""
    root = tmp_path_factory.mktemp("di-round-trip")
    write_every_value_records(root / "data")
    site = build_site(root / "site", data_dir=root / "data", site_url="https://annuaire.example.org/")
    return root / "data", site / "donnees"


def imported(donnees: Path, target: Path, **options):
    report = import_data_inclusion([donnees / name for name in EXPORT], target, **options)
    return report, load_catalogue(target)


def originals(catalogue: Catalogue) -> dict[str, str]:
    """Imported record id → the id of the record it was exported from (its data·inclusion identifier)."""
    found = {}
    for record in catalogue.records.values():
        for source in record.sources:
            if source.document and source.document.startswith(IDENTIFIER.format("passerelle--")):
                found[record.id] = source.document.removeprefix(IDENTIFIER.format("passerelle--"))
    return found


# --- Round trip -----------------------------------------------------------------------------


def test_the_sites_own_export_comes_back_as_the_same_records(synthetic_export, tmp_path):
    data, donnees = synthetic_export
    report, catalogue = imported(donnees, tmp_path / "data")
    source = load_catalogue(data)
    assert report.problems == [] and report.refused == []
    structures = json.loads((donnees / EXPORT[0]).read_text(encoding="utf-8"))
    # Every exported structure is either a record again or listed with its reason.
    assert len(catalogue.records) + len(report.unmapped) == len(structures)
    back = originals(catalogue)
    mapped = {
        rid
        for rid, r in source.records.items()
        if f"passerelle--{rid}" in {s["id"] for s in structures}
        and (
            r.type in (Kind.GEM, Kind.COLLECTIF)
            or getattr(r, "categorie", None) in (CategorieEsms.ESAT, CategorieRessource.MDPH, CategorieRessource.CMP)
        )
    }
    assert set(back.values()) == mapped and len(mapped) >= 10
    for new_id, old_id in back.items():
        new, old = catalogue.records[new_id], source.records[old_id]
        assert (new.type, new.nom, new.telephone, new.courriel, new.site_web, new.horaires) == (
            old.type,
            old.nom,
            old.telephone,
            old.courriel,
            old.site_web,
            old.horaires,
        ), old_id
        assert (new.adresse.voie, new.adresse.code_postal) == (old.adresse.voie, old.adresse.code_postal), old_id
        assert catalogue.places[new_id].commune == source.places[old_id].commune, old_id
        assert getattr(new, "categorie", None) == getattr(old, "categorie", None)
        assert new.sources[0].date == old.verifie_le.isoformat() and new.verifie_le == old.verifie_le
        assert new.sources[0].url == f"https://annuaire.example.org/structures/{old_id}/"
    assert {entry.nom for entry in report.unmapped} >= {"SYNTHÉTIQUE Ressource 4", "SYNTHÉTIQUE ESMS 2"}  # a network, a SAVS


def test_the_shipped_data_export_round_trip(built_site, tmp_path):
    report, catalogue = imported(built_site / "donnees", tmp_path / "data")
    assert report.problems == [] and report.refused == []
    assert set(originals(catalogue).values()) == {
        "gem-espace-convivial-citoyen",
        "gem-l-eclaircie",
        "gem-le-cap-de-bonne-esperance",
        *(f"clubhouse-{city}" for city in ("bordeaux", "lille", "lyon", "nantes", "paris")),
    }
    # Unions and networks of GEMs are not GEMs: listed, not imported.
    assert {"UNGF — Union nationale des GEM de France", "CNIGEM — Collectif national inter-GEM", "Association Clubhouse France"} <= {
        entry.nom for entry in report.unmapped
    }


def test_a_second_import_changes_no_byte(synthetic_export, tmp_path):
    _, donnees = synthetic_export
    target = tmp_path / "data"
    first, _ = imported(donnees, target)
    files = {path: path.read_bytes() for path in target.rglob("*.yaml")}
    second, _ = imported(donnees, target)
    assert second.added == second.updated == [] and sorted(second.unchanged) == sorted(first.added)
    assert {path: path.read_bytes() for path in target.rglob("*.yaml")} == files


def test_hand_edits_and_comments_survive_a_reimport_and_a_renamed_file_is_found_again(synthetic_export, tmp_path):
    _, donnees = synthetic_export
    target = tmp_path / "data"
    imported(donnees, target)
    path = next(target.glob("gem/*gem-0.yaml"))
    text = path.read_text(encoding="utf-8")
    text = text.replace("nom: SYNTHÉTIQUE GEM 0", "nom: SYNTHÉTIQUE GEM 0 (renommé)  # note de l'équipe")
    text = text.replace("sources:\n", "description: Écrit à la main.\nsources:\n")
    text = text.replace("publics: [", "publics: [proches, ")
    renamed = path.with_name("gem-renomme.yaml")
    path.unlink()
    renamed.write_text(text, encoding="utf-8")
    report, catalogue = imported(donnees, target)
    assert report.updated == ["gem-renomme"] and not path.exists()
    written = renamed.read_text(encoding="utf-8")
    assert re.search(r"nom: SYNTHÉTIQUE GEM 0 +# note de l'équipe", written)  # the name is data·inclusion's; the comment is kept
    assert "description: Écrit à la main." in written and "publics: [proches, " in written
    assert "Fiche créée par « passerelle import data-inclusion »" in written


def test_a_record_verified_after_the_source_keeps_its_date(synthetic_export, tmp_path):
    _, donnees = synthetic_export
    target = tmp_path / "data"
    imported(donnees, target)
    path = next(target.glob("gem/*gem-0.yaml"))
    # The resource centre confirmed the record with the structure after the export's date (its records' verification).
    confirmed = date.fromisoformat(VERIFIED) + timedelta(days=VERIFIED_DAYS_AGO // 2)
    assert (
        main(["verifie", path.stem, "--source", "Échange téléphonique SYNTHÉTIQUE", "--date", confirmed.isoformat(), "--data", str(target)])
        == 0
    )
    report, catalogue = imported(donnees, target)
    assert report.updated == [] and catalogue.records[path.stem].verifie_le == confirmed


def test_an_older_export_does_not_take_a_record_back_in_time(synthetic_export, tmp_path):
    _, donnees = synthetic_export
    target = tmp_path / "data"
    imported(donnees, target)
    files = {path: path.read_bytes() for path in target.rglob("*.yaml")}
    older = tmp_path / "older"
    older.mkdir()
    structures = json.loads((donnees / EXPORT[0]).read_text(encoding="utf-8"))
    (older / EXPORT[0]).write_text(
        json.dumps([s | {"date_maj": "2019-01-01", "telephone": "0698765432"} for s in structures]), encoding="utf-8"
    )
    shutil.copy(donnees / EXPORT[1], older / EXPORT[1])
    report, _ = imported(older, target)
    assert report.updated == [] and report.notes[
        "data·inclusion plus ancien que la fiche (date_maj antérieure à la source) : fiche gardée"
    ] == len(files)
    assert {path: path.read_bytes() for path in target.rglob("*.yaml")} == files


def test_departements_keep_only_their_structures(synthetic_export, tmp_path):
    _, donnees = synthetic_export
    report, catalogue = imported(donnees, tmp_path / "data", departements=["75"])
    assert [record.adresse.code_postal for record in catalogue.records.values()] == ["75019"]  # the GEM of Paris only
    assert report.unmapped == []  # the entries left out elsewhere are not this import's


# --- Reading what data·inclusion publishes ---------------------------------------------------------


def as_pandas_csv(json_file: Path, csv_file: Path) -> None:
    """The same entries as data.gouv.fr's CSV (pandas' to_csv): lists written as Python lists, empty cells for null."""
    rows = json.loads(json_file.read_text(encoding="utf-8"))
    columns = list(dict.fromkeys(key for row in rows for key in row))
    with open(csv_file, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else repr(row[c]) if isinstance(row[c], list) else row[c] for c in columns])


def test_the_csv_export_gives_the_same_records_as_the_json(synthetic_export, tmp_path):
    _, donnees = synthetic_export
    for name in EXPORT:
        as_pandas_csv(donnees / name, tmp_path / name.replace(".json", ".csv"))
    from_json, _ = imported(donnees, tmp_path / "json")
    from_csv = import_data_inclusion([tmp_path / name.replace(".json", ".csv") for name in EXPORT], tmp_path / "csv")
    assert from_csv.refused == [] and sorted(from_csv.added) == sorted(from_json.added)
    for path in (tmp_path / "json").rglob("*.yaml"):
        assert (tmp_path / "csv" / path.relative_to(tmp_path / "json")).read_text(encoding="utf-8") == path.read_text(encoding="utf-8")


def test_an_api_page_and_pandas_dates_in_milliseconds_are_read(tmp_path):
    page = {"items": [{"id": "dora--1", "source": "dora", "nom": "ESAT Exemple", "date_maj": 1714521600000, "reseaux_porteurs": ["esat"]}]}
    (tmp_path / "page.json").write_text(json.dumps(page), encoding="utf-8")
    report = import_data_inclusion([tmp_path / "page.json"], tmp_path / "data")
    assert report.refused == [
        "page.json, entrée 1 (id « dora--1 ») « ESAT Exemple » : ni adresse ni zone d'intervention : la structure ne peut pas être placée"
    ]
    page["items"][0] |= {"code_postal": "92260", "commune": "Fontenay-aux-Roses", "telephone": "+33123456789"}
    (tmp_path / "page.json").write_text(json.dumps(page), encoding="utf-8")
    report = import_data_inclusion([tmp_path / "page.json"], tmp_path / "data")
    record = load_catalogue(tmp_path / "data").records["dora-1"]
    assert (record.type, record.categorie, record.verifie_le, record.telephone) == (
        Kind.ESMS,
        CategorieEsms.ESAT,
        date(2024, 5, 1),
        "+33123456789",
    )
    assert 'telephone: "01 23 45 67 89"' in (tmp_path / "data" / "esms" / "dora-1.yaml").read_text(encoding="utf-8")


# --- What a structure is ----------------------------------------------------------------------------


def test_every_network_mapped_is_one_of_the_schemas_networks():
    assert set(NETWORKS) <= {network.value for network in ReseauPorteur}


def structure(nom: str, reseaux: tuple[str, ...] = ()) -> DiStructure:
    return DiStructure(Where(Path("structures.json"), 1, "x"), "x", "dora", nom, date(2025, 1, 1), reseaux=reseaux)


def service(nom: str, thematiques: tuple[str, ...] = ()) -> DiService:
    return DiService(Where(Path("services.json"), 1, "s"), "s", "x", nom, thematiques=thematiques)


@pytest.mark.parametrize(
    ("nom", "reseaux", "services", "expected"),
    [
        ("GEM L'Éclaircie", (), [], Mapping(Kind.GEM, None, True)),
        ("G.E.M. La Boussole", (), [], Mapping(Kind.GEM, None, True)),
        ("Association Le Phare", (), [service("Groupe d'entraide mutuelle du Phare")], Mapping(Kind.GEM, None, True)),
        ("Clubhouse de Paris", (), [], Mapping(Kind.COLLECTIF, None, True)),
        ("ESAT Les Ateliers", ("esat",), [], Mapping(Kind.ESMS, CategorieEsms.ESAT, False)),
        ("Maison départementale", ("mdph",), [], Mapping(Kind.RESSOURCE, CategorieRessource.MDPH, False)),
        ("Maison départementale", ("MDPH".lower(),), [], Mapping(Kind.RESSOURCE, CategorieRessource.MDPH, False)),  # v0 typologie
        ("Centre médico-psychologique", ("cmp",), [], Mapping(Kind.RESSOURCE, CategorieRessource.CMP, False)),
        ("Atelier adapté", ("ea",), [], Mapping(Kind.EMPLOYEUR, TypeEmployeur.ENTREPRISE_ADAPTEE, False)),
        # Not what the name's acronym suggests: unions and networks of GEMs, the Clubhouses' association.
        ("UNGF — Union nationale des GEM de France", (), [], None),
        ("CNIGEM — Collectif national inter-GEM", (), [], None),
        ("FEGEMA — Fédération des groupes d'entraide mutuelle autisme", (), [], None),
        ("Association Clubhouse France", (), [], None),
        # A thematic says what a service helps with, not what the structure is.
        ("Centre Psy Exemple", (), [service("Écoute", ("sante--sante-mentale",))], None),
        ("Structure à deux réseaux", ("mdph", "cmp"), [], None),
    ],
)
def test_kinds_come_from_networks_then_from_names_never_from_thematics(nom, reseaux, services, expected):
    found = kind_of(structure(nom, reseaux), services)
    assert found == expected if expected else isinstance(found, str)


def test_entries_left_out_are_counted_listed_and_written_in_full(synthetic_export, tmp_path, capsys):
    _, donnees = synthetic_export
    # A structure of no known kind, with a service; and services whose structures are not in the files.
    structures = [
        {"id": "dora--9", "nom": "Centre Psy Exemple", "date_maj": "2025-01-01", "code_postal": "92260", "commune": "Fontenay-aux-Roses"}
    ]
    orphans = json.loads((donnees / EXPORT[1]).read_text(encoding="utf-8"))
    services = [
        {
            "id": "dora--9--1",
            "structure_id": "dora--9",
            "nom": "Écoute",
            "thematiques": ["sante--sante-mentale", "remobilisation--lien-social"],
        },
        *orphans,
    ]
    (tmp_path / "s.json").write_text(json.dumps(structures), encoding="utf-8")
    (tmp_path / "v.json").write_text(json.dumps(services), encoding="utf-8")
    (tmp_path / "data").mkdir()  # a new directory starts in an empty folder
    code = main(
        [
            "import",
            "data-inclusion",
            str(tmp_path / "s.json"),
            str(tmp_path / "v.json"),
            "--data",
            str(tmp_path / "data"),
            "--non-repris",
            str(tmp_path / "liste.csv"),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert f"{1 + len(orphans)} entrée(s) non reprise(s)" in out
    assert "s.json, entrée 1 (id « dora--9 ») « Centre Psy Exemple » : aucun type de l'annuaire" in out
    assert "thématiques : remobilisation--lien-social, sante--sante-mentale" in out
    assert "service dont la structure n'est pas dans les fichiers" in out
    listed = list(csv.DictReader((tmp_path / "liste.csv").open(encoding="utf-8")))
    assert len(listed) == 1 + len(orphans) and "dora--9" in {row["id"] for row in listed}


# --- Refused inputs: a French message with the file and the entry ------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "entree.json : JSON illisible à la ligne 1, colonne 2"),
        ('{"nom": "GEM X"}', "entree.json : une liste de structures ou de services est attendue"),
        ("nom;commune\nGEM X;Paris\n", "entree.json : ni JSON ni CSV data·inclusion"),
        ("[3]", "entree.json, entrée 1 : ce n'est pas un objet"),
        ('[{"id": "a", "date_maj": "2025-01-01"}]', "entree.json, entrée 1 (id « a ») : « nom » manquant"),
        ('[{"id": "a", "nom": "GEM X"}]', "entree.json, entrée 1 (id « a ») : « date_maj » manquante"),
        (
            '[{"id": "a", "nom": "GEM X", "date_maj": "01/02/2025"}]',
            "entree.json, entrée 1 (id « a ») : « date_maj » illisible « 01/02/2025 »",
        ),
        ('[{"id": "a", "nom": "GEM X", "date_maj": "2999-01-01"}]', "entree.json, entrée 1 (id « a ») : « date_maj » dans le futur"),
        ('[{"id": "a", "nom": "GEM X", "date_maj": "2025-01-01", "latitude": "nord"}]', "« latitude » : nombre attendu, pas « nord »"),
        (
            '[{"id": "a", "nom": "GEM X", "date_maj": "2025-01-01", "reseaux_porteurs": "[oops"}]',
            "« reseaux_porteurs » : liste illisible « [oops »",
        ),
        (
            '[{"id": "a", "nom": "GEM X", "date_maj": "2025-01-01", "code_postal": "99999"}]',
            "« GEM X » : commune introuvable dans le référentiel",
        ),
        (None, "entree.json : fichier introuvable"),
    ],
)
def test_every_refused_input_is_said_in_french_with_its_file_and_entry(tmp_path, capsys, content, message):
    path = tmp_path / "entree.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    (tmp_path / "data").mkdir()
    code = main(["import", "data-inclusion", str(path), "--data", str(tmp_path / "data")])
    err = capsys.readouterr().err
    assert code == 1
    assert message in err and "Traceback" not in err


def test_a_folder_instead_of_a_file_is_refused(tmp_path, capsys):
    (tmp_path / "data").mkdir()
    assert main(["import", "data-inclusion", str(tmp_path), "--data", str(tmp_path / "data")]) == 1
    assert "c'est un dossier" in capsys.readouterr().err


def test_import_then_validate(synthetic_export, tmp_path, capsys):
    _, donnees = synthetic_export
    shutil.copytree(donnees, tmp_path / "donnees")
    arguments = ["import", "data-inclusion", *(str(tmp_path / "donnees" / name) for name in EXPORT), "--data", str(tmp_path / "data")]
    (tmp_path / "data").mkdir()
    assert main(arguments) == 0
    assert main(["validate", "--data", str(tmp_path / "data")]) == 0


# --- A small export: a GEM, an ESAT and a centre social ------------------------------------------


def place(number: int) -> dict[str, str]:
    return {"adresse": f"{number} rue des Écoles", "code_postal": "92260", "commune": "Fontenay-aux-Roses", "code_insee": "92032"}


def small_export(folder: Path, esats: int = 1) -> Path:
    """dora--1 a GEM (by its name), dora--e<n> ESATs (by their network), dora--3 a centre social (no kind of the directory)."""
    rows = [
        {"id": "dora--1", "source": "dora", "nom": "GEM La Boussole", "date_maj": "2025-06-01", "telephone": "0146000001", **place(1)},
        *(
            {"id": f"dora--e{n}", "source": "dora", "nom": f"ESAT {n}", "date_maj": "2025-06-01", "reseaux_porteurs": ["esat"], **place(n)}
            for n in range(esats)
        ),
        {"id": "dora--3", "nom": "Centre social", "date_maj": "2025-06-01", "reseaux_porteurs": ["centre-social"], **place(3)},
    ]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "structures.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    return path


def run_import(export: Path, data: Path, *options: str) -> int:
    """The import command into `data`, made empty first if it is not there (a new directory starts so)."""
    data.mkdir(parents=True, exist_ok=True)
    return main(["import", "data-inclusion", str(export), "--data", str(data), *options])


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("export", "c'est un des fichiers à importer, il serait écrasé ; indiquez un autre fichier"),
        ("record", "ce fichier est dans le dossier des fiches"),
        ("folder", "c'est un dossier ; indiquez un fichier, ex."),
        ("other", "ce fichier existe et n'est pas une liste d'entrées non reprises (sa première ligne n'est pas « fichier,entree,id,"),
    ],
)
def test_a_non_repris_file_that_would_destroy_something_is_refused_before_importing(tmp_path, capsys, target, message):
    export = small_export(tmp_path / "in")
    data = tmp_path / "data"
    shutil.copytree("data", data)
    (tmp_path / "other.txt").write_text("Mes notes.\n", encoding="utf-8")
    path = {
        "export": export,
        "record": data / "gem" / "gem-l-eclaircie.yaml",
        "folder": tmp_path / "in",
        "other": tmp_path / "other.txt",
    }[target]
    before = {file: file.read_bytes() for file in (*tmp_path.rglob("*.yaml"), *tmp_path.rglob("*.json"), tmp_path / "other.txt")}
    assert run_import(export, data, "--non-repris", str(path)) == 1
    err = capsys.readouterr().err
    assert f"--non-repris {path} : {message}" in err and "Traceback" not in err and "Errno" not in err
    # Nothing imported, nothing overwritten.
    assert {file: file.read_bytes() for file in (*tmp_path.rglob("*.yaml"), *tmp_path.rglob("*.json"), tmp_path / "other.txt")} == before


def test_an_earlier_non_repris_list_is_replaced(tmp_path, capsys):
    export, listed = small_export(tmp_path / "in"), tmp_path / "liste.csv"
    listed.write_text("fichier,entree,id,nom,raison,details\r\nancien.json,1,x,Ancienne,raison,\r\n", encoding="utf-8")
    assert run_import(export, tmp_path / "data", "--non-repris", str(listed)) == 0
    rows = list(csv.DictReader(listed.open(encoding="utf-8")))
    assert [row["id"] for row in rows] == ["dora--3"]
    assert not list(tmp_path.glob(".*"))  # no file left half written beside it


def test_a_list_that_cannot_be_written_leaves_the_earlier_one_whole_and_says_the_records_are_imported(tmp_path, capsys, monkeypatch):
    export, listed = small_export(tmp_path / "in"), tmp_path / "liste.csv"
    earlier = b"fichier,entree,id,nom,raison,details\r\nancien.json,1,x,Ancienne,raison,\r\n"
    listed.write_bytes(earlier)

    class FullDisk:
        def __init__(self, handle):
            self.rows = 0

        def writerow(self, row):
            self.rows += 1
            if self.rows == 2:
                raise OSError(28, "No space left on device")

    monkeypatch.setattr(data_inclusion.csv, "writer", FullDisk)
    assert run_import(export, tmp_path / "data", "--non-repris", str(listed)) == 1
    captured = capsys.readouterr()
    assert "2 ajoutée(s)" in captured.out
    assert f"--non-repris {listed} : écriture impossible (" in captured.err and "les fiches, elles, sont importées" in captured.err
    assert listed.read_bytes() == earlier


def test_a_record_verified_after_the_export_keeps_the_hand_corrections(tmp_path, capsys):
    export, data = small_export(tmp_path / "in"), tmp_path / "data"
    assert run_import(export, data) == 0
    path = data / "gem" / "dora-1.yaml"
    assert main(["verifie", "dora-1", "--source", "Appel", "--date", "2026-03-02", "--data", str(data)]) == 0
    path.write_text(path.read_text(encoding="utf-8").replace("01 46 00 00 01", "01 46 99 99 99"), encoding="utf-8")
    corrected = path.read_bytes()
    capsys.readouterr()
    assert run_import(export, data) == 0
    assert path.read_bytes() == corrected
    assert "  dora-1 : plus récente que l'export : gardée telle quelle" in capsys.readouterr().out


def test_a_verification_date_written_as_text_is_a_date_and_never_goes_back(tmp_path, capsys):
    export, data = small_export(tmp_path / "in"), tmp_path / "data"
    assert run_import(export, data) == 0
    path = data / "gem" / "dora-1.yaml"
    assert main(["verifie", "dora-1", "--source", "Appel", "--date", "2026-03-02", "--data", str(data)]) == 0
    text = path.read_text(encoding="utf-8").replace("verifie_le: 2026-03-02", 'verifie_le: "2026-03-02"')
    path.write_text(text.replace("01 46 00 00 01", "01 46 99 99 99"), encoding="utf-8")
    capsys.readouterr()
    assert run_import(export, data) == 0
    assert path.read_text(encoding="utf-8") == text.replace("01 46 00 00 01", "01 46 99 99 99")
    assert load_catalogue(data).records["dora-1"].verifie_le == date(2026, 3, 2)


def test_a_new_record_has_no_statut_and_the_site_says_a_confirmer(tmp_path):
    export, data = small_export(tmp_path / "in"), tmp_path / "data"
    report = import_data_inclusion([export], data)
    assert sorted(report.added) == ["dora-1", "dora-e0"]
    for name in ("gem/dora-1.yaml", "esms/dora-e0.yaml"):
        assert "statut" not in (data / name).read_text(encoding="utf-8")
    record = load_catalogue(data).records["dora-1"]
    assert record.statut is None and shown_status(record, stale=False) == UNCONFIRMED


@pytest.mark.parametrize(
    ("content", "options", "message"),
    [
        ("[]", (), "entree.json : aucune entrée (liste vide, ou seulement la ligne des noms de colonnes) ; vérifiez"),
        ('{"items": []}', (), "entree.json : aucune entrée"),
        ("id,nom,date_maj\n", (), "entree.json : aucune entrée"),
        ('[{"id": "s", "structure_id": "dora--1", "nom": "Accueil"}]', (), "ajoutez le fichier des structures du même export"),
        (
            None,
            ("--departements", "Hauts-de-Seine"),
            "« Hauts-de-Seine » n'est pas un code de département (le code de Hauts-de-Seine est 92)",
        ),
        (None, ("--departements", "92,092"), "« 092 » n'est pas un code de département (vouliez-vous écrire 92, Hauts-de-Seine ?)"),
        (None, ("--departements", "9Z"), "--departements : « 9Z » n'est pas un code de département ; écrivez les codes"),
    ],
)
def test_an_import_that_could_only_import_nothing_is_refused_up_front(tmp_path, capsys, content, options, message):
    path = tmp_path / "entree.json"
    if content is None:
        path = small_export(tmp_path / "in")
    else:
        path.write_text(content, encoding="utf-8")
    assert run_import(path, tmp_path / "data", *options) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not any((tmp_path / "data").iterdir())


def test_a_departement_with_none_of_the_structures_says_so(tmp_path, capsys):
    assert run_import(small_export(tmp_path / "in"), tmp_path / "data", "--departements", "2a") == 0
    assert "note : 3 — hors des départements demandés (--departements)" in capsys.readouterr().out


def test_ctrl_c_says_what_was_written_and_the_same_import_completes_it(tmp_path, capsys, monkeypatch):
    export, data = small_export(tmp_path / "in", esats=5), tmp_path / "data"
    written = data_inclusion.write_checked
    calls = []

    def pressed_during_the_third(*arguments):
        calls.append(1)
        if len(calls) == 3:
            signal.raise_signal(signal.SIGINT)
        return written(*arguments)

    monkeypatch.setattr(data_inclusion, "write_checked", pressed_during_the_third)
    assert run_import(export, data) == 130
    err = capsys.readouterr().err
    assert "Arrêté (Ctrl+C). 3 fiche(s) écrite(s) avant l'arrêt (3 ajoutée(s), 0 mise(s) à jour). Relancez la même commande" in err
    assert len(list(data.rglob("*.yaml"))) == 3
    monkeypatch.setattr(data_inclusion, "write_checked", written)
    assert run_import(export, data) == 0
    assert "3 ajoutée(s), 0 mise(s) à jour, 0 fermée(s), 3 inchangée(s)" in capsys.readouterr().out
    assert sorted(p.stem for p in data.rglob("*.yaml")) == ["dora-1", *(f"dora-e{n}" for n in range(5))]

"""Loading the data folder: every problem reported at once, each with its file and line."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from generator.catalogue import load_catalogue
from generator.problems import DataError
from tests.records import VALID_GEM, VERIFIED


def write(data: Path, relative: str, text: str) -> Path:
    path = data / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dedent(text), encoding="utf-8")
    return path


def problems_of(data: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_catalogue(data)
    return [str(problem) for problem in caught.value.problems]


def test_valid_folder_loads_with_derived_places(tmp_path):
    write(tmp_path, "gem/gem-exemple.yaml", VALID_GEM)
    catalogue = load_catalogue(tmp_path)
    place = catalogue.places["gem-exemple"]
    assert place.departements == ("92",) and place.regions == ("11",)
    assert place.approximate and place.commune.nom == "Fontenay-aux-Roses"


def test_every_problem_of_every_file_is_reported_with_its_line(tmp_path):
    write(tmp_path, "gem/gem-a.yaml", VALID_GEM.replace("nom: GEM Exemple", "nom: GEM A\ntelefone: 0102030405"))
    write(tmp_path, "gem/gem-b.yaml", VALID_GEM.replace('"92260"', '"9226"'))
    write(tmp_path, "gem/gem-c.yaml", VALID_GEM.replace(f"verifie_le: {VERIFIED}", "verifie_le: 2999-01-01"))
    problems = problems_of(tmp_path)
    assert len(problems) == 3
    assert any(
        p.startswith(f"{tmp_path}/gem/gem-a.yaml:3:1: telefone: champ inconnu — vouliez-vous dire « telephone » ?") for p in problems
    )
    assert any(p.startswith(f"{tmp_path}/gem/gem-b.yaml:4:3: adresse.code_postal: format invalide") for p in problems)
    assert any(p.startswith(f"{tmp_path}/gem/gem-c.yaml:10:1: verifie_le:") and "futur" in p for p in problems)


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"gem/x.yaml": VALID_GEM, "collectif/x.yaml": VALID_GEM.replace("type: gem", "type: collectif")},
            "identifiant « x » déjà utilisé",
        ),
        ({"gem/x.yaml": VALID_GEM.replace("type: gem", "type: clsm")}, "ne correspond pas au dossier gem/"),
        (
            {"gem/x.yaml": VALID_GEM + "partenaires: [gem-inexistant]\n"},
            "x.yaml:11:15: partenaires[0]: partenaire inconnu « gem-inexistant »",
        ),
        ({"gems/x.yaml": VALID_GEM}, "dossier inconnu « gems » : ses fiches ne seraient pas publiées — vouliez-vous dire « gem » ?"),
        ({"gem/x.yml": VALID_GEM}, "une fiche est un fichier « .yaml »"),
        ({"gem/Mon GEM.yaml": VALID_GEM}, "nom de fichier « Mon GEM » invalide"),
        ({"gem/x.yaml": VALID_GEM + "id: autre\n"}, "champ « id » inutile"),
        ({"gem/x.yaml": VALID_GEM.replace("nom: GEM Exemple\n", "")}, "x.yaml:1:1: nom: champ obligatoire manquant"),
        ({"gem/x.yaml": VALID_GEM.replace("Fontenay-aux-Roses", "Sceaux")}, "la commune « Sceaux » ne correspond pas au code postal 92260"),
        ({"gem/x.yaml": VALID_GEM.replace('"92260"', '"00000"')}, "code postal inconnu « 00000 »"),
        ({"gem/x.yaml": VALID_GEM.replace("statut", "x") + "statut: ouvert\n"}, "valeur inconnue « ouvert »"),
        ({"gem/x.yaml": VALID_GEM + "nom: Doublon\n"}, "x.yaml:11:1: nom: champ écrit deux fois (déjà ligne 2)"),
        ({"gem/x.yaml": "type: gem\n\tnom: X\n"}, "x.yaml:2:1: tabulation dans le fichier"),
        ({"gem/x.yaml": "type: gem\nnom: [X\n"}, "YAML illisible"),
        ({"gem/x.yaml": ""}, "fichier vide"),
        ({"gem/x.yaml": "- a\n- b\n"}, "une fiche doit être une liste de champs"),
        (
            {"gem/x.yaml": "type: gem\nnom: !!python/object:os.system X\n"},
            "étiquette YAML « !!python/object:os.system » non acceptée",
        ),
        ({"gem/x.yaml": "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"}, "ancres et alias YAML"),
    ],
)
def test_broken_records_are_named_precisely(tmp_path, files, expected):
    for relative, text in files.items():
        write(tmp_path, relative, text)
    assert any(expected in problem for problem in problems_of(tmp_path)), problems_of(tmp_path)


def test_values_are_not_reinterpreted_by_yaml(tmp_path):
    """Unquoted postcodes and phones stay text: 01000 must not become the octal number 512."""
    text = VALID_GEM.replace('"92260"', "01000").replace("Fontenay-aux-Roses", "Bourg-en-Bresse") + "telephone: 0130441749\n"
    write(tmp_path, "gem/gem-bourg.yaml", text)
    record = load_catalogue(tmp_path).records["gem-bourg"]
    assert record.adresse.code_postal == "01000"
    assert record.telephone == "+33130441749"


def test_empty_and_missing_folders_are_errors(tmp_path):
    assert any("aucune fiche trouvée" in p for p in problems_of(tmp_path))
    assert any("dossier de données introuvable" in p for p in problems_of(tmp_path / "absent"))


def test_non_utf8_file_is_reported(tmp_path):
    path = tmp_path / "gem" / "x.yaml"
    path.parent.mkdir()
    path.write_bytes(VALID_GEM.replace("GEM Exemple", "GEM Éclaircie").encode("latin-1"))
    assert any("n'est pas encodé en UTF-8" in p and ":2:" in p for p in problems_of(tmp_path))


def test_shipped_data_is_valid(repo_root):
    catalogue = load_catalogue(repo_root / "data")
    assert len(catalogue.records) >= 19
    for record in catalogue.records.values():
        assert record.sources and record.verifie_le

"""The corpus of broken data folders (tests/bad_inputs/): each gets exactly its expected messages.

Every case is loaded in-process (fast); a sample also goes through `passerelle validate`
in a subprocess, as a maintainer would run it: exit code 1, the same messages, no traceback.
Cases too big or too odd to commit are generated here.
"""

from __future__ import annotations

import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from generator.catalogue import load_catalogue
from generator.geo.gazetteer import Gazetteer
from generator.problems import DataError
from generator.records.yamlfile import MAX_BYTES, MAX_DEPTH
from tests.records import VALID_GEM

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = sorted(case.name for case in CORPUS.iterdir() if (case / "expected.txt").is_file())
# One per family of problem: YAML structure, encoding, geography, folder (each run costs a Python start).
CLI_SAMPLE = ["bombe-d-alias", "encodage-latin-1", "code-insee-et-code-postal-incoherents", "identifiant-en-double"]


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def expected_lines(case: str) -> list[str]:
    lines = (CORPUS / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def reported(data: Path, gazetteer: Gazetteer | None = None) -> list[str]:
    """The problems of `data`, with the folder's path written `data` as in expected.txt."""
    with pytest.raises(DataError) as caught:
        load_catalogue(data, gazetteer)
    return [str(problem).replace(str(data), "data") for problem in caught.value.problems]


def assert_one_message_per_expected_line(problems: list[str], expected: list[str]) -> None:
    assert len(problems) == len(expected), "\n".join(problems)
    for line in expected:
        assert sum(problem.startswith(line) for problem in problems) == 1, f"{line!r} not in:\n" + "\n".join(problems)


def test_corpus_has_at_least_40_cases_each_explained():
    assert len(CASES) >= 40
    for case in CASES:
        text = (CORPUS / case / "expected.txt").read_text(encoding="utf-8")
        assert text.startswith("# "), f"{case}: expected.txt starts with a French explanation"
        assert expected_lines(case), f"{case}: no expected message"
        assert (CORPUS / case / "data").is_dir(), f"{case}: no data/ folder"


@pytest.mark.parametrize("case", CASES)
def test_case_reports_exactly_its_expected_messages(case, gazetteer):
    assert_one_message_per_expected_line(reported(CORPUS / case / "data", gazetteer), expected_lines(case))


@pytest.mark.parametrize("case", CLI_SAMPLE)
def test_validate_command_reports_the_case_and_exits_1(case):
    data = CORPUS / case / "data"
    result = subprocess.run([sys.executable, "-m", "generator.cli", "validate", "--data", str(data)], capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and result.stdout == ""
    lines = [line.replace(str(data), "data") for line in result.stderr.splitlines()]
    expected = expected_lines(case)
    assert_one_message_per_expected_line(lines[:-1], expected)
    assert lines[-1] == f"{len(expected)} problème{'s' if len(expected) > 1 else ''} à corriger."


# --- Generated cases ----------------------------------------------------------------


def test_huge_file_is_refused_without_being_read(tmp_path):
    path = tmp_path / "gem" / "gem-enorme.yaml"
    path.parent.mkdir()
    with open(path, "wb") as handle:  # 2 GiB, sparse: no disk used, and never read
        handle.truncate(2 * 1024**3)
    tracemalloc.start()
    try:
        problems = reported(tmp_path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert problems == [
        f"data/gem/gem-enorme.yaml:1:1: fichier trop gros (2097152 Kio, maximum {MAX_BYTES // 1024} Kio) — une fiche tient en quelques lignes : vérifiez le contenu du fichier"
    ]
    assert peak < 20 * 1024**2


def test_file_just_over_the_limit_is_refused(tmp_path):
    path = tmp_path / "gem" / "gem-long.yaml"
    path.parent.mkdir()
    path.write_text(VALID_GEM + "description: >\n" + "  lorem ipsum dolor sit amet\n" * (MAX_BYTES // 28 + 1), encoding="utf-8")
    assert [p.split(" — ")[0] for p in reported(tmp_path)] == [
        f"data/gem/gem-long.yaml:1:1: fichier trop gros ({path.stat().st_size // 1024} Kio, maximum {MAX_BYTES // 1024} Kio)"
    ]


@pytest.mark.parametrize(
    ("nesting", "position"),
    [
        ("a: " + "[" * 100_000 + "]" * 100_000 + "\n", "1:23"),
        ("a: " + "{b: " * 50_000 + "c" + "}" * 50_000 + "\n", "1:80"),
        ("a:\n" + "".join(" " * depth + "-\n" for depth in range(1, 400)) + " " * 400 + "x\n", "21:21"),
    ],
    ids=["crochets", "accolades", "retraits"],
)
def test_deep_nesting_is_refused_without_crashing(tmp_path, nesting, position):
    """Composing YAML is recursive: without a depth limit this raised RecursionError, or crashed Python."""
    path = tmp_path / "gem" / "gem-profond.yaml"
    path.parent.mkdir()
    path.write_text(nesting, encoding="utf-8")
    assert [p.split(" — ")[0] for p in reported(tmp_path)] == [
        f"data/gem/gem-profond.yaml:{position}: trop de niveaux imbriqués (plus de {MAX_DEPTH})"
    ]


def test_folders_and_links_in_place_of_records_are_each_said_at_once(tmp_path):
    """What git or a file manager can leave in a kind's folder; each said for what it is, none stops the others."""
    folder = tmp_path / "gem"
    (folder / "photos").mkdir(parents=True)
    (folder / "photos" / "local.jpg").write_bytes(b"")
    (folder / "gem-ancien.yaml").mkdir()
    (folder / "gem-lien.yaml").symlink_to("gem-disparu.yaml")
    (folder / "gem-boucle.yaml").symlink_to("gem-boucle.yaml")
    (folder / "gem-nom.yml").write_text(VALID_GEM, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "generator.cli", "validate", "--data", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert [line.replace(str(tmp_path), "data") for line in result.stderr.splitlines()] == [
        "data/gem/gem-ancien.yaml:1:1: dossier ignoré : les fiches sont des fichiers, directement dans le dossier de leur type — retirez ce dossier",
        "data/gem/gem-boucle.yaml:1:1: lien vers une fiche qui n'existe pas — remplacez ce lien par la fiche elle-même, ou retirez-le",
        "data/gem/gem-lien.yaml:1:1: lien vers une fiche qui n'existe pas — remplacez ce lien par la fiche elle-même, ou retirez-le",
        "data/gem/gem-nom.yml:1:1: fichier ignoré : une fiche est un fichier « .yaml » — renommez-le en gem-nom.yaml ou retirez-le du dossier",
        "data/gem/photos:1:1: dossier ignoré : les fiches sont des fichiers, directement dans le dossier de leur type — retirez ce dossier",
        "5 problèmes à corriger.",
    ]


def test_a_data_folder_that_is_a_looping_link_is_said_in_french(tmp_path):
    loop = tmp_path / "donnees"
    loop.symlink_to("donnees")
    said = {}
    for command in (["validate"], ["new", "gem", "gem-essai"]):
        result = subprocess.run([sys.executable, "-m", "generator.cli", *command, "--data", str(loop)], capture_output=True, text=True)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        said[command[0]] = result.stderr.replace(str(tmp_path), "").splitlines()[0]
    refused = (
        "--data /donnees : ce lien ne mène à aucun dossier (lien cassé ou en boucle) — lancez la commande depuis le dossier du dépôt,"
        " ou indiquez avec --data le dossier des fiches, qui contient gem/, collectif/, clsm/…"
    )
    assert said == {"validate": refused, "new": refused}


def test_file_name_with_markup_is_refused(tmp_path):
    path = tmp_path / "gem" / "<img src=x onerror=alert(1)>.yaml"
    path.parent.mkdir()
    path.write_text(VALID_GEM, encoding="utf-8")
    assert [p.split(" — ")[0] for p in reported(tmp_path)] == [
        "data/gem/<img src=x onerror=alert(1)>.yaml:1:1: id: nom de fichier « <img src=x onerror=alert(1)> » invalide"
    ]


def test_windows_notepad_file_with_bom_and_crlf_is_accepted(tmp_path):
    """Decision: a UTF-8 byte order mark is accepted (Windows Notepad writes one), as are CRLF line ends."""
    path = tmp_path / "gem" / "gem-exemple.yaml"
    path.parent.mkdir()
    path.write_bytes(b"\xef\xbb\xbf" + VALID_GEM.replace("GEM Exemple", "GEM Éclaircie").replace("\n", "\r\n").encode("utf-8"))
    record = load_catalogue(tmp_path).records["gem-exemple"]
    assert record.nom == "GEM Éclaircie" and record.type.value == "gem"

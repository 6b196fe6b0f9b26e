"""The `passerelle` command, run as a maintainer would run it."""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from generator import clock
from generator.cli import main
from generator.clock import TODAY_ENV
from generator.engines.mkdocs.end_of_life import end_of_life_notice
from generator.site.exports import record_schemas
from generator.site.text import date_fr
from tests.sitebuild import write_config


def run(*args, cwd=None, today: str | None = None):
    """`passerelle *args`, its day the tests' own (tests/conftest.py) or `today`."""
    env = os.environ if today is None else dict(os.environ, **{TODAY_ENV: today})
    return subprocess.run([sys.executable, "-m", "generator.cli", *args], capture_output=True, text=True, cwd=cwd, env=env)


def test_validate_counts_the_shipped_records(repo_root):
    result = run("validate", "--data", str(repo_root / "data"))
    assert result.returncode == 0, result.stderr
    assert "fiches valides" in result.stdout and "3 gem" in result.stdout


def test_validate_reports_every_problem_and_exits_1_without_traceback(tmp_path):
    for name in ("gem-a", "gem-b"):
        path = tmp_path / "gem" / f"{name}.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(
            "type: gem\nnom: X\nadresse: {code_postal: '99999', commune: Nulle}\nsources: [{titre: T, document: D, date: '2026'}]\nverifie_le: 2026-01-01\n",
            encoding="utf-8",
        )
    result = run("validate", "--data", str(tmp_path))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert [line.split(":")[0] for line in lines[:-1]] == [str(tmp_path / "gem" / "gem-a.yaml"), str(tmp_path / "gem" / "gem-b.yaml")]
    assert all(":3:" in line and "code postal inconnu « 99999 »" in line for line in lines[:-1])
    assert lines[-1] == "2 problèmes à corriger."
    assert "Traceback" not in result.stderr


def test_new_writes_a_skeleton_that_guides_the_maintainer(tmp_path):
    (tmp_path / "gem").mkdir()  # a data folder: the folder of another type is made for the new record
    assert main(["new", "esms", "SAVS de l'Exemple", "--data", str(tmp_path)]) == 0
    path = tmp_path / "esms" / "savs-de-l-exemple.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/esms.schema.json")
    assert 'nom: "SAVS de l\'Exemple"' in text
    result = run("validate", "--data", str(tmp_path))
    assert result.returncode == 1 and "categorie" in result.stderr and "sources[0].titre: texte vide" in result.stderr
    assert main(["new", "esms", "SAVS de l'Exemple", "--data", str(tmp_path)]) == 1


def test_a_filled_skeleton_is_valid_once_its_verification_is_cited(tmp_path):
    """The skeleton dates the check today: it needs a source of that day, as its comment says."""
    (tmp_path / "gem").mkdir()
    assert main(["new", "gem", "GEM Rempli", "--data", str(tmp_path)]) == 0
    path = tmp_path / "gem" / "gem-rempli.yaml"
    filled = (
        path.read_text(encoding="utf-8")
        .replace('voie: ""', 'voie: "1 rue de l\'Essai"')
        .replace('code_postal: ""', 'code_postal: "92260"')
        .replace('commune: ""', "commune: Fontenay-aux-Roses")
        .replace('titre: ""', 'titre: "Rapport d\'activité"')
        .replace('url: ""', "url: https://exemple.fr/rapport")
        .replace('date: ""', 'date: "2024"')
    )
    path.write_text(filled, encoding="utf-8")
    result = run("validate", "--data", str(tmp_path))
    assert result.returncode == 1
    assert "verifie_le: fiche dite vérifiée le" in result.stderr and "mais sa source la plus récente date de 2024" in result.stderr
    assert "ajoutez la source de cette vérification, par exemple un échange avec la structure, avec sa date" in result.stderr
    # Uncommenting the example source of the skeleton is enough.
    path.write_text(filled.replace("\n#  - titre:", "\n  - titre:").replace("\n#    ", "\n    "), encoding="utf-8")
    assert run("validate", "--data", str(tmp_path)).returncode == 0


def write_gem_verified_on(data: Path, day: date) -> None:
    path = data / "gem" / "gem-date.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(
        "type: gem\nnom: GEM SYNTHÉTIQUE\nadresse: {code_postal: '92260', commune: Fontenay-aux-Roses}\n"
        f"sources: [{{titre: T, document: D, date: '{day}'}}]\nverifie_le: {day}\n",
        encoding="utf-8",
    )


def test_passerelle_today_sets_the_day_of_every_command(tmp_path):
    """A record verified on a coming day is refused today, and valid once PASSERELLE_TODAY is that day or later."""
    coming = clock.today() + timedelta(days=40)
    data = tmp_path / "data"
    write_gem_verified_on(data, coming)
    refused = run("validate", "--data", str(data))
    assert refused.returncode == 1 and f"la date {coming} est dans le futur" in refused.stderr
    assert run("validate", "--data", str(data), today=coming.isoformat()).returncode == 0
    config = write_config(tmp_path / "site", data_dir=data)
    built = run("build", "--config-file", str(config), today=coming.isoformat())
    assert built.returncode == 0, built.stderr
    assert f"ATTENTION : ce site est daté du {date_fr(coming)} (PASSERELLE_TODAY), pas du jour de sa construction" in built.stderr
    page = (tmp_path / "site" / "structures" / "gem-date" / "index.html").read_text(encoding="utf-8")
    assert f'Fiche vérifiée le <time datetime="{coming}">' in page


def test_an_unreadable_passerelle_today_stops_every_command_in_french(tmp_path):
    data, site = tmp_path / "data", tmp_path / "site"
    write_gem_verified_on(data, date(2026, 1, 5))
    config = write_config(site, data_dir=data)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **{TODAY_ENV: "24/12/2026"})
    for command in (
        ["generator.cli", "validate", "--data", str(data)],
        ["generator.cli", "build", "--config-file", str(config)],
        ["mkdocs", "build", "-f", str(config)],
    ):
        result = subprocess.run([sys.executable, "-m", *command], capture_output=True, text=True, env=env)
        assert result.returncode == 1 and "Traceback" not in result.stderr, command
        assert "PASSERELLE_TODAY : date illisible « 24/12/2026 » — écrivez-la AAAA-MM-JJ" in result.stderr, command
        assert not site.exists(), command


def test_a_build_with_mkdocs_says_when_material_ends_and_what_to_do(tmp_path):
    """Material for MkDocs ends on 5 May 2027 (generator/engines/mkdocs/end_of_life.py): the staff who
    publish learn it from their builds with MkDocs, whichever command they type, and not with Zensical."""
    data = tmp_path / "data"
    write_gem_verified_on(data, date(2026, 11, 2))
    config = write_config(tmp_path / "site", data_dir=data)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **{TODAY_ENV: "2027-05-06"})
    for command in (["generator.cli", "build", "--config-file", str(config)], ["mkdocs", "build", "-f", str(config)]):
        built = subprocess.run([sys.executable, "-m", *command], capture_output=True, text=True, env=env)
        assert built.returncode == 0, built.stderr
        assert (
            "ATTENTION : Material for MkDocs, qui met ce site en forme, n'est plus maintenu depuis le 5 mai 2027 : ses failles "
            "de sécurité ne sont plus corrigées. Dès maintenant, publiez avec Zensical, son successeur, qui garde le même "
            "aspect : « passerelle build --engine zensical » (README, « Les moteurs »)."
        ) in built.stderr, command
    zensical = run("build", "--config-file", str(config), "--engine", "zensical", today="2027-05-06")
    assert zensical.returncode == 0, zensical.stderr
    assert "Material for MkDocs" not in zensical.stderr


@pytest.mark.parametrize(
    ("day", "said"),
    [
        (date(2027, 2, 3), None),
        (
            date(2027, 2, 4),
            "ne sera plus maintenu après le 5 mai 2027 (dans 90 jours) : ses failles de sécurité ne seront plus corrigées. Avant cette date, publiez avec Zensical",
        ),
        (date(2027, 5, 4), "(dans 1 jour)"),
        (date(2027, 5, 5), "n'est plus maintenu depuis le 5 mai 2027"),
    ],
)
def test_the_end_of_material_is_said_from_ninety_days_before(day, said):
    notice = end_of_life_notice(day)
    assert notice == said if said is None else said in notice


def test_committed_schemas_are_up_to_date(repo_root):
    for kind, schema in record_schemas().items():
        committed = json.loads((repo_root / "schemas" / f"{kind.value}.schema.json").read_text(encoding="utf-8"))
        assert committed == schema, f"schemas/{kind.value}.schema.json is stale: run « passerelle schema »"
        assert "id" not in schema["properties"] and "telephone" in schema["properties"]


def test_locate_finds_a_commune_by_postcode():
    result = run("locate", "92260")
    assert result.returncode == 0
    assert "Fontenay-aux-Roses" in result.stdout and "Hauts-de-Seine (92)" in result.stdout and "Île-de-France (11)" in result.stdout
    assert run("locate", "zzzz").returncode == 1


# What argparse says in English, one word of each of its sentences a person may meet.
ENGLISH = re.compile(r"\b(usage|error|required|unrecognized|invalid|choose from|expected|argument|show this help)\b", re.IGNORECASE)


@pytest.mark.parametrize(
    "args, said",
    [
        (["validate", "/home/moi/data"], "arguments non reconnus : /home/moi/data"),
        (["new", "gem"], "il manque : NOM"),
        (["new", "gemm", "GEM X"], "TYPE : choix inconnu « gemm »"),
        (["verifie", "gem-x"], "il manque : --source"),
        (["verifie", "gem-x", "--source"], "--source : une valeur est attendue après cette option"),
        (["verifie", "gem-x", "--source", "appel", "--date", "2026-13-01"], "--date : date invalide « 2026-13-01 » : écrivez AAAA-MM-JJ"),
        (["edit", "--port", "99999999"], "--port : port invalide « 99999999 » : un nombre entre 1 et 65535"),
        (["geocode", "--limit", "dix"], "--limit : valeur invalide « dix » : un nombre entier est attendu, ex. 100"),
        (["geocode", "--limit", "-1"], "--limit : valeur invalide « -1 » : un nombre entier est attendu, ex. 100"),
        (["geocode", "--delai", "vite"], "--delai : durée invalide « vite » : un nombre de secondes, ex. 1 ou 0,5"),
        (["import", "fines", "x.csv"], "SOURCE : choix inconnu « fines »"),
        (["exporte"], "COMMANDE : choix inconnu « exporte »"),
    ],
)
def test_a_mistyped_command_is_answered_in_french_with_where_to_find_help(args, said, capsys):
    with pytest.raises(SystemExit) as exit:
        main(args)
    assert exit.value.code == 2
    error = capsys.readouterr().err
    assert said in error
    assert error.startswith("utilisation : passerelle") and error.rstrip().endswith("--help")
    assert not ENGLISH.search(error), error


def test_the_help_is_in_french_and_argparse_is_given_back_its_own_words(capsys):
    for args in (["--help"], ["build", "--help"], ["import", "finess", "--help"]):
        with pytest.raises(SystemExit):
            main(args)
        text = capsys.readouterr().out
        assert text.startswith("utilisation : passerelle") and "-h, --help" in text and "affiche cette aide" in text
        assert not ENGLISH.search(text), text
    # Only the parser of `passerelle` speaks French: argparse's other users keep their language.
    with pytest.raises(SystemExit):
        argparse.ArgumentParser(prog="autre").parse_args(["--inconnu"])
    assert "usage: autre" in capsys.readouterr().err


def test_a_name_without_a_letter_or_a_digit_makes_no_hidden_file(tmp_path, capsys):
    for name in ("", "///", "« »"):
        assert main(["new", "gem", name, "--data", str(tmp_path)]) == 1
        assert "le nom doit contenir au moins une lettre ou un chiffre" in capsys.readouterr().err
    assert list(tmp_path.rglob("*")) == []


def test_a_data_folder_that_holds_no_type_folder_is_refused_with_the_folder_to_give(tmp_path, capsys):
    """Given the folder of one type, or run from another folder, no command reports « no record » nor starts a second data folder."""
    data = tmp_path / "data"
    write_gem_verified_on(data, clock.today())
    commands = [
        ["new", "gem", "GEM Test"],
        ["verifie", "gem-date", "--source", "Appel"],
        ["validate"],
        ["stats"],
        ["campagne", "--sortie", str(tmp_path / "e")],
    ]
    kinds = "gem/, collectif/, clsm/…"
    for command in commands:
        assert main([*command, "--data", str(data / "gem")]) == 1, command
        assert capsys.readouterr().err == (
            f"--data {data / 'gem'} : ce dossier ne contient aucun dossier de fiches ({kinds}) — vouliez-vous dire --data {data} ?\n"
        )
        assert main([*command, "--data", str(tmp_path / "absent")]) == 1, command
        assert capsys.readouterr().err == (
            f"--data {tmp_path / 'absent'} : dossier introuvable — lancez la commande depuis le dossier du dépôt, "
            f"ou indiquez avec --data le dossier des fiches, qui contient {kinds}\n"
        )
    (tmp_path / "vide").mkdir()
    assert main(["new", "gem", "GEM Test", "--data", str(tmp_path / "vide")]) == 1
    assert capsys.readouterr().err == (
        f"--data {tmp_path / 'vide'} : ce dossier ne contient aucun dossier de fiches ({kinds}) — indiquez le dossier qui contient "
        f"{kinds}, ou, pour commencer un annuaire, créez d'abord le dossier du type, ex. {tmp_path / 'vide' / 'gem'}\n"
    )
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")) == ["data", "data/gem", "data/gem/gem-date.yaml", "vide"]


def test_new_refuses_an_identifier_that_a_record_of_another_type_has(tmp_path, capsys):
    write_gem_verified_on(tmp_path, clock.today())
    assert main(["new", "collectif", "GEM Date", "--data", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (
        f"{tmp_path / 'gem' / 'gem-date.yaml'} existe déjà, avec le même identifiant « gem-date » : l'identifiant d'une fiche est unique, "
        "tous types confondus. Choisissez un autre nom, ou modifiez cette fiche.\n"
    )
    assert not (tmp_path / "collectif").exists()


def test_what_the_system_refuses_is_said_in_french_without_traceback(tmp_path, capsys):
    a_file = tmp_path / "fichier"
    a_file.write_text("", encoding="utf-8")
    assert main(["schema", "--out", str(a_file / "schemas")]) == 1
    assert capsys.readouterr().err == f"{a_file / 'schemas'} : une partie du chemin n'est pas un dossier\n"
    (tmp_path / "data").mkdir()
    assert main(["import", "finess", str(tmp_path / "absent.csv"), "--data", str(tmp_path / "data")]) == 1
    assert capsys.readouterr().err == f"{tmp_path / 'absent.csv'} : introuvable : vérifiez le chemin\n"


def test_ctrl_c_stops_a_command_with_a_sentence(monkeypatch, capsys):
    def interrupted(data):
        raise KeyboardInterrupt

    monkeypatch.setattr("generator.cli.load_catalogue", interrupted)
    assert main(["validate"]) == 130
    assert capsys.readouterr().err == "Arrêté (Ctrl+C).\n"

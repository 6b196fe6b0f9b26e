"""A failed build (`passerelle build`, `mkdocs build`) leaves the published site exactly as it was."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from tests.records import gem_named
from tests.sitebuild import ROOT, write_config


def snapshot(site: Path) -> dict[str, bytes]:
    return {str(path.relative_to(site)): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def staging_folders(site: Path) -> list[str]:
    return [path.name for path in site.parent.iterdir() if path.name.startswith(f".{site.name}-")]


def mkdocs_build(config_file: Path) -> subprocess.CompletedProcess:
    """`mkdocs build`, as a maintainer runs it."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(config_file)],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=300,
    )


@pytest.fixture
def project(tmp_path) -> tuple[Path, Path, Path]:
    """A data folder with one record, a config building it, and the site folder."""
    data = tmp_path / "data"
    (data / "gem").mkdir(parents=True)
    (data / "gem" / "gem-exemple.yaml").write_text(gem_named("GEM Premier"), encoding="utf-8")
    site = tmp_path / "public" / "site"
    return data, write_config(site, data_dir=data), site


def test_mkdocs_build_with_broken_data_fails_and_leaves_the_previous_site(project):
    """`mkdocs build` (and so `mkdocs gh-deploy`) reads the data before MkDocs empties the site folder."""
    data, config_file, site = project
    assert main(["build", "--config-file", str(config_file), "--site-dir", str(site)]) == 0
    before = snapshot(site)
    (data / "gem" / "gem-exemple.yaml").write_text(gem_named("GEM Second").replace('"92260"', '"9226"'), encoding="utf-8")
    (data / "gem" / "gem-autre.yaml").write_text("type: gem\nnom: [\n", encoding="utf-8")
    done = mkdocs_build(config_file)
    assert done.returncode == 1
    # Every problem at once, in French, with file:line:col and the field; no traceback.
    assert "gem-exemple.yaml:4:3: adresse.code_postal: format invalide « 9226 »" in done.stderr
    assert "gem-autre.yaml:3:1: YAML illisible" in done.stderr
    assert "Traceback" not in done.stderr
    # Said once, without MkDocs' log prefix and its English « Aborted with a BuildError! ».
    assert done.stderr.count("passerelle: les données contiennent des erreurs :") == 1
    assert done.stderr.rstrip().endswith("Le site n'a pas été modifié.")
    assert "ERROR" not in done.stderr and "Aborted" not in done.stdout + done.stderr
    assert snapshot(site) == before


def test_failed_build_leaves_the_previous_site_byte_identical(project, capsys):
    data, config_file, site = project
    assert main(["build", "--config-file", str(config_file), "--site-dir", str(site)]) == 0
    before = snapshot(site)
    assert "GEM Premier" in before["structures/gem-exemple/index.html"].decode("utf-8")
    capsys.readouterr()

    (data / "gem" / "gem-exemple.yaml").write_text(gem_named("GEM Second").replace('"92260"', '"9226"'), encoding="utf-8")
    assert main(["build", "--config-file", str(config_file), "--site-dir", str(site)]) == 1
    error = capsys.readouterr().err
    assert "gem-exemple.yaml:4:3: adresse.code_postal: format invalide « 9226 »" in error
    assert "Le site n'a pas été modifié." in error and "Traceback" not in error
    assert snapshot(site) == before
    assert staging_folders(site) == [], "no staging folder is left behind"


def test_successful_build_replaces_the_site_readable_by_a_web_server(project):
    data, config_file, site = project
    assert main(["build", "--config-file", str(config_file), "--site-dir", str(site)]) == 0
    (site / "stale.html").write_text("ancienne page", encoding="utf-8")
    (data / "gem" / "gem-exemple.yaml").write_text(gem_named("GEM Second"), encoding="utf-8")
    assert main(["build", "--config-file", str(config_file), "--site-dir", str(site)]) == 0
    assert "GEM Second" in (site / "structures" / "gem-exemple" / "index.html").read_text(encoding="utf-8")
    assert not (site / "stale.html").exists()
    assert stat.S_IMODE(site.stat().st_mode) == 0o755
    assert staging_folders(site) == []


def test_a_site_folder_that_cannot_be_written_is_said_before_anything_is_generated(project, monkeypatch, capsys):
    data, config_file, _ = project
    blocker = config_file.parent / "fichier"
    blocker.write_text("un fichier, pas un dossier", encoding="utf-8")
    site = blocker / "site"

    def not_now(source):
        raise AssertionError("the records were read before the site folder was known to be writable")

    monkeypatch.setattr("generator.build.pipeline.generate_site", not_now)
    assert main(["build", "--config-file", str(config_file), "--site-dir", str(site)]) == 1
    error = capsys.readouterr().err
    assert f"le site ne peut pas être écrit dans {blocker} : un fichier de ce nom existe déjà" in error
    assert error.rstrip().endswith("Le site n'a pas été modifié.") and "Traceback" not in error


@pytest.mark.parametrize(
    ("where", "said"),
    [
        ("{data}", "ce dossier contient les fiches (data_dir) ({data}), que la construction du site effacerait avec tout le dossier"),
        ("{root}", "ce dossier contient le fichier de configuration ({config}), que la construction du site effacerait"),
        ("{root}/notes.txt", "c'est un fichier, pas un dossier"),
        ("{root}/documents", "ce dossier n'est pas vide et ne contient pas de site web"),
        ("{content}/site", "ce dossier est dans les pages écrites à la main (docs_dir) ({content})"),
    ],
    ids=["les-fiches", "le-projet", "un-fichier", "un-dossier-a-soi", "dans-les-pages"],
)
def test_a_site_folder_whose_replacement_would_lose_something_is_refused(project, where, said, monkeypatch, capsys):
    """A build replaces the site folder whole: a slip of `--site-dir` must not cost the records or a folder of one's own."""
    data, config_file, _ = project
    root = config_file.parent
    (root / "notes.txt").write_text("mes notes", encoding="utf-8")
    (root / "documents").mkdir()
    (root / "documents" / "lettre.txt").write_text("une lettre", encoding="utf-8")
    content = ROOT / "content"
    before = snapshot(root.parent)

    def not_now(source):
        raise AssertionError("the records were read for a site folder that is refused")

    monkeypatch.setattr("generator.build.pipeline.generate_site", not_now)
    site = Path(where.format(data=data, root=root, content=content))
    assert main(["build", "--config-file", str(config_file), "--site-dir", str(site)]) == 1
    error = capsys.readouterr().err
    assert error.startswith(f"{site.resolve()} : {said.format(data=data, config=config_file, content=content)}"), error
    assert error.rstrip().endswith("Le site n'a pas été modifié.") and "Traceback" not in error
    assert snapshot(root.parent) == before
    assert not (content / "site").exists()


def test_a_site_folder_reached_through_a_link_is_replaced_where_it_is(project, capsys):
    """A web server's folder is often a link (/var/www/annuaire → …): the link stays, the site behind it is replaced."""
    data, _, _ = project
    real = data.parent / "public" / "version"
    link = data.parent / "public" / "annuaire"
    config_file = write_config(link, data_dir=data)
    assert main(["build", "--config-file", str(config_file), "--site-dir", str(real)]) == 0
    link.symlink_to(real.name)
    (data / "gem" / "gem-exemple.yaml").write_text(gem_named("GEM Second"), encoding="utf-8")
    assert main(["build", "--config-file", str(config_file)]) == 0
    assert "Traceback" not in capsys.readouterr().err
    assert link.is_symlink() and link.resolve() == real
    assert "GEM Second" in (real / "structures" / "gem-exemple" / "index.html").read_text(encoding="utf-8")
    assert staging_folders(real) == [] and staging_folders(link) == []


def test_mkdocs_build_refuses_a_site_folder_that_holds_the_records(project):
    """MkDocs empties its site folder: `site_dir: data` in mkdocs.yml would delete every record."""
    data, _, _ = project
    config_file = write_config(data, data_dir=data)
    before = snapshot(data)
    done = mkdocs_build(config_file)
    assert done.returncode == 1
    assert f"{data} : ce dossier contient les fiches (data_dir)" in done.stderr and "Traceback" not in done.stderr
    assert snapshot(data) == before


def test_a_configuration_that_is_not_yaml_is_shown_where_it_breaks(project, capsys):
    data, config_file, site = project
    text = config_file.read_text(encoding="utf-8")
    config_file.write_text(text + 'site_description: "Annuaire\n', encoding="utf-8")
    line = len(text.splitlines()) + 1
    assert main(["build", "--config-file", str(config_file), "--site-dir", str(site)]) == 1
    error = capsys.readouterr().err
    assert error.startswith(f"{config_file}:{line}:19: configuration illisible : guillemet non fermé"), error
    assert main(["build", "--config-file", str(config_file.with_name("absent.yml")), "--site-dir", str(site)]) == 1
    assert "absent.yml : configuration introuvable — lancez la commande dans le dossier du site" in capsys.readouterr().err
    assert not site.exists()


def test_an_old_site_that_cannot_be_deleted_is_said_without_calling_the_build_failed(project, monkeypatch, capsys):
    """Once the new site is in place, the build has succeeded: an old site left behind is a warning, not « Le site n'a pas été modifié »."""
    data, config_file, site = project
    assert main(["build", "--config-file", str(config_file), "--site-dir", str(site)]) == 0
    (data / "gem" / "gem-exemple.yaml").write_text(gem_named("GEM Second"), encoding="utf-8")
    delete = shutil.rmtree

    def refused(path, *args, **kwargs):
        if "-ancien-" in Path(path).name:
            raise PermissionError(13, "Permission denied", str(path))
        return delete(path, *args, **kwargs)

    monkeypatch.setattr("generator.build.pipeline.shutil.rmtree", refused)
    capsys.readouterr()
    assert main(["build", "--config-file", str(config_file), "--site-dir", str(site)]) == 0
    error = capsys.readouterr().err
    [old] = [path for path in site.parent.iterdir() if "-ancien-" in path.name]
    assert f"ATTENTION : le site est à jour, mais l'ancien n'a pas pu être supprimé ({old} : accès refusé" in error
    assert f"supprimez {old} vous-même." in error and "n'a pas été modifié" not in error
    assert "GEM Second" in (site / "structures" / "gem-exemple" / "index.html").read_text(encoding="utf-8")


def test_ctrl_c_during_a_build_leaves_the_previous_site(project, monkeypatch, capsys):
    data, config_file, site = project
    assert main(["build", "--config-file", str(config_file), "--site-dir", str(site)]) == 0
    before = snapshot(site)
    (data / "gem" / "gem-exemple.yaml").write_text(gem_named("GEM Second"), encoding="utf-8")

    def interrupted(built, generation):
        raise KeyboardInterrupt

    monkeypatch.setattr("generator.build.pipeline.finish_site", interrupted)
    capsys.readouterr()
    assert main(["build", "--config-file", str(config_file), "--site-dir", str(site)]) == 130
    assert capsys.readouterr().err.endswith("Arrêté (Ctrl+C).\nLe site n'a pas été modifié.\n")
    assert snapshot(site) == before
    assert staging_folders(site) == []

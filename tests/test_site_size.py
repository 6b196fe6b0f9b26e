"""A site nearly too big for GitHub Pages is said by the build, in French, before a deployment fails."""

from __future__ import annotations

from generator.build import finish
from generator.build.finish import site_size, size_notice
from generator.cli import main
from tests.records import gem_named
from tests.sitebuild import write_config


def test_the_build_says_when_the_site_is_nearly_too_big_for_github_pages(tmp_path, monkeypatch, capsys):
    data = tmp_path / "data"
    (data / "gem").mkdir(parents=True)
    (data / "gem" / "gem-exemple.yaml").write_text(gem_named("GEM Premier"), encoding="utf-8")
    site = tmp_path / "site"
    config_file = write_config(site, data_dir=data)

    assert main(["build", "--config-file", str(config_file), "--site-dir", str(site)]) == 0
    assert "GitHub Pages" not in capsys.readouterr().err

    # The same site against a limit it passes: still built, and the person is told.
    monkeypatch.setattr(finish, "PUBLISHED_SIZE_LIMIT", site_size(site) // 2)
    assert main(["build", "--config-file", str(config_file), "--site-dir", str(site)]) == 0
    err = capsys.readouterr().err
    assert "GitHub Pages limite les sites publiés à" in err and "la publication n'est pas garantie" in err
    assert "un par région : l'option regions du greffon passerelle" in err
    assert "GEM Premier" in (site / "structures" / "gem-exemple" / "index.html").read_text(encoding="utf-8")


def test_site_size_counts_every_file(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "index.html").write_bytes(b"x" * 10)
    (tmp_path / "a" / "b" / "data.json").write_bytes(b"y" * 32)
    assert site_size(tmp_path) == 42


def test_size_notice_from_nine_tenths_of_the_limit_in_french_numbers():
    assert size_notice(899_999_999) is None
    assert "0,9 Go" in size_notice(900_000_000)
    notice = size_notice(1_490_000_000)
    assert notice.startswith("ATTENTION : le site construit fait 1,49 Go.")
    assert "sites publiés à 1 Go" in notice

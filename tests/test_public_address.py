"""A build never publishes a local address: printed sheets, QR codes, open data and links (issue 13, §5)."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from generator import clock
from generator.engines.mkdocs.end_of_life import end_of_life_notice
from generator.site.model import public_site_url, unpublished_address_notice
from tests.sitebuild import build_site

LOCAL = ("127.0.0.1", "localhost")
TEXT_FILES = {".html", ".json", ".geojson", ".csv", ".xml", ".js", ".txt"}


@pytest.mark.parametrize(
    ("site_url", "public"),
    [
        ("https://annuaire.example.org/", True),
        ("http://annuaire.example.org/sous-dossier/", True),
        ("https://93.184.215.14/", True),
        ("https://203.0.113.7/", False),  # a documentation range, reachable from nowhere
        ("", False),
        ("http://127.0.0.1:8000/", False),
        ("http://localhost:8000/", False),
        ("http://annuaire.localhost/", False),
        ("http://[::1]:8000/", False),
        ("http://0.0.0.0:8000/", False),
        ("http://192.168.1.20/", False),
        ("http://poste-du-centre.local/", False),
        ("file:///home/centre/site/", False),
        ("annuaire.example.org", False),
    ],
)
def test_only_a_public_address_is_published(site_url, public):
    assert public_site_url(site_url) == (site_url if public else "")
    assert bool(unpublished_address_notice(site_url)) != public


def local_addresses_in(site: Path) -> list[str]:
    found = []
    for path in site.rglob("*"):
        if path.suffix in TEXT_FILES and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            found += [f"{path.relative_to(site)}: {host}" for host in LOCAL if host in text]
    return found


def test_the_shipped_configuration_publishes_no_local_address_and_says_so(tmp_path, repo_root):
    """`passerelle build` with mkdocs.yml as shipped: no site_url, so no absolute link at all."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator.cli",
            "build",
            "--config-file",
            str(repo_root / "mkdocs.yml"),
            "--site-dir",
            str(tmp_path / "site"),
        ],
        capture_output=True,
        text=True,
        cwd=repo_root,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "ATTENTION : site_url n'est pas indiqué. Les fiches imprimées n'auront ni lien ni QR code" in result.stderr
    site = tmp_path / "site"
    assert not local_addresses_in(site)
    record = (site / "structures" / "clubhouse-lyon" / "index.html").read_text(encoding="utf-8")
    assert "pa-sheet-link" not in record and "qrcode.js" not in record and 'rel="canonical"' not in record
    structures = json.loads((site / "donnees" / "data-inclusion-structures.json").read_text(encoding="utf-8"))
    assert structures and all(structure["lien_source"] is None for structure in structures)


def test_a_local_site_url_is_left_out_even_in_strict_mode(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="passerelle"):
        site = build_site(tmp_path / "site", site_url="http://localhost:8000/", strict=True)
    assert any("« http://localhost:8000/ » n'est pas une adresse publique" in record.message for record in caplog.records)
    assert not local_addresses_in(site)
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>/structures/clubhouse-lyon/</loc>" in sitemap


def test_a_public_site_url_gives_the_sheet_its_link_and_open_data_its_links(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="passerelle"):
        site = build_site(tmp_path / "site", site_url="https://annuaire.example.org/", contact_email="annuaire@example.org")
    warned = [record.getMessage() for record in caplog.records if record.name == "passerelle"]
    # But the engine's end of life, said from February 2027 whatever the configuration says.
    engine = [notice for notice in [end_of_life_notice(clock.today())] if notice]
    assert warned == engine, "a site configured in full builds without a warning"
    record = (site / "structures" / "clubhouse-lyon" / "index.html").read_text(encoding="utf-8")
    assert 'data-qr-url="https://annuaire.example.org/structures/clubhouse-lyon/"' in record
    structures = json.loads((site / "donnees" / "data-inclusion-structures.json").read_text(encoding="utf-8"))
    assert {s["lien_source"] for s in structures} >= {"https://annuaire.example.org/structures/clubhouse-lyon/"}

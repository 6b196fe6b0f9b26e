"""`mkdocs serve` for a person editing records, in Chromium: broken data never breaks the preview.

A real `mkdocs serve` on a temporary data folder. Broken data keeps the last good
site served, with the list of problems at the top of every page; fixing the file
brings the site back, with the new value, without a restart. The open page
follows by itself (MkDocs' live reload, served as a file under the site's CSP).
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.records import gem_named
from tests.sitebuild import free_port, mkdocs_serve, write_config

BROKEN_BETA = gem_named("GEM Beta").replace('"92260"', '"9226"')
PROBLEM = "data/gem/gem-beta.yaml:4:3: adresse.code_postal: format invalide « 9226 »"


def _wait_until_served(url: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=30).read()
            return
        except urllib.error.HTTPError:
            return  # answered (the problems page says 503)
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"mkdocs serve never answered {url}")


@pytest.fixture
def serve(tmp_path) -> Iterator:
    """`serve(beta)`: a data folder with GEM Alpha (partner of gem-beta) and `beta`, served by `mkdocs serve`."""
    with ExitStack() as servers:

        def _start(beta: str) -> tuple[str, Path]:
            data = tmp_path / "data"
            (data / "gem").mkdir(parents=True)
            (data / "gem" / "gem-alpha.yaml").write_text(gem_named("GEM Alpha") + "partenaires: [gem-beta]\n", encoding="utf-8")
            (data / "gem" / "gem-beta.yaml").write_text(beta, encoding="utf-8")
            port = free_port()
            servers.enter_context(mkdocs_serve(write_config(tmp_path / "site", data_dir=data, strict=False, site_url=""), port))
            base = f"http://127.0.0.1:{port}/"
            _wait_until_served(base + "structures/gem-alpha/")
            return base, data / "gem" / "gem-beta.yaml"

        yield _start


def _open(page_at, url: str):
    # The live reload keeps a request open: the network is never idle.
    return page_at(url, wait="load")


def test_broken_data_keeps_the_site_with_the_problems_on_every_page_until_fixed(serve, page_at, axe_violations, format_violations):
    base, beta = serve(gem_named("GEM Beta"))
    page = _open(page_at, base + "structures/gem-beta/")
    assert page.locator("h1").first.inner_text() == "GEM Beta"

    beta.write_text(BROKEN_BETA, encoding="utf-8")
    banner = page.get_by_role("alert")
    banner.wait_for(timeout=60_000)  # the open page reloads by itself
    assert PROBLEM in banner.inner_text()
    assert "1 problème dans les données" in banner.get_by_role("heading").inner_text()
    assert "Corrigez" in banner.inner_text()
    assert page.locator("h1").first.inner_text() == "GEM Beta", "the last good site stays served"
    violations = axe_violations(page, context=".passerelle-problemes")
    assert not violations, format_violations(violations)
    other = _open(page_at, base + "esms/")  # every page, not only the broken record's
    assert PROBLEM in other.get_by_role("alert").inner_text()

    beta.write_text(gem_named("GEM Beta corrigé"), encoding="utf-8")
    page.locator("h1", has_text="GEM Beta corrigé").wait_for(timeout=60_000)
    assert page.get_by_role("alert").count() == 0
    partner = _open(page_at, base + "structures/gem-alpha/")
    assert "GEM Beta corrigé" in partner.locator("main").inner_text()
    assert partner.get_by_role("alert").count() == 0


def test_a_first_build_with_broken_data_shows_the_problems_then_the_site_once_fixed(serve, page_at):
    base, beta = serve(BROKEN_BETA)
    page = _open(page_at, base + "structures/gem-alpha/")
    assert PROBLEM in page.get_by_role("alert").inner_text()
    assert "ne peut pas être construit" in page.get_by_role("alert").inner_text()

    beta.write_text(gem_named("GEM Beta"), encoding="utf-8")
    page.locator("h1", has_text="GEM Alpha").wait_for(timeout=60_000)
    assert page.get_by_role("alert").count() == 0
    # The heading shows as soon as it is parsed; on a loaded machine the rest of the page may not be yet.
    expect(page.locator("main")).to_contain_text("GEM Beta")


def test_no_page_is_served_older_than_the_data(serve):
    """Once the server knows of an edit, a page that shows the record waits until it is rewritten."""
    base, beta = serve(gem_named("GEM Beta"))
    beta.write_text(gem_named("GEM Beta renommé"), encoding="utf-8")
    time.sleep(0.5)  # the system's notification of the change reaches the server
    for url in ("structures/gem-alpha/", "departements/92/", "gem/"):  # its partner, its territory, its kind
        html = urllib.request.urlopen(base + url, timeout=120).read().decode("utf-8")
        assert "GEM Beta renommé" in html, url

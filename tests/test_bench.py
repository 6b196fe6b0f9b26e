"""The benchmark runs (at a tiny size): its figures themselves are for bench/, not for tests."""

from __future__ import annotations

import gzip
import re
import urllib.error
import urllib.request

from bench import lighthouse, second_build, serve
from bench.run import file_creation_ms, load, measure, median_usage, report
from bench.usage import Usage


def test_benchmark_runs_at_a_tiny_size(tmp_path):
    fixed, row = measure(5, tmp_path / "5", runs=2), measure(25, tmp_path / "25")
    assert fixed["runs"] == 2 and row["runs"] == 1
    assert all(
        row[builder].seconds > 0 and row[builder].peak_rss_mb > 0 and row[builder].peak_process_mb > 0
        for builder in ("passerelle", "mkdocs", "hugo")
    )
    assert len(list((tmp_path / "25" / "site" / "structures").glob("synthetique-*"))) == 25
    assert len(list((tmp_path / "25" / "mkdocs" / "docs" / "pages").glob("*.md"))) == 25
    assert len(list((tmp_path / "25" / "hugo" / "public" / "pages").glob("*/index.html"))) == 25
    assert row["record_bytes"] > 1000 and row["site_bytes"] > row["record_bytes"]
    assert sum(row["folder_bytes"].values()) == row["site_bytes"] and row["folder_bytes"]["structures"] > 25 * 1000
    assert "| 25 | 1 |" in report(fixed, [row]) and "| structures |" in report(fixed, [row])


def test_repeated_builds_report_their_median_time_and_their_highest_memory():
    runs = [Usage(4.0, 5.0, 100, 90, 80), Usage(9.0, 6.0, 300, 80, 70), Usage(5.0, 20.0, 200, 95, 60)]
    assert median_usage(runs) == Usage(5.0, 6.0, 300, 95, 80)


def test_the_machine_s_state_says_how_fast_its_file_system_creates_pages(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)  # read TMPDIR again
    assert file_creation_ms(20) > 0
    assert list(tmp_path.iterdir()) == []  # the pages it timed are gone
    monkeypatch.setattr("bench.run.DISK_SAMPLE", 20)
    assert re.fullmatch(r"load average [0-9.]+ [0-9.]+ [0-9.]+; file system: [0-9]+\.[0-9]{3} ms per page \(folder and file\)", load())


def test_second_build_benchmark_runs_at_a_tiny_size(tmp_path):
    row = second_build.measure(10, tmp_path, "mkdocs")
    assert all(row[step].seconds > 0 for step in ("validate_cold", "validate_warm", "build_cold", "build_warm"))
    assert list((tmp_path / "cache-build").glob("records-*.pickle")), "the builds ran with their own cache"
    pages = (tmp_path / "site" / "structures").glob("*/index.html")
    assert sum("SYNTHÉTIQUE modifiée" in page.read_text(encoding="utf-8") for page in pages) == 1, "the second build shows the change"


def test_mkdocs_serve_shows_an_edited_record(tmp_path):
    """The serve benchmark at a tiny size: an edited record is served, then listed; a full rebuild is timed."""
    figures = serve.measure(5, 1, tmp_path)
    assert 0 < figures["edit"][0] <= figures["listed"][0] and figures["full"] > 0


def test_lighthouse_benchmark_serves_the_site_as_github_pages_does(tmp_path):
    """The Lighthouse benchmark's server and addresses, without Lighthouse (no npm, no network)."""
    site = tmp_path / "site"
    for page in ("index.html", "404.html", "assets/app.js", "gem/index.html"):
        (site / page).parent.mkdir(parents=True, exist_ok=True)
        (site / page).write_text(f"<p>{page} " + "mot " * 500 + "</p>", encoding="utf-8")
    server = lighthouse.serve(site)
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        for path, status, body in (
            ("/gem/", 200, "gem/index.html"),
            ("/assets/app.js", 200, "assets/app.js"),
            ("/absente/", 404, "404.html"),
        ):
            request = urllib.request.Request(base + path, headers={"Accept-Encoding": "gzip"})
            try:
                response = urllib.request.urlopen(request)
            except urllib.error.HTTPError as error:
                response = error
            assert response.status == status and response.headers["Content-Encoding"] == "gzip"
            assert gzip.decompress(response.read()).decode().startswith(f"<p>{body} ")
        plain = urllib.request.urlopen(base + "/gem/")  # a client that does not accept gzip gets the bytes
        assert plain.headers["Content-Encoding"] is None and plain.read().startswith(b"<p>gem/index.html")
    finally:
        server.shutdown()
        server.server_close()


def test_lighthouse_benchmark_measures_every_page_type(built_site):
    types = lighthouse.page_types(built_site)
    assert types["fiche"].startswith("/structures/gem-") and types["fiche facile à lire"] == "/facile" + types["fiche"]
    for path in types.values():
        page = built_site / path.split("?")[0].split("#")[0].lstrip("/")
        assert (page / "index.html" if path.endswith("/") or "?" in path or "#" in path else page).is_file(), path

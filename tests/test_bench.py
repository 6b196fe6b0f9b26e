"""The benchmark runs (at a tiny size): its figures themselves are for bench/, not for tests."""

from __future__ import annotations

from bench import second_build, serve
from bench.run import measure, report


def test_benchmark_runs_at_a_tiny_size(tmp_path):
    fixed, row = (measure(n, tmp_path / str(n)) for n in (5, 25))
    assert all(row[builder].seconds > 0 and row[builder].peak_rss_mb > 0 for builder in ("passerelle", "mkdocs", "hugo"))
    assert len(list((tmp_path / "25" / "site" / "structures").glob("synthetique-*"))) == 25
    assert len(list((tmp_path / "25" / "mkdocs" / "docs" / "pages").glob("*.md"))) == 25
    assert len(list((tmp_path / "25" / "hugo" / "public" / "pages").glob("*/index.html"))) == 25
    assert row["record_bytes"] > 1000 and row["site_bytes"] > row["record_bytes"]
    assert sum(row["folder_bytes"].values()) == row["site_bytes"] and row["folder_bytes"]["structures"] > 25 * 1000
    assert "| 25 |" in report(fixed, [row]) and "| structures |" in report(fixed, [row])


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

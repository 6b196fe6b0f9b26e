"""The benchmark runs (at a tiny size): its figures themselves are for bench/, not for tests."""

from __future__ import annotations

from bench import serve
from bench.run import measure, table


def test_benchmark_runs_at_a_tiny_size(tmp_path):
    row = measure(25, tmp_path)
    assert row["full_s"] > 0 and row["base_s"] > 0 and row["full_mb"] > 0
    assert len(list((tmp_path / "site" / "structures").glob("synthetique-*"))) == 25
    assert len(list((tmp_path / "baseline" / "docs" / "pages").glob("*.md"))) == 25
    assert row["record_page_kb"] > 1
    assert "| 25 |" in table([row])


def test_mkdocs_serve_shows_an_edited_record(tmp_path):
    """The serve benchmark at a tiny size: an edited record is served, then listed; a full rebuild is timed."""
    figures = serve.measure(5, 1, tmp_path)
    assert 0 < figures["edit"][0] <= figures["listed"][0] and figures["full"] > 0

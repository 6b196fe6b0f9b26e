"""How long `mkdocs serve` takes to show an edited record, against a full rebuild in the same session.

    python3 -m bench.serve            # 10,000 synthetic records
    python3 -m bench.serve 1000

Starts `mkdocs serve` on N synthetic records (named SYNTHÉTIQUE), renames one
record in its YAML file, and times how long until the served record page shows
the new name (median of a few edits), then until the page of its département lists it
too (the rest of the site brought up to date in the background). Then, in the
same session, changes the site's name in mkdocs.yml, which rebuilds the whole
site as MkDocs does after any change, and times it: the baseline of the ratio.
Only loopback traffic.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import yaml

from bench.synthetic import write_records
from generator.geo.gazetteer import Gazetteer
from tests.sitebuild import free_port, mkdocs_serve, write_config


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=3)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="passerelle-serve-") as tmp:
        figures = measure(arguments.n, arguments.edits, Path(tmp))
    edit, listed, full = statistics.median(figures["edit"]), statistics.median(figures["listed"]), figures["full"]
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(
        "| N | edit → record page served (median; all) | edit → its département page up to date (median) | full rebuild | ratio edit ÷ full |"
    )
    print("|---|---|---|---|---|")
    print(
        f"| {arguments.n:,} | {edit:.2f} s ({', '.join(f'{d:.2f}' for d in figures['edit'])}) "
        f"| {listed:.1f} s | {full:.1f} s | {edit / full:.3f} |"
    )


def measure(n: int, edits: int, work: Path) -> dict:
    """Seconds from each edit of a record to its page (`edit`) and its département's page (`listed`) showing it,
    and from a change of the site's name to the rebuilt site showing it (`full`), under `mkdocs serve`."""
    paths = write_records(work / "data", n, seed=1)
    port = free_port()
    config = write_config(work / "site", work / "data", strict=False, site_url=f"http://127.0.0.1:{port}/")
    with mkdocs_serve(config, port):
        record = paths[0]
        url = f"http://127.0.0.1:{port}/structures/{record.stem}/"
        listing = f"http://127.0.0.1:{port}/departements/{_departement(record)}/"
        start = time.perf_counter()
        _wait_for(url, "SYNTHÉTIQUE", timeout=1800)
        print(f"first build served after {time.perf_counter() - start:.1f} s", file=sys.stderr)
        figures: dict = {"edit": [], "listed": []}
        for edit in range(edits):
            marker = f"Nom modifié {edit}"
            text = record.read_text(encoding="utf-8")
            record.write_text(text.replace('nom: "', f'nom: "{marker} ', 1), encoding="utf-8")
            start = time.perf_counter()
            _wait_for(url, marker, timeout=600)
            figures["edit"].append(time.perf_counter() - start)
            _wait_for(listing, marker, timeout=1800)
            figures["listed"].append(time.perf_counter() - start)
            print(f"edit {edit}: page {figures['edit'][-1]:.2f} s, département {figures['listed'][-1]:.1f} s", file=sys.stderr, flush=True)
            record.write_text(text, encoding="utf-8")
            _wait_for(listing, "SYNTHÉTIQUE", timeout=1800, absent=marker)
        figures["full"] = _full_rebuild(config, url)
        return figures


def _departement(record: Path) -> str:
    insee = yaml.safe_load(record.read_text(encoding="utf-8"))["adresse"]["code_insee"]
    return Gazetteer.load().commune(insee).departement


def _full_rebuild(config: Path, url: str) -> float:
    """Seconds from a change of the site's name in mkdocs.yml to the page showing it: every page changes."""
    raw = yaml.safe_load(config.read_text(encoding="utf-8"))
    raw["site_name"] = marker = "Passerelle reconstruite"
    config.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    start = time.perf_counter()
    _wait_for(url, marker, timeout=1800)
    return time.perf_counter() - start


def _wait_for(url: str, text: str, timeout: float, absent: str | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            page = urllib.request.urlopen(url, timeout=5).read().decode("utf-8")
            if text in page and (absent is None or absent not in page):
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"{url} never showed « {text} »")


if __name__ == "__main__":
    main()

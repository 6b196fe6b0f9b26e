"""How long `mkdocs serve` takes to show an edited record.

    python3 -m bench.serve            # 1,000 synthetic records
    python3 -m bench.serve 5000

Starts `mkdocs serve` on N synthetic records, renames one record in its YAML
file, and times how long until the served record page shows the new name
(median of a few edits). Only loopback traffic.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.synthetic import write_records
from tests.sitebuild import ROOT, write_config


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=3)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="passerelle-serve-") as tmp:
        delays = measure(arguments.n, arguments.edits, Path(tmp))
    print(f"| N | edit → rebuilt page served (median of {len(delays)}) | all |\n|---|---|---|")
    print(f"| {arguments.n:,} | {statistics.median(delays):.1f} s | {', '.join(f'{d:.1f}' for d in delays)} s |")


def measure(n: int, edits: int, work: Path) -> list[float]:
    """Seconds from each edit of a record to the served page showing it, under `mkdocs serve`."""
    paths = write_records(work / "data", n, seed=1)
    port = _free_port()
    config = write_config(work / "site", work / "data", strict=False, site_url=f"http://127.0.0.1:{port}/")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        record = paths[0]
        url = f"http://127.0.0.1:{port}/structures/{record.stem}/"
        start = time.perf_counter()
        _wait_for(url, "SYNTHÉTIQUE", timeout=900)
        print(f"first build served after {time.perf_counter() - start:.1f} s", file=sys.stderr)
        delays = []
        for edit in range(edits):
            marker = f"Nom modifié {edit}"
            text = record.read_text(encoding="utf-8")
            record.write_text(text.replace('nom: "', f'nom: "{marker} ', 1), encoding="utf-8")
            start = time.perf_counter()
            _wait_for(url, marker, timeout=300)
            delays.append(time.perf_counter() - start)
            record.write_text(text, encoding="utf-8")
            _wait_for(url, "SYNTHÉTIQUE", timeout=300, absent=marker)
        return delays
    finally:
        server.terminate()
        server.wait(timeout=30)


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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


if __name__ == "__main__":
    main()

"""Map benchmark: bytes per marker and time-to-usable of the maps, at N synthetic records.

    python3 -m bench.maps                # N = 1,000 and 50,000
    python3 -m bench.maps 1000 --runs 5  # chosen sizes, page loads per map
    python3 -m bench.maps --keep /tmp/m  # keep the sites in /tmp/m/<N>/, and reuse them next time

For each N: builds the full site from bench/synthetic.py records (tmp dir), then
for the national map (/carte/), the biggest région map and the biggest
département map measures
- HTML + the first data file the map fetches (its markers, or for a zoned map
  its index of zones), raw and gzipped, per place of the map;
- time-to-usable in headless Chromium: from navigation start to the moment
  passerelle-map.js has drawn its first view (every marker in the cluster group,
  or a zoned map's circles: its `passerelle-map-ready` performance mark, set with
  data-ready), median of the runs; tiles are answered locally with a 1-pixel PNG;
- the time to hide then show again the biggest layer (ESMS): its markers, or
  the counts of the circles.
Prints a Markdown table; the figures are measurements, not test assertions.
"""

from __future__ import annotations

import argparse
import base64
import functools
import gzip
import http.server
import json
import os
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.synthetic import write_records
from tests.sitebuild import build_site

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")
TOGGLE = """async el => {
  const box = el.closest('[data-pa-map-block]').querySelector('[data-pa-map-layers] input[value="3"]');
  if (!box) return null;
  const map = el.paMap;
  const zoned = map.circles && map.map.hasLayer(map.circles);
  const count = () => zoned ? map.circles.getLayers().reduce((sum, circle) => sum + circle.paCount, 0) : map.cluster.getLayers().length;
  const before = count();
  const start = performance.now();
  box.click();
  box.click();
  while (count() !== before) {
    if (performance.now() - start > 120000) return NaN;
    await new Promise(r => setTimeout(r, 5));
  }
  await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  return performance.now() - start;
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 50000])
    parser.add_argument("--runs", type=int, default=3, help="page loads per map (median)")
    parser.add_argument("--keep", type=Path, help="build the sites under this folder, or reuse the ones built there")
    arguments = parser.parse_args()
    rows = []
    for n in arguments.sizes:
        if arguments.keep:
            rows += measure(n, arguments.keep / str(n), arguments.runs)
            continue
        with tempfile.TemporaryDirectory(prefix=f"passerelle-maps-{n}-") as tmp:
            rows += measure(n, Path(tmp), arguments.runs)
    print(table(rows))
    print(f"\nLoad average when done (1, 5, 15 min): {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores.")


def measure(n: int, work: Path, runs: int) -> list[dict]:
    site = work / "site"
    if (site / "index.html").exists():
        print(f"N={n:,}: reusing {site}", file=sys.stderr, flush=True)
    else:
        write_records(work / "data", n, seed=n)
        start = time.perf_counter()
        build_site(site, work / "data")
        print(f"N={n:,}: site built in {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    region = max((site / "regions").glob("*/index.html"), key=lambda page: _markers(site, page))
    departement = max((site / "departements").glob("*/index.html"), key=lambda page: _markers(site, page))
    maps = (
        ("national /carte/", site / "carte" / "index.html"),
        (f"région {region.parent.name}", region),
        (f"département {departement.parent.name}", departement),
    )
    rows = []
    with _served(site) as base:
        for label, page in maps:
            url = base + str(page.parent.relative_to(site)) + "/"
            timings = [_load(url) for _ in range(runs)]
            rows.append(
                {
                    "n": n,
                    "map": label,
                    "markers": _markers(site, page),
                    **_bytes(site, page),
                    "ready_ms": statistics.median(t[0] for t in timings),
                    "toggle_ms": statistics.median(t[1] for t in timings),
                }
            )
            print(rows[-1], file=sys.stderr, flush=True)
    return rows


def _data_file(site: Path, page: Path) -> Path:
    """The first file the map fetches: its index of zones, or its markers."""
    return site / re.search(r'data-(?:zones|src)="([^"]+)"', page.read_text(encoding="utf-8")).group(1)


def _markers(site: Path, page: Path) -> int:
    data = _data_file(site, page)
    rows = json.loads(data.read_bytes())
    if data.name == "index.json":  # ZoneRows: code, name, lat, lon, counts…
        return sum(sum(zone[4]) for zone in rows)
    return len(rows)


def _bytes(site: Path, page: Path) -> dict:
    html, data = page.read_bytes(), _data_file(site, page).read_bytes()
    return {"raw": len(html) + len(data), "gz": len(gzip.compress(html)) + len(gzip.compress(data))}


def _load(url: str) -> tuple[float, float]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.route(
                "**/*",
                lambda route: (
                    route.continue_()
                    if route.request.url.startswith("http://127.0.0.1")
                    else route.fulfill(status=200, content_type="image/png", body=PNG)
                ),
            )
            page.goto(url)
            container = page.wait_for_selector("[data-pa-map][data-ready=true]", timeout=120_000)
            ready = page.evaluate("performance.getEntriesByName('passerelle-map-ready')[0].startTime")
            toggle = container.evaluate(TOGGLE)
            return ready, toggle if toggle is not None else float("nan")
        finally:
            browser.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass


class _served:
    def __init__(self, site: Path):
        handler = functools.partial(_QuietHandler, directory=str(site))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)

    def __enter__(self) -> str:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_port}/"

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def table(rows: list[dict]) -> str:
    lines = [
        "| N | map | places | HTML+first data (KB) | gzipped (KB) | B/place | B/place gz | time-to-usable (ms) | hide+show ESMS (ms) |",
        "|" + "---|" * 9,
    ]
    for r in rows:
        lines.append(
            f"| {r['n']:,} | {r['map']} | {r['markers']:,} | {r['raw'] / 1024:,.0f} | {r['gz'] / 1024:,.0f} "
            f"| {r['raw'] / r['markers']:.0f} | {r['gz'] / r['markers']:.1f} | {r['ready_ms']:,.0f} | {r['toggle_ms']:,.0f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()

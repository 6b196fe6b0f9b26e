"""Benchmark of the finder (/trouver/) at 1,000 and 50,000 synthetic records.

    python3 -m bench.finder [--sizes 1000 50000] [--runs 7]

For each size: synthetic records (bench/synthetic.py) are written to a temporary
folder, loaded and validated like real data, and the finder's data files are
generated from them (generator/finder.py). They replace the data folder of the
real site built once with MkDocs, so the page, its theme and its script are the
shipped ones; a MkDocs build of 50,000 record pages would only add minutes.
The site is served on 127.0.0.1 and opened in headless Debian Chromium.

Printed, as a Markdown table:
- bytes a visitor downloads for a typical search, gzipped (each file compressed
  at level 6, as a web server would): the whole page (HTML, CSS, scripts,
  Material's search index) and the finder's data alone;
- the time of one nearest query (performance.now() around the finder's search
  function), median of several runs: cold (a new finder, shards fetched from the
  local server) and warm (shards already in memory).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bench.synthetic import write_records
from generator.catalogue import load_catalogue
from generator.geo.gazetteer import Gazetteer
from generator.site.finder import DATA_FOLDER, finder_assets
from generator.site.model import SiteModel
from tests.browser.conftest import CHROMIUM_ARGS, CHROMIUM_PATH
from tests.sitebuild import build_site

SEARCHES = {
    "GEM près de 92260": ("?cp=92260&type=gem", {"cp": "92260", "type": "gem"}),
    "ESMS (SAVS) près de 13001": ("?cp=13001&type=esms&categorie=savs", {"cp": "13001", "type": "esms", "categorie": "savs"}),
    # Synthetic CLSM cover their commune: the search also reads the files of records serving a territory.
    "CLSM près de 92260": ("?cp=92260&type=clsm", {"cp": "92260", "type": "clsm"}),
}

TIME_QUERY = """async ([state, runs, cold]) => {
  const F = window.PasserelleFinder;
  const form = document.getElementById("pa-finder");
  const full = Object.assign(F.stateFromQuery(""), state);
  const times = [];
  let warm = new F.Finder(form);
  await warm.search(full);
  for (let i = 0; i < runs; i++) {
    const finder = cold ? new F.Finder(form) : warm;
    const start = performance.now();
    await finder.search(full);
    times.push(performance.now() - start);
  }
  return times;
}"""


def gzipped_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6))


def write_finder_data(site_dir: Path, n: int, seed: int, work: Path) -> float:
    """Replace the site's finder data with data generated from `n` synthetic records; return seconds."""
    data = work / f"data-{n}"
    write_records(data, n, seed)
    start = time.perf_counter()
    gazetteer = Gazetteer.load()
    site = SiteModel(load_catalogue(data, gazetteer), gazetteer)
    assets = finder_assets(site)
    elapsed = time.perf_counter() - start
    shutil.rmtree(site_dir / DATA_FOLDER, ignore_errors=True)
    for asset in assets:
        target = site_dir / asset.path
        target.parent.mkdir(parents=True, exist_ok=True)
        content = asset.content.encode("utf-8") if isinstance(asset.content, str) else asset.content
        target.write_bytes(content)
    return elapsed


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass


def serve(site_dir: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


def measure(browser, base: str, site_dir: Path, query: str, state: dict, runs: int) -> dict[str, float]:
    context = browser.new_context(locale="fr-FR", service_workers="block")
    context.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).hostname == "127.0.0.1" else route.abort())
    page = context.new_page()
    files: list[Path] = []
    page.on("requestfinished", lambda request: files.append(site_dir / _local_path(request.url)))
    page.goto(base + "trouver/" + query)
    page.wait_for_function("() => document.getElementById('pa-finder-status').textContent.trim() !== ''")
    page.wait_for_load_state("networkidle")
    sizes = {path: gzipped_size(path) for path in set(files) if path.is_file()}
    data = sum(size for path, size in sizes.items() if DATA_FOLDER in path.as_posix())
    status = page.locator("#pa-finder-status").inner_text()
    cold = page.evaluate(TIME_QUERY, [state, runs, True])
    warm = page.evaluate(TIME_QUERY, [state, runs, False])
    context.close()
    return {
        "total_kb": sum(sizes.values()) / 1024,
        "data_kb": data / 1024,
        "files": len(sizes),
        "cold_ms": statistics.median(cold),
        "warm_ms": statistics.median(warm),
        "status": status,
    }


def _local_path(url: str) -> str:
    path = unquote(urlsplit(url).path).lstrip("/")
    return path + "index.html" if path.endswith("/") or not path else path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 50_000])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="passerelle-bench-finder-") as tmp:
        work = Path(tmp)
        site_dir = build_site(work / "site")
        server, base = serve(site_dir)
        rows = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
            for n in args.sizes:
                build_s = write_finder_data(site_dir, n, args.seed, work)
                data_files = list((site_dir / DATA_FOLDER).rglob("*.json"))
                all_kb = sum(gzipped_size(p) for p in data_files) / 1024
                for label, (query, state) in SEARCHES.items():
                    result = measure(browser, base, site_dir, query, state, args.runs)
                    rows.append((n, label, result, build_s, len(data_files), all_kb))
            browser.close()
        server.shutdown()

    print("| records | search | page total (gzip) | finder data (gzip) | files | nearest query, cold | nearest query, warm | announced |")
    print("|---:|---|---:|---:|---:|---:|---:|---|")
    for n, label, r, _build, _count, _all in rows:
        print(
            f"| {n:,} | {label} | {r['total_kb']:.0f} KB | {r['data_kb']:.1f} KB | {r['files']} | {r['cold_ms']:.1f} ms | {r['warm_ms']:.1f} ms | {r['status']} |"
        )
    print()
    for n, _label, _r, build_s, count, all_kb in rows[:: len(SEARCHES)]:
        print(
            f"- {n:,} records: {count} data files, {all_kb:,.0f} KB gzipped in all; finder data generated in {build_s:.1f} s (load and validation included)."
        )


if __name__ == "__main__":
    main()

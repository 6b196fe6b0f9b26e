"""Benchmark of the site's search (Pagefind) against Material's lunr search with the records in it.

    python3 -m bench.search [--sizes 1000 50000] [--runs 5]

For each size, synthetic records (bench/synthetic.py) are built into a real site with
MkDocs (`tests/sitebuild.py`): the build ends with the Pagefind index (generator/site/search.py),
which is then rebuilt alone to time it. The site is served on 127.0.0.1 and opened in
headless Debian Chromium, each run in a fresh browser context (nothing cached).

- Pagefind, two fresh visits per run: a query typed on the ready search page (its
  script loaded Pagefind's WebAssembly and index entry with the page), timed from
  submitting to the results on screen; and a query arriving from the header's box
  (/recherche/?q=…), timed from the start of navigation, page load included. The
  bytes are those of that second visit: everything the search needs (Pagefind's files,
  the search script), and the whole page with it.
- Baseline, in the same run: Material's own search (lunr, in its web worker) with the
  same pages in its index. Material's SearchIndex builds `search_index.json` from each
  page's content, exactly as its plugin would if the record pages went through it; the
  time is from fetching the index to the worker's first answer.

Transfers count what a server compressing text (gzip level 6) would send: HTML, CSS, JS
and JSON are gzipped, Pagefind's own files are already compressed and count as they are.
Printed as a Markdown table with the ratios baseline / Pagefind.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import statistics
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote, unquote, urlsplit

from bench.finder import serve
from bench.synthetic import write_records
from generator.site.search import BUNDLE_FOLDER, write_search_index
from tests.browser.conftest import CHROMIUM_ARGS, CHROMIUM_PATH
from tests.sitebuild import build_site

QUERIES = ("lyon", "92", "gem")
TEXT_SUFFIXES = {".html", ".css", ".js", ".json", ".svg", ".xml", ""}
LUNR_INDEX = "bench-lunr/search_index.json"
# Material's French search settings (its plugin's defaults for `language: fr`).
LUNR_CONFIG = {
    "lang": ["fr"],
    "separator": r"[\s\-]+",
    "pipeline": ["stopWordFilter"],
    "fields": {"title": {"boost": 1e3}, "text": {"boost": 1e0}, "tags": {"boost": 1e6}},
}
_CONTENT = re.compile(r'<article class="md-content__inner md-typeset">(.*)</article>', re.S)
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)

PAGEFIND_QUERY = """async (query) => {
  const form = document.getElementById("pa-search");
  const status = document.getElementById("pa-search-status");
  const start = performance.now();
  const done = new Promise((resolve) => new MutationObserver((_, observer) => {
    if (status.textContent.includes(`« ${query} »`)) { observer.disconnect(); resolve(); }
  }).observe(status, { childList: true, characterData: true, subtree: true }));
  document.getElementById("pa-search-q").value = query;
  form.requestSubmit();
  await done;
  return { ms: performance.now() - start, results: status.textContent };
}"""

# Set before the page's scripts: the time (from the start of navigation) its results are announced.
ANSWERED = """
document.addEventListener("DOMContentLoaded", () => {
  const status = document.getElementById("pa-search-status");
  new MutationObserver(() => {
    if (window.__answered === undefined && status.textContent.includes("pour « ")) window.__answered = performance.now();
  }).observe(status, { childList: true, characterData: true, subtree: true });
});
"""

LUNR_QUERY = """async ([index, worker, query]) => {
  const start = performance.now();
  const data = await (await fetch(index)).json();
  const search = new Worker(worker);
  const answer = (message) => new Promise((resolve) => {
    search.onmessage = (event) => resolve(event.data);
    search.postMessage(message);
  });
  await answer({ type: 0, data });
  const found = await answer({ type: 2, data: query });
  const ms = performance.now() - start;
  search.terminate();
  return { ms, results: `${found.data.items.length} résultats` };
}"""


def transferred(site_dir: Path, urls: list[str]) -> int:
    total = 0
    for url in set(urls):
        path = site_dir / _local_path(url)
        if path.is_file():
            content = path.read_bytes()
            total += len(gzip.compress(content, compresslevel=6)) if path.suffix in TEXT_SUFFIXES else len(content)
    return total


def _local_path(url: str) -> str:
    path = unquote(urlsplit(url).path).lstrip("/")
    return path + "index.html" if path.endswith("/") or not path else path


def write_lunr_index(site_dir: Path) -> tuple[int, float]:
    """Material's search index of the pages Pagefind indexes; returns (documents, seconds)."""
    from material.plugins.search.plugin import SearchIndex

    start = time.perf_counter()
    index = SearchIndex(**LUNR_CONFIG)
    for html_file in sorted(site_dir.rglob("index.html")):
        html = html_file.read_text(encoding="utf-8")
        content = _CONTENT.search(html)
        if not content or "data-pagefind-body" not in content.group(1):
            continue
        url = html_file.parent.relative_to(site_dir).as_posix() + "/"
        title = _TITLE.search(html).group(1).split(" - ")[0]
        index.add_entry_from_context(SimpleNamespace(content=content.group(1), toc=[], url=url, meta={}, title=title))
    target = site_dir / LUNR_INDEX
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(index.generate_search_index(None), encoding="utf-8")
    return len(index.entries), time.perf_counter() - start


def measure_pagefind(browser, base: str, site_dir: Path, query: str) -> dict:
    """Two fresh visits: a query typed on the ready search page, and a query arriving from the
    header's box (/recherche/?q=…, timed from the start of navigation)."""
    context, requests = _context(browser)
    page = context.new_page()
    page.goto(base + "recherche/", wait_until="networkidle")
    typed = page.evaluate(PAGEFIND_QUERY, query)
    context.close()
    context, requests = _context(browser)
    page = context.new_page()
    page.add_init_script(ANSWERED)
    page.goto(f"{base}recherche/?q={quote(query)}")
    page.wait_for_function("() => window.__answered !== undefined")
    arrived_ms = page.evaluate("window.__answered")
    page.wait_for_load_state("networkidle")
    context.close()
    search_files = [url for url in requests if f"/{BUNDLE_FOLDER}/" in url or url.endswith("passerelle-search.js")]
    program = [url for url in search_files if url.endswith((".js", ".pagefind"))]
    return {
        "program_kb": transferred(site_dir, program) / 1024,
        "meta_kb": transferred(site_dir, [url for url in search_files if url.endswith(".pf_meta")]) / 1024,
        "typed_ms": typed["ms"],
        "arrived_ms": arrived_ms,
        "results": typed["results"],
        "search_kb": transferred(site_dir, search_files) / 1024,
        "page_kb": transferred(site_dir, requests) / 1024,
    }


def _context(browser):
    """A fresh context (empty cache) that logs every request, the workers' included."""
    context = browser.new_context(locale="fr-FR", service_workers="block")
    context.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).hostname == "127.0.0.1" else route.abort())
    requests: list[str] = []
    context.on("requestfinished", lambda request: requests.append(request.url))
    return context, requests


def measure_lunr(browser, base: str, site_dir: Path, query: str) -> dict:
    context, requests = _context(browser)
    page = context.new_page()
    page.goto(base + "recherche/", wait_until="networkidle")
    before = len(requests)
    worker = next((site_dir / "assets/javascripts/workers").glob("search.*.min.js")).relative_to(site_dir).as_posix()
    result = page.evaluate(LUNR_QUERY, [base + LUNR_INDEX, base + worker, query])
    context.close()
    return {**result, "search_kb": transferred(site_dir, requests[before:]) / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 50_000])
    parser.add_argument("--runs", type=int, default=5, help="fresh-context runs per query for Pagefind (lunr: --lunr-runs)")
    parser.add_argument("--lunr-runs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    rows, notes = [], []
    with tempfile.TemporaryDirectory(prefix="passerelle-bench-search-") as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        for n in args.sizes:
            work = Path(tmp) / str(n)
            write_records(work / "data", n, args.seed)
            start = time.perf_counter()
            site_dir = build_site(work / "site", data_dir=work / "data", site_url="")
            build_s = time.perf_counter() - start
            pagefind = write_search_index(site_dir)
            bundle = site_dir / BUNDLE_FOLDER
            pagefind_mb = sum(f.stat().st_size for f in bundle.rglob("*") if f.is_file()) / 2**20
            documents, lunr_s = write_lunr_index(site_dir)
            lunr_mb = len(gzip.compress((site_dir / LUNR_INDEX).read_bytes(), compresslevel=6)) / 2**20
            notes.append(
                f"- {n:,} records: site built in {build_s:.0f} s, of which Pagefind indexed {pagefind.pages:,} pages in "
                f"{pagefind.seconds:.1f} s ({pagefind_mb:.1f} MB on disk, in small files); Material's index of the same pages "
                f"({documents:,} sections) built in {lunr_s:.0f} s, {lunr_mb:.1f} MB gzipped, all downloaded by the first query."
            )
            server, base = serve(site_dir)
            for query in QUERIES:
                found = [measure_pagefind(browser, base, site_dir, query) for _ in range(args.runs)]
                baseline = [measure_lunr(browser, base, site_dir, query) for _ in range(args.lunr_runs)]
                rows.append((n, query, found, baseline))
            server.shutdown()
        browser.close()

    print(
        "| records | query | Pagefind: typed on /recherche/ | Pagefind: from the header box (page load included) "
        "| Pagefind: search transfer | whole page + search | Material lunr: first query | lunr: transfer | time ratio | transfer ratio | answer |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    breakdown: dict[int, tuple[float, float]] = {}
    for n, query, found, baseline in rows:
        typed, arrived, kb, page_kb = (
            statistics.median(r[key] for r in found) for key in ("typed_ms", "arrived_ms", "search_kb", "page_kb")
        )
        best_typed, best_arrived = (min(r[key] for r in found) for key in ("typed_ms", "arrived_ms"))
        lunr_ms, lunr_kb = (statistics.median(r[key] for r in baseline) for key in ("ms", "search_kb"))
        print(
            f"| {n:,} | « {query} » | {typed:.0f} ms (best {best_typed:.0f}) | {arrived:.0f} ms (best {best_arrived:.0f}) | {kb:.0f} KB "
            f"| {page_kb:.0f} KB | {lunr_ms:,.0f} ms | {lunr_kb:,.0f} KB | ×{lunr_ms / typed:.0f} | ×{lunr_kb / kb:.0f} | {found[0]['results']} |"
        )
        breakdown[n] = (statistics.median(r["program_kb"] for r in found), statistics.median(r["meta_kb"] for r in found))
    print()
    print("\n".join(notes))
    for n, (program_kb, meta_kb) in breakdown.items():
        print(
            f"- Pagefind's transfer at {n:,} records: {program_kb:.0f} KB of program (pagefind.js, its worker, the WebAssembly), "
            f"{meta_kb:.0f} KB of page table (pagefind.*.pf_meta, which grows with the number of pages), the rest index chunks and excerpts."
        )
    print(
        f"\nPagefind: median (and best) of {args.runs} fresh-context runs; lunr: median of {args.lunr_runs}. Load average: {os.getloadavg()}."
    )


if __name__ == "__main__":
    main()

"""Benchmark of the site's search (its own cut index) against Material's lunr search of the same documents.

    python3 -m bench.search [--sizes 1000 10000 50000] [--runs 5]

For each size, synthetic records (bench/synthetic.py) are built into a real site with
MkDocs (`tests/sitebuild.py`): the build ends with the search index
(generator/build/search_index.py), which is then rewritten alone to time it. The site is
served on 127.0.0.1 and opened in headless Debian Chromium, each run in a fresh browser
context (nothing cached).

- The site's search, two fresh visits per run: a query typed on the ready search page
  (its script fetched the index entry with the page), timed from submitting to the
  results on screen; and a query arriving from the header's box (/recherche/#q=…), timed
  from the start of navigation, page load included. The bytes are those of that second
  visit: everything the search needs (the search script, the index entry, the word files
  of the query, the document files of the first results page), and the whole page with it.
- Baselines, in the same run: Material's own search (lunr, in its web worker) with the
  same documents in its index (Material's SearchIndex, as its plugin would build it), timed
  from fetching the index to the worker's first answer; and the same cut index as one file
  (its size only: what a first query would download if the index were not cut).

Transfers count what a server compressing text (gzip level 6) would send.
Printed as a Markdown table with the ratios baseline / site search.
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import tempfile
import time
from html import escape
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote, unquote, urlsplit

from bench.finder import serve
from bench.synthetic import write_records
from generator.build.search_index import site_documents, write_index
from generator.catalogue import load_catalogue
from generator.geo.gazetteer import Gazetteer
from generator.site.features import build_pages
from generator.site.model import SiteModel
from generator.site.search import BUNDLE_FOLDER, SearchDocument
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

SEARCH_QUERY = """async (query) => {
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


def write_lunr_index(site_dir: Path, documents: list[SearchDocument]) -> float:
    """Material's search index of the same documents; returns the seconds it took."""
    from material.plugins.search.plugin import SearchIndex

    start = time.perf_counter()
    index = SearchIndex(**LUNR_CONFIG)
    for document in documents:
        content = f"<p>{escape(document.about)} {escape(document.keywords)}</p><p>{escape(document.text)}</p>"
        index.add_entry_from_context(SimpleNamespace(content=content, toc=[], url=document.url, meta={}, title=document.title))
    target = site_dir / LUNR_INDEX
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(index.generate_search_index(None), encoding="utf-8")
    return time.perf_counter() - start


def measure_search(browser, base: str, site_dir: Path, query: str) -> dict:
    """Two fresh visits: a query typed on the ready search page, and a query arriving from the
    header's box (/recherche/#q=…, timed from the start of navigation)."""
    context, requests = _context(browser)
    page = context.new_page()
    page.goto(base + "recherche/", wait_until="networkidle")
    typed = page.evaluate(SEARCH_QUERY, query)
    context.close()
    context, requests = _context(browser)
    page = context.new_page()
    page.add_init_script(ANSWERED)
    page.goto(f"{base}recherche/#q={quote(query)}")
    page.wait_for_function("() => window.__answered !== undefined")
    arrived_ms = page.evaluate("window.__answered")
    page.wait_for_load_state("networkidle")
    context.close()
    search_files = [url for url in requests if f"/{BUNDLE_FOLDER}/" in url or url.endswith(("passerelle-search.js", "passerelle-words.js"))]
    return {
        "program_kb": transferred(site_dir, [url for url in search_files if url.endswith(".js")]) / 1024,
        "words_kb": transferred(site_dir, [url for url in search_files if f"/{BUNDLE_FOLDER}/mots/" in url]) / 1024,
        "documents_kb": transferred(site_dir, [url for url in search_files if f"/{BUNDLE_FOLDER}/fiches/" in url]) / 1024,
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


def index_documents(site_dir: Path, data_dir: Path) -> list[SearchDocument]:
    """The documents the build indexed, from the same data and the built pages."""
    gazetteer = Gazetteer.load()
    site = SiteModel(load_catalogue(data_dir, gazetteer), gazetteer)
    return site_documents(site_dir, site, {page.url for page in build_pages(site) if page.bulk})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 50_000])
    parser.add_argument("--runs", type=int, default=5, help="fresh-context runs per query for the site search (lunr: --lunr-runs)")
    parser.add_argument("--lunr-runs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, help="build in this folder and keep the sites; a site already built there is reused")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    rows, notes = [], []
    with tempfile.TemporaryDirectory(prefix="passerelle-bench-search-") as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        for n in args.sizes:
            work = (args.work or Path(tmp)) / str(n)
            site_dir, built = work / "site", "reused"
            if not (site_dir / "index.html").is_file():
                write_records(work / "data", n, args.seed)
                start = time.perf_counter()
                build_site(site_dir, data_dir=work / "data", site_url="")
                built = f"built in {time.perf_counter() - start:.0f} s"
            documents = index_documents(site_dir, work / "data")
            start = time.perf_counter()
            write_index(site_dir, documents)
            index_s = time.perf_counter() - start
            files = [f for f in (site_dir / BUNDLE_FOLDER).rglob("*") if f.is_file()]
            whole_kb = len(gzip.compress(b"".join(f.read_bytes() for f in files), compresslevel=6)) / 1024
            lunr_s = write_lunr_index(site_dir, documents)
            lunr_kb = len(gzip.compress((site_dir / LUNR_INDEX).read_bytes(), compresslevel=6)) / 1024
            notes.append(
                f"- {n:,} records: site {built}; the search index of its {len(documents):,} documents written in "
                f"{index_s:.1f} s ({len(files):,} files, {sum(f.stat().st_size for f in files) / 2**20:.1f} MB on disk, "
                f"{whole_kb:,.0f} KB gzipped as one file); Material's index of the same documents built in {lunr_s:.0f} s, "
                f"{lunr_kb:,.0f} KB gzipped, all downloaded by the first query."
            )
            server, base = serve(site_dir)
            for query in QUERIES:
                found = [measure_search(browser, base, site_dir, query) for _ in range(args.runs)]
                baseline = [measure_lunr(browser, base, site_dir, query) for _ in range(args.lunr_runs)]
                rows.append((n, query, found, baseline, whole_kb))
            server.shutdown()
        browser.close()

    print(
        "| records | query | typed on /recherche/ | from the header box (page load included) | search transfer "
        "| of which program / words / documents | whole page + search | index as one file | Material lunr: first query "
        "| lunr: transfer | time ratio | transfer ratio (lunr, one file) | answer |"
    )
    print("|---:|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|")
    for n, query, found, baseline, whole_kb in rows:
        typed, arrived, kb, page_kb, program_kb, words_kb, documents_kb = (
            statistics.median(r[key] for r in found)
            for key in ("typed_ms", "arrived_ms", "search_kb", "page_kb", "program_kb", "words_kb", "documents_kb")
        )
        best_typed, best_arrived = (min(r[key] for r in found) for key in ("typed_ms", "arrived_ms"))
        lunr_ms, lunr_kb = (statistics.median(r[key] for r in baseline) for key in ("ms", "search_kb"))
        print(
            f"| {n:,} | « {query} » | {typed:.0f} ms (best {best_typed:.0f}) | {arrived:.0f} ms (best {best_arrived:.0f}) | {kb:.0f} KB "
            f"| {program_kb:.0f} / {words_kb:.0f} / {documents_kb:.0f} KB | {page_kb:.0f} KB | {whole_kb:,.0f} KB | {lunr_ms:,.0f} ms "
            f"| {lunr_kb:,.0f} KB | ×{lunr_ms / typed:.0f} | ×{lunr_kb / kb:.0f}, ×{whole_kb / kb:.0f} | {found[0]['results']} |"
        )
    print()
    print("\n".join(notes))
    print(
        f"\nSite search: median (and best) of {args.runs} fresh-context runs; lunr: median of {args.lunr_runs}. Load average: {os.getloadavg()}."
    )


if __name__ == "__main__":
    main()

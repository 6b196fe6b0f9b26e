"""Lighthouse scores of every page type of the built site, served gzipped as GitHub Pages serves it.

    python3 -m bench.lighthouse                      # the shipped data, phone (Lighthouse's default)
    python3 -m bench.lighthouse --records 10000      # N synthetic records (named SYNTHÉTIQUE)
    python3 -m bench.lighthouse --desktop            # phone, then desktop
    python3 -m bench.lighthouse --only carte,trouver # some page types

Target (issue #16): performance ≥ 95, accessibility 100, best practices 100 on every
page type, map tiles excluded. Builds the site into a temporary folder, serves it on
127.0.0.1 with text responses gzipped (Content-Encoding: gzip) and missing paths
answered by 404.html, and runs Lighthouse 12.2.3 with Debian's Chromium on one address
of every page type, each `--runs` times: the median performance score (runs are noisy
on a shared machine), the other categories' lowest. The tile server is blocked
(`--blocked-url-patterns`), so no request leaves the machine. The page sent for a missing
address is measured at /404.html: Lighthouse does not audit an answer with status 404.
Lighthouse is installed with npm into ~/.cache/passerelle-bench/lighthouse if missing
(the only network access, at the first run). Prints a Markdown table, with the
failing audits of every score under target; figures, not test assertions.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import mimetypes
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from bench.synthetic import write_records
from tests.browser.gate import first_record_link
from tests.sitebuild import ROOT, build_site

LIGHTHOUSE_VERSION = "12.2.3"
LIGHTHOUSE_HOME = Path.home() / ".cache" / "passerelle-bench" / "lighthouse"
CHROME_PATH = "/usr/bin/chromium"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100}
# Responses GitHub Pages compresses: everything but images and already-compressed files.
TEXT_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml", "application/manifest+json")


# --- The server -----------------------------------------------------------------------------
class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """A static site as GitHub Pages serves it: gzipped text, 404.html for a missing path, ten-minute cache."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the redirection to the folder's address
            path = path / "index.html"
        status = 200
        if not path.is_file():
            path, status = Path(self.directory) / "404.html", 404
        body = path.read_bytes()
        content_type = self.guess_type(str(path))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if content_type.startswith(TEXT_TYPES) and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, 6)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return _Body(body)

    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass


class _Body:
    """The file-like object `SimpleHTTPRequestHandler.do_GET` copies to the socket."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int = -1) -> bytes:
        data, self.data = (self.data, b"") if size < 0 else (self.data[:size], self.data[size:])
        return data

    def close(self) -> None:
        pass


def serve(site: Path) -> http.server.ThreadingHTTPServer:
    """Serve `site` on a free port of 127.0.0.1 from a background thread."""
    mimetypes.add_type("application/javascript", ".js")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# --- The pages ------------------------------------------------------------------------------
def _heaviest(folder: Path) -> str:
    return max(folder.glob("*/index.html"), key=lambda page: page.stat().st_size).parent.name


def page_types(site: Path) -> dict[str, str]:
    """One address (path and query) of every page type of the built `site`, by page type; the record is
    the first of the GEM list (a record with a map), the territories the heaviest of their kind (the most records)."""
    record = first_record_link(site / "gem" / "index.html") or next((site / "structures").glob("*/index.html")).parent.name
    record = record.removeprefix("structures/").strip("/")
    departement = _heaviest(site / "departements")
    region = _heaviest(site / "regions")
    return {
        "accueil": "/",
        "fiche": f"/structures/{record}/",
        "fiche facile à lire": f"/facile/structures/{record}/",
        "liste d'un type": "/gem/",
        "département": f"/departements/{departement}/",
        "région": f"/regions/{region}/",
        "territoires": "/regions/",
        "trouver": "/trouver/",
        "trouver, réponse": "/trouver/?type=gem&cp=75011",
        "carte": "/carte/",
        "orientation": "/orientation/",
        "guide": "/guides/gem/",
        "guide facile à lire": "/facile/",
        "observatoire": "/observatoire/",
        "fraîcheur": "/observatoire/fraicheur/",
        "données": "/donnees/",
        "recherche": "/recherche/#q=entraide",
        "sélection": "/selection/",
        "proposer": "/proposer/",
        "à propos": "/a-propos/",
        # Lighthouse does not audit an answer with status 404 (ERRORED_DOCUMENT_REQUEST): the page that
        # GitHub Pages sends for a missing address is measured at its own address, answered with 200.
        "404": "/404.html",
    }


# --- Lighthouse -----------------------------------------------------------------------------
def lighthouse_cli() -> Path:
    """Lighthouse's command-line script, installed with npm into the benchmark's cache if missing."""
    cli = LIGHTHOUSE_HOME / "node_modules" / "lighthouse" / "cli" / "index.js"
    package = cli.parents[1] / "package.json"
    if not package.is_file() or json.loads(package.read_text(encoding="utf-8"))["version"] != LIGHTHOUSE_VERSION:
        LIGHTHOUSE_HOME.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "i", "-E", f"lighthouse@{LIGHTHOUSE_VERSION}", "--prefix", str(LIGHTHOUSE_HOME)], check=True)
    return cli


def run_lighthouse(cli: Path, url: str, blocked: list[str], desktop: bool, report: Path) -> dict:
    """One Lighthouse run of `url`: its JSON report (also written to `report`)."""
    command = [
        "node",
        str(cli),
        url,
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--quiet",
        *(f"--blocked-url-patterns={pattern}" for pattern in blocked),
        *(["--preset=desktop"] if desktop else []),
    ]
    subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROME_PATH}, stdout=subprocess.DEVNULL)
    result = json.loads(report.read_text(encoding="utf-8")) if report.is_file() else {}
    if "categories" not in result or result.get("runtimeError"):
        raise LighthouseError(f"{url}: {result.get('runtimeError', {}).get('message', 'no report')}")
    return result


class LighthouseError(Exception):
    """A run that gave no scores (the page did not load, Chromium did not start…)."""


@dataclass
class PageScores:
    """A page type's scores over its runs: the median performance, the other categories' lowest."""

    page: str
    path: str
    runs: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def score(self, category: str) -> int | None:
        scores = [round(100 * (run["categories"][category]["score"] or 0)) for run in self.runs]
        if not scores:
            return None
        return int(statistics.median(scores)) if category == "performance" else min(scores)

    def failing(self) -> list[str]:
        """The audits under target, from the run of median performance: for performance its metrics under 90
        and the opportunities it found, elsewhere every failed audit."""
        if not self.runs:
            return []
        run = sorted(self.runs, key=lambda r: r["categories"]["performance"]["score"] or 0)[len(self.runs) // 2]
        ids = []
        for category, target in TARGETS.items():
            if self.score(category) >= target:
                continue
            for ref in run["categories"][category]["auditRefs"]:
                audit = run["audits"][ref["id"]]
                if audit["score"] is None or audit["score"] >= (0.9 if category == "performance" else 1):
                    continue
                if category != "performance" or ref["weight"] > 0 or audit.get("details", {}).get("overallSavingsMs", 0) > 0:
                    ids.append(_audit_label(audit))
        return ids


def _audit_label(audit: dict) -> str:
    value = audit.get("displayValue")
    return f"{audit['id']} ({value})" if value and audit.get("scoreDisplayMode") == "numeric" else audit["id"]


def measure(site: Path, runs: int, desktop: bool, only: set[str] | None, tile_host: str, reports: Path) -> list[PageScores]:
    """Lighthouse scores of every page type of `site`, served gzipped, `runs` times each; JSON reports into `reports`."""
    cli = lighthouse_cli()
    server = serve(site)
    base = f"http://127.0.0.1:{server.server_port}"
    results = []
    try:
        for number, (page, path) in enumerate(page_types(site).items()):
            if only and page not in only and path.strip("/").split("/")[0] not in only:
                continue
            scores = PageScores(page, path)
            for run in range(runs):
                report = reports / f"{'desktop' if desktop else 'phone'}-{number:02d}-{run}.json"
                try:
                    scores.runs.append(run_lighthouse(cli, base + path, [f"*{tile_host}*"], desktop, report))
                except LighthouseError as error:
                    scores.errors.append(str(error))
            print(f"{page}: {[scores.score(c) for c in CATEGORIES]}", flush=True, file=sys.stderr)
            results.append(scores)
    finally:
        server.shutdown()
        server.server_close()
    return results


def table(results: list[PageScores], title: str) -> str:
    lines = [
        f"### {title}",
        "",
        "| page type | address | performance | accessibility | best practices | SEO | under target |",
        "|---|---|---|---|---|---|---|",
    ]
    for scores in results:
        figures = " | ".join("—" if scores.score(c) is None else str(scores.score(c)) for c in CATEGORIES)
        lines.append(f"| {scores.page} | `{scores.path}` | {figures} | {', '.join(scores.failing() + scores.errors)} |")
    return "\n".join(lines)


def tile_host() -> str:
    """The map tiles' host, from the repository's mkdocs.yml."""
    raw = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    options = next(p["passerelle"] for p in raw["plugins"] if isinstance(p, dict) and "passerelle" in p)
    return urlsplit(options["tile_url"]).hostname


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, help="N synthetic records instead of the shipped data")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs of every address (median performance)")
    parser.add_argument("--desktop", action="store_true", help="also measure with Lighthouse's desktop preset")
    parser.add_argument("--only", help="comma-separated page types or first path segments")
    parser.add_argument("--site", type=Path, help="measure this built site instead of building one")
    parser.add_argument("--reports", type=Path, help="keep Lighthouse's JSON reports in this folder")
    arguments = parser.parse_args()
    only = set(arguments.only.split(",")) if arguments.only else None
    load_at_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="passerelle-lighthouse-") as tmp:
        site = arguments.site or _build(Path(tmp), arguments.records)
        reports = arguments.reports or Path(tmp) / "reports"
        reports.mkdir(parents=True, exist_ok=True)
        tables = [table(measure(site, arguments.runs, False, only, tile_host(), reports), "Phone (Lighthouse's default)")]
        if arguments.desktop:
            tables.append(table(measure(site, arguments.runs, True, only, tile_host(), reports), "Desktop (--preset=desktop)"))
    if arguments.site:
        data = f"the site in {arguments.site}"
    else:
        data = f"{arguments.records:,} synthetic records" if arguments.records else "the shipped data"
    print(f"Lighthouse {LIGHTHOUSE_VERSION}, {CHROME_PATH}, {data}, {arguments.runs} runs per address")
    print(f"load average (1 min) at the start {load_at_start:.1f}, at the end {os.getloadavg()[0]:.1f}, on {os.cpu_count()} cores\n")
    print("\n\n".join(tables))


def _build(work: Path, records: int | None) -> Path:
    data = None
    if records:
        data = work / "data"
        write_records(data, records, seed=1)
    return build_site(work / "site", data, strict=False)


if __name__ == "__main__":
    main()

"""Build-time benchmark: the full Passerelle site against a bare MkDocs-Material site.

    python3 -m bench.run                 # N = 1,000, 10,000 and 50,000
    python3 -m bench.run 1000 10000      # chosen sizes

For each N, in the same process tree and on the same machine:
(a) the full Passerelle build of N synthetic records, every feature on;
(b) a baseline: bare MkDocs-Material, N Markdown pages of the same size, out
    of the navigation, no plugin but search.
Each build runs in its own child process, which reports its time, the processor
time it used (its own and its workers': on a machine shared with other work, the
figure that does not depend on the others) and its peak memory.
Prints a Markdown table; the figures are measurements, not test assertions.
The finder's transfer per search is measured in a browser by `python3 -m bench.finder`.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from bench.synthetic import write_records

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000, 50000])
    parser.add_argument("--keep", type=Path, help="keep the built sites under this folder")
    arguments = parser.parse_args()
    rows = []
    for n in arguments.sizes:
        with tempfile.TemporaryDirectory(prefix=f"passerelle-bench-{n}-") as tmp:
            work = arguments.keep / str(n) if arguments.keep else Path(tmp)
            work.mkdir(parents=True, exist_ok=True)
            rows.append(measure(n, work))
            print(_row(rows[-1]), file=sys.stderr, flush=True)
    print(machine())
    print()
    print(table(rows))


def measure(n: int, work: Path) -> dict:
    data = work / "data"
    write_records(data, n, seed=n)
    full = _child("full", data, work / "site")
    baseline_docs = write_baseline_docs(work / "baseline", work / "site", n)
    baseline = _child("baseline", baseline_docs, work / "baseline-site")
    site = work / "site"
    return {
        "n": n,
        "full_s": full["seconds"],
        "full_cpu_s": full["cpu_seconds"],
        "full_mb": full["peak_mb"],
        "base_s": baseline["seconds"],
        "base_cpu_s": baseline["cpu_seconds"],
        "base_mb": baseline["peak_mb"],
        "record_page_kb": record_page_transfer(site) / 1024,
        "map_bytes_per_marker": map_bytes_per_marker(site, n),
    }


def _child(kind: str, source: Path, out: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "bench.run_child", kind, str(source), str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    if result.returncode:
        raise SystemExit(f"{kind} build failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def build_in_this_process(kind: str, source: Path, out: Path) -> dict:
    """Run one build here; called in a child process by `bench.run_child`."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    if kind == "full":
        from tests.sitebuild import build_site

        cpu_before, start = time.process_time(), time.perf_counter()
        build_site(out, data_dir=source)
    else:
        config = load_config(str(source / "mkdocs.yml"))
        cpu_before, start = time.process_time(), time.perf_counter()
        build(config)
    seconds = time.perf_counter() - start
    # The record pages are written by forked workers: count their time, and the largest of them too.
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    cpu_seconds = sum(u.ru_utime + u.ru_stime for u in usage) - cpu_before
    return {"seconds": seconds, "cpu_seconds": cpu_seconds, "peak_mb": max(u.ru_maxrss for u in usage) / 1024}


def write_baseline_docs(folder: Path, full_site: Path, n: int) -> Path:
    """N Markdown pages as long as the full site's record pages' main text."""
    sample = next((full_site / "structures").glob("*/index.html"))
    main = re.search(r"<article.*?</article>", sample.read_text(encoding="utf-8"), re.S)
    words = re.sub(r"<[^>]+>", " ", main.group(0) if main else "").split()
    body = "\n\n".join(" ".join(words[i : i + 40]) for i in range(0, len(words), 40))
    docs = folder / "docs"
    (docs / "pages").mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text("# Accueil\n", encoding="utf-8")
    for index in range(n):
        (docs / "pages" / f"page-{index:06d}.md").write_text(f"# Page {index}\n\n{body}\n", encoding="utf-8")
    config = {
        "site_name": "Baseline",
        "docs_dir": str(docs),
        "site_dir": str(folder.parent / "baseline-site"),
        "theme": {"name": "material", "language": "fr", "font": False},
        "plugins": [{"search": {"lang": "fr"}}],
        "nav": [{"Accueil": "index.md"}],
    }
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return folder


def record_page_transfer(site: Path) -> float:
    """Median gzipped bytes of a record page with the CSS and JS it loads (tiles excluded)."""
    pages = sorted((site / "structures").glob("*/index.html"))[:50]
    totals = []
    for page in pages:
        html = page.read_text(encoding="utf-8")
        total = len(gzip.compress(html.encode("utf-8")))
        for reference in re.findall(r'(?:href|src)="([^"]+\.(?:css|js))"', html):
            asset = (page.parent / reference).resolve()
            if asset.is_file():
                total += len(gzip.compress(asset.read_bytes()))
        totals.append(total)
    totals.sort()
    return totals[len(totals) // 2]


def map_bytes_per_marker(site: Path, n: int) -> float:
    """Gzipped bytes of the national map's page and marker data, per marker."""
    page = site / "carte" / "index.html"
    if not page.exists():
        return float("nan")
    html = page.read_text(encoding="utf-8")
    data = [p for p in (site / "carte").rglob("*.json")] + [p for p in site.glob("assets/**/carte*.json")]
    total = len(gzip.compress(html.encode("utf-8"))) + sum(len(gzip.compress(p.read_bytes())) for p in data)
    return total / n


def machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), "?"
    )
    return f"Machine: {platform.platform()}, {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}"


HEADER = (
    "| N | full build (s) | ms/record | CPU ms/record | peak MB | baseline (s) | baseline ms/page | baseline CPU ms/page "
    "| baseline MB | ratio full/baseline | record page (KB gz) | map B/marker (gz) |\n|" + "---|" * 12
)


def _row(r: dict) -> str:
    return (
        f"| {r['n']:,} | {r['full_s']:.1f} | {r['full_s'] / r['n'] * 1000:.2f} | {r['full_cpu_s'] / r['n'] * 1000:.2f} | {r['full_mb']:.0f} "
        f"| {r['base_s']:.1f} | {r['base_s'] / r['n'] * 1000:.2f} | {r['base_cpu_s'] / r['n'] * 1000:.2f} | {r['base_mb']:.0f} "
        f"| {r['full_s'] / r['base_s']:.2f} | {r['record_page_kb']:.0f} | {r['map_bytes_per_marker']:.1f} |"
    )


def table(rows: list[dict]) -> str:
    lines = [HEADER, *(_row(r) for r in rows)]
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        flatness = (last["full_s"] / last["n"]) / (first["full_s"] / first["n"])
        lines.append(f"\nPer-record cost, {last['n']:,} ÷ {first['n']:,}: {flatness:.2f}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()

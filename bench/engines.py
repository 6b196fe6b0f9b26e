"""The same site built by both engines, in one run: Zensical's cost against MkDocs'.

    python3 -m bench.engines             # 10,000 synthetic records, 3 runs per engine
    python3 -m bench.engines 1000 10000  # chosen sizes
    python3 -m bench.engines --runs 5

For each N, N synthetic records (bench/synthetic.py) are built by `passerelle
build`'s pipeline (tests/sitebuild.py: the repository's configuration, every
feature on) with MkDocs-Material and with Zensical, in turns, each build in its
own child process that reports its wall-clock time, its CPU time (its own and its
children's: the bulk-page workers, Zensical's process) and its peak memory. On a
shared machine the wall-clock time moves with the load; the CPU time much less.
Prints a Markdown table of medians with the ratios Zensical ÷ MkDocs; figures,
not test assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.run import machine
from bench.synthetic import write_records
from generator.records.cache import CACHE_ENV

ROOT = Path(__file__).resolve().parents[1]
ENGINES = ("mkdocs", "zensical")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10000])
    parser.add_argument("--runs", type=int, default=3, help="builds per engine (medians are reported)")
    parser.add_argument("--child", nargs=3, metavar=("ENGINE", "DATA", "SITE"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        engine, data, site = arguments.child
        print(json.dumps(build_here(engine, Path(data), Path(site))))
        return
    rows = []
    for n in arguments.sizes:
        with tempfile.TemporaryDirectory(prefix=f"passerelle-engines-{n}-") as tmp:
            rows.append(measure(n, Path(tmp), arguments.runs))
            print(row(rows[-1]), file=sys.stderr, flush=True)
    print(machine())
    print(f"Medians of {arguments.runs} build(s) per engine, in turns.")
    print()
    print(table(rows))


def measure(n: int, work: Path, runs: int) -> dict:
    write_records(work / "data", n, seed=n)
    builds: dict[str, list[dict]] = {engine: [] for engine in ENGINES}
    for _ in range(runs):
        for engine in ENGINES:  # in turns, so that a change of load touches both
            builds[engine].append(_child(engine, work / "data", work / engine / "site"))
    result: dict = {"n": n, "runs": runs}
    for engine, figures in builds.items():
        result[engine] = {key: statistics.median(f[key] for f in figures) for key in figures[0]}
        result[engine]["pages"] = sum(1 for _ in (work / engine / "site").rglob("*.html"))
    return result


def _child(engine: str, data: Path, site: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "bench.engines", "--child", engine, str(data), str(site)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        # Each build from a cold start: no cache of validated records (generator/records/cache.py).
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", CACHE_ENV: tempfile.mkdtemp(dir=site.parent.parent)},
    )
    if done.returncode:
        raise SystemExit(f"{engine} build failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def build_here(engine: str, data: Path, site: Path) -> dict:
    from tests.sitebuild import build_site

    start, cpu_start = time.perf_counter(), _cpu_seconds()
    build_site(site, data_dir=data, engine=engine)
    seconds, cpu = time.perf_counter() - start, _cpu_seconds() - cpu_start
    # Bulk pages are written by forked workers, and Zensical runs in a child process: count them too.
    peak_mb = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024
    return {"seconds": seconds, "cpu_seconds": cpu, "peak_mb": peak_mb}


def _cpu_seconds() -> float:
    return sum(usage.ru_utime + usage.ru_stime for usage in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))


HEADER = (
    "| N | pages | MkDocs wall (s) | MkDocs CPU (s) | MkDocs peak MB | Zensical wall (s) | Zensical CPU (s) | Zensical peak MB "
    "| Zensical ÷ MkDocs, wall | Zensical ÷ MkDocs, CPU |\n|" + "---|" * 10
)


def row(r: dict) -> str:
    mkdocs, zensical = r["mkdocs"], r["zensical"]
    return (
        f"| {r['n']:,} | {mkdocs['pages']:,} | {mkdocs['seconds']:.1f} | {mkdocs['cpu_seconds']:.1f} | {mkdocs['peak_mb']:.0f} "
        f"| {zensical['seconds']:.1f} | {zensical['cpu_seconds']:.1f} | {zensical['peak_mb']:.0f} "
        f"| {zensical['seconds'] / mkdocs['seconds']:.2f} | {zensical['cpu_seconds'] / mkdocs['cpu_seconds']:.2f} |"
    )


def table(rows: list[dict]) -> str:
    return "\n".join([HEADER, *(row(r) for r in rows)])


if __name__ == "__main__":
    main()

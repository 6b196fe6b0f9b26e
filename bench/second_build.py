"""A second build, one record changed, against the first: what the cache of validated records saves.

    python3 -m bench.second_build            # 20,000 synthetic records
    python3 -m bench.second_build 1000 20000
    python3 -m bench.second_build --engine zensical

For each N, in the same run, each step in its own process (bench/run.py's `child`):
1. `passerelle validate` from a cold start (an empty cache of validated records,
   generator/records/cache.py), then again with the cache it filled;
2. the full build from a cold start, then, one record changed, the build again
   with the cache the first build filled.
Prints the times and the ratios warm ÷ cold; figures, not test assertions.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench.run import child, load, machine, over_sizes
from bench.synthetic import write_records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[20000])
    parser.add_argument("--engine", default="mkdocs", choices=("mkdocs", "zensical"))
    arguments = parser.parse_args()
    print(f"{machine()}\nLoad before: {load()}", file=sys.stderr, flush=True)
    rows = over_sizes(arguments.sizes, "second", lambda n, work: measure(n, work, arguments.engine), _row)
    print(machine())
    print(f"Engine: {arguments.engine}. Load after: {load()}")
    print()
    print(HEADER)
    print("\n".join(_row(r) for r in rows))


def measure(n: int, work: Path, engine: str) -> dict:
    data = work / "data"
    paths = write_records(data, n, seed=n)
    result: dict = {"n": n}
    for step, kind in (("validate", "validate"), ("build", "passerelle")):
        cache = work / f"cache-{step}"
        result[f"{step}_cold"] = child(kind, data, work / "site", engine, cache)
        if step == "build":
            change_one_record(paths[n // 2])
        result[f"{step}_warm"] = child(kind, data, work / "site", engine, cache)
    return result


def change_one_record(path: Path) -> None:
    """What a person editing does: one value of one record."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("SYNTHÉTIQUE", "SYNTHÉTIQUE modifiée", 1), encoding="utf-8")


HEADER = (
    "| N | validate cold (s) | CPU (s) | warm (s) | CPU (s) | warm ÷ cold (CPU) "
    "| build cold (s) | CPU (s) | second build, 1 record changed (s) | CPU (s) | second ÷ first (CPU) |\n|" + "---|" * 11
)


def _row(r: dict) -> str:
    cells = [f"{r['n']:,}"]
    for step in ("validate", "build"):
        cold, warm = r[f"{step}_cold"], r[f"{step}_warm"]
        cells += [f"{cold.seconds:.1f}", f"{cold.cpu_seconds:.1f}", f"{warm.seconds:.1f}", f"{warm.cpu_seconds:.1f}"]
        cells.append(f"{warm.seconds / cold.seconds:.2f} ({warm.cpu_seconds / cold.cpu_seconds:.2f})")
    return "| " + " | ".join(cells) + " |"


if __name__ == "__main__":
    main()

"""One site per région against the whole site, from the same data: what the option `regions` does for a host's size limit.

    python3 -m bench.regions                 # 50,000 synthetic records
    python3 -m bench.regions 20000 --keep /tmp/regions

In the same run, from the same synthetic records (bench/synthetic.py, spread over
France's communes by population): the whole site (the baseline), then one site
per région (`regions: [code]`), the collectivités d'outre-mer together in one
more. Each build runs `passerelle build` in its own process; the first fills the
cache of validated records the others read, as a resource centre's successive
builds would. Prints, for each site, its records, its size (the bytes of its
files, what a host counts) and its size ÷ the whole site's, then the largest
against GitHub Pages' 1 GB. Figures, not test assertions.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.run import load, machine
from bench.synthetic import write_records
from generator.build.finish import PUBLISHED_SIZE_LIMIT, site_size
from generator.geo.gazetteer import Gazetteer
from generator.records.cache import CACHE_ENV
from tests.sitebuild import ROOT, write_config

# Régions whose code is above this are collectivités d'outre-mer (975 Saint-Pierre-et-Miquelon…): few
# records each, published together.
LAST_REGION_CODE = "94"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=50_000)
    parser.add_argument("--keep", type=Path, help="garder les données et les sites dans ce dossier")
    arguments = parser.parse_args()
    print(f"{machine()}\nLoad before: {load()}", file=sys.stderr, flush=True)
    work = arguments.keep or Path(tempfile.mkdtemp(prefix="passerelle-regions-"))
    try:
        rows = measure(arguments.n, work, keep_sites=arguments.keep is not None)
    finally:
        if arguments.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print(machine())
    print(f"{arguments.n:,} synthetic records. Load after: {load()}")
    print()
    print(report(rows))


def scopes() -> list[tuple[str, list[str]]]:
    """(name, région codes) of each site: every région, then the collectivités d'outre-mer together."""
    regions = sorted(Gazetteer.load().regions(), key=lambda r: r.code)
    main_regions = [(region.nom, [region.code]) for region in regions if region.code <= LAST_REGION_CODE]
    return [*main_regions, ("Collectivités d'outre-mer", [r.code for r in regions if r.code > LAST_REGION_CODE])]


def measure(n: int, work: Path, keep_sites: bool) -> list[dict]:
    data = work / "data"
    if not data.exists():
        write_records(data, n, seed=n)
    environment = {**os.environ, CACHE_ENV: str(work / "cache"), "NO_MKDOCS_2_WARNING": "1"}
    rows = []
    for name, codes in [("Toute la France (référence)", []), *scopes()]:
        site = work / "sites" / (codes[0] if codes else "france")
        config = write_config(site, data, site_url="", regions=codes)
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "generator.cli", "build", "-f", str(config), "-d", str(site)],
            cwd=ROOT,
            env=environment,
            check=True,
            capture_output=True,
        )
        rows.append(
            {"name": name, "records": len(os.listdir(site / "structures")), "bytes": site_size(site), "wall": time.perf_counter() - started}
        )
        print(f"{name}: {rows[-1]['records']} records, {rows[-1]['bytes'] / 1e6:.0f} MB", file=sys.stderr, flush=True)
        if not keep_sites:  # 1.5 GB for the whole site at 50,000 records
            shutil.rmtree(site)
    return rows


def report(rows: list[dict]) -> str:
    whole = rows[0]["bytes"]
    lines = ["| site | records | size (MB) | ÷ whole site | build (s, wall) |", "|---|---|---|---|---|"]
    lines += [f"| {r['name']} | {r['records']:,} | {r['bytes'] / 1e6:,.0f} | {r['bytes'] / whole:.3f} | {r['wall']:.0f} |" for r in rows]
    largest = max(rows[1:], key=lambda r: r["bytes"])
    lines.append("")
    lines.append(
        f"Whole site: {whole / 1e6:,.0f} MB ({whole / PUBLISHED_SIZE_LIMIT:.2f} × GitHub Pages' 1 GB). "
        f"Largest région's site: {largest['name']}, {largest['bytes'] / 1e6:,.0f} MB ({largest['bytes'] / PUBLISHED_SIZE_LIMIT:.2f} × 1 GB)."
    )
    return "\n".join(lines)


if __name__ == "__main__":
    main()

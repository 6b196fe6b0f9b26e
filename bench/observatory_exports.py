"""Cost of the observatory and the open data exports at scale.

    python3 -m bench.observatory_exports [n_records] [seed]

Writes synthetic records (bench/synthetic.py) into a temporary folder, loads
them, then times each step of issue #7 and prints seconds and ms per record:
wall-clock time, and the process's CPU time (steadier on a busy machine).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from bench.synthetic import write_records
from generator.catalogue import load_catalogue
from generator.geo.gazetteer import Gazetteer
from generator.site.exports import open_data_assets, open_data_pages
from generator.site.model import SiteModel
from generator.site.observatory import observatory_pages
from generator.site.pages import Renderer

TEMPLATES = Path(__file__).resolve().parents[1] / "site_theme" / "passerelle"


def main(n: int = 50_000, seed: int = 0) -> None:
    gazetteer = Gazetteer.load()
    with tempfile.TemporaryDirectory() as folder:
        write_records(Path(folder), n, seed)
        started = time.perf_counter()
        site = SiteModel(load_catalogue(Path(folder), gazetteer), gazetteer)
        _ = site.entries
        print(f"(loading {n} records, not part of this feature: {time.perf_counter() - started:.1f} s)")
        renderer = Renderer(TEMPLATES, site)
        total_wall = total_cpu = 0.0
        for label, step, render in [
            ("observatory and freshness pages", lambda: observatory_pages(site), True),
            ("open data files (CSV, JSON, GeoJSON, data·inclusion, schemas)", lambda: list(open_data_assets(site)), False),
            ("open data page", lambda: open_data_pages(site), True),
        ]:
            wall, cpu = time.perf_counter(), time.process_time()
            result = step()
            size = sum(len(renderer.render(page)) for page in result) if render else sum(len(asset.content) for asset in result)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            total_wall, total_cpu = total_wall + wall, total_cpu + cpu
            print(f"{label} ({size / 1e6:.1f} MB): {wall:.2f} s wall, {cpu:.2f} s CPU ({cpu * 1000 / n:.3f} ms CPU per record)")
        print(f"total: {total_wall:.2f} s wall, {total_cpu:.2f} s CPU ({total_cpu * 1000 / n:.3f} ms CPU per record)")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))

#!/usr/bin/env python3
"""Coverage and accuracy of the gazetteer against La Poste's Base officielle des codes postaux.

The La Poste file is read in place (shared/reference, outside the repo) and
never copied. Its coordinates are an independent reference: the gazetteer's
centroids come from other sources (see generator/geo/communes/SOURCES.md).

Usage: python bench/gazetteer_accuracy.py [--laposte PATH]
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.geo.gazetteer import Gazetteer, distance_km  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "reference" / "laposte-hexasmal" / "laposte_hexasmal.csv"


def read_laposte(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:  # older exports are Latin-1
        text = raw.decode("latin-1")
    return list(csv.DictReader(text.splitlines(), delimiter=";"))


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--laposte", type=Path, default=DEFAULT)
    args = parser.parse_args()
    if not args.laposte.exists():
        sys.exit(f"La Poste file not found: {args.laposte} (use --laposte PATH)")

    start = time.perf_counter()
    gaz = Gazetteer.load()
    load_s = time.perf_counter() - start

    rows = read_laposte(args.laposte)
    insee_codes = {r["Code_commune_INSEE"] for r in rows}
    postcodes = {r["Code_postal"] for r in rows}
    unresolved_insee = sorted(c for c in insee_codes if gaz.commune(c) is None)
    unresolved_cp = sorted(c for c in postcodes if not gaz.by_postcode(c))

    # (postcode, La Poste commune name) -> same INSEE code through Gazetteer.match
    pairs = {(r["Code_postal"], r["Nom_commune"], r["Code_commune_INSEE"]) for r in rows}
    matched = [(gaz.match(cp, nom), insee) for cp, nom, insee in pairs]
    match_found = sum(1 for c, _ in matched if c)
    match_right = sum(1 for c, insee in matched if c and c.insee == insee)

    reference: dict[str, tuple[float, float]] = {}
    for r in rows:
        gps = r.get("coordonnees_gps", "").strip()
        if gps and r["Code_commune_INSEE"] not in reference:
            lat, lon = (float(v) for v in gps.split(","))
            reference[r["Code_commune_INSEE"]] = (lat, lon)
    distances, exact_distances = [], []
    worst: list[tuple[float, str, str]] = []
    for insee, point in reference.items():
        c = gaz.commune(insee)
        if c is None:
            continue
        d = distance_km(point, (c.lat, c.lon))
        distances.append(d)
        if not c.approximate:
            exact_distances.append(d)
        worst.append((d, insee, c.nom))
    worst.sort(reverse=True)

    n_approx = sum(1 for c in gaz.communes() if c.approximate)
    approx_in_laposte = sum(1 for code in insee_codes if (c := gaz.commune(code)) and c.approximate)

    def share(n: int, total: int) -> str:
        return f"{n}/{total} ({100 * n / total:.2f} %)"

    print(f"La Poste file: {args.laposte} ({len(rows)} rows)\n")
    print("| measure | value |")
    print("| --- | --- |")
    print(f"| La Poste INSEE codes resolved | {share(len(insee_codes) - len(unresolved_insee), len(insee_codes))} |")
    print(f"| La Poste postcodes resolved | {share(len(postcodes) - len(unresolved_cp), len(postcodes))} |")
    print(f"| (postcode, name) pairs matched by `match()` | {share(match_found, len(pairs))} |")
    print(f"| ... matched to La Poste's INSEE code | {share(match_right, len(pairs))} |")
    print(f"| INSEE codes compared for distance | {len(distances)} |")
    print(f"| median distance (km) | {statistics.median(distances):.2f} |")
    print(f"| 95th percentile distance (km) | {percentile(distances, 0.95):.2f} |")
    print(f"| 99th percentile distance (km) | {percentile(distances, 0.99):.2f} |")
    print(f"| max distance (km) | {worst[0][0]:.1f} ({worst[0][1]} {worst[0][2]}) |")
    print(
        f"| median / p95 (km), non-approximate only | {statistics.median(exact_distances):.2f} / {percentile(exact_distances, 0.95):.2f} |"
    )
    print(f"| approximate coordinates in the gazetteer (communes) | {n_approx} |")
    print(f"| approximate coordinates among La Poste INSEE codes | {approx_in_laposte} |")
    print(f"| gazetteer load time (s) | {load_s:.3f} |")
    if unresolved_insee:
        print(
            f"\nUnresolved INSEE codes ({len(unresolved_insee)}): {' '.join(unresolved_insee[:30])}"
            + (" …" if len(unresolved_insee) > 30 else "")
        )
    if unresolved_cp:
        print(f"Unresolved postcodes ({len(unresolved_cp)}): {' '.join(unresolved_cp[:30])}" + (" …" if len(unresolved_cp) > 30 else ""))
    print("Largest distances: " + "; ".join(f"{i} {n} {d:.1f} km" for d, i, n in worst[:8]))


if __name__ == "__main__":
    main()

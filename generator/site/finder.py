"""The finder « Trouver une structure »: its page and the data the browser searches.

The site is static and must answer quickly on a phone, at tens of thousands of
records. Nothing is searched on a server: the page downloads small JSON shards
and searches them itself (site_theme/assets/javascripts/passerelle-finder.js).

- Records are cut by kind and département (`structures/<kind>-<dep>.json`); an
  index gives each shard's bounding box, so a nearest search loads the shards
  around the place, nearest first, and stops when no unloaded shard can hold a
  closer result.
- Records that serve a whole territory (`territoire`: the country, a région, a
  département, communes) are also in one file per area they cover
  (`territoires/fr.json`, `territoires/r11.json`, `territoires/92.json`): a search
  near a place loads at most three of them and lists the records covering the
  place apart, without a distance. They are few (networks, resource centres,
  MDPH, CLSM), so these files stay small at national scale.
- Communes for suggestions are cut by the first two digits of the postcode
  (`communes/cp-92.json`) and by the first two letters of the normalized name
  (`communes/nom-fo.json`): typing loads one small file, never the 35,000 names.
  « Autour de moi » finds the commune of a position in a file per square degree
  (`communes/pos-48_2.json`), so the territory of a position is known without
  sending the position anywhere.

Shard URLs carry a hash of their content, so a browser may cache them for good;
only the small index is revalidated.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import defaultdict
from datetime import date
from functools import cache
from typing import Any

from generator.geo.gazetteer import Commune, Gazetteer, normalize
from generator.records.models import Territoire
from generator.records.vocabulary import Acces, CategorieEsms, CategorieRessource, Kind, Public, Statut, TypeEmployeur
from generator.site.closures import browser_fields, holiday_index, local_holiday_index
from generator.site.coverage import latest_counts
from generator.site.hours import MAINLAND_TIME_ZONE, TIME_ZONES, holidays_of_build, horizon, monday_of, weekly_schedule
from generator.site.model import SHOWN_STATUSES, Entry, SiteModel
from generator.site.pages import FINDER_PAGE, Asset, Page, page_url
from generator.site.shapes import (
    BoundingBox,
    DepartementRow,
    KindWords,
    KnownCountRow,
    NamedCommune,
    NetworkRow,
    PositionCommune,
    PostcodeCommune,
    ShardRow,
    TerritoryFileRow,
)
from generator.site.text import phone_display
from generator.site.ways_in import reachable_centres, reachable_networks, why_to_ask

DATA_FOLDER = "trouver/donnees"
# The page lives at /trouver/: its data folder, relative to it.
DATA_URL = "donnees/"

ACCESS_FACETS = (Acces.SANS_ORIENTATION, Acces.NOTIFICATION_CDAPH, Acces.RQTH)
# Words this short say nothing a name or a commune does not already say.
_MIN_WORD = 3
# A name file stays small enough to load on a keystroke over a slow phone connection.
NAME_SHARD_SIZE = 600
NODE_SIZE = 12


def finder_pages(site: SiteModel) -> list[Page]:
    context = {
        "data_index": DATA_URL + "index.json",
        "records_base": "../structures/",
        "regions": site.regions(),
        "departements": sorted(site.departements(), key=lambda d: d.code),
        # By kind: a category chosen without a kind searches its group's (passerelle-finder.js kindFromCategory).
        "categories": [
            ("Établissements et services (ESMS)", Kind.ESMS, list(CategorieEsms)),
            ("Autres ressources", Kind.RESSOURCE, list(CategorieRessource)),
        ],
        "publics": list(Public),
        "access": ACCESS_FACETS,
    }
    return [
        Page(
            FINDER_PAGE,
            "Trouver une structure",
            "finder.html",
            context,
            description="Trouver le GEM, le collectif d'entraide ou le service le plus proche, par code postal, ville ou autour de soi.",
        )
    ]


def finder_assets(site: SiteModel) -> list[Asset]:
    assets: list[Asset] = []
    monday = monday_of(site.today)
    shards: list[ShardRow] = []
    for (kind, departement), entries in sorted(_record_shards(site).items()):
        rows = [record_row(entry, site.today) for entry in entries]
        asset = _json_asset(f"structures/{kind}-{departement}.json", rows)
        assets.append(asset)
        shards.append(
            ShardRow(kind, departement, len(rows), _box([(row["la"], row["lo"]) for row in rows if "la" in row]), _digest(asset.content))
        )
    territories: dict[str, TerritoryFileRow] = {}
    for area, rows in sorted(_territory_files(site).items()):
        asset = _json_asset(f"territoires/{area}.json", rows)
        assets.append(asset)
        territories[area] = TerritoryFileRow(len(rows), _digest(asset.content))
    communes, commune_keys = _commune_assets(site.gazetteer)
    assets.extend(communes)
    index = {
        "shards": shards,
        "territories": territories,
        "departements": {d.code: DepartementRow(d.region, d.nom) for d in site.gazetteer.departements()},
        "communes": commune_keys,
        "labels": _labels(),
        "coverage": _coverage(site),
        "week": monday.isoformat(),
        # The day the closures and holidays of the rows start from (generator/site/closures.py).
        "built": site.today.isoformat(),
        "holidays": holiday_index(site.today),
        "until": horizon(site.today).isoformat(),
        "local_holidays": local_holiday_index(site.today),
        # « Aujourd'hui » is the place's day (passerelle-days.js): mainland France's, or its département's.
        "time_zone": MAINLAND_TIME_ZONE,
        "local_time_zones": TIME_ZONES,
    }
    if site.scope:
        # A site limited to some régions (settings.regions): the script says so of a place outside them.
        index["scope"] = {"regions": [region.code for region in site.scope], "name": site.scope_name}
    assets.append(_json_asset("index.json", index))
    return assets


# --- Records ------------------------------------------------------------------------


def _box(points: list[tuple[float, float]]) -> BoundingBox | None:
    if not points:
        return None
    return BoundingBox(min(p[0] for p in points), min(p[1] for p in points), max(p[0] for p in points), max(p[1] for p in points))


def _record_shards(site: SiteModel) -> dict[tuple[str, str], list[Entry]]:
    """Records by (kind, area): the département of their position, else of their territory.

    A record without a position is in each département it covers, or in
    « r<région> » / « fr » when it covers whole régions or the country: the
    finder lists those in territory searches, never by distance.
    """
    shards: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for entry in site.entries.values():
        if entry.record.statut == Statut.FERME:
            continue  # a closed place keeps its page, but nobody should be sent there
        kind = entry.record.type.value
        place = entry.place
        if place.located:
            area = place.commune.departement if place.commune else place.departements[0] if place.departements else "fr"
            shards[(kind, area)].append(entry)
        elif place.departements:
            for departement in place.departements:
                shards[(kind, departement)].append(entry)
        elif place.regions:
            for region in place.regions:
                shards[(kind, f"r{region}")].append(entry)
        else:
            shards[(kind, "fr")].append(entry)
    return shards


def record_row(entry: Entry, today: date) -> dict[str, Any]:
    """One record as the finder needs it: short keys (shapes.RECORD_KEYS), empty fields left out.

    `h` is the typical week (the build's); the dated facts that change a day
    (closures, exceptional hours, public holidays) are in `f`, `e` and `j`
    (closures.browser_fields).
    """
    record, place = entry.record, entry.place
    row: dict[str, Any] = {"i": record.id, "n": record.nom, "k": record.type.value}
    category = record.subtype
    if category is not None:
        row["c"] = category.value
    if place.commune:
        row["v"] = place.commune.nom
    if place.departements:
        row["d"] = list(place.departements)
    if place.regions:
        row["r"] = list(place.regions)
    if place.located:
        row["la"], row["lo"] = round(place.lat, 5), round(place.lon, 5)
        if place.approximate:
            row["ap"] = 1
    if record.telephone:
        row["t"], row["tt"] = record.telephone, phone_display(record.telephone)
    if record.publics:
        row["p"] = [p.value for p in record.publics]
    if record.acces:
        row["a"] = [a.value for a in record.acces]
    if record.pmr is not None:
        row["m"] = int(record.pmr)
    if record.horaires:
        row["h"] = weekly_schedule(record.horaires, monday_of(today))
    row |= browser_fields(record, today, holidays_of_build(today, place.departements))
    if entry.status:
        row["s"] = entry.status.slug
    words = search_words(record.description or "")
    if words:
        row["q"] = words
    return row


def _territory_files(site: SiteModel) -> dict[str, list[dict[str, Any]]]:
    """Records with a `territoire`, by area covered: « fr », « r<région> », or a département.

    A record covering communes is in the file of each of their départements. Its
    row says exactly what it covers (`coverage_keys`), for the script to check
    against the searched commune.
    """
    files: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in site.entries.values():
        territoire = entry.record.territoire
        if territoire is None or entry.record.statut == Statut.FERME:
            continue
        row = record_row(entry, site.today) | coverage_keys(territoire, site.gazetteer)
        areas = ["fr"] if territoire.national else []
        areas += [f"r{code}" for code in territoire.regions]
        areas += territoire.departements
        areas += [commune.departement for code in territoire.communes if (commune := site.gazetteer.commune(code))]
        for area in dict.fromkeys(areas):
            files[area].append(row)
    return files


def coverage_keys(territoire: Territoire, gazetteer: Gazetteer) -> dict[str, Any]:
    """What a territory covers, in the terms of a searched place: its commune, département, région.

    A commune split into arrondissements (Paris, Lyon, Marseille) covers each of
    them, since a place typed as « 75019 » is the 19th arrondissement.
    """
    keys: dict[str, Any] = {}
    if territoire.national:
        keys["tn"] = 1
    if territoire.regions:
        keys["tr"] = list(territoire.regions)
    if territoire.departements:
        keys["td"] = list(territoire.departements)
    if territoire.communes:
        parts = _arrondissements(gazetteer)
        keys["tc"] = list(dict.fromkeys(code for commune in territoire.communes for code in (commune, *parts.get(commune, ()))))
    return keys


@cache
def _arrondissements(gazetteer: Gazetteer) -> dict[str, tuple[str, ...]]:
    parts: dict[str, list[str]] = defaultdict(list)
    for arrondissement in gazetteer.arrondissements():
        parts[arrondissement.parent or ""].append(arrondissement.insee)
    return {parent: tuple(codes) for parent, codes in parts.items()}


def _coverage(site: SiteModel) -> dict[str, Any]:
    """What the finder says when it lists few structures of a kind, and whom it points to.

    `counts` holds, by kind and territory (« fr », « r11 », « 92 »), the most recent
    reference count of existing structures beside the directory's own figure: the
    script shows the département's, else the région's, else the country's.
    """
    counts: dict[str, dict[str, Any]] = defaultdict(dict)
    for known in latest_counts(site):
        source = known.count.source
        counts[known.kind.value][known.area] = KnownCountRow(
            known.statement, known.listed_text, int(known.missing), known.stale_text, source.titre, known.source_date, source.url or ""
        )
    return {
        "note": site.settings.coverage_note,
        "contact": site.settings.contact_email,
        # What each kind is and how to go there (content/guides/), for an answer that finds none:
        # relative to the finder's page, as its `data-records`.
        "guides": {kind.value: "../" + page_url(kind.guide) for kind in Kind if kind.guide},
        "networks": {
            kind: [NetworkRow(entry.id, entry.record.nom, why_to_ask(entry)) for entry in entries]
            for kind, entries in reachable_networks(site).items()
        },
        # The resource centres a visitor can reach (ways_in.reachable_centres): the finder names those serving the place.
        "centres": [entry.id for entry in reachable_centres(site)],
        "counts": counts,
    }


def search_words(description: str) -> str:
    """The distinct normalized words of a description: what free text matches against."""
    seen: dict[str, None] = {}
    for word in normalize(description).split():
        if len(word) >= _MIN_WORD:
            seen.setdefault(word)
    return " ".join(seen)


def _labels() -> dict[str, Any]:
    """Words the script shows, from the vocabularies: one source for pages and finder."""
    what = {kind.value: kind.description for kind in Kind}
    for member in CategorieEsms:
        what[f"{Kind.ESMS.value}:{member.value}"] = member.definition  # a visitor needs no FINESS code
    for vocabulary, kind in ((CategorieRessource, Kind.RESSOURCE), (TypeEmployeur, Kind.EMPLOYEUR)):
        for member in vocabulary:
            what[f"{kind.value}:{member.value}"] = member.description
    return {
        "kinds": {
            kind.value: KindWords(kind.heading, kind.nouns.singular, kind.nouns.plural, "f" if kind.nouns.feminine else "m")
            for kind in Kind
        },
        "categories": {
            member.value: member.label for vocabulary in (CategorieEsms, CategorieRessource, TypeEmployeur) for member in vocabulary
        },
        "statuts": {status.slug: status.label for status in SHOWN_STATUSES},
        "what": what,
    }


# --- Communes -----------------------------------------------------------------------


@cache  # the same for every build with this gazetteer: `mkdocs serve` rebuilds pay it once
def _commune_assets(gazetteer: Gazetteer) -> tuple[list[Asset], dict[str, Any]]:
    """Postcode shards and name shards, with the keys the script needs to pick a file."""
    by_postcode: dict[str, dict[str, list[PostcodeCommune]]] = defaultdict(dict)
    every: dict[str, Commune] = {}
    # Each postcode once, not once for each commune that shares it (0.4 s less a build).
    for code in dict.fromkeys(code for commune in gazetteer.communes() for code in commune.codes_postaux):
        # by_postcode puts arrondissements first, then the larger communes, as locate() does.
        found = gazetteer.by_postcode(code)
        by_postcode[code[:2]][code] = [PostcodeCommune(c.insee, c.nom, c.lat, c.lon) for c in found]
        every.update((c.insee, c) for c in found)
    assets = [_json_asset(f"communes/cp-{prefix}.json", dict(sorted(codes.items()))) for prefix, codes in sorted(by_postcode.items())]
    leaves, nodes = name_tree(list(every.values()))
    for folder, groups in (("nom", leaves), ("top", nodes)):
        for key, communes in sorted(groups.items()):
            rows = [NamedCommune(c.nom, c.insee, c.codes_postaux[0] if c.codes_postaux else "", c.lat, c.lon) for c in communes]
            assets.append(_json_asset(f"communes/{folder}-{key.replace(' ', '_')}.json", rows))
    tiles = position_tiles(gazetteer)
    for key, communes in sorted(tiles.items()):
        assets.append(_json_asset(f"communes/pos-{key}.json", [PositionCommune(c.insee, c.lat, c.lon) for c in communes]))
    keys = {
        # The first two digits of every postcode: any other is unknown without a request, so a
        # postcode file that fails to load is a failed search, never an unknown postcode.
        "postcodes": sorted(by_postcode),
        "leaves": sorted(leaves),
        "nodes": sorted(nodes),
        "tiles": sorted(tiles),
        "v": _digest("".join(_digest(a.content) for a in assets)),
    }
    return assets, keys


def position_tiles(gazetteer: Gazetteer) -> dict[str, list[Commune]]:
    """Communes by the square degree of their centre (« 48_2 »: latitude 48 to 49, longitude 2 to 3).

    The nearest commune centre to a position is its commune, near enough for a
    territory. Paris, Lyon and Marseille count as their arrondissements, the unit
    a postcode search finds too.
    """
    arrondissements = gazetteer.arrondissements()
    split = {a.parent for a in arrondissements}
    tiles: dict[str, list[Commune]] = defaultdict(list)
    for commune in [c for c in gazetteer.communes() if c.insee not in split] + arrondissements:
        tiles[tile_key(commune.lat, commune.lon)].append(commune)
    return tiles


def tile_key(lat: float, lon: float) -> str:
    return f"{math.floor(lat)}_{math.floor(lon)}"


def name_tree(communes: list[Commune]) -> tuple[dict[str, list[Commune]], dict[str, list[Commune]]]:
    """Communes by name prefix, in files of at most NAME_SHARD_SIZE names.

    Leaves hold every commune whose normalized name starts with their key. A
    prefix shared by too many names (« saint ») is split one letter further; its
    own small file (a node) keeps the names equal to it and the most populated
    names under it, which is what typing only « sai » should suggest. Communes
    are in order of population, as `Gazetteer.search` ranks them.
    """
    keyed = sorted(((normalize(c.nom), c) for c in communes), key=lambda kc: (-kc[1].population, kc[1].insee))
    leaves: dict[str, list[Commune]] = {}
    nodes: dict[str, list[Commune]] = {}

    def split(prefix: str, group: list[tuple[str, Commune]]) -> None:
        if len(group) <= NAME_SHARD_SIZE:
            leaves[prefix] = [c for _, c in group]
            return
        exact = [c for key, c in group if key == prefix]
        nodes[prefix] = exact + [c for key, c in group if key != prefix][:NODE_SIZE]
        children: dict[str, list[tuple[str, Commune]]] = defaultdict(list)
        for key, commune in group:
            if len(key) > len(prefix):
                children[key[: len(prefix) + 1]].append((key, commune))
        for child, members in children.items():
            split(child, members)

    starts: dict[str, list[tuple[str, Commune]]] = defaultdict(list)
    for key, commune in keyed:
        starts[key[:2]].append((key, commune))
    for prefix, group in starts.items():
        split(prefix, group)
    return leaves, nodes


# --- Files --------------------------------------------------------------------------


def _json_asset(name: str, value: Any) -> Asset:
    return Asset(f"{DATA_FOLDER}/{name}", json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def _digest(content: str | bytes) -> str:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return hashlib.sha256(data).hexdigest()[:10]

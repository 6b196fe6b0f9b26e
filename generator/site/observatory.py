"""The observatory: where the offer is, where it is missing, how fresh the records are.

Every figure is computed from the records and the gazetteer at build time.
Distances are great-circle distances from each commune's centroid to the
nearest located, open structure; a structure known only by its commune sits at
that commune's centroid (its `Place`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np
from scipy.spatial import cKDTree

from generator.geo.gazetteer import Commune, Departement, Gazetteer, Region, distance_km
from generator.records.models import Record
from generator.records.references import NATIONAL
from generator.records.reverification import Campagne
from generator.records.vocabulary import Kind, Statut
from generator.site.charts import Bar, BarChart, GridMap, grid_map
from generator.site.coverage import Coverage, coverages
from generator.site.model import Entry, SiteModel
from generator.site.pages import Page, territory_paths

# The offer the observatory studies; employers and national resources are not local offer.
OFFER_KINDS = (Kind.GEM, Kind.COLLECTIF, Kind.CLSM, Kind.ESMS)
GAP_KINDS = (Kind.GEM, Kind.COLLECTIF, Kind.CLSM)
DISTANCE_KINDS = (Kind.GEM, Kind.COLLECTIF)
THRESHOLDS_KM = (20, 50)
MAP_THRESHOLD_KM = 50
EARTH_RADIUS_KM = 6371.0088
WORST_SERVED = 15
FAR_COMMUNES = 15
# Rows of each table of /observatoire/fraicheur/: a batch of re-verification, the oldest first.
# `passerelle stats` lists them all; a table of 500 rows kept a phone busy for a second (issue #16).
FRESHNESS_LIMIT = 100
# France has several hundred GEM and thousands of ESMS: a directory with fewer
# records of the offer than this is a sample, and the page says so first. A site
# limited to some régions (settings.regions) scales it to their share of the population.
SAMPLE_BELOW = 500


@dataclass(frozen=True)
class Territory:
    """Figures of the whole country (or the régions a site is limited to), a région or a département."""

    code: str
    nom: str
    population: int
    counts: dict[Kind, int]
    clsm_population: float
    far_population: dict[tuple[Kind, int], float]
    collectivite: bool = False  # a collectivité d'outre-mer, listed among départements and régions

    def rate(self, kind: Kind) -> float | None:
        """Open structures per 100,000 inhabitants."""
        return self.counts[kind] * 100_000 / self.population if self.population else None

    def clsm_share(self) -> float | None:
        return self.clsm_population / self.population if self.population else None

    def far_share(self, kind: Kind, threshold: int) -> float | None:
        return self.far_population[kind, threshold] / self.population if self.population else None


@dataclass(frozen=True)
class FarCommune:
    commune: Commune
    distance_km: float | None  # None: no open structure of that kind is located at all


@dataclass(frozen=True)
class Observatory:
    built_on: date
    records: list[tuple[Kind, Counter[Statut | None]]]
    # The whole country (« France »), or the régions the site is limited to (`scope`), named after them.
    national: Territory
    scope: list[Region]
    sample_below: int
    regions: list[Territory]
    departements: list[Territory]
    gaps: dict[Kind, list[Territory]]
    worst_served: list[Territory]
    far_communes: dict[Kind, list[FarCommune]]
    located: dict[Kind, int]
    maps: dict[Kind, GridMap]
    charts: dict[str, BarChart]
    # Reference counts beside the directory's figures: structures counted, then objectives.
    known: list[Coverage]
    planned: list[Coverage]

    @property
    def known_sources(self) -> list[Coverage]:
        """One count per distinct source, to cite each source once."""
        cited: dict[object, Coverage] = {}
        for coverage in self.known + self.planned:
            cited.setdefault(coverage.count.source, coverage)
        return list(cited.values())

    @property
    def national_known(self) -> list[Coverage]:
        """The counts of the whole territory (the country, or the site's régions), said first: how far the
        directory is from a census."""
        areas = [f"r{region.code}" for region in self.scope] or [NATIONAL]
        return [c for c in self.known if c.area in areas]

    @property
    def where(self) -> str:
        """« En France », or the site's territory: the names of régions take various prepositions
        (« en Bretagne », « dans les Hauts-de-France »), so none is guessed."""
        return f"Sur le territoire de cet annuaire ({self.national.nom})" if self.scope else "En France"

    @property
    def total_records(self) -> int:
        return sum(sum(statuts.values()) for _, statuts in self.records)

    @property
    def is_sample(self) -> bool:
        return sum(sum(statuts.values()) for kind, statuts in self.records if kind in OFFER_KINDS) < self.sample_below


def is_open(record: Record) -> bool:
    return record.statut == Statut.ACTIF


@dataclass(frozen=True)
class CommuneTable:
    """The communes as columns, built once: the figures are array operations over them."""

    communes: list[Commune]
    population: np.ndarray
    lat_lon: np.ndarray
    insee: np.ndarray
    departement: np.ndarray
    region: np.ndarray

    @classmethod
    def of(cls, communes: list[Commune]) -> CommuneTable:
        return cls(
            communes,
            np.array([c.population for c in communes], dtype=float),
            np.array([(c.lat, c.lon) for c in communes], dtype=float).reshape(-1, 2),
            np.array([c.insee for c in communes]),
            np.array([c.departement for c in communes]),
            np.array([c.region for c in communes]),
        )


def observe(site: SiteModel) -> Observatory:
    places = site.gazetteer
    # A site limited to some régions lists nothing of the rest of France: its figures are over its
    # régions' communes only, else it would say that most of France lives far from any GEM.
    scope = site.scope
    codes = {region.code for region in scope}
    communes = places.communes()
    table = CommuneTable.of([c for c in communes if c.region in codes] if scope else communes)
    population = table.population
    departements = sorted((d for d in places.departements() if not scope or d.region in codes), key=lambda d: d.code)
    regions = sorted(scope or places.regions(), key=lambda r: r.code)

    statuts: dict[Kind, Counter[Statut | None]] = {kind: Counter() for kind in Kind}
    open_by_kind: dict[Kind, list[Entry]] = {kind: [] for kind in Kind}
    for entry in site.entries.values():
        statuts[entry.record.type][entry.record.statut] += 1
        if is_open(entry.record):
            open_by_kind[entry.record.type].append(entry)
    points = {kind: [(e.place.lat, e.place.lon) for e in open_by_kind[kind] if e.place.located] for kind in DISTANCE_KINDS}
    distances = {kind: nearest_km(table.lat_lon, points[kind]) for kind in DISTANCE_KINDS}
    far = {(kind, t): population * (distances[kind] > t) for kind in DISTANCE_KINDS for t in THRESHOLDS_KM}
    clsm = clsm_covered_population(table, [e.record for e in open_by_kind[Kind.CLSM]], places)

    collectivites = places.collectivites()

    def territories(codes_of, commune_codes: np.ndarray, units: list[Departement] | list[Region]) -> list[Territory]:
        codes, index = [u.code for u in units], np.searchsorted([u.code for u in units], commune_codes)
        counts = {(code, kind): 0 for code in codes for kind in OFFER_KINDS}
        for kind in OFFER_KINDS:
            for entry in open_by_kind[kind]:
                for code in codes_of(entry.place):
                    if (code, kind) in counts:
                        counts[code, kind] += 1
        size = len(units)
        pop, covered = np.bincount(index, population, size), np.bincount(index, clsm, size)
        far_sums = {key: np.bincount(index, values, size) for key, values in far.items()}
        return [
            Territory(
                u.code,
                u.nom,
                int(pop[i]),
                {k: counts[u.code, k] for k in OFFER_KINDS},
                float(covered[i]),
                {key: float(v[i]) for key, v in far_sums.items()},
                u.code in collectivites,
            )
            for i, u in enumerate(units)
        ]

    by_departement = territories(lambda place: place.departements, table.departement, departements)
    by_region = territories(lambda place: place.regions, table.region, regions)
    national = Territory(
        "",
        site.scope_name or "France",
        int(population.sum()),
        {k: len(open_by_kind[k]) for k in OFFER_KINDS},
        float(clsm.sum()),
        {key: float(v.sum()) for key, v in far.items()},
    )
    known = coverages(site)
    inhabited = [d for d in by_departement if d.population]
    worst = sorted(
        inhabited, key=lambda d: (-d.far_share(Kind.GEM, MAP_THRESHOLD_KM), -d.far_share(Kind.COLLECTIF, MAP_THRESHOLD_KM), -d.population)
    )[:WORST_SERVED]
    return Observatory(
        built_on=site.today,
        records=[(kind, statuts[kind]) for kind in Kind],
        national=national,
        scope=scope,
        sample_below=round(SAMPLE_BELOW * national.population / sum(c.population for c in communes)) if scope else SAMPLE_BELOW,
        regions=[r for r in by_region if r.population],
        departements=inhabited,
        gaps={kind: [d for d in inhabited if not d.counts[kind]] for kind in GAP_KINDS},
        worst_served=worst,
        far_communes={kind: _far_communes(table, distances[kind], points[kind]) for kind in DISTANCE_KINDS},
        located={kind: len(points[kind]) for kind in DISTANCE_KINDS},
        # The maps frame all of metropolitan France: a site's régions would be a few cells of it.
        maps={} if scope else {kind: grid_map(table.lat_lon, population, distances[kind] > MAP_THRESHOLD_KM) for kind in DISTANCE_KINDS},
        charts=_charts(national, worst, statuts, f"le territoire de cet annuaire ({national.nom})" if scope else "la France entière")
        | _coverage_chart([c for c in known if not c.planned]),
        known=[c for c in known if not c.planned],
        planned=[c for c in known if c.planned],
    )


def nearest_km(lat_lon: np.ndarray, points: list[tuple[float, float]]) -> np.ndarray:
    """Great-circle distance (km) from each (lat, lon) row to the nearest point; inf if there is none.

    A k-d tree over unit vectors finds the nearest point by chord length, which
    ranks exactly as the great-circle distance does.
    """
    if not points:
        return np.full(len(lat_lon), np.inf)
    chord, _ = cKDTree(unit_vectors(np.array(points))).query(unit_vectors(lat_lon))
    return _chord_to_km(chord)


def unit_vectors(lat_lon: np.ndarray) -> np.ndarray:
    lat, lon = np.radians(lat_lon[:, 0]), np.radians(lat_lon[:, 1])
    return np.column_stack((np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)))


def _chord_to_km(chord: np.ndarray) -> np.ndarray:
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, chord / 2))


def clsm_covered_population(table: CommuneTable, clsms: list[Record], places: Gazetteer) -> np.ndarray:
    """Population of each commune living in a CLSM's territory.

    A CLSM naming an arrondissement municipal covers that arrondissement's
    inhabitants only, so it adds a part of the commune's population.
    """
    territories = [r.territoire for r in clsms if r.territoire]
    if any(t.national for t in territories):
        return table.population.copy()
    named = sorted({code for t in territories for code in t.communes})
    covered = (
        np.isin(table.region, sorted({code for t in territories for code in t.regions}))
        | np.isin(table.departement, sorted({code for t in territories for code in t.departements}))
        | np.isin(table.insee, named)
    )
    partial: Counter[str] = Counter()
    for code in named:
        arrondissement = places.commune(code)
        if arrondissement is not None and arrondissement.parent:
            partial[arrondissement.parent] += arrondissement.population
    in_part = np.array([partial[code] for code in table.insee], dtype=float) if partial else 0.0
    return np.where(covered, table.population, np.minimum(table.population, in_part))


def _far_communes(table: CommuneTable, distances: np.ndarray, points: list[tuple[float, float]]) -> list[FarCommune]:
    """The most populous communes beyond the map threshold, with their geodesic distance.

    geopy's geodesic costs ~0.15 ms a call: fine for these few lines, too slow
    for every commune, whose shares use the great-circle distance.
    """
    far = np.flatnonzero(distances > MAP_THRESHOLD_KM)
    largest = far[np.argsort(-table.population[far], kind="stable")][:FAR_COMMUNES]
    vectors = unit_vectors(np.array(points)) if points else np.empty((0, 3))
    rows = []
    for i in largest:
        commune = table.communes[int(i)]
        # The ellipsoid differs from the sphere by under 0.6 %: only points that close can be nearest.
        near = _chord_to_km(np.linalg.norm(vectors - unit_vectors(table.lat_lon[i : i + 1]), axis=1)) <= distances[i] * 1.01 + 1
        nearest = min((distance_km((commune.lat, commune.lon), points[j]) for j in np.flatnonzero(near)), default=None)
        rows.append(FarCommune(commune, nearest))
    return rows


def _charts(national: Territory, worst: list[Territory], statuts: dict[Kind, Counter[Statut | None]], whole: str) -> dict[str, BarChart]:
    def percent(share: float | None) -> str:
        return "—" if share is None else f"{share * 100:.1f} %".replace(".", ",")

    return {
        "records": BarChart(
            "chart-records",
            "Fiches ouvertes par type de structure",
            "Nombre de fiches dont la structure est ouverte, pour chaque type.",
            [Bar(kind.label, statuts[kind][Statut.ACTIF], str(statuts[kind][Statut.ACTIF])) for kind in Kind],
            note=_unsaid_note(statuts, Kind),
        ),
        "distance": BarChart(
            "chart-distance",
            "Part de la population loin d'un GEM ou d'un collectif ouvert",
            f"Pour {whole}, part des habitants dont la commune est à plus de 20 km, puis à plus de 50 km, du GEM ou du collectif ouvert le plus proche.",
            [
                Bar(f"{kind.label} à plus de {t} km", share * 100, percent(share))
                for kind in DISTANCE_KINDS
                for t in THRESHOLDS_KM
                if (share := national.far_share(kind, t)) is not None
            ],
            maximum=100,
            note=_unsaid_note(statuts, DISTANCE_KINDS),
        ),
        "worst": BarChart(
            "chart-worst",
            f"Départements où le plus d'habitants vivent à plus de {MAP_THRESHOLD_KM} km d'un GEM",
            f"Les {len(worst)} départements où la part des habitants à plus de {MAP_THRESHOLD_KM} km d'un GEM ouvert est la plus forte.",
            [
                Bar(f"{d.nom} ({d.code})", d.far_share(Kind.GEM, MAP_THRESHOLD_KM) * 100, percent(d.far_share(Kind.GEM, MAP_THRESHOLD_KM)))
                for d in worst
            ],
            maximum=100,
            note=_unsaid_note(statuts, (Kind.GEM,)),
        ),
    }


def _unsaid_note(statuts: dict[Kind, Counter[Statut | None]], kinds: Iterable[Kind]) -> str:
    """A record that does not say whether its structure is open is not counted open: said, lest « GEM : 0 » read as « no GEM »."""
    unsaid = [f"{kind.label} : {statuts[kind][None]}" for kind in kinds if statuts[kind][None]]
    if not unsaid:
        return ""
    return f"Ne sont pas comptées les fiches qui ne disent pas si la structure est ouverte ({' ; '.join(unsaid)})."


def _coverage_chart(known: list[Coverage]) -> dict[str, BarChart]:
    if not known:
        return {}
    return {
        "coverage": BarChart(
            "chart-coverage",
            "Part des structures recensées par d'autres sources que l'annuaire liste",
            "Pour chaque nombre de référence, la part de ces structures que l'annuaire liste (100 % : autant ou plus).",
            [
                Bar(f"{c.kind.label} — {c.territory}, {c.when}", c.share * 100, f"{c.listed} sur {c.count.nombre}")
                for c in known
                if c.share is not None
            ],
            maximum=100,
        )
    }


# --- Freshness -----------------------------------------------------------------------


@dataclass(frozen=True)
class KindFreshness:
    kind: Kind
    total: int
    stale: int
    oldest: date | None


@dataclass(frozen=True)
class CampaignProgress:
    """The campaign under way: records of its scope still due, and those confirmed since it started."""

    campagne: Campagne
    due: list[Entry]
    confirmed: list[Entry]

    @property
    def total(self) -> int:
        return len(self.due) + len(self.confirmed)


@dataclass(frozen=True)
class Freshness:
    built_on: date
    delay: str  # « 12 mois »
    kinds: list[KindFreshness]
    stale: list[Entry]  # oldest first
    fresh: list[Entry]  # oldest first
    campaign: CampaignProgress | None
    stale_counts: list[Coverage]  # reference counts older than the delay (data/references.yaml)
    # Records that do not write their statut, by folder: pages say « à confirmer » and count none as open.
    unsaid: list[Entry]
    limit: int = FRESHNESS_LIMIT


def in_scope(entry: Entry, departements: list[str] | tuple[str, ...], types: list[Kind] | tuple[Kind, ...]) -> bool:
    """Whether a campaign limited to these départements and types (none: all) covers the record."""
    return (not types or entry.record.type in types) and (not departements or any(d in departements for d in entry.place.departements))


def freshness(site: SiteModel) -> Freshness:
    """Records by date verified, oldest first; those to check again (older than the delay) apart."""
    stale: list[Entry] = []
    fresh: list[Entry] = []
    total: Counter[Kind] = Counter()
    stale_count: Counter[Kind] = Counter()
    oldest: dict[Kind, date] = {}
    for entry in sorted(site.entries.values(), key=lambda e: (e.record.verifie_le, e.id)):
        kind = entry.record.type
        total[kind] += 1
        oldest.setdefault(kind, entry.record.verifie_le)
        if site.is_stale(entry.record):
            stale.append(entry)
            stale_count[kind] += 1
        else:
            fresh.append(entry)
    settings = site.catalogue.reverification
    return Freshness(
        site.today,
        settings.delay_text(),
        [KindFreshness(kind, total[kind], stale_count[kind], oldest.get(kind)) for kind in Kind],
        stale,
        fresh,
        _campaign_progress(settings.campagne, stale, fresh),
        [coverage for coverage in coverages(site) if coverage.stale],
        [entry for entry in sorted(site.entries.values(), key=lambda e: (e.record.type.value, e.id)) if entry.record.statut is None],
    )


def _campaign_progress(campagne: Campagne | None, stale: list[Entry], fresh: list[Entry]) -> CampaignProgress | None:
    if campagne is None:
        return None

    def covered(entry: Entry) -> bool:
        return in_scope(entry, campagne.departements, campagne.types)

    return CampaignProgress(
        campagne,
        [e for e in stale if covered(e)],
        [e for e in fresh if covered(e) and e.record.verifie_le >= campagne.debut],
    )


def territories_text(territories: list[Territory], unit: str) -> str:
    """« 101 départements et 6 collectivités d'outre-mer »: a collectivité d'outre-mer is neither a département nor a région."""
    collectivites = sum(territory.collectivite for territory in territories)
    counts = [(len(territories) - collectivites, unit), (collectivites, "collectivité d'outre-mer")]
    return " et ".join(f"{count} {_plural(count, word)}" for count, word in counts if count) or f"0 {unit}"


def _plural(count: int, word: str) -> str:
    head, _, tail = word.partition(" ")
    return f"{head}s {tail}".strip() if count > 1 else word


def observatory_pages(site: SiteModel) -> list[Page]:
    return [
        Page(
            "observatoire/index.md",
            "Observatoire : où est l'offre, où manque-t-elle ?",
            "observatory.html",
            {
                "obs": observe(site),
                # Columns of the records table: each statut, then records that state none.
                "statuts": [(statut.label, statut) for statut in Statut] + [("Non renseignée", None)],
                "thresholds": THRESHOLDS_KM,
                "map_threshold": MAP_THRESHOLD_KM,
                "offer_kinds": OFFER_KINDS,
                "distance_kinds": DISTANCE_KINDS,
                "territory_pages": territory_paths(site),
                "delay": site.catalogue.reverification.delay_text(),
                "territories_text": territories_text,
            },
            description="Nombre de structures par territoire, zones éloignées d'un GEM ou d'un collectif, couverture par les CLSM.",
        ),
        Page(
            "observatoire/fraicheur.md",
            "Fraîcheur des fiches",
            "freshness.html",
            {"fresh": freshness(site)},
            description="Les fiches à revérifier en premier, et l'avancement de la campagne de revérification.",
            searchable=False,
        ),
    ]

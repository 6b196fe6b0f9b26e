"""The observatory: where the offer is, where it is missing, how fresh the records are.

Every figure is computed from the records and the gazetteer at build time.
A structure is open when a recent record says so (its shown status, `Entry.status`):
a record not vouched for recently is « à confirmer », counted apart, never as open
nor as absent. Distances are great-circle distances from each commune's centroid to
the nearest located, open structure (and, apart, to the nearest open or à confirmer);
a structure known only by its commune sits at that commune's centroid (its `Place`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
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
from generator.site.model import UNCONFIRMED, Entry, SiteModel
from generator.site.pages import Page, territory_paths
from generator.site.text import number_fr, upper_first

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
# The key of open records in `Observatory.records`; the others are keyed by their shown status's slug.
OPEN = Statut.ACTIF.value


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
    unconfirmed: dict[Kind, int] = field(default_factory=dict)  # records « à confirmer », not in `counts`
    # Population far from an open structure or one « à confirmer »: what the distances would be if they all were open.
    far_counting_unconfirmed: dict[tuple[Kind, int], float] = field(default_factory=dict)

    def rate(self, kind: Kind) -> float | None:
        """Open structures per 100,000 inhabitants."""
        return self.counts[kind] * 100_000 / self.population if self.population else None

    def clsm_share(self) -> float | None:
        return self.clsm_population / self.population if self.population else None

    def far_share(self, kind: Kind, threshold: int, counting_unconfirmed: bool = False) -> float | None:
        far = self.far_counting_unconfirmed if counting_unconfirmed else self.far_population
        return far[kind, threshold] / self.population if self.population else None


@dataclass(frozen=True)
class FarCommune:
    commune: Commune
    distance_km: float | None  # None: no open structure of that kind is located at all
    # To the nearest open or « à confirmer »; None: no such structure is located at all.
    counting_unconfirmed_km: float | None = None


@dataclass(frozen=True)
class Observatory:
    built_on: date
    records: list[tuple[Kind, Counter[str]]]  # by shown status: OPEN, or the slug of a ShownStatus
    # The whole country (« France »), or the régions the site is limited to (`scope`), named after them.
    national: Territory
    scope: list[Region]
    sample_below: int
    regions: list[Territory]
    departements: list[Territory]
    gaps: dict[Kind, list[Territory]]  # départements without any record of the kind open or « à confirmer »
    unconfirmed_gaps: dict[Kind, list[Territory]]  # départements whose records of the kind are all « à confirmer »
    worst_served: Ranking
    far_communes: dict[Kind, list[FarCommune]]
    located: dict[Kind, int]
    located_unconfirmed: dict[Kind, int]
    maps: dict[Kind, GridMap]
    far_cells_counting_unconfirmed: dict[Kind, int]
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


def is_open(entry: Entry) -> bool:
    """Open as the site shows it: a record verified within the delay says so."""
    return entry.status is None


def is_unconfirmed(entry: Entry) -> bool:
    """Neither known open nor known closed: the record is too old or does not say (« à confirmer »)."""
    return entry.status == UNCONFIRMED


def shown_key(entry: Entry) -> str:
    return OPEN if entry.status is None else entry.status.slug


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

    statuts: dict[Kind, Counter[str]] = {kind: Counter() for kind in Kind}
    open_by_kind: dict[Kind, list[Entry]] = {kind: [] for kind in Kind}
    unconfirmed_by_kind: dict[Kind, list[Entry]] = {kind: [] for kind in Kind}
    for entry in site.entries.values():
        statuts[entry.record.type][shown_key(entry)] += 1
        if is_open(entry):
            open_by_kind[entry.record.type].append(entry)
        elif is_unconfirmed(entry):
            unconfirmed_by_kind[entry.record.type].append(entry)
    points = {kind: _located(open_by_kind[kind]) for kind in DISTANCE_KINDS}
    # Open or « à confirmer »: the distances if every structure à confirmer were open.
    either = {kind: points[kind] + _located(unconfirmed_by_kind[kind]) for kind in DISTANCE_KINDS}
    distances = {kind: nearest_km(table.lat_lon, points[kind]) for kind in DISTANCE_KINDS}
    distances_either = {kind: nearest_km(table.lat_lon, either[kind]) for kind in DISTANCE_KINDS}
    far = {(kind, t): population * (distances[kind] > t) for kind in DISTANCE_KINDS for t in THRESHOLDS_KM}
    far_either = {(kind, t): population * (distances_either[kind] > t) for kind in DISTANCE_KINDS for t in THRESHOLDS_KM}
    clsm = clsm_covered_population(table, [e.record for e in open_by_kind[Kind.CLSM]], places)

    collectivites = places.collectivites()

    def territories(codes_of, commune_codes: np.ndarray, units: list[Departement] | list[Region]) -> list[Territory]:
        index = np.searchsorted([u.code for u in units], commune_codes)
        counts = _counts(units, open_by_kind, codes_of)
        unconfirmed = _counts(units, unconfirmed_by_kind, codes_of)
        size = len(units)
        pop, covered = np.bincount(index, population, size), np.bincount(index, clsm, size)
        far_sums = {key: np.bincount(index, values, size) for key, values in far.items()}
        far_either_sums = {key: np.bincount(index, values, size) for key, values in far_either.items()}
        return [
            Territory(
                u.code,
                u.nom,
                int(pop[i]),
                {k: counts[u.code, k] for k in OFFER_KINDS},
                float(covered[i]),
                {key: float(v[i]) for key, v in far_sums.items()},
                u.code in collectivites,
                {k: unconfirmed[u.code, k] for k in OFFER_KINDS},
                {key: float(v[i]) for key, v in far_either_sums.items()},
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
        unconfirmed={k: len(unconfirmed_by_kind[k]) for k in OFFER_KINDS},
        far_counting_unconfirmed={key: float(v.sum()) for key, v in far_either.items()},
    )
    known = coverages(site)
    inhabited = [d for d in by_departement if d.population]
    worst = worst_served(inhabited)
    return Observatory(
        built_on=site.today,
        records=[(kind, statuts[kind]) for kind in Kind],
        national=national,
        scope=scope,
        sample_below=round(SAMPLE_BELOW * national.population / sum(c.population for c in communes)) if scope else SAMPLE_BELOW,
        regions=[r for r in by_region if r.population],
        departements=inhabited,
        gaps={kind: [d for d in inhabited if not d.counts[kind] and not d.unconfirmed[kind]] for kind in GAP_KINDS},
        unconfirmed_gaps={kind: [d for d in inhabited if not d.counts[kind] and d.unconfirmed[kind]] for kind in GAP_KINDS},
        worst_served=worst,
        far_communes={
            kind: _far_communes(table, distances[kind], points[kind], distances_either[kind], either[kind]) for kind in DISTANCE_KINDS
        },
        located={kind: len(points[kind]) for kind in DISTANCE_KINDS},
        located_unconfirmed={kind: len(either[kind]) - len(points[kind]) for kind in DISTANCE_KINDS},
        # The maps frame all of metropolitan France: a site's régions would be a few cells of it.
        maps={} if scope else {kind: grid_map(table.lat_lon, population, distances[kind] > MAP_THRESHOLD_KM) for kind in DISTANCE_KINDS},
        far_cells_counting_unconfirmed={}
        if scope
        else {kind: grid_map(table.lat_lon, population, distances_either[kind] > MAP_THRESHOLD_KM).far_cells for kind in DISTANCE_KINDS},
        charts=_charts(
            national,
            worst,
            statuts,
            f"le territoire de cet annuaire ({national.nom})" if scope else "la France entière",
            site.catalogue.reverification.delay_text(),
        )
        | _coverage_chart([c for c in known if not c.planned]),
        known=[c for c in known if not c.planned],
        planned=[c for c in known if c.planned],
    )


def _located(entries: list[Entry]) -> list[tuple[float, float]]:
    return [(e.place.lat, e.place.lon) for e in entries if e.place.located]


def _counts(units: list[Departement] | list[Region], by_kind: dict[Kind, list[Entry]], codes_of) -> dict[tuple[str, Kind], int]:
    """Structures of each offer kind in each unit: one counts in every territory where it is or that it covers."""
    counts = {(u.code, kind): 0 for u in units for kind in OFFER_KINDS}
    for kind in OFFER_KINDS:
        for entry in by_kind[kind]:
            for code in codes_of(entry.place):
                if (code, kind) in counts:
                    counts[code, kind] += 1
    return counts


def _rank_key(departement: Territory) -> tuple[float, float]:
    return (departement.far_share(Kind.GEM, MAP_THRESHOLD_KM), departement.far_share(Kind.COLLECTIF, MAP_THRESHOLD_KM))


@dataclass(frozen=True)
class Ranking:
    """The départements where most live far from an open GEM, then collectif, and what the page says of them."""

    departements: list[Territory]
    text: str


def worst_served(inhabited: list[Territory]) -> Ranking:
    """Among equals the most populous come first: when more tie than are shown, the page says so, lest a ranking
    seem to single out départements that many others equal; when all tie, nothing is ranked."""
    ranked = sorted(inhabited, key=lambda d: (tuple(-share for share in _rank_key(d)), -d.population))
    worst = ranked[:WORST_SERVED]
    if not worst:
        return Ranking([], "")
    last = _rank_key(worst[-1])
    tied, shown_tied = (sum(_rank_key(d) == last for d in among) for among in (ranked, worst))
    if tied == shown_tied:
        return Ranking(
            worst,
            f"Les {len(worst)} départements où la part des habitants à plus de {MAP_THRESHOLD_KM} km d'un GEM ouvert"
            " selon une fiche récente est la plus forte.",
        )
    equal = (
        f"à égalité : {_percent(last[0])} des habitants à plus de {MAP_THRESHOLD_KM} km d'un GEM ouvert selon une fiche récente,"
        f" {_percent(last[1])} d'un collectif"
    )
    if tied == len(ranked):
        return Ranking([], f"Les {number_fr(tied)} départements sont {equal} : il n'y a donc pas de classement à montrer.")
    before = len(worst) - shown_tied
    after = f"Après les {number_fr(before)} premiers, " if before else ""
    return Ranking(worst, f"{after}{number_fr(tied)} départements sont {equal}. Voici les {number_fr(shown_tied)} plus peuplés.")


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f} %".replace(".", ",")


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


def _far_communes(
    table: CommuneTable,
    distances: np.ndarray,
    points: list[tuple[float, float]],
    either: np.ndarray,
    either_points: list[tuple[float, float]],
) -> list[FarCommune]:
    """The most populous communes beyond the map threshold of an open structure, with their geodesic distance
    to it and to the nearest open or « à confirmer ».

    geopy's geodesic costs ~0.15 ms a call: fine for these few lines, too slow
    for every commune, whose shares use the great-circle distance.
    """
    far = np.flatnonzero(distances > MAP_THRESHOLD_KM)
    largest = far[np.argsort(-table.population[far], kind="stable")][:FAR_COMMUNES]
    return [
        FarCommune(
            table.communes[int(i)],
            _geodesic_nearest(table, int(i), distances, points),
            _geodesic_nearest(table, int(i), either, either_points),
        )
        for i in largest
    ]


def _geodesic_nearest(table: CommuneTable, i: int, distances: np.ndarray, points: list[tuple[float, float]]) -> float | None:
    """The geodesic distance from commune `i` to the nearest of `points`, whose great-circle one is `distances[i]`."""
    if not points:
        return None
    commune = table.communes[i]
    # The ellipsoid differs from the sphere by under 0.6 %: only points that close can be nearest.
    chords = np.linalg.norm(unit_vectors(np.array(points)) - unit_vectors(table.lat_lon[i : i + 1]), axis=1)
    near = np.flatnonzero(_chord_to_km(chords) <= distances[i] * 1.01 + 1)
    return min(distance_km((commune.lat, commune.lon), points[j]) for j in near)


def _charts(national: Territory, worst: Ranking, statuts: dict[Kind, Counter[str]], whole: str, delay: str) -> dict[str, BarChart]:
    return {
        "records": BarChart(
            "chart-records",
            "Structures ouvertes selon une fiche récente, par type",
            f"Nombre de fiches vérifiées depuis moins de {delay} qui disent la structure ouverte, pour chaque type.",
            [Bar(kind.label, statuts[kind][OPEN], str(statuts[kind][OPEN])) for kind in Kind],
            note=_unconfirmed_note(statuts, Kind),
        ),
        "distance": BarChart(
            "chart-distance",
            "Part de la population loin d'un GEM ou d'un collectif ouvert",
            f"Pour {whole}, part des habitants dont la commune est à plus de 20 km, puis à plus de 50 km, du GEM ou du collectif"
            " ouvert selon une fiche récente le plus proche ; puis, quand c'est différent, la même part en comptant aussi les"
            " structures dont la situation est à confirmer.",
            _distance_bars(national),
            maximum=100,
        ),
    } | _worst_chart(worst, statuts)


def _worst_chart(worst: Ranking, statuts: dict[Kind, Counter[str]]) -> dict[str, BarChart]:
    if not worst.departements:
        return {}
    return {
        "worst": BarChart(
            "chart-worst",
            f"Départements où la part des habitants à plus de {MAP_THRESHOLD_KM} km d'un GEM ouvert est la plus forte",
            worst.text,
            [
                Bar(f"{d.nom} ({d.code})", d.far_share(Kind.GEM, MAP_THRESHOLD_KM) * 100, _percent(d.far_share(Kind.GEM, MAP_THRESHOLD_KM)))
                for d in worst.departements
            ],
            maximum=100,
            note=_unconfirmed_note(statuts, (Kind.GEM,)),
        )
    }


def _distance_bars(national: Territory) -> list[Bar]:
    """Each share of the population far from an open structure, then the same counting those « à confirmer »
    where it differs: the second says how much the records to confirm would change."""
    bars = []
    for kind in DISTANCE_KINDS:
        for t in THRESHOLDS_KM:
            share, either = national.far_share(kind, t), national.far_share(kind, t, counting_unconfirmed=True)
            if share is None:
                continue
            bars.append(Bar(f"{upper_first(kind.nouns.singular)} ouvert à plus de {t} km", share * 100, _percent(share)))
            if either != share:
                bars.append(
                    Bar(f"{upper_first(kind.nouns.singular)} ouvert ou à confirmer à plus de {t} km", either * 100, _percent(either))
                )
    return bars


def _unconfirmed_note(statuts: dict[Kind, Counter[str]], kinds: Iterable[Kind]) -> str:
    """Records « à confirmer » are not counted open: said, lest « GEM : 0 » read as « no GEM »."""
    unconfirmed = [f"{kind.label} : {statuts[kind][UNCONFIRMED.slug]}" for kind in kinds if statuts[kind][UNCONFIRMED.slug]]
    if not unconfirmed:
        return ""
    return f"Ne sont pas comptées les fiches dont la situation est à confirmer ({' ; '.join(unconfirmed)})."


def _coverage_chart(known: list[Coverage]) -> dict[str, BarChart]:
    if not known:
        return {}
    beyond = [f"{c.kind.label} — {c.territory}, {c.when} ({c.comparable} pour {c.count.nombre})" for c in known if c.more_than_counted]
    return {
        "coverage": BarChart(
            "chart-coverage",
            "Part des structures recensées par d'autres sources que l'annuaire liste",
            "Pour chaque nombre de référence, la part de ces structures que l'annuaire liste, au plus.",
            [
                Bar(f"{c.kind.label} — {c.territory}, {c.when}", c.share * 100, f"{c.comparable} sur {c.count.nombre}")
                for c in known
                if c.share is not None
            ],
            maximum=100,
            # More records than the source counted is no share: they need not be the structures it counted.
            note=f"L'annuaire liste plus de structures que la source n'en comptait : {' ; '.join(beyond)}." if beyond else "",
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
                # Columns of the records table: each situation as pages show it, « à confirmer » last.
                "statuts": [("Ouvert selon une fiche récente", OPEN)]
                + [(statut.label, statut.value) for statut in Statut if statut != Statut.ACTIF]
                + [(UNCONFIRMED.label, UNCONFIRMED.slug)],
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

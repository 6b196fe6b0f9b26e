"""`nearest`: geodesic ranking of located entries."""

from __future__ import annotations

import random

from generator.geography import distance_km
from generator.models import MODELS
from generator.nearest import nearest
from generator.places import Place
from generator.site import Entry
from generator.vocabulary import Kind, Precision

EXTRA = {Kind.ESMS: {"categorie": "esat"}, Kind.GEM: {}}


def entry(record_id: str, lat: float | None, lon: float | None, kind: Kind = Kind.GEM) -> Entry:
    record = MODELS[kind].model_validate(
        {
            "id": record_id,
            "type": kind.value,
            "nom": record_id,
            "territoire": {"national": True},
            "sources": [{"titre": "Source", "document": "Document"}],
            "verifie_le": "2026-01-15",
            **EXTRA[kind],
        }
    )
    return Entry(record, Place(lat=lat, lon=lon, precision=None if lat is None else Precision.ADRESSE))


PARIS = (48.8566, 2.3522)


def test_nearest_first_with_geodesic_km():
    entries = [entry("lyon", 45.764, 4.8357), entry("versailles", 48.8049, 2.1204), entry("lille", 50.6292, 3.0573), entry("nowhere", None, None)]
    found = nearest(entries, PARIS, k=5)
    assert [e.id for e, _ in found] == ["versailles", "lille", "lyon"]
    for e, km in found:
        assert km == distance_km(PARIS, (e.place.lat, e.place.lon))
    assert 390 < found[-1][1] < 395  # Paris–Lyon


def test_kind_filter_and_k():
    entries = [entry("gem-near", 48.86, 2.35), entry("esat-near", 48.857, 2.353, Kind.ESMS), entry("esat-far", 43.3, 5.37, Kind.ESMS)]
    assert [e.id for e, _ in nearest(entries, PARIS, kind=Kind.ESMS)] == ["esat-near", "esat-far"]
    assert [e.id for e, _ in nearest(entries, PARIS, k=1)] == ["esat-near"]
    assert nearest(entries, PARIS, k=0) == [] and nearest([], PARIS) == []


def test_same_ranking_as_measuring_every_entry():
    rng = random.Random(7)
    entries = [entry(f"e{i}", rng.uniform(42, 51), rng.uniform(-4.5, 8), Kind.GEM) for i in range(400)]
    entries += [entry("reunion", -21.1, 55.5), entry("guadeloupe", 16.25, -61.55)]
    for point in [PARIS, (43.6, 1.44), (-20.9, 55.45), (16.2, -61.5)]:
        brute = sorted(((distance_km(point, (e.place.lat, e.place.lon)), e.id) for e in entries))[:7]
        assert [(e.id, km) for e, km in nearest(entries, point, k=7)] == [(rid, km) for km, rid in brute]


def test_across_the_antimeridian():
    # Wallis-et-Futuna: Futuna's hospital is the nearest to Uvea's, across longitude 180 or not.
    entries = [entry("futuna", -14.29, -178.15), entry("fidji", -17.7, 178.0), entry("noumea", -22.27, 166.44)]
    assert [e.id for e, _ in nearest(entries, (-13.28, -176.17), k=3)] == ["futuna", "fidji", "noumea"]

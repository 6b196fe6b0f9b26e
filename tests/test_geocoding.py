"""`passerelle geocode` with a fake geocoder, and how the build places records from its cache."""

from __future__ import annotations

import argparse
import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from geopy.exc import GeocoderServiceError
from geopy.geocoders import BANFrance

from generator import clock
from generator.catalogue import load_catalogue
from generator.cli import main, run_geocode
from generator.geo.geocoding import CACHE_PATH, GeocodedPoint, read_cache, write_cache
from generator.importers.ban import geocode_catalogue
from generator.problems import DataError
from generator.records.vocabulary import Precision

GEM = """\
type: gem
nom: {nom}
adresse:
{adresse}
sources:
  - titre: Source
    document: Document
    date: "2026-01-15"
verifie_le: 2026-01-15
"""
STREET = '  voie: 43 rue du Télégraphe\n  code_postal: "92260"\n  commune: Fontenay-aux-Roses'
QUERY = "43 rue du Télégraphe, 92260 Fontenay-aux-Roses"


def write_gem(data: Path, record_id: str, adresse: str, extra: str = "") -> Path:
    path = data / "gem" / f"{record_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(GEM.format(nom=record_id, adresse=adresse) + extra, encoding="utf-8")
    return path


@dataclass
class Location:
    latitude: float
    longitude: float
    raw: dict


@dataclass
class FakeGeocoder:
    """Stands for geopy's BANFrance: answers from a table, remembers every query."""

    answers: dict[str, Location | Exception | None]
    queries: list[str] = field(default_factory=list)

    def geocode(self, query: str, exactly_one: bool = True):
        self.queries.append(query)
        answer = self.answers.get(query)
        if isinstance(answer, Exception):
            raise answer
        return answer


def ban(lat: float, lon: float, score: float = 0.93) -> Location:
    return Location(lat, lon, {"type": "Feature", "properties": {"score": score, "type": "housenumber"}})


def arguments(data: Path, limit: int | None = None) -> argparse.Namespace:
    return argparse.Namespace(data=data, limit=limit, service="ban", delai=0.0)


def test_geocode_fills_the_cache_and_the_build_uses_it(tmp_path, capsys):
    write_gem(tmp_path, "gem-rue", STREET)
    write_gem(tmp_path, "gem-commune", '  code_postal: "92260"\n  commune: Fontenay-aux-Roses')
    write_gem(tmp_path, "gem-place", STREET, "coordonnees: {lat: 48.79, lon: 2.29}\n")
    fake = FakeGeocoder({QUERY: ban(48.79146, 2.28743)})
    assert run_geocode(arguments(tmp_path), geocoder=fake) == 0
    # Only the street without coordinates is sent; the others need nothing.
    assert fake.queries == [QUERY]
    assert "[1/1] gem-rue : 48.79146, 2.28743" in capsys.readouterr().out
    cache, problems = read_cache(tmp_path)
    assert problems == [] and cache["gem-rue"] == GeocodedPoint(lat=48.79146, lon=2.28743, requete=QUERY, score=0.93, date=clock.today())
    catalogue = load_catalogue(tmp_path)
    place = catalogue.places["gem-rue"]
    assert (place.lat, place.lon, place.precision) == (48.79146, 2.28743, Precision.ADRESSE)
    assert catalogue.places["gem-commune"].precision == Precision.COMMUNE
    # A second run asks nothing: the answer is in the cache.
    assert run_geocode(arguments(tmp_path), geocoder=fake) == 0
    assert fake.queries == [QUERY]


def test_explicit_coordinates_win_over_the_cache(tmp_path):
    write_gem(tmp_path, "gem-place", STREET, "coordonnees: {lat: 48.7, lon: 2.2}\n")
    write_cache(tmp_path, {"gem-place": GeocodedPoint(lat=48.79, lon=2.28, requete=QUERY, score=0.9, date=date(2026, 1, 1))})
    place = load_catalogue(tmp_path).places["gem-place"]
    assert (place.lat, place.lon) == (48.7, 2.2)


def test_a_cache_entry_for_an_older_address_is_ignored_then_redone(tmp_path):
    path = write_gem(tmp_path, "gem-rue", STREET)
    write_cache(tmp_path, {"gem-rue": GeocodedPoint(lat=48.79, lon=2.28, requete=QUERY, score=0.9, date=date(2026, 1, 1))})
    assert load_catalogue(tmp_path).places["gem-rue"].precision == Precision.ADRESSE
    path.write_text(path.read_text(encoding="utf-8").replace("43 rue", "12 rue"), encoding="utf-8")
    place = load_catalogue(tmp_path).places["gem-rue"]
    assert place.precision == Precision.COMMUNE and place.lat == place.commune.lat
    moved = QUERY.replace("43 rue", "12 rue")
    fake = FakeGeocoder({moved: ban(48.7922, 2.2901)})
    geocode_catalogue(load_catalogue(tmp_path), tmp_path, fake, min_delay=0, progress=lambda line: None)
    assert fake.queries == [moved]
    assert load_catalogue(tmp_path).places["gem-rue"].lat == 48.7922


def test_doubtful_answers_are_rejected_and_limit_is_respected(tmp_path):
    streets = {
        "gem-a": ("1 rue Boucicaut", None),  # not found
        "gem-b": ("2 rue Boucicaut", ban(48.79, 2.29, score=0.31)),  # weak match
        "gem-c": ("3 rue Boucicaut", ban(43.30, 5.37)),  # Marseille: another town
        "gem-d": ("4 rue Boucicaut", ban(48.789, 2.291)),
        "gem-e": ("5 rue Boucicaut", ban(48.788, 2.292)),
    }
    answers = {}
    for record_id, (street, answer) in streets.items():
        write_gem(tmp_path, record_id, STREET.replace("43 rue du Télégraphe", street))
        answers[f"{street}, 92260 Fontenay-aux-Roses"] = answer
    fake = FakeGeocoder(answers)
    report = geocode_catalogue(load_catalogue(tmp_path), tmp_path, fake, limit=4, min_delay=0, progress=lambda line: None)
    assert len(fake.queries) == 4 and report.left == 1
    assert report.not_found == ["gem-a"] and report.found == ["gem-d"]
    assert [record_id for record_id, _ in report.rejected] == ["gem-b", "gem-c"]
    assert set(read_cache(tmp_path)[0]) == {"gem-d"}


def test_a_service_failure_stops_the_run_and_keeps_what_was_found(tmp_path, capsys):
    write_gem(tmp_path, "gem-a", STREET)
    write_gem(tmp_path, "gem-b", STREET.replace("43", "45"))
    fake = FakeGeocoder({QUERY: ban(48.79, 2.29), QUERY.replace("43", "45"): GeocoderServiceError("503")})
    assert run_geocode(arguments(tmp_path), geocoder=fake) == 1
    assert capsys.readouterr().err == (
        "Le service de géocodage a répondu par une erreur : relancez la commande plus tard ; "
        f"les positions déjà trouvées sont gardées ({tmp_path / CACHE_PATH}).\n"
    )
    assert set(read_cache(tmp_path)[0]) == {"gem-a"}
    # The rate limiter retried the failing request before giving up.
    assert fake.queries.count(QUERY.replace("43", "45")) == 3


def test_offline_the_command_says_so_in_french_without_the_retries_tracebacks(tmp_path, capsys, caplog):
    """A real BAN geocoder on a local port where nothing listens: refused at once, as without internet."""
    write_gem(tmp_path, "gem-a", STREET)
    offline = BANFrance(domain="127.0.0.1:9", scheme="http", timeout=2)
    with caplog.at_level(logging.WARNING):
        assert run_geocode(arguments(tmp_path), geocoder=offline) == 1
    assert capsys.readouterr().err == (
        "Service de géocodage injoignable : vérifiez la connexion à internet, puis relancez la commande ; "
        f"les positions déjà trouvées sont gardées ({tmp_path / CACHE_PATH}).\n"
    )
    # geopy's rate limiter logged each of its retries with a traceback (« RateLimiter caught an error, retrying »).
    assert [record.getMessage() for record in caplog.records if record.name.startswith("geopy")] == []


def test_a_cache_whose_writing_fails_keeps_the_positions_found_before(tmp_path, monkeypatch):
    first = {"gem-place": GeocodedPoint(lat=48.79, lon=2.28, requete=QUERY, score=0.9, date=date(2026, 1, 1))}
    path = write_cache(tmp_path, first)
    before = path.read_bytes()

    def disk_full_halfway(self, content, *args, **kwargs):
        with open(self, "wb" if isinstance(content, bytes) else "w") as handle:
            handle.write(content[: len(content) // 2])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", disk_full_halfway)
    monkeypatch.setattr(Path, "write_text", disk_full_halfway)
    with pytest.raises(OSError):
        write_cache(tmp_path, {**first, "gem-rue": first["gem-place"]})
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert read_cache(tmp_path) == (first, [])
    assert [p.name for p in path.parent.iterdir()] == [path.name], "no half-written file is left beside it"


@pytest.mark.parametrize(("service", "delay", "said"), [("nominatim", "0.5", "1 seconde"), ("ban", "0", "0,02 seconde")])
def test_a_delay_under_the_services_usage_policy_is_refused_before_any_request(tmp_path, capsys, service, delay, said):
    assert main(["geocode", "--data", str(tmp_path), "--service", service, "--delai", delay]) == 1
    assert (
        capsys.readouterr().err == f"--delai : au moins {said} entre deux requêtes pour {service}, comme le demande sa politique d'usage\n"
    )
    assert not (tmp_path / CACHE_PATH).exists()


def test_a_broken_cache_is_a_data_problem(tmp_path):
    write_gem(tmp_path, "gem-rue", STREET)
    cache = tmp_path / CACHE_PATH
    cache.parent.mkdir(parents=True)
    cache.write_text("gem-rue:\n  lat: nord\n  lon: 2.2\n  requete: x\n  date: '2026-01-01'\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_catalogue(tmp_path)
    assert "geocodage.yaml" in str(caught.value) and "gem-rue" in str(caught.value)


@pytest.mark.parametrize(
    ("adresse", "message"),
    [
        ('  code_postal: "92261"\n  commune: Fontenay-aux-Roses', "code postal inconnu « 92261 »"),
        (
            '  code_postal: "92330"\n  commune: Fontenay-aux-Roses',
            "la commune « Fontenay-aux-Roses » ne correspond pas au code postal 92330",
        ),
    ],
)
def test_postcode_that_does_not_exist_or_fit_the_commune_is_an_error(tmp_path, adresse, message):
    write_gem(tmp_path, "gem-x", adresse)
    with pytest.raises(DataError) as caught:
        load_catalogue(tmp_path)
    assert message in str(caught.value)


def test_departement_and_region_come_from_the_postcode(tmp_path):
    write_gem(tmp_path, "gem-x", '  code_postal: "97139"\n  commune: Les Abymes')
    place = load_catalogue(tmp_path).places["gem-x"]
    assert (place.commune.insee, place.departements, place.regions) == ("97101", ("971",), ("01",))

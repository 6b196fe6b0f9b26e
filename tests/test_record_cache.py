"""The cache of validated records (generator/records/cache.py): used when nothing changed, never once something did."""

from __future__ import annotations

import os
import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from generator import clock
from generator.catalogue import load_catalogue
from generator.clock import TODAY_ENV
from generator.geo import gazetteer as gazetteer_module
from generator.geo.gazetteer import Gazetteer
from generator.problems import DataError
from generator.records import cache, loading
from tests.records import VALID_GEM, VERIFIED, gem_named
from tests.sitebuild import build_site


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    """A cache of its own for each test, and no record kept in memory (as in a new `passerelle build`)."""
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(loading, "_valid_files", {})


def new_run(monkeypatch) -> None:
    """What a new process starts with: the cache on disk only."""
    monkeypatch.setattr(loading, "_valid_files", {})


def write_gem(data: Path, text: str, name: str = "gem-exemple") -> Path:
    path = data / "gem" / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def no_reading(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("the record file was read and validated again")

    monkeypatch.setattr(loading, "read_record_file", refuse)


def test_an_unchanged_record_is_taken_from_the_cache(tmp_path, monkeypatch):
    data = tmp_path / "data"
    write_gem(data, gem_named("GEM Avant"))
    first = load_catalogue(data)
    new_run(monkeypatch)
    no_reading(monkeypatch)
    second = load_catalogue(data)
    assert second.records == first.records and second.places == first.places


def test_a_changed_file_is_validated_again_even_with_the_same_size_and_time(tmp_path, monkeypatch):
    data = tmp_path / "data"
    path = write_gem(data, gem_named("GEM Avant"))
    assert load_catalogue(data).records["gem-exemple"].nom == "GEM Avant"
    stat = path.stat()
    path.write_text(gem_named("GEM Avent"), encoding="utf-8")  # as long as before
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    new_run(monkeypatch)
    assert load_catalogue(data).records["gem-exemple"].nom == "GEM Avent"


def test_a_file_that_became_invalid_is_reported_not_taken_from_the_cache(tmp_path, monkeypatch):
    data = tmp_path / "data"
    path = write_gem(data, VALID_GEM)
    load_catalogue(data)
    path.write_text(VALID_GEM.replace('code_postal: "92260"', 'code_postal: "9226"'), encoding="utf-8")
    new_run(monkeypatch)
    with pytest.raises(DataError, match="code_postal"):
        load_catalogue(data)


def test_changed_models_make_every_entry_stale(tmp_path, monkeypatch):
    """An entry written by other models' code is never used, even under the key of the very same file."""
    data = tmp_path / "data"
    write_gem(data, gem_named("GEM Avant"))
    load_catalogue(data)
    # Poison the cache: the same file's key now gives another value, as an older model might have.
    entries = cache.RecordCache(data)
    [key] = entries.previous
    entries.current = {key: entries.previous[key].model_copy(update={"nom": "VALEUR PÉRIMÉE"})}
    entries.previous = {}
    entries.save()
    new_run(monkeypatch)
    assert load_catalogue(data).records["gem-exemple"].nom == "VALEUR PÉRIMÉE", "same models: the cache is used"
    new_run(monkeypatch)
    monkeypatch.setattr(cache, "CODE_FINGERPRINT", b"the models changed")
    assert load_catalogue(data).records["gem-exemple"].nom == "GEM Avant"


def test_the_fingerprint_follows_the_libraries_the_models_call(monkeypatch):
    before = cache.code_fingerprint()
    real = cache.importlib.metadata.version
    monkeypatch.setattr(cache.importlib.metadata, "version", lambda name: "99.0" if name == "phonenumbers" else real(name))
    assert cache.code_fingerprint() != before


def test_places_follow_the_gazetteer_of_the_run(tmp_path, monkeypatch):
    """Places are never cached: a record taken from the cache is placed with this run's gazetteer."""
    data = tmp_path / "data"
    write_gem(data, VALID_GEM)
    shipped = Path(gazetteer_module.__file__).parent / "communes"
    moved = tmp_path / "communes"
    shutil.copytree(shipped, moved)
    rows = (moved / "communes.csv").read_text(encoding="utf-8").splitlines()
    [index] = [i for i, row in enumerate(rows) if row.split(",")[1] == "Fontenay-aux-Roses"]
    cells = rows[index].split(",")
    cells[6] = "45.0"  # latitude
    rows[index] = ",".join(cells)
    (moved / "communes.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert load_catalogue(data).places["gem-exemple"].commune.lat != 45.0
    new_run(monkeypatch)
    no_reading(monkeypatch)
    assert load_catalogue(data, Gazetteer.load(moved)).places["gem-exemple"].commune.lat == 45.0


def test_a_cached_record_s_problems_found_with_other_files_point_at_its_line(tmp_path, monkeypatch):
    data = tmp_path / "data"
    write_gem(data, VALID_GEM.replace("verifie_le:", "partenaires:\n  - gem-autre\nverifie_le:"))
    write_gem(data, gem_named("GEM Autre"), "gem-autre")
    load_catalogue(data)
    (data / "gem" / "gem-autre.yaml").unlink()
    new_run(monkeypatch)
    with pytest.raises(DataError) as caught:
        load_catalogue(data)
    [problem] = caught.value.problems
    assert "partenaire inconnu « gem-autre »" in str(problem)
    assert (problem.line, problem.field) == (11, "partenaires[0]")


def test_a_valid_file_read_for_the_first_time_keeps_no_positions(tmp_path, monkeypatch):
    """Positions of every value of every file were most of a cold national build's memory: a valid
    file's are read again only for a problem found with other files, and then point at its line."""
    data = tmp_path / "data"
    write_gem(data, VALID_GEM.replace("verifie_le:", "partenaires:\n  - gem-autre\nverifie_le:"))
    write_gem(data, gem_named("GEM Autre"), "gem-autre")
    found = loading.read_records(data)
    assert not found.problems
    assert [document.positions for document in found.documents.values()] == [{}, {}]
    [kept] = {path.name: entry[2] for path, entry in loading._valid_files.items() if path.name == "gem-exemple.yaml"}.values()
    assert kept.positions == {}
    [problem] = loading.partner_problems(found.records["gem-exemple"], found.documents["gem-exemple"], ["gem-exemple"])
    assert (problem.line, problem.field) == (11, "partenaires[0]")


def test_a_record_cached_on_a_later_day_is_validated_again_on_an_earlier_one(tmp_path, monkeypatch):
    """A build dated ahead (PASSERELLE_TODAY) accepts a verification of that day; today's build must not take it as valid."""
    data = tmp_path / "data"
    coming = (clock.today() + timedelta(days=30)).isoformat()
    write_gem(data, VALID_GEM.replace(VERIFIED, coming))
    monkeypatch.setenv(TODAY_ENV, coming)
    assert load_catalogue(data).records["gem-exemple"].verifie_le.isoformat() == coming
    monkeypatch.delenv(TODAY_ENV)
    new_run(monkeypatch)
    with pytest.raises(DataError) as refused:
        load_catalogue(data)
    assert f"la date {coming} est dans le futur" in refused.value.report()


def test_an_unreadable_cache_only_costs_time(tmp_path, monkeypatch):
    data = tmp_path / "data"
    write_gem(data, VALID_GEM)
    load_catalogue(data)
    entries = cache.RecordCache(data)
    entries.path.write_bytes(b"not a pickle")
    new_run(monkeypatch)
    assert load_catalogue(data).records["gem-exemple"].nom == "GEM Exemple"
    assert cache.RecordCache(data).previous, "written again"


def test_a_second_build_never_publishes_the_old_value(tmp_path):
    """Two real builds, as `passerelle build` runs them (each its own process, the cache on disk only)."""
    data = tmp_path / "data"
    path = write_gem(data, gem_named("GEM Avant"))
    build_site(tmp_path / "site", data_dir=data)
    path.write_text(gem_named("GEM Après"), encoding="utf-8")
    loading._valid_files.clear()
    page = (build_site(tmp_path / "site", data_dir=data) / "structures" / "gem-exemple" / "index.html").read_text(encoding="utf-8")
    assert "GEM Après" in page and "GEM Avant" not in page


# --- A new folder validated on two cores (loading._SecondCore) ---------------------------------------

FILES = 40


def new_folder(data: Path) -> None:
    """FILES gems, one invalid in each half, and a file that is not a record."""
    for number in range(FILES):
        text = gem_named(f"GEM {number:02d}")
        if number in (5, 30):
            text = text.replace('code_postal: "92260"', 'code_postal: "9226"')
        write_gem(data, text, f"gem-{number:02d}")
    (data / "gem" / "notes.txt").write_text("pas une fiche", encoding="utf-8")


def read_here(monkeypatch, data: Path, parallel_from: int) -> tuple[loading.RecordFiles, int]:
    """The folder read from a cold cache; and how many files this process validated itself."""
    monkeypatch.setenv(cache.CACHE_ENV, str(data.parent / f"cache-{parallel_from}"))
    monkeypatch.setattr(loading, "PARALLEL_FROM", parallel_from)
    monkeypatch.setattr(loading.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)  # whatever the machine has
    new_run(monkeypatch)
    validated = []
    read = loading.read_record_file
    monkeypatch.setattr(loading, "read_record_file", lambda path, *rest: validated.append(path) or read(path, *rest))
    found = loading.read_records(data)
    monkeypatch.setattr(loading, "read_record_file", read)
    return found, len(validated)


def said(found: loading.RecordFiles) -> list[str]:
    return [str(problem) for problem in found.problems]


def test_a_second_core_validates_half_of_a_new_folder_and_the_result_is_the_same(tmp_path, monkeypatch):
    data = tmp_path / "data"
    new_folder(data)
    alone, validated_alone = read_here(monkeypatch, data, parallel_from=10**9)
    shared, validated_here = read_here(monkeypatch, data, parallel_from=10)
    assert validated_alone == FILES
    # The first half here, and the invalid file of the second, read again to say its problems.
    assert validated_here == FILES // 2 + 1
    assert shared.records == alone.records and len(shared.records) == FILES - 2
    assert said(shared) == said(alone) and len(said(alone)) == 3  # in the same order: the folder's
    assert list(shared.documents) == list(alone.documents)
    # What the worker validated is in the cache for the next run, as the rest.
    new_run(monkeypatch)
    assert len(cache.RecordCache(data).previous) == FILES - 2


def test_a_worker_that_fails_costs_time_only(tmp_path, monkeypatch):
    data = tmp_path / "data"
    new_folder(data)
    alone, _ = read_here(monkeypatch, data, parallel_from=10**9)
    monkeypatch.setattr(loading, "_validate_elsewhere", lambda *arguments: os._exit(3))
    shared, validated_here = read_here(monkeypatch, data, parallel_from=10)
    assert validated_here == FILES
    assert shared.records == alone.records and said(shared) == said(alone)


def test_no_second_core_for_a_folder_the_cache_knows(tmp_path, monkeypatch):
    data = tmp_path / "data"
    new_folder(data)
    read_here(monkeypatch, data, parallel_from=10)
    started = []
    start = loading._SecondCore.start
    monkeypatch.setattr(loading._SecondCore, "start", lambda *arguments: started.append(start(*arguments)) or started[-1])
    new_run(monkeypatch)
    loading.read_records(data)
    assert started == [None]

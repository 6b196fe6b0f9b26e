"""The catalogue: every valid record, and where it is.

Reading the records (`records/`) and placing them (`geo/`) are two steps; this
module joins them, so that a record whose postcode matches no commune is a
problem of the data like any other, reported with its file and line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.geo.gazetteer import Gazetteer
from generator.geo.geocoding import GeocodedPoint, read_cache
from generator.geo.places import DEPARTEMENT_HINT, REGION_HINT, Place, place_record
from generator.problems import DataError, Problem
from generator.records.loading import duplicate_id, partner_problems, read_record_file, read_records
from generator.records.models import CODE_DEPARTEMENT, CODE_REGION, Record
from generator.records.references import NombreDeReference, ReferenceFile, read_references
from generator.records.reverification import Reverification, read_reverification
from generator.records.vocabulary import Kind


@dataclass(frozen=True)
class Catalogue:
    """Every valid record, where it is, and the file it came from; the reference counts beside them."""

    records: dict[str, Record]
    places: dict[str, Place]
    files: dict[str, Path]
    reverification: Reverification = Reverification()
    references: tuple[NombreDeReference, ...] = ()
    # The positions `passerelle geocode` found (data/geo/geocodage.yaml), by record id.
    geocoded: Mapping[str, GeocodedPoint] = field(default_factory=dict)


def load_catalogue(data_dir: Path, gazetteer: Gazetteer | None = None) -> Catalogue:
    """Read, check and place every record under `data_dir`; raise DataError listing all problems."""
    gazetteer = gazetteer or Gazetteer.load()
    found = read_records(data_dir)
    problems = found.problems
    geocoded, cache_problems = read_cache(data_dir)
    problems.extend(cache_problems)
    reverification, reverification_problems = read_reverification(data_dir)
    problems.extend(reverification_problems)
    references = read_references(data_dir)
    problems.extend(references.problems)
    problems.extend(territory_problems(references, gazetteer))
    places: dict[str, Place] = {}
    for record_id, record in found.records.items():
        place, messages = place_record(record, gazetteer, geocoded)
        places[record_id] = place
        problems.extend(found.documents[record_id].problem(location, message, hint) for location, message, hint in messages)
    if problems:
        raise DataError(problems)
    files = {record_id: document.path for record_id, document in found.documents.items()}
    return Catalogue(found.records, places, files, reverification, tuple(references.nombres), geocoded)


def territory_problems(references: ReferenceFile, gazetteer: Gazetteer) -> list[Problem]:
    """A reference count's région or département must be one the gazetteer knows.

    Read from the file's data, so that a count with another mistake is checked too.
    """
    document = references.document
    items = document.data.get("nombres") if document is not None and isinstance(document.data, dict) else None
    problems = []
    for index, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict):
            continue
        region, departement = item.get("region"), item.get("departement")
        if isinstance(region, str) and re.fullmatch(CODE_REGION, region) and gazetteer.region(region) is None:
            problems.append(document.problem(("nombres", index, "region"), f"région inconnue « {region} »", REGION_HINT))
        if isinstance(departement, str) and re.fullmatch(CODE_DEPARTEMENT, departement) and gazetteer.departement(departement) is None:
            problems.append(document.problem(("nombres", index, "departement"), f"département inconnu « {departement} »", DEPARTEMENT_HINT))
    return problems


def update_catalogue(catalogue: Catalogue, data_dir: Path, changed: Iterable[Path], gazetteer: Gazetteer) -> Catalogue | None:
    """`catalogue` with the record files `changed` (edited or new) read again, the others kept as they were.

    For `mkdocs serve`, where one edit must not cost a reading of the whole folder.
    None when the change is not the edit or addition of valid record files (a file
    removed or renamed, another data file, any problem): then read the whole folder
    with `load_catalogue`, which also reports every problem.
    """
    kinds = {kind.value: kind for kind in Kind}
    records, places, files = dict(catalogue.records), dict(catalogue.places), dict(catalogue.files)
    problems: list[Problem] = []
    read = []
    for path in dict.fromkeys(changed):
        kind = kinds.get(path.parent.name)
        record_id = path.stem
        if kind is None or path.parent.parent != data_dir or path.suffix != ".yaml" or not path.is_file():
            return None
        if files.get(record_id, path) != path:
            return None  # a duplicate id: load_catalogue says which files
        document, record = read_record_file(path, kind, problems)
        if record is None:
            return None
        records[record_id], files[record_id] = record, path
        read.append((record, document))
    for record, document in read:
        problems.extend(partner_problems(record, document, records))
        place, messages = place_record(record, gazetteer, catalogue.geocoded)
        places[record.id] = place
        if messages:
            return None
    if problems:
        return None
    return replace(catalogue, records=records, places=places, files=files)


def check_record_file(path: Path, kind: Kind, data_dir: Path, gazetteer: Gazetteer) -> list[Problem]:
    """The problems `passerelle validate` would report in this one record file (without reading the others)."""
    problems: list[Problem] = []
    others = [p for k in Kind for p in (data_dir / k.value).glob(f"{path.stem}.yaml") if p != path]
    if others:
        problems.append(duplicate_id(path, others[0]))
    document, record = read_record_file(path, kind, problems)
    if record is None:
        return problems
    known_ids = {p.stem for k in Kind for p in (data_dir / k.value).glob("*.yaml")}
    problems.extend(partner_problems(record, document, known_ids))
    geocoded, _ = read_cache(data_dir)
    _, messages = place_record(record, gazetteer, geocoded)
    problems.extend(document.problem(location, message, hint) for location, message, hint in messages)
    return problems

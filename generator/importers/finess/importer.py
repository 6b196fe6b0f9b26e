"""The FINESS import: which ESMS records to add, update or close, and how they are written.

Records stay the people's: a re-import changes only the fields FINESS owns (OWNED),
keeps every other field, comment and the key order (the round trip of
generator/records/yamlmerge.py), never deletes a file, and never reopens a record a
person marked closed. Only the records it wrote (they carry a FINESS source) may be
closed by their absence from a full stock.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from generator.catalogue import load_catalogue
from generator.geo.gazetteer import Gazetteer
from generator.geo.geocoding import plausible
from generator.importers.finess import etalab, finess_plus
from generator.importers.finess.extraction import Establishment, Extraction
from generator.importers.shared import ImportReport, address, departement_of, phone, record_problems, why_invalid
from generator.problems import DataError
from generator.records.vocabulary import Acces, CategorieEsms, Kind, Precision, Statut
from generator.records.yamlfile import read_yaml
from generator.records.yamlmerge import KEY_ORDER, flow, new_document, read, set_value, write, write_checked, yaml_io

CATEGORIES: dict[str, CategorieEsms] = {categorie.finess: categorie for categorie in CategorieEsms if categorie.finess}
"""FINESS category code → category of the directory (records/vocabulary.py); other codes asked for become `autre`."""

FINESS_URLS = {etalab.SOURCE[1], finess_plus.SOURCE[1]}

OWNED = ("nom", "categorie", "finess", "gestionnaire", "adresse", "coordonnees", "telephone", "sources", "verifie_le", "statut")
"""Fields a re-import may change; `statut` only ever to `ferme`."""

HEADER = (
    "Fiche créée par « passerelle import finess ». À chaque import, nom, categorie, finess, gestionnaire,\n"
    "adresse, coordonnees, telephone, la source FINESS et verifie_le sont repris de FINESS (corrigez-les\n"
    "dans FINESS) ; les autres champs et ces commentaires sont à vous et sont gardés."
)


def read_extraction(path: Path, categories: Iterable[str]) -> Extraction:
    """Read an etalab CSV or a FINESS+ JSON file; establishments of `categories` only."""
    wanted = set(categories)
    raw = path.read_bytes()
    if raw.lstrip()[:1] == b"{":
        return finess_plus.read_finess_plus(json.loads(raw.decode("utf-8-sig")), wanted)
    return etalab.read_etalab(etalab.decode(raw), path.name, wanted)


def import_finess(
    path: Path,
    data_dir: Path,
    categories: Iterable[str] = tuple(CATEGORIES),
    departements: Iterable[str] | None = None,
    gazetteer: Gazetteer | None = None,
) -> ImportReport:
    """Write the establishments of `path` into `data_dir/esms/`; validate the folder after."""
    gazetteer = gazetteer or Gazetteer.load()
    extraction = read_extraction(path, categories)
    scope = set(departements) if departements else None
    report = ImportReport()
    if extraction.unknown_systems:
        report.notes["coordonnées dans un système inconnu, non reprises"] += extraction.unknown_systems
    existing = _existing_records(data_dir)
    yaml = yaml_io()
    for establishment in sorted(extraction.establishments, key=lambda e: e.finess):
        if scope is not None and establishment.departement not in scope:
            continue
        _import_one(establishment, extraction, existing, data_dir, gazetteer, yaml, report)
    if extraction.complete:
        _close_missing(extraction, existing, scope, yaml, report)
    try:
        load_catalogue(data_dir, gazetteer)
    except DataError as error:
        report.problems = [str(problem) for problem in error.problems]
    return report


@dataclass(frozen=True)
class _Known:
    path: Path
    statut: str
    departement: str | None
    imported: bool
    """Carries a FINESS source: written by this importer, so absence can close it."""


def _existing_records(data_dir: Path) -> dict[str, _Known]:
    known = {}
    folder = data_dir / Kind.ESMS.value
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else ():
        data = read_yaml(path).data
        if not isinstance(data, dict) or not isinstance(data.get("finess"), str):
            continue
        adresse = data.get("adresse") if isinstance(data.get("adresse"), dict) else {}
        insee = adresse.get("code_insee")
        sources = data.get("sources") if isinstance(data.get("sources"), list) else []
        imported = any(isinstance(s, dict) and s.get("url") in FINESS_URLS for s in sources)
        known[data["finess"].upper()] = _Known(
            path, str(data.get("statut", "")), departement_of(insee) if isinstance(insee, str) else None, imported
        )
    return known


def _import_one(
    item: Establishment,
    extraction: Extraction,
    existing: dict[str, _Known],
    data_dir: Path,
    gazetteer: Gazetteer,
    yaml: YAML,
    report: ImportReport,
) -> None:
    known = existing.get(item.finess.upper())
    if item.ferme:
        if known is None:
            report.skipped["fermé dans FINESS et absent de l'annuaire"] += 1
        else:
            _close(known.path, extraction, yaml, report)
        return
    adresse, commune, note = address(item.voie, item.code_postal, item.code_insee, item.localite, gazetteer)
    if adresse is None:
        report.skipped[note] += 1
        return
    if note:
        report.notes[note] += 1
    values: dict[str, Any] = {
        "nom": item.nom,
        "categorie": CATEGORIES.get(item.categorie, CategorieEsms.AUTRE).value,
        "finess": DoubleQuotedScalarString(item.finess),
        "gestionnaire": item.gestionnaire,
        "adresse": adresse,
        "coordonnees": None,
        "telephone": _phone(item, report),
    }
    if item.position is not None:
        if plausible(*item.position, commune):
            values["coordonnees"] = {"lat": item.position[0], "lon": item.position[1], "precision": Precision.ADRESSE.value}
        else:
            report.notes["coordonnées FINESS loin de la commune, non reprises"] += 1
    if known is None:
        path = data_dir / Kind.ESMS.value / f"finess-{item.finess.lower()}.yaml"
        document = _new_document(values, extraction)
        changed = True
    else:
        path = known.path
        document = read(path, yaml)
        changed = _merge(document, values, extraction)
        if known.statut == Statut.FERME.value:
            report.notes["fermée dans l'annuaire mais ouverte dans FINESS (statut gardé : vérifiez)"] += 1
    if not changed:
        report.unchanged.append(path.stem)
        return
    reason = why_invalid(write_checked(path, document, yaml, record_problems(gazetteer)))
    if reason:
        report.skipped[reason] += 1
        return
    (report.added if known is None else report.updated).append(path.stem)


def _phone(item: Establishment, report: ImportReport) -> str | None:
    if not item.telephone:
        return None
    written = phone(item.telephone, item.departement)
    if written is None:
        report.notes["téléphone invalide dans FINESS, non repris"] += 1
    return written


def _source(extraction: Extraction) -> CommentedMap:
    title, url = extraction.source
    return CommentedMap([("titre", title), ("url", url), ("date", DoubleQuotedScalarString(extraction.date.isoformat()))])


def _new_document(values: dict[str, Any], extraction: Extraction) -> CommentedMap:
    initial = {
        "type": Kind.ESMS.value,
        **values,
        "statut": Statut.ACTIF.value,
        "acces": flow([Acces.NOTIFICATION_CDAPH.value]),
        "orientation_cdaph": True,
        "sources": CommentedSeq([_source(extraction)]),
        "verifie_le": extraction.date,
    }
    return new_document(initial, KEY_ORDER, HEADER)


def _merge(document: CommentedMap, values: dict[str, Any], extraction: Extraction) -> bool:
    """Set the FINESS-owned values; True if anything changed. FINESS gaps keep what is there."""
    changed = False
    for key, value in values.items():
        if value is not None:
            changed |= set_value(document, key, value, KEY_ORDER)
    sources = document.get("sources")
    if not isinstance(sources, list):
        changed |= set_value(document, "sources", CommentedSeq([_source(extraction)]), KEY_ORDER)
    else:
        ours = next((s for s in sources if isinstance(s, dict) and s.get("url") in FINESS_URLS), None)
        if ours is None:
            sources.append(_source(extraction))
            changed = True
        else:
            for key, value in _source(extraction).items():
                changed |= set_value(ours, key, value)
    verified = document.get("verifie_le")
    if not isinstance(verified, date) or verified < extraction.date:
        changed |= set_value(document, "verifie_le", extraction.date, KEY_ORDER)
    return changed


def _close(path: Path, extraction: Extraction, yaml: YAML, report: ImportReport) -> None:
    document = read(path, yaml)
    if str(document.get("statut")) == Statut.FERME.value:
        report.unchanged.append(path.stem)
        return
    set_value(document, "statut", Statut.FERME.value, KEY_ORDER)
    _merge(document, {}, extraction)
    write(path, document, yaml)
    report.closed.append(path.stem)


def _close_missing(extraction: Extraction, existing: dict[str, _Known], scope: set[str] | None, yaml: YAML, report: ImportReport) -> None:
    """A full stock no longer listing an establishment we imported: it has closed.

    Only records carrying a FINESS source (written by an import) and in a
    département the file covers (or the `--departements` asked for) are closed;
    a record a person created with a FINESS number is left alone.
    """
    covered = scope if scope is not None else extraction.departements
    for number, known in sorted(existing.items()):
        if number in extraction.present or not known.imported or known.statut == Statut.FERME.value:
            continue
        if known.departement in covered:
            _close(known.path, extraction, yaml, report)

"""The FINESS import: which ESMS records to add, update or close, and how they are written.

Records stay the people's: a re-import changes only the fields FINESS owns (OWNED),
keeps every other field, comment and the key order (the round trip of
generator/records/yamlmerge.py), never deletes a file, and never reopens a record a
person marked closed. Only the records it wrote (they carry a FINESS source) may be
closed by their absence from a full stock, and only in a département the stock covers.
A record verified after the extraction (`verifie_le`) is newer than FINESS: it is kept
as it is. A file that would write false things (cut short, dated in the future, older
than the records, or options that select nothing) is refused before anything is written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from generator import clock
from generator.catalogue import load_catalogue
from generator.geo.gazetteer import Gazetteer, normalize
from generator.geo.geocoding import plausible
from generator.importers.finess import etalab, finess_plus
from generator.importers.finess.extraction import Establishment, Extraction, FinessError
from generator.importers.shared import (
    ImportReport,
    address,
    date_verification,
    departement_codes,
    departement_of,
    phone,
    record_date,
    record_problems,
    verified_after,
    why_invalid,
)
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
    "Fiche créée par « passerelle import finess ». À chaque import d'une extraction plus récente que\n"
    "verifie_le, nom, categorie, finess, gestionnaire, adresse, coordonnees, telephone, la source FINESS\n"
    "et verifie_le sont repris de FINESS (corrigez-les dans FINESS) ; les autres champs et ces\n"
    "commentaires sont à vous et sont gardés."
)

NEWER = "plus récente que l'extraction : gardée telle quelle"
NEWER_NOT_CLOSED = "absente de FINESS ou fermée, mais vérifiée après l'extraction : gardée ouverte (vérifiez)"
UNCOVERED = "absente du fichier, qui n'a aucun établissement de son département : gardée telle quelle (vérifiez le fichier)"
REOPENED = "fermée dans l'annuaire mais ouverte dans FINESS (statut gardé : vérifiez)"
_CATEGORY_CODE = re.compile(r"\d{3}")


def read_extraction(path: Path, categories: Iterable[str]) -> Extraction:
    """Read an etalab CSV or a FINESS+ JSON file; establishments of `categories` only."""
    wanted = set(categories)
    raw = path.read_bytes()
    if raw.lstrip()[:1] == b"{":
        return finess_plus.read_finess_plus(_json(raw), wanted)
    return etalab.read_etalab(etalab.decode(raw), path.name, wanted)


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise FinessError("export FINESS+ illisible : le fichier n'est pas en UTF-8 — téléchargez-le à nouveau") from None
    except json.JSONDecodeError as error:  # Python says why in English: the place is what helps
        raise FinessError(
            f"ligne {error.lineno}, colonne {error.colno} : JSON mal formé, le fichier est coupé ou a été modifié — "
            "téléchargez à nouveau l'export FINESS+ ; rien n'a été importé"
        ) from None


def import_finess(
    path: Path,
    data_dir: Path,
    categories: Iterable[str] = tuple(CATEGORIES),
    departements: Iterable[str] | None = None,
    gazetteer: Gazetteer | None = None,
) -> ImportReport:
    """Write the establishments of `path` into `data_dir/esms/`; validate the folder after."""
    gazetteer = gazetteer or Gazetteer.load()
    categories = _checked_categories(categories)
    scope = departement_codes(departements, gazetteer, FinessError)
    extraction = read_extraction(path, categories)
    existing = _existing_records(data_dir)
    _check_dates(extraction, existing)
    if scope is not None and not scope & extraction.departements:
        raise FinessError(
            f"aucun établissement du ou des départements demandés ({', '.join(sorted(scope))}) dans ce fichier : "
            "rien n'a été importé — vérifiez --departements, ou importez une extraction qui les couvre"
        )
    report = ImportReport()
    _note_absent_categories(categories, extraction, scope, report)
    if extraction.unknown_systems:
        report.notes["coordonnées dans un système inconnu, non reprises"] += extraction.unknown_systems
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


def _note_absent_categories(categories: list[str], extraction: Extraction, scope: set[str] | None, report: ImportReport) -> None:
    """A code asked for that is not one of the directory's and matches nothing is most likely mistyped: said, not a silent zero.
    (A category of the directory absent from a département's file is ordinary.)"""
    found = {e.categorie for e in extraction.establishments if scope is None or e.departement in scope}
    for code in categories:
        if code not in found and code not in CATEGORIES:
            report.notes[
                f"établissement(s) de la catégorie {code} (--categories) dans ce fichier ; ce n'est pas une catégorie "
                "de l'annuaire : vérifiez le code"
            ] += 0


def _checked_categories(codes: Iterable[str]) -> list[str]:
    """The codes, or a French error for one that cannot be a FINESS category (three digits)."""
    codes = list(codes)
    for code in codes:
        if not _CATEGORY_CODE.fullmatch(code):
            meant = next((c for c, categorie in CATEGORIES.items() if normalize(categorie.label) == normalize(code)), None)
            known = ", ".join(f"{c} ({categorie.label})" for c, categorie in CATEGORIES.items())
            raise FinessError(
                f"--categories : « {code} » n'est pas un code de catégorie FINESS"
                + (f" ; pour {code}, écrivez {meant}" if meant else "")
                + f" — un code à trois chiffres, ceux de l'annuaire sont {known} ; rien n'a été importé"
            )
    return codes


def _check_dates(extraction: Extraction, existing: dict[str, _Known]) -> None:
    """Refuse an extraction that would date records wrongly, or put older FINESS values back."""
    today = clock.today()
    if extraction.date > today:
        raise FinessError(
            f"extraction datée du {extraction.date}, dans le futur (nous sommes le {today}) : vérifiez la date du fichier "
            "(première ligne « finess;etalab;…;AAAA-MM-JJ » ou « generatedAt ») et celle de l'ordinateur ; rien n'a été importé"
        )
    newest = max((known for known in existing.values() if known.finess_date), key=lambda known: known.finess_date, default=None)
    if newest is not None and newest.finess_date > extraction.date:
        raise FinessError(
            f"extraction du {extraction.date}, plus ancienne que celle dont viennent déjà les fiches "
            f"(FINESS du {newest.finess_date}, par exemple {newest.path.stem}) : l'importer remettrait des informations "
            f"périmées — importez une extraction du {newest.finess_date} ou plus récente ; rien n'a été importé"
        )


@dataclass(frozen=True)
class _Known:
    path: Path
    statut: str
    departement: str | None
    imported: bool
    """Carries a FINESS source: written by this importer, so absence can close it."""
    finess_date: date | None = None
    """Date of the extraction its FINESS source names."""


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
        ours = next((s for s in sources if isinstance(s, dict) and s.get("url") in FINESS_URLS), None)
        known[data["finess"].upper()] = _Known(
            path,
            str(data.get("statut", "")),
            departement_of(insee) if isinstance(insee, str) else None,
            ours is not None,
            record_date(ours.get("date")) if ours else None,
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
    path = known.path if known else data_dir / Kind.ESMS.value / f"finess-{item.finess.lower()}.yaml"
    adresse, commune, note = address(item.voie, item.code_postal, item.code_insee, item.localite, gazetteer)
    if adresse is None:
        report.skipped[note] += 1
        return
    if note:
        report.note(note, path.stem)
    values: dict[str, Any] = {
        "nom": item.nom,
        "categorie": CATEGORIES.get(item.categorie, CategorieEsms.AUTRE).value,
        "finess": DoubleQuotedScalarString(item.finess),
        "gestionnaire": item.gestionnaire,
        "adresse": adresse,
        "coordonnees": None,
        "telephone": _phone(item, path.stem, report),
    }
    if item.position is not None:
        if plausible(*item.position, commune):
            values["coordonnees"] = {"lat": item.position[0], "lon": item.position[1], "precision": Precision.ADRESSE.value}
        else:
            report.note("coordonnées FINESS loin de la commune, non reprises", path.stem)
    if known is None:
        document = _new_document(values, extraction)
        changed = True
    else:
        document = read(path, yaml)
        if verified_after(document, extraction.date):
            report.note(NEWER, path.stem)
            report.unchanged.append(path.stem)
            return
        changed = _merge(document, values, extraction)
        if known.statut == Statut.FERME.value:
            report.note(REOPENED, path.stem)
    if not changed:
        report.unchanged.append(path.stem)
        return
    reason = why_invalid(write_checked(path, document, yaml, record_problems(gazetteer)))
    if reason:
        report.skipped[reason] += 1
        return
    (report.added if known is None else report.updated).append(path.stem)


def _phone(item: Establishment, record: str, report: ImportReport) -> str | None:
    if not item.telephone:
        return None
    written = phone(item.telephone, item.departement)
    if written is None:
        report.note("téléphone invalide dans FINESS, non repris", record)
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
    return date_verification(document, extraction.date, KEY_ORDER) or changed


def _close(path: Path, extraction: Extraction, yaml: YAML, report: ImportReport) -> None:
    document = read(path, yaml)
    if str(document.get("statut")) == Statut.FERME.value:
        report.unchanged.append(path.stem)
        return
    if verified_after(document, extraction.date):
        report.note(NEWER_NOT_CLOSED, path.stem)
        report.unchanged.append(path.stem)
        return
    set_value(document, "statut", Statut.FERME.value, KEY_ORDER)
    _merge(document, {}, extraction)
    write(path, document, yaml)
    report.closed.append(path.stem)
    report.names[path.stem] = str(document.get("nom", ""))


def _close_missing(extraction: Extraction, existing: dict[str, _Known], scope: set[str] | None, yaml: YAML, report: ImportReport) -> None:
    """A full stock no longer listing an establishment we imported: it has closed.

    Only records carrying a FINESS source (written by an import) and in a
    département the file has rows of (and among the `--departements` asked for)
    are closed: a file without a département says nothing of its establishments.
    A record a person created with a FINESS number is left alone.
    """
    covered = extraction.departements if scope is None else extraction.departements & scope
    for number, known in sorted(existing.items()):
        if number in extraction.present or not known.imported or known.statut == Statut.FERME.value:
            continue
        if known.departement in covered:
            _close(known.path, extraction, yaml, report)
        elif scope is None or known.departement in scope:
            report.note(UNCOVERED, known.path.stem)

"""`passerelle verifie`: record that a structure confirmed its record.

The confirmation is a source like any other — what was checked, how, and when —
so the record keeps saying where its facts come from. The file is changed through
a ruamel.yaml round trip: its comments and key order stay, the diff is two lines
and a source.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from pydantic import ValidationError
from pydantic_core import ErrorDetails
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from generator.problems import DataError, Problem
from generator.records.loading import read_record_file
from generator.records.models import MODELS, Source, check_not_future
from generator.records.validation import describe
from generator.records.vocabulary import Kind
from generator.records.yamlmerge import read, replace_file, set_value, write, yaml_io

DEFAULT_DOCUMENT = "Confirmation par la structure des informations de sa fiche"
# The options of `passerelle verifie` that give each field of the source.
OPTIONS = {"titre": "--source", "url": "--url", "document": "--document", "date": "--date"}


class ConfirmationError(Exception):
    """The confirmation cannot be recorded; the message says why, in French."""


def record_file(data_dir: Path, record_id: str) -> tuple[Path, Kind]:
    """The file of the record `record_id`, or a French error naming the closest id."""
    known = {path.stem: (path, kind) for kind in Kind for path in (data_dir / kind.value).glob("*.yaml")}
    if record_id in known:
        return known[record_id]
    guess = difflib.get_close_matches(record_id, known, n=1)
    hint = f" : vouliez-vous dire « {guess[0]} » ?" if guess else f" dans {data_dir} (l'identifiant est le nom du fichier, sans « .yaml »)."
    raise ConfirmationError(f"fiche inconnue « {record_id} »{hint}")


@dataclass(frozen=True)
class Confirmation:
    path: Path
    verifie_le: date  # the record's verification date now: the day confirmed, or a later one recorded before


def confirm(data_dir: Path, record_id: str, title: str, day: date, url: str | None = None, document: str | None = None) -> Confirmation:
    """Add the dated source and bring `verifie_le` up to its day; the file is checked again, and left as it was if it
    would not load."""
    try:
        check_not_future(day)
    except ValueError as error:
        raise ConfirmationError(f"{error} : indiquez la date de la confirmation (--date AAAA-MM-JJ), aujourd'hui au plus tard.") from None
    source = dated_source(title, day, url, document)
    path, kind = record_file(data_dir, record_id)
    yaml = yaml_io()
    content = read(path, yaml)
    if not isinstance(content, CommentedMap):
        raise ConfirmationError(f"{path} : la fiche est illisible ; corrigez-la d'abord (passerelle validate).")
    sources = content.get("sources")
    if not isinstance(sources, list):
        sources = CommentedSeq()
    if source not in sources:
        sources.append(source)
    order = tuple(name for name in MODELS[kind].model_fields if name != "id")
    set_value(content, "sources", sources, order)
    verified = latest_verification(content.get("verifie_le"), day)
    set_value(content, "verifie_le", verified, order)
    previous = path.read_bytes()
    write(path, content, yaml)
    problems: list[Problem] = []
    read_record_file(path, kind, problems)
    if problems:
        replace_file(path, previous)
        raise DataError(problems)
    return Confirmation(path, verified)


def dated_source(title: str, day: date, url: str | None, document: str | None) -> CommentedMap:
    """The source to add, checked before the file is touched: a mistake is said as the option's, not as a line of
    a file that is never written."""
    fields = {"titre": title}
    if url is not None:
        fields["url"] = url
    if document is not None or url is None:
        fields["document"] = DEFAULT_DOCUMENT if document is None else document
    try:
        Source.model_validate(fields)
    except ValidationError as error:
        said = [_option_problem(item) for item in error.errors(include_url=False)]
        raise ConfirmationError("\n".join(said)) from None
    source = CommentedMap(fields)
    source["date"] = DoubleQuotedScalarString(day.isoformat())
    return source


def _option_problem(item: ErrorDetails) -> str:
    message, hint = describe(item, Source)
    return f"{OPTIONS[item['loc'][0]]} : {message}" + (f" — {hint}" if hint else "")


def latest_verification(recorded: object, day: date) -> date:
    """`day`, unless the record says it was verified later: replies entered out of order never make a record older.
    A `verifie_le` that is not a date is left for the check of the written file to report."""
    if isinstance(recorded, date) and not isinstance(recorded, datetime) and recorded > day:
        return recorded
    return day

"""`passerelle verifie`: record that a structure confirmed its record.

The confirmation is a source like any other — what was checked, how, and when —
so the record keeps saying where its facts come from. The file is changed through
a ruamel.yaml round trip: its comments and key order stay, the diff is two lines
and a source.
"""

from __future__ import annotations

import difflib
from datetime import date
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from generator.problems import DataError, Problem
from generator.records.loading import read_record_file
from generator.records.models import MODELS, check_not_future
from generator.records.vocabulary import Kind
from generator.records.yamlmerge import read, replace_file, set_value, write, yaml_io

DEFAULT_DOCUMENT = "Confirmation par la structure des informations de sa fiche"


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


def confirm(data_dir: Path, record_id: str, title: str, day: date, url: str | None = None, document: str | None = None) -> Path:
    """Add the dated source and set `verifie_le`; the file is checked again, and left as it was if it would not load."""
    try:
        check_not_future(day)
    except ValueError as error:
        raise ConfirmationError(f"{error} : indiquez la date de la confirmation (--date AAAA-MM-JJ), aujourd'hui au plus tard.") from None
    path, kind = record_file(data_dir, record_id)
    yaml = yaml_io()
    content = read(path, yaml)
    if not isinstance(content, CommentedMap):
        raise ConfirmationError(f"{path} : la fiche est illisible ; corrigez-la d'abord (passerelle validate).")
    source = CommentedMap([("titre", title)])
    source["url" if url else "document"] = url or document or DEFAULT_DOCUMENT
    source["date"] = DoubleQuotedScalarString(day.isoformat())
    sources = content.get("sources")
    if not isinstance(sources, list):
        sources = CommentedSeq()
    if source not in sources:
        sources.append(source)
    order = tuple(name for name in MODELS[kind].model_fields if name != "id")
    set_value(content, "sources", sources, order)
    set_value(content, "verifie_le", day, order)
    previous = path.read_bytes()
    write(path, content, yaml)
    problems: list[Problem] = []
    read_record_file(path, kind, problems)
    if problems:
        replace_file(path, previous)
        raise DataError(problems)
    return path

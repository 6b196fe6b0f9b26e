"""Update record files written by people without losing what they wrote.

An import (FINESS, data·inclusion) or an editing tool changes a few fields of a
record that people also edit by hand. These helpers read and write the YAML
with ruamel.yaml's round trip, so comments, key order, quoting and every field
the tool does not own stay as they were, and a value is only written when it
differs, so that running the same import twice changes no byte.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from generator.problems import Problem

# The order in which tools write a record's keys (a key not listed goes last); also where a
# key missing from an edited record is inserted, so that every record reads alike.
KEY_ORDER = (
    "type",
    "nom",
    "categorie",
    "type_employeur",
    "finess",
    "siret",
    "gestionnaire",
    "statut",
    "description",
    "adresse",
    "coordonnees",
    "telephone",
    "courriel",
    "site_web",
    "horaires",
    "fermetures",
    "horaires_exceptionnels",
    "publics",
    "acces",
    "orientation_cdaph",
    "capacite",
    "accessibilite",
    "territoire",
    "ouverture_hebdomadaire",
    "partenaires",
    "sources",
    "verifie_le",
)


def yaml_io() -> YAML:
    """The round-trip reader and writer, set up like the hand-written records."""
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def set_value(mapping: CommentedMap, key: str, value: Any, order: tuple[str, ...] = ()) -> bool:
    """Set `key` only if its value differs, in place for sub-mappings (keeps their comments); True if it changed.

    A new key goes after the keys that come before it in `order`, so an edited
    record keeps the layout of the others.
    """
    current = mapping.get(key)
    if plain(current) == plain(value):
        return False
    if isinstance(value, dict) and isinstance(current, dict):
        _merge_mapping(current, value)
        return True
    if isinstance(value, list) and isinstance(current, list) and len(value) == len(current):
        # Item by item: the items that did not change keep their comments.
        for index, item in enumerate(value):
            if isinstance(item, dict) and isinstance(current[index], dict):
                _merge_mapping(current[index], item)
            elif plain(item) != plain(current[index]):
                current[index] = node(item)
        return True
    if key in mapping:
        mapping[key] = node(value)
    elif key in order:
        earlier = set(order[: order.index(key)])
        mapping.insert(max((i + 1 for i, k in enumerate(mapping) if k in earlier), default=0), key, node(value))
    else:
        mapping[key] = node(value)
    return True


def _merge_mapping(current: CommentedMap, value: dict[str, Any]) -> None:
    for old in [k for k in current if k not in value]:
        del current[old]
    for sub_key, sub_value in value.items():
        set_value(current, sub_key, sub_value, tuple(value))


def plain(value: Any) -> Any:
    """The value as plain data, for comparing what is in the file with what a tool would write."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def node(value: Any) -> Any:
    """A value ready to be placed in a document (mappings become commentable)."""
    if isinstance(value, dict) and not isinstance(value, CommentedMap):
        return CommentedMap((k, node(v)) for k, v in value.items())
    return value


def flow(items: list[str]) -> CommentedSeq:
    """A list written on one line, `[a, b]`, as records write vocabularies."""
    sequence = CommentedSeq(items)
    sequence.fa.set_flow_style()
    return sequence


def new_document(values: dict[str, Any], order: tuple[str, ...], header: str) -> CommentedMap:
    """A new record: `values` (None left out) in `order`, under a comment that says who wrote it."""
    document = CommentedMap()
    for key in order:
        if values.get(key) is not None:
            document[key] = node(values[key])
    document.yaml_set_start_comment(header)
    return document


def read(path: Path, yaml: YAML) -> CommentedMap:
    return yaml.load(path.read_text(encoding="utf-8"))


def write(path: Path, document: CommentedMap, yaml: YAML) -> None:
    text = io.StringIO()
    yaml.dump(document, text)
    replace_file(path, text.getvalue().encode("utf-8"))


def replace_file(path: Path, content: bytes) -> None:
    """Write a record through a hidden file beside it, then put it in the record's place in one step:
    whatever stops the writing (an error, a full disk, the power), the record is never empty or half
    written, and a preview never reads it so. A hidden file that does not end in .yaml is not a
    record (records/loading.py)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    being_written = path.with_name(f".{path.name}.ecriture")
    try:
        being_written.write_bytes(content)
        os.replace(being_written, path)
    finally:
        being_written.unlink(missing_ok=True)


def write_checked(path: Path, document: CommentedMap, yaml: YAML, problems_of: Callable[[Path], list[Problem]]) -> list[Problem]:
    """Write the record, then check it as the loader would; if it would not load,
    put the previous file back (or remove the new one) and return its problems."""
    previous = path.read_bytes() if path.exists() else None
    write(path, document, yaml)
    problems = problems_of(path)
    if problems:
        if previous is None:
            path.unlink()
        else:
            replace_file(path, previous)
    return problems

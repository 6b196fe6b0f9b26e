"""Change a record file the way a person would: only the values that changed.

Programs that write records (the FINESS import, the browser editor, `passerelle
verifie`) go through a ruamel.yaml round trip, which keeps the file's comments,
key order and quoting; a changed value is replaced in place, a new key goes where
the model's field order puts it, so the diff a reviewer reads is the change.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap


def round_trip_yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def read_document(path: Path, yaml: YAML) -> CommentedMap:
    return yaml.load(path.read_text(encoding="utf-8"))


def write_document(path: Path, document: CommentedMap, yaml: YAML) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        yaml.dump(document, handle)


def set_value(mapping: CommentedMap, key: str, value: Any, order: tuple[str, ...] = ()) -> bool:
    """Set `key` only if its value differs, in place for sub-mappings (keeps their comments);
    True if anything changed.

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
                current[index] = as_node(item)
        return True
    if key in mapping:
        mapping[key] = as_node(value)
    elif key in order:
        earlier = set(order[: order.index(key)])
        mapping.insert(max((i + 1 for i, k in enumerate(mapping) if k in earlier), default=0), key, as_node(value))
    else:
        mapping[key] = as_node(value)
    return True


def _merge_mapping(current: CommentedMap, value: dict[str, Any]) -> None:
    for old in [k for k in current if k not in value]:
        del current[old]
    for sub_key, sub_value in value.items():
        set_value(current, sub_key, sub_value, tuple(value))


def plain(value: Any) -> Any:
    """The value as the loader reads it (scalars as text), to compare old and new."""
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


def as_node(value: Any) -> Any:
    if isinstance(value, dict) and not isinstance(value, CommentedMap):
        return CommentedMap((k, as_node(v)) for k, v in value.items())
    return value

"""A record file is rewritten in one step (records/yamlmerge.py): never empty, never half written, never lost.

The editor, `passerelle verifie` and the importers rewrite record files; a preview may be
reading them at that moment, and the writing may stop midway (an error, a full disk).
"""

from __future__ import annotations

import pytest

from generator.records import yamlmerge
from generator.records.yamlmerge import read, replace_file, write, yaml_io
from tests.records import VALID_GEM


@pytest.fixture
def record(tmp_path):
    path = tmp_path / "gem" / "gem-exemple.yaml"
    path.parent.mkdir()
    path.write_text(VALID_GEM, encoding="utf-8")
    return path


def test_a_write_stopped_midway_leaves_the_record_as_it_was(record, monkeypatch):
    yaml = yaml_io()
    document = read(record, yaml)
    document["nom"] = "GEM Autre nom"

    def stopped(self, data, stream):
        stream.write("type: g")  # half of the new text, then the disk is full
        raise OSError("plus de place sur le disque")

    monkeypatch.setattr(type(yaml), "dump", stopped)
    with pytest.raises(OSError):
        write(record, document, yaml)
    assert record.read_text(encoding="utf-8") == VALID_GEM
    assert sorted(record.parent.iterdir()) == [record], "no file left beside the record"


def test_the_record_is_replaced_in_one_step_through_a_hidden_file(record, monkeypatch):
    seen = []

    def replace(source, target):
        seen.append((source.name, source.read_text(encoding="utf-8"), target.read_text(encoding="utf-8")))
        raise OSError("arrêt pendant le remplacement")

    monkeypatch.setattr(yamlmerge.os, "replace", replace)
    with pytest.raises(OSError):
        replace_file(record, b"type: gem\nnom: GEM Nouveau\n")
    assert seen == [(".gem-exemple.yaml.ecriture", "type: gem\nnom: GEM Nouveau\n", VALID_GEM)], "the record is whole until the rename"
    assert record.read_text(encoding="utf-8") == VALID_GEM
    assert sorted(record.parent.iterdir()) == [record]

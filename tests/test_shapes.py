"""Python and the browser's scripts agree on the rows they share (generator/site/shapes.py)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from bench.synthetic import write_every_value_records
from generator.site.data_folder import load_site
from generator.site.finder import coverage_keys, record_row
from generator.site.model import SiteSettings
from generator.site.shapes import JAVASCRIPT, RECORD_KEYS, javascript_declaration, javascript_name
from tests.sitebuild import ROOT

SCRIPTS = ROOT / "site_theme" / "assets" / "javascripts"
DECLARED = re.compile(r"^ *var (\w+) = (\{[^{}]*\});  // generator/site/shapes\.py$", re.MULTILINE)
SHAPES = [(script, shape) for script, shapes in JAVASCRIPT.items() for shape in shapes]


def script(name: str) -> str:
    return (SCRIPTS / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(("name", "shape"), SHAPES, ids=[f"{name}:{shape.__name__}" for name, shape in SHAPES])
def test_each_script_declares_the_fields_of_its_rows_as_python_writes_them(name, shape):
    line = javascript_declaration(shape)
    assert line in script(name), f"{name} reads {shape.__name__} rows: declare their fields with this line\n  {line}"


@pytest.mark.parametrize("name", list(JAVASCRIPT))
def test_scripts_declare_no_shape_python_does_not_write(name):
    declared = [constant for constant, _ in DECLARED.findall(script(name))]
    assert sorted(declared) == sorted(javascript_name(shape) for shape in JAVASCRIPT[name])


@pytest.mark.parametrize("name", list(JAVASCRIPT))
def test_scripts_read_only_fields_their_shapes_have(name):
    text = script(name)
    fields = {javascript_name(shape): set(shape._fields) for shape in JAVASCRIPT[name]}
    read = re.findall(r"\b([A-Z][A-Z_]+)\.(\w+)", text)
    unknown = {f"{constant}.{field}" for constant, field in read if constant in fields and field not in fields[constant]}
    # Rows the script makes itself: rowOf(SHAPE, {field: …}).
    for constant, body in re.findall(r"rowOf\(([A-Z_]+), \{([^}]*)\}\)", text):
        unknown |= {f"{constant}.{field}" for field in re.findall(r"(\w+):", body) if field not in fields[constant]}
    assert not unknown
    # Rows the script reads whole: fieldsOf(SHAPE, row) reads each field by its name.
    whole = set(re.findall(r"fieldsOf\(([A-Z_]+), ", text))
    assert whole <= set(fields)
    assert {constant for constant, _ in read if constant in fields} | whole == set(fields), "a declared shape the script never reads"


def test_record_rows_use_only_documented_keys_and_the_finder_reads_no_other(tmp_path):
    write_every_value_records(tmp_path)
    site = load_site(tmp_path, SiteSettings())
    written = set()
    for entry in site.entries.values():
        written |= set(record_row(entry, date(2026, 11, 23)))
        if entry.record.territoire:
            written |= set(coverage_keys(entry.record.territoire, site.gazetteer))
    assert written == set(RECORD_KEYS), "every key is written by some record, and documented in shapes.RECORD_KEYS"
    read = set(re.findall(r"\brow\.(\w+)", script("passerelle-finder.js"))) - {"_text"}  # _text: the script's own cache
    assert read <= set(RECORD_KEYS)

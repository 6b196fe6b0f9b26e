"""« Ma sélection »: the sheets /selection/ prints, copied from the record pages of a real build."""

from __future__ import annotations

import json
import re

import pytest

from generator.catalogue import load_catalogue
from generator.site.selection import SHEETS_PER_FILE, printable_sheet, sheet_file_count, sheet_file_of
from tests.sitebuild import ROOT


def sheet_files(site) -> dict[int, dict[str, str]]:
    folder = site / "selection" / "fiches"
    return {int(path.stem): json.loads(path.read_text(encoding="utf-8")) for path in folder.glob("*.json")}


def test_every_record_has_its_sheet_in_the_file_its_id_names(built_site):
    ids = set(load_catalogue(ROOT / "data").records)
    files = sheet_files(built_site)
    assert sorted(files) == list(range(sheet_file_count(len(ids))))
    placed = {record_id: number for number, sheets in files.items() for record_id in sheets}
    assert set(placed) == ids and sum(len(sheets) for sheets in files.values()) == len(ids)
    assert all(number == sheet_file_of(record_id, len(files)) for record_id, number in placed.items())
    # The page tells the script how many files there are.
    page = (built_site / "selection" / "index.html").read_text(encoding="utf-8")
    assert f'data-files="{len(files)}"' in page


def test_a_sheet_is_the_record_pages_printed_part(built_site):
    record_page = (built_site / "structures" / "clubhouse-paris" / "index.html").read_text(encoding="utf-8")
    sheet = sheet_files(built_site)[sheet_file_of("clubhouse-paris", len(sheet_files(built_site)))]["clubhouse-paris"]
    assert sheet.startswith('<article class="pa-record" data-record-id="clubhouse-paris"') and sheet.endswith("</article>")
    for printed in ("<h1>Clubhouse de Paris</h1>", 'id="contact"', "Fiche vérifiée le", 'class="pa-kind"', "<abbr"):
        assert printed in sheet and printed in record_page, printed
    # What print hides is not copied: actions, map, easy-read link, this feature's button,
    # the territory, partner and source lists; and nothing that runs or loads.
    for screen_only in (
        "pa-record-actions",
        "Signaler une erreur",
        "pa-map",
        "leaflet",
        "Version facile à lire",
        "pa-selection-toggle",
        'id="territoire"',
        'id="partenaires"',
        'id="sources"',
        "<script",
        "<link",
    ):
        assert screen_only in record_page, screen_only
        assert screen_only not in sheet, screen_only


def test_printable_sheet_of_pages_without_one():
    assert printable_sheet("<html><body><article class='md-content'>x</article></body></html>") is None
    with pytest.raises(ValueError, match="never closed"):
        printable_sheet('<article class="pa-record"><div class="pa-map-block"><div></div></article>')


def test_nested_screen_only_parts_are_cut_whole():
    page = '<article class="pa-record"><h1>A</h1><div class="pa-map-block" data-x><div><div>map</div></div><p>key</p></div><p>after</p></article>'
    assert printable_sheet(page) == '<article class="pa-record"><h1>A</h1><p>after</p></article>'


def test_sheet_files_hold_about_twenty_sheets():
    assert SHEETS_PER_FILE == 20
    assert [sheet_file_count(n) for n in (0, 1, 20, 21, 50_000)] == [1, 1, 1, 2, 2500]


def test_the_file_hash_is_fnv1a():
    """The script computes the same hash (tests/browser/test_selection.py checks it in Chromium)."""
    vectors = {"": 0x811C9DC5, "a": 0xE40C292C, "foobar": 0xBF9CF968}
    assert {text: sheet_file_of(text, 2**32) for text in vectors} == vectors


def test_the_record_page_offers_the_button_only_through_the_script(built_site):
    page = (built_site / "structures" / "gem-l-eclaircie" / "index.html").read_text(encoding="utf-8")
    toggle = re.search(r'<div class="pa-selection-toggle"[^>]*>.*?</div>', page, re.S).group(0)
    assert 'data-id="gem-l-eclaircie"' in toggle and "<button" not in toggle
    assert "assets/javascripts/passerelle-selection.js" in toggle

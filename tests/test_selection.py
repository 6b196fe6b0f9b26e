"""« Ma sélection »: the groups of records /selection/ reads the record pages of, from a real build."""

from __future__ import annotations

import json
import re

from generator.catalogue import load_catalogue
from generator.site.selection import GROUP_SIZE, group_count, group_of
from tests.sitebuild import ROOT


def group_files(site) -> dict[int, list[str]]:
    folder = site / "selection" / "groupes"
    return {int(path.stem): json.loads(path.read_text(encoding="utf-8")) for path in folder.glob("*.json")}


def test_every_record_is_in_the_group_its_id_names(built_site):
    ids = set(load_catalogue(ROOT / "data").records)
    groups = group_files(built_site)
    assert sorted(groups) == list(range(group_count(len(ids))))
    placed = {record_id: number for number, members in groups.items() for record_id in members}
    assert set(placed) == ids and sum(len(members) for members in groups.values()) == len(ids)
    assert all(number == group_of(record_id, len(groups)) for record_id, number in placed.items())
    assert all(members == sorted(members) for members in groups.values())
    # The page tells the script how many groups there are.
    page = (built_site / "selection" / "index.html").read_text(encoding="utf-8")
    assert f'data-groups="{len(groups)}"' in page
    # The sheets are read from the record pages: no copy of them is published.
    assert not (built_site / "selection" / "fiches").exists()


def test_groups_hold_about_twenty_records():
    assert GROUP_SIZE == 20
    assert [group_count(n) for n in (0, 1, 20, 21, 50_000)] == [1, 1, 1, 2, 2500]


def test_the_group_hash_is_fnv1a():
    """The script computes the same hash (tests/browser/test_selection.py checks it in Chromium)."""
    vectors = {"": 0x811C9DC5, "a": 0xE40C292C, "foobar": 0xBF9CF968}
    assert {text: group_of(text, 2**32) for text in vectors} == vectors


def test_the_record_page_offers_the_button_only_through_the_script(built_site):
    page = (built_site / "structures" / "gem-l-eclaircie" / "index.html").read_text(encoding="utf-8")
    toggle = re.search(r'<div class="pa-selection-toggle"[^>]*>.*?</div>', page, re.S).group(0)
    assert 'data-id="gem-l-eclaircie"' in toggle and "<button" not in toggle
    assert "assets/javascripts/passerelle-selection.js" in toggle

"""What the site says of each kind is carried by `Kind` (records/vocabulary.py): a new kind
brings everything with it, or these tests say what is missing."""

from __future__ import annotations

import re

import pytest

from generator.importers.finess import CATEGORIES
from generator.records.models import MODELS
from generator.records.vocabulary import CategorieEsms, Kind
from tests.sitebuild import ROOT

STYLESHEET = ROOT / "site_theme" / "assets" / "stylesheets" / "passerelle.css"


@pytest.mark.parametrize("kind", list(Kind))
def test_every_kind_brings_its_model_details_template_and_map_pin(kind):
    assert MODELS[kind].model_fields["type"].annotation.__args__ == (kind,)
    assert (ROOT / "site_theme" / "passerelle" / "details" / f"{kind.value}.html").is_file()
    pin = re.search(rf"\.pa-pin--{kind.value} \{{([^}}]*)\}}", STYLESHEET.read_text(encoding="utf-8"))
    assert pin and "--pa-colour:" in pin.group(1) and "--pa-shape:" in pin.group(1), f"passerelle.css: .pa-pin--{kind.value}"
    if kind.guide:
        assert (ROOT / "content" / kind.guide).is_file()


def test_kinds_have_their_own_list_pages_and_words():
    assert len({kind.slug for kind in Kind}) == len(Kind)
    assert [kind.ordinal for kind in Kind] == list(range(len(Kind)))
    assert all(kind.heading and kind.nouns.singular and kind.nouns.plural for kind in Kind)


def test_finess_codes_are_carried_by_the_categories():
    assert CATEGORIES["246"] is CategorieEsms.ESAT and len(CATEGORIES) == len(CategorieEsms) - 1
    assert CategorieEsms.ESAT.description == "Établissement et service d'accompagnement par le travail (FINESS 246)."
    assert CategorieEsms.ESAT.definition == "Établissement et service d'accompagnement par le travail."
    assert CategorieEsms.AUTRE.finess is None and CategorieEsms.AUTRE.description == CategorieEsms.AUTRE.definition

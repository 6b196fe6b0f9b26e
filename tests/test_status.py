"""What the site says of a structure's situation: the record's statut, or « à confirmer » when nobody vouches for it.

Computed once (generator/site/model.py, shown_status) and shown the same way on the
record page, in the lists, in the finder's rows and in the map's markers.
"""

from __future__ import annotations

import json
import re
from datetime import date
from html import unescape
from pathlib import Path

import pytest

from generator.catalogue import load_catalogue
from generator.geo.gazetteer import Gazetteer
from generator.records.models import Gem
from generator.site.model import UNCONFIRMED, SiteModel, shown_status
from generator.site.pages import Renderer, record_pages
from tests.sitebuild import ROOT
from tests.test_maps import national_rows

TODAY = date(2026, 6, 1)


def gem(statut: str | None, verifie_le: str) -> Gem:
    fields = {"statut": statut} if statut else {}
    return Gem.model_validate(
        {
            "id": "gem-test",
            "type": "gem",
            "nom": "GEM Test",
            "adresse": {"code_postal": "92260", "commune": "Fontenay-aux-Roses"},
            "sources": [{"titre": "Source", "document": "Document", "date": verifie_le}],
            "verifie_le": verifie_le,
            **fields,
        }
    )


@pytest.mark.parametrize(
    ("statut", "stale", "shown"),
    [
        ("actif", False, None),  # the usual case says nothing
        ("actif", True, "À confirmer"),  # never « Ouvert » on a record older than 12 months
        (None, False, "À confirmer"),  # an unwritten statut is unknown, not « actif »
        (None, True, "À confirmer"),
        ("en_projet", False, "En projet"),
        ("en_projet", True, "À confirmer"),
        ("ferme_temporairement", False, "Fermé temporairement"),
        ("ferme_temporairement", True, "À confirmer"),
        ("ferme", False, "Fermé"),  # a closure stays said, however old
        ("ferme", True, "Fermé"),
    ],
)
def test_shown_status(statut, stale, shown):
    status = shown_status(gem(statut, "2026-01-15"), stale)
    assert (status.label if status else None) == shown


def test_the_site_model_decides_staleness_from_verifie_le(tmp_path):
    for name, verifie_le in (("gem-recent", "2026-01-15"), ("gem-ancien", "2025-05-31")):
        path = tmp_path / "gem" / f"{name}.yaml"
        path.parent.mkdir(exist_ok=True)
        text = gem("actif", verifie_le).model_dump(mode="json", exclude_none=True, exclude={"id"})
        path.write_text(json.dumps(text, ensure_ascii=False), encoding="utf-8")
    site = SiteModel(load_catalogue(tmp_path), Gazetteer.load(), today=TODAY)
    assert site.entries["gem-recent"].status is None
    assert site.entries["gem-ancien"].status == UNCONFIRMED


@pytest.mark.parametrize(
    ("statut", "stale", "notice"),
    [
        ("ferme", False, "La structure a fermé ; la fiche est gardée pour mémoire."),
        ("ferme", True, "La structure a fermé ; la fiche est gardée pour mémoire."),
        ("ferme_temporairement", False, "La structure est fermée pour un temps."),
        ("en_projet", False, "La structure est annoncée ou en cours d'installation."),
        # Too old to be trusted, a temporary closure is « à confirmer », not said as a fact.
        ("ferme_temporairement", True, None),
        ("actif", False, None),
        (None, False, None),
    ],
)
def test_a_structure_that_does_not_welcome_says_so_first_and_sends_to_others_of_its_kind(tmp_path, statut, stale, notice):
    path = tmp_path / "gem" / "gem-test.yaml"
    path.parent.mkdir()
    data = gem(statut, "2025-01-15" if stale else "2026-01-15").model_dump(mode="json", exclude_none=True, exclude={"id"})
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    site = SiteModel(load_catalogue(tmp_path), Gazetteer.load(), today=TODAY)
    html = Renderer(ROOT / "site_theme" / "passerelle", site).render(record_pages(site)[0])
    box = re.search(r'<div class="admonition danger pa-not-open" role="note">(.*?)</div>', html, re.S)
    if notice is None:
        assert box is None
        return
    said = unescape(box.group(1))
    assert notice in said
    assert "<a href=\"../../trouver/?type=gem&cp=92260\">Chercher d'autres structures de ce type près d'ici</a>" in said
    # Before anything to do with the page: printing, reporting, keeping it.
    assert html.index("pa-not-open") < html.index("pa-record-actions")


NATIONAL = {"territoire": {"national": True}}  # no address: nowhere to come to (model.is_a_place)


@pytest.mark.parametrize(
    ("statut", "stale", "fields", "said"),
    [
        (None, False, {}, "Rien de récent ne dit que la structure accueille en ce moment. Renseignez-vous avant de vous déplacer."),
        (
            None,
            False,
            {"telephone": "01 23 45 67 89"},
            "Rien de récent ne dit que la structure accueille en ce moment. Appelez avant de vous déplacer.",
        ),
        # A national network, a web page: nobody is sent on a trip, nothing said to « accueille ».
        (None, False, NATIONAL, "Rien de récent ne dit que la structure est active en ce moment. Renseignez-vous pour vérifier."),
        (
            None,
            False,
            {**NATIONAL, "telephone": "01 23 45 67 89"},
            "Rien de récent ne dit que la structure est active en ce moment. Appelez pour vérifier.",
        ),
        # Old, the page says so (« Informations peut-être anciennes »), once.
        (None, True, {}, None),
        ("actif", True, {}, None),
        ("actif", False, {}, None),
    ],
)
def test_a_recent_record_without_statut_says_why_it_is_a_confirmer(tmp_path, statut, stale, fields, said):
    # The badge « À confirmer » stood alone beside the kind: nothing on the page said what was to confirm.
    path = tmp_path / "gem" / "gem-test.yaml"
    path.parent.mkdir()
    data = gem(statut, "2025-01-15" if stale else "2026-01-15").model_dump(mode="json", exclude_none=True, exclude={"id"})
    if "territoire" in fields:
        del data["adresse"]
    data.update(fields)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    site = SiteModel(load_catalogue(tmp_path), Gazetteer.load(), today=TODAY)
    html = Renderer(ROOT / "site_theme" / "passerelle", site).render(record_pages(site)[0])
    box = re.search(
        r'<div class="admonition note pa-unconfirmed" role="note">\s*<p class="admonition-title">À confirmer</p>\s*<p>(.*?)</p>', html, re.S
    )
    assert (unescape(box.group(1)) if box else None) == said
    assert ("Informations peut-être anciennes" in html) == stale


@pytest.mark.parametrize(("partner_statut", "key"), [(None, True), ("actif", False)])
def test_a_record_page_says_what_a_partner_s_a_confirmer_means_only_when_one_is(tmp_path, partner_statut, key):
    for name, statut, partners in (("gem-test", "actif", ["gem-partenaire"]), ("gem-partenaire", partner_statut, [])):
        path = tmp_path / "gem" / f"{name}.yaml"
        path.parent.mkdir(exist_ok=True)
        data = gem(statut, "2026-01-15").model_dump(mode="json", exclude_none=True, exclude={"id"})
        path.write_text(json.dumps({**data, "nom": name, "partenaires": partners}, ensure_ascii=False), encoding="utf-8")
    site = SiteModel(load_catalogue(tmp_path), Gazetteer.load(), today=TODAY)
    page = next(page for page in record_pages(site) if page.context["entry"].id == "gem-test")
    html = Renderer(ROOT / "site_theme" / "passerelle", site).render(page)
    assert ('class="pa-status-key"' in html) == key
    # After the partners' list, which print drops with its heading (#partenaires + ul).
    assert not key or re.search(r'<h2 id="partenaires">Partenaires</h2>\s*<ul class="pa-entries"', html)


# --- On the shipped data, in the built site --------------------------------------------


@pytest.fixture(scope="module")
def shipped(repo_root) -> SiteModel:
    return SiteModel(load_catalogue(repo_root / "data"), Gazetteer.load())


def badges(html: str) -> list[str]:
    return re.findall(r'<span class="pa-badge pa-badge--[a-z_]+">([^<]+)</span>', html)


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def test_shipped_records_older_than_a_year_are_a_confirmer_on_their_page(built_site, shipped):
    stale = [entry for entry in shipped.entries.values() if shipped.is_stale(entry.record)]
    assert stale, "the shipped records are dated by their sources, all older than a year"
    for entry in shipped.entries.values():
        html = page(built_site, f"structures/{entry.id}")
        expected = entry.status.label if entry.status else None
        assert badges(html.split("<h1>", 1)[0].rsplit('class="pa-kind"', 1)[-1]) == ([expected] if expected else []), entry.id
        assert ("Informations peut-être anciennes" in html) == shipped.is_stale(entry.record), entry.id
    for entry in stale:
        assert entry.status.label in ("À confirmer", "Fermé")


def test_lists_show_the_status_of_each_entry(built_site, shipped):
    pages = ["gem", "collectifs", "ressources"] + [f"regions/{code}" for code in shipped.by_region]
    pages += [f"departements/{code}" for code in shipped.by_departement]
    for url in pages:
        html = page(built_site, url)
        for item in re.findall(r'<li class="pa-entry">.*?</li>', html, flags=re.S):
            record_id = re.search(r'href="[^"]*structures/([^/"]+)/"', item).group(1)
            status = shipped.entries[record_id].status
            assert badges(item) == ([status.label] if status else []), (url, record_id)
    assert "À confirmer" in page(built_site, "collectifs")


def test_finder_rows_carry_the_shown_status(built_site, shipped):
    data = built_site / "trouver" / "donnees"
    labels = json.loads((data / "index.json").read_text(encoding="utf-8"))["labels"]["statuts"]
    assert labels["a_confirmer"] == "À confirmer" and "actif" not in labels
    seen = 0
    for shard in (data / "structures").glob("*.json"):
        for row in json.loads(shard.read_text(encoding="utf-8")):
            status = shipped.entries[row["i"]].status
            assert row.get("s") == (status.slug if status else None), row["i"]
            seen += 1
    assert seen


def test_map_markers_carry_the_shown_status(built_site, shipped):
    rows = national_rows(built_site)
    assert rows
    for row in rows:
        status = shipped.entries[row[4]].status
        assert row[7:] == ([status.label] if status else []), row[4]

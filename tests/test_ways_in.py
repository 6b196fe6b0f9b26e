"""A record page without phone, e-mail or website still says how to reach the structure."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.catalogue import load_catalogue
from generator.geo.gazetteer import Gazetteer
from generator.records.vocabulary import Kind
from generator.site.coverage import WhomToAsk
from generator.site.model import SiteModel, SiteSettings
from generator.site.ways_in import WaysInFinder
from tests.sitebuild import build_site

CONTACT_LINK = re.compile(r'<a href="(?:tel:|mailto:|https?://)[^"]+"')


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def contact_section(html: str) -> str:
    """From « Adresse et contact » to the next heading: the record's own details and its ways in."""
    return html.split('id="contact"', 1)[1].split("<h2", 1)[0]


def test_every_shipped_record_page_has_a_way_in(built_site, repo_root):
    catalogue = load_catalogue(repo_root / "data")
    without_contact = 0
    for record_id, record in catalogue.records.items():
        section = contact_section(page(built_site, f"structures/{record_id}"))
        assert CONTACT_LINK.search(section), f"{record_id}: no phone, e-mail or website to reach it"
        if not (record.telephone or record.courriel or record.site_web):
            without_contact += 1
            assert "Cette fiche ne donne ni téléphone, ni courriel, ni site web." in section
    assert without_contact, "the shipped data has records without contact details"


def test_a_clubhouse_is_reached_through_clubhouse_france(built_site):
    section = contact_section(page(built_site, "structures/clubhouse-lyon"))
    assert 'href="../clubhouse-france/"' in section and "partenaire de la structure" in section
    assert 'href="tel:+33130441749"' in section and 'href="mailto:info@clubhousefrance.org"' in section


# --- The order of the ways in, on synthetic records ------------------------------------

SOURCE = "sources: [{titre: Source SYNTHÉTIQUE, document: Document de test, date: '2026-01'}]\nverifie_le: 2026-01-15\n"
RECORDS = {
    "gem/gem-seul": "adresse: {code_postal: '69003', commune: Lyon}\npublics: [troubles_psychiques]\n",
    "gem/gem-lie": "adresse: {code_postal: '69003', commune: Lyon}\npartenaires: [reseau-gem]\n",
    "collectif/collectif-francilien": "adresse: {code_postal: '92260', commune: Fontenay-aux-Roses}\npublics: [proches]\n",
    "ressource/reseau-gem": "categorie: reseau_national\nterritoire: {national: true}\nsite_web: https://reseau-gem.example.org/\n",
    "ressource/reseau-familles": (
        "categorie: reseau_national\nterritoire: {national: true}\npublics: [proches]\ntelephone: 01 23 45 67 89\n"
    ),
    "ressource/centre-idf": "categorie: centre_ressource\nterritoire: {regions: ['11']}\ncourriel: contact@centre-idf.example.org\n",
    "ressource/centre-sans-contact": "categorie: centre_ressource\nterritoire: {regions: ['84']}\n",
    "ressource/reseau-autisme": "categorie: reseau_national\nterritoire: {national: true}\npublics: [neurodeveloppement]\n",
}


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("ways-in")
    for name, body in RECORDS.items():
        kind, record_id = name.split("/")
        path = folder / kind / f"{record_id}.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"type: {kind}\nnom: SYNTHÉTIQUE {record_id}\n{body}{SOURCE}", encoding="utf-8")
    return folder


def ways(data: Path, record_id: str, settings: SiteSettings | None = None) -> list[tuple[str, str]]:
    site = SiteModel(load_catalogue(data), Gazetteer.load(), settings or SiteSettings())
    found = WaysInFinder(site).of(site.entries[record_id])
    return [(way.entry.id, way.reason) for way in found.through] + ([("centre", found.centre.name)] if found.centre else [])


def test_a_record_with_contact_details_needs_no_other_way(data):
    site = SiteModel(load_catalogue(data), Gazetteer.load())
    assert WaysInFinder(site).of(site.entries["reseau-gem"]) is None


def test_partners_and_covering_resource_centres_come_first(data):
    assert ways(data, "gem-lie") == [("reseau-gem", "partenaire de la structure")]
    # Fontenay-aux-Roses is in Île-de-France, which centre-idf covers (the Lyon GEM is not).
    assert ways(data, "collectif-francilien") == [("centre-idf", "centre ressource de son territoire")]


def test_the_publishing_centre_is_offered_when_its_settings_name_it(data):
    settings = SiteSettings(centre_name="Centre SYNTHÉTIQUE", contact_email="centre@example.org")
    assert ways(data, "gem-lie", settings) == [("reseau-gem", "partenaire de la structure"), ("centre", "Centre SYNTHÉTIQUE")]
    # A name without a phone or an e-mail is no way in.
    assert ("centre", "Centre SYNTHÉTIQUE") not in ways(data, "gem-lie", SiteSettings(centre_name="Centre SYNTHÉTIQUE"))


def test_otherwise_the_national_networks_linked_to_the_kind_then_to_the_public(data):
    # gem-seul (Lyon) has no partner, and the centre covering its région has no contact details:
    # reseau-gem is a partner of another GEM, so it is offered.
    assert ways(data, "gem-seul") == [("reseau-gem", "réseau national, partenaire d'autres structures de type « GEM »")]
    # The networks the resource centre names for GEM (coverage_networks) come before: the data links the
    # others to GEM only through another GEM's partners (the shipped GEM L'Éclaircie was sent to Advocacy
    # France and the FNAPSY, not to the GEM networks the site names); one without contact details is no way in.
    chosen = SiteSettings(coverage_networks={"gem": ("reseau-familles", "reseau-autisme")})
    assert ways(data, "gem-seul", chosen) == [("reseau-familles", "réseau national, pour les structures de type « GEM »")]
    # centre-sans-contact itself: no GEM-like link, so the national resources for its public (none said: all).
    assert {way for way, _ in ways(data, "centre-sans-contact")} == {"reseau-gem", "reseau-familles"}
    # A network without contact details, whose public no other national resource shares:
    # the other national networks.
    assert ways(data, "reseau-autisme") == [
        ("reseau-familles", "autre ressource nationale de type « Réseau national »"),
        ("reseau-gem", "autre ressource nationale de type « Réseau national »"),
    ]


def test_the_page_lists_each_way_with_its_contact_details(data, tmp_path):
    site = build_site(tmp_path / "site", data_dir=data, site_url="", centre_name="Centre SYNTHÉTIQUE", centre_phone="01 98 76 54 32")
    section = contact_section(page(site, "structures/gem-lie"))
    assert 'href="../reseau-gem/"' in section and 'href="https://reseau-gem.example.org/"' in section
    assert "Centre SYNTHÉTIQUE, qui publie cet annuaire" in section and 'href="tel:+33198765432"' in section
    assert "Cette fiche ne donne" not in contact_section(page(site, "structures/reseau-gem"))


def test_a_count_names_only_centres_and_networks_one_can_reach(data):
    """« Renseignez-vous auprès de » a record without a phone, an e-mail or a website sent the visitor to one more
    page with no way to reach anyone (the shipped Céapsy, on the Île-de-France pages)."""
    settings = SiteSettings(coverage_networks={"gem": ("reseau-familles", "reseau-autisme")})
    whom = WhomToAsk(SiteModel(load_catalogue(data), Gazetteer.load(), settings))
    assert [asked.entry.id for asked in whom.of([Kind.GEM], region="11")] == ["centre-idf", "reseau-familles"]
    assert [asked.entry.id for asked in whom.of([Kind.GEM], region="84")] == ["reseau-familles"]

"""Record pages: « Signaler une erreur » in both configurations, and the printed sheet's link to the page."""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from generator.catalogue import load_catalogue
from generator.geo.gazetteer import Gazetteer
from generator.site.model import SiteModel, SiteSettings
from generator.site.pages import Renderer, record_pages
from tests.records import VALID_GEM
from tests.sitebuild import ROOT, build_site

CONTACT = "x@example.org"
REPOSITORY = "https://git.example.org/centre/annuaire-donnees"
SITE_URL = "https://annuaire.example.org/"

# A synthetic record with every field a GEM can have: the printed sheet's worst case.
FULL_RECORD = """\
type: gem
nom: "SYNTHÉTIQUE GEM de test au nom assez long pour occuper deux lignes d'un titre imprimé"
description: |
  Fiche SYNTHÉTIQUE pour les tests : cette structure n'existe pas. {long}

  Un second paragraphe, qui ne doit pas être imprimé.
adresse:
  voie: "43 rue du Télégraphe, bâtiment B, rez-de-chaussée"
  code_postal: "92260"
  commune: Fontenay-aux-Roses
telephone: "01 23 45 67 89"
courriel: contact@example.org
site_web: https://example.org/un-site-web-assez-long/pour-voir-le-retour-a-la-ligne
horaires: "Mo-Fr 10:00-17:00; Sa 14:00-18:00; PH off"
publics: [troubles_psychiques, lesion_cerebrale, troubles_cognitifs, neurodeveloppement, proches, professionnels]
acces: [sans_orientation, notification_cdaph, rqth, prescription, adhesion]
accessibilite: {{pmr: true, acceslibre: "https://acceslibre.beta.gouv.fr/app/exemple/"}}
parrain: "Association marraine de test (SYNTHÉTIQUE)"
gestionnaire: "Organisme gestionnaire de test (SYNTHÉTIQUE)"
date_creation: "2010-03"
ouverture_hebdomadaire: 35
nombre_adherents: {{nombre: 40, annee: 2025}}
sources:
  - titre: "Source SYNTHÉTIQUE numéro un, au titre assez long"
    url: https://example.org/source-1
    date: "2024-05"
  - titre: "Source SYNTHÉTIQUE numéro deux"
    document: "Document de test"
    date: "2023"
  - titre: "Échange SYNTHÉTIQUE avec la structure"
    document: "Appel téléphonique de test"
    date: "2025-01-15"
verifie_le: 2025-01-15
""".format(
    long=" ".join(
        ["Elle tient la place d'une présentation très complète, avec des activités, des horaires et des conditions d'accès."] * 30
    )
)
FULL_ID = "synthetique-gem-complet"


def write_full_record(data_dir: Path) -> str:
    path = data_dir / "gem" / f"{FULL_ID}.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(FULL_RECORD, encoding="utf-8")
    return FULL_ID


@pytest.fixture(scope="module")
def configured_site(tmp_path_factory) -> Path:
    """A site with a contact address and a data repository configured."""
    data = tmp_path_factory.mktemp("sheet-data")
    write_full_record(data)
    return build_site(
        tmp_path_factory.mktemp("sheet") / "site", data_dir=data, site_url=SITE_URL, contact_email=CONTACT, repository_url=REPOSITORY + "/"
    )


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.anchors: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href, self._text = dict(attrs).get("href", ""), ""

    def handle_data(self, data):
        if self._href is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.anchors.append((self._href, " ".join(self._text.split())))
            self._href = None


def actions(html: str) -> str:
    start = html.index('<div class="pa-record-actions">')
    return html[start : html.index("</div>", start)]


def anchors(fragment: str) -> list[tuple[str, str]]:
    parser = _Anchors()
    parser.feed(fragment)
    return parser.anchors


def record_html(site: Path, record_id: str) -> str:
    return (site / "structures" / record_id / "index.html").read_text(encoding="utf-8")


def test_one_prefilled_message_per_reason(configured_site):
    links = [(href, text) for href, text in anchors(actions(record_html(configured_site, FULL_ID))) if href.startswith("mailto:")]
    assert [text for _, text in links] == [
        "L'adresse ou les horaires ne sont plus à jour",
        "Le téléphone, le courriel ou le site web ne marche pas",
        "La structure a fermé",
        "Le public accueilli ou les conditions d'accès ont changé",
        "Autre chose",
    ]
    for href, text in links:
        parts = urlsplit(href)
        assert parts.path == CONTACT
        query = parse_qs(parts.query)
        assert query["subject"][0].startswith(f"Fiche {FULL_ID} : ")
        body = query["body"][0]
        assert f"({FULL_ID})" in body and f"Adresse de la fiche : {SITE_URL}structures/{FULL_ID}/" in body
        assert f"Ce qui ne va pas : {text}" in body
        assert "\r\n" in body and "&#39;" not in body  # plain text for the mail client, not HTML


def test_issue_and_edit_links_when_a_repository_is_set(configured_site):
    found = dict((text, href) for href, text in anchors(actions(record_html(configured_site, FULL_ID))))
    assert found["Modifier cette fiche"] == f"{REPOSITORY}/edit/main/data/gem/{FULL_ID}.yaml"
    issue = urlsplit(found["Ouvrir un ticket sur le dépôt des données"])
    assert f"{issue.scheme}://{issue.netloc}{issue.path}" == f"{REPOSITORY}/issues/new"
    assert parse_qs(issue.query)["title"] == [f"Fiche {FULL_ID} : mise à jour"]


def test_without_contact_nor_repository_the_page_offers_no_way_to_report(built_site):
    # It said « contactez le centre ressource qui publie ce site », and nowhere how; then a fold that opened on
    # « Ce site n'indique pas encore comment joindre le centre ressource »: a dead end either way.
    record = next((built_site / "structures").iterdir()).name
    fragment = actions(record_html(built_site, record))
    assert "mailto:" not in fragment and "Modifier cette fiche" not in fragment
    assert "Signaler une erreur" not in fragment and "n'indique pas" not in fragment.replace("&#39;", "'")
    assert "data-pa-print" in fragment


def test_with_the_centre_s_phone_only_the_page_says_to_call_it(tmp_path):
    (tmp_path / "gem").mkdir()
    (tmp_path / "gem" / "gem-exemple.yaml").write_text(VALID_GEM, encoding="utf-8")
    site = SiteModel(load_catalogue(tmp_path), Gazetteer.load(), SiteSettings(centre_phone="+33146611234"))
    (page,) = record_pages(site)
    fragment = actions(Renderer(ROOT / "site_theme" / "passerelle", site).render(page))
    assert (
        'Pour signaler une erreur, appelez le centre ressource qui publie ce site : <a href="tel:+33146611234">01 46 61 12 34</a>.'
        in fragment
    )


def test_the_printed_sheet_has_the_url_and_what_the_browser_needs_for_its_qr_code(configured_site):
    html = record_html(configured_site, FULL_ID)
    url = f"{SITE_URL}structures/{FULL_ID}/"
    block = html[html.index('<div class="pa-print-only pa-sheet-link" data-pa-sheet-link>') :]
    # The address is printed as text without JavaScript; the QR code is drawn from data-qr-url
    # by the browser (tests/browser/test_print.py), the build writes no code of its own.
    assert f'<span class="pa-sheet-url">{url}</span>' in block
    assert f'<div class="pa-qr" data-pa-qr data-qr-url="{url}"></div>' in block
    assert "<svg" not in block[: block.index("</div>")]
    script = re.search(r'<script src="([^"]+/qrcode-generator/qrcode\.js)" defer></script>', html).group(1)
    assert (configured_site / posixpath.normpath(posixpath.join(f"structures/{FULL_ID}", script))).is_file()
    assert (configured_site / "assets/javascripts/passerelle-print.js").is_file()

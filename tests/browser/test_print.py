"""A record page prints as one A4 sheet with what a professional hands over, in headless Chromium."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.sitebuild import build_site
from tests.test_record_sheet import FULL_ID, write_full_record

SITE_URL = "https://annuaire.example.org/"


@pytest.fixture(scope="module")
def full_record_site(tmp_path_factory):
    data = tmp_path_factory.mktemp("print-data")
    write_full_record(data)
    return build_site(tmp_path_factory.mktemp("print") / "site", data_dir=data, site_url=SITE_URL, contact_email="x@example.org")


def printed(page) -> PdfReader:
    return PdfReader(io.BytesIO(page.pdf(format="A4")))


def test_every_shipped_record_prints_on_one_page(built_site, serve_site, page_at):
    base = serve_site(built_site)
    records = sorted(p.name for p in (built_site / "structures").iterdir() if (p / "index.html").is_file())
    assert records
    page = page_at(base + f"structures/{records[0]}/")
    for record in records:
        page.goto(base + f"structures/{record}/", wait_until="networkidle")
        pdf = printed(page)
        assert len(pdf.pages) == 1, f"{record}: {len(pdf.pages)} pages"


def test_the_fullest_record_prints_on_one_page_with_the_essentials(full_record_site, serve_site, page_at):
    page = page_at(serve_site(full_record_site) + f"structures/{FULL_ID}/")
    pdf = printed(page)
    assert len(pdf.pages) == 1
    text = " ".join(pdf.pages[0].extract_text().split())
    for expected in ("SYNTHÉTIQUE GEM de test", "43 rue du Télégraphe", "01 23 45 67 89", "Horaires", "Sans orientation", "Fiche vérifiée le 15 janvier 2025", f"{SITE_URL}structures/{FULL_ID}/"):
        assert expected in text, expected
    # The site's chrome and the on-screen actions are not printed.
    for absent in ("Signaler une erreur", "Comprendre et orienter", "Rechercher", "Un second paragraphe", "Sources"):
        assert absent not in text, absent
    # The QR code is drawn (it is the only SVG of the sheet's footer).
    assert page.locator(".pa-sheet-link svg.pa-qr").count() == 1


def test_print_button_appears_with_javascript(full_record_site, serve_site, page_at):
    page = page_at(serve_site(full_record_site) + f"structures/{FULL_ID}/")
    assert page.get_by_role("button", name="Imprimer la fiche").is_visible()
    assert not page.locator("[data-pa-print-hint]").is_visible()

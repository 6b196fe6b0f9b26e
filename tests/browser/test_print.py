"""A record page prints as one A4 sheet with what a professional hands over, in headless Chromium."""

from __future__ import annotations

import io
import re

import numpy
import pytest
import zxingcpp
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


@pytest.fixture(scope="module")
def site_without_url(tmp_path_factory):
    data = tmp_path_factory.mktemp("print-data-no-url")
    write_full_record(data)
    return build_site(tmp_path_factory.mktemp("print-no-url") / "site", data_dir=data, site_url="")


RUN = re.compile(r"M(\d+) (\d+)h(\d+)v1h-\d+z")


def printed_qr_code(page) -> tuple[int, str]:
    """Modules per side (quiet zone excluded) and text of the QR code the page shows in print."""
    page.emulate_media(media="print")
    svg = page.locator(".pa-sheet-link svg")
    assert svg.count() == 1 and svg.is_visible()
    assert svg.get_attribute("role") == "img" and svg.get_attribute("aria-label") == "Code QR de l'adresse de cette fiche"
    box = svg.bounding_box()
    assert box["width"] > 80 and box["height"] > 80  # 25 mm, large enough for a phone's camera
    size = int(svg.get_attribute("viewBox").split()[2])
    path = svg.locator("path").get_attribute("d")
    assert RUN.sub("", path) == "", "the path holds only runs of dark modules"
    # Rasterise the drawn modules (4 px each) and read them back with a real decoder.
    image = numpy.full((size * 4, size * 4), 255, dtype=numpy.uint8)
    for x, y, width in RUN.findall(path):
        x, y, width = int(x), int(y), int(width)
        image[y * 4 : (y + 1) * 4, x * 4 : (x + width) * 4] = 0
    codes = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(codes) == 1
    return size - 8, codes[0].text


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
    for expected in (
        "SYNTHÉTIQUE GEM de test",
        "43 rue du Télégraphe",
        "01 23 45 67 89",
        "Horaires",
        "Sans orientation",
        "Fiche vérifiée le 15 janvier 2025",
        f"{SITE_URL}structures/{FULL_ID}/",
    ):
        assert expected in text, expected
    # The site's chrome and the on-screen actions are not printed.
    for absent in ("Signaler une erreur", "Comprendre et orienter", "Rechercher", "Un second paragraphe", "Sources"):
        assert absent not in text, absent
    # The QR code drawn by the browser holds the page's address (and is printed: the PDF is made in print media).
    modules, text = printed_qr_code(page)
    assert modules > 21 and text == f"{SITE_URL}structures/{FULL_ID}/"
    assert len(printed(page).pages) == 1


def test_without_site_url_the_sheet_gives_the_address_the_page_was_opened_at(site_without_url, serve_site, page_at):
    url = serve_site(site_without_url) + f"structures/{FULL_ID}/"
    page = page_at(url + "?depuis=carte#horaires")
    modules, text = printed_qr_code(page)
    assert modules > 21 and text == url
    assert page.locator("[data-pa-sheet-url]").text_content() == url
    pdf = printed(page)
    assert len(pdf.pages) == 1 and url in " ".join(pdf.pages[0].extract_text().split())


def test_print_button_appears_with_javascript(full_record_site, serve_site, page_at):
    page = page_at(serve_site(full_record_site) + f"structures/{FULL_ID}/")
    assert page.get_by_role("button", name="Imprimer la fiche").is_visible()
    assert not page.locator("[data-pa-print-hint]").is_visible()

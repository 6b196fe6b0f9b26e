"""A record page prints as one A4 sheet with what a professional hands over, in headless Chromium."""

from __future__ import annotations

import io
import re

import numpy
import pytest
import zxingcpp
from pypdf import PdfReader

from tests.records import VERIFIED
from tests.sitebuild import build_site
from tests.test_record_sheet import FULL_ID, FULL_RECORD, write_full_record

SITE_URL = "https://annuaire.example.org/"


@pytest.fixture(scope="module")
def full_record_site(tmp_path_factory):
    data = tmp_path_factory.mktemp("print-data")
    write_full_record(data)
    return build_site(tmp_path_factory.mktemp("print") / "site", data_dir=data, site_url=SITE_URL, contact_email="x@example.org")


def printed(page) -> PdfReader:
    return PdfReader(io.BytesIO(page.pdf(format="A4")))


@pytest.fixture(scope="module", params=["", "http://127.0.0.1:8000/"], ids=["no-site-url", "local-site-url"])
def site_without_public_url(tmp_path_factory, request):
    data = tmp_path_factory.mktemp("print-data-no-url")
    write_full_record(data)
    return build_site(tmp_path_factory.mktemp("print-no-url") / "site", data_dir=data, site_url=request.param)


# A record whose presentation fills a third of a page: printed whole, in all its paragraphs.
MEDIUM_ID = "synthetique-gem-moyen"
MEDIUM_RECORD = """\
type: gem
nom: "SYNTHÉTIQUE GEM à la présentation moyenne"
description: |
  Premier paragraphe SYNTHÉTIQUE. {sentences}

  Deuxième paragraphe SYNTHÉTIQUE. {sentences}

  Troisième paragraphe, le dernier : FIN DE LA PRÉSENTATION.
adresse:
  voie: "43 rue du Télégraphe"
  code_postal: "92260"
  commune: Fontenay-aux-Roses
telephone: "01 23 45 67 89"
horaires: "Mo-Fr 10:00-17:00"
publics: [troubles_psychiques]
acces: [sans_orientation, adhesion]
sources:
  - titre: "Source SYNTHÉTIQUE"
    document: "Document de test"
    date: "{verified}"
verifie_le: {verified}
""".format(sentences=" ".join(["Une phrase de présentation d'une longueur ordinaire, avec ses activités."] * 6), verified=VERIFIED)


# The fullest record's long presentation, with fewer facts: they leave about half a page.
LONG_ID = "synthetique-gem-long"
LONG_RECORD = re.sub(r"(?m)^(publics|acces|parrain|gestionnaire|horaires): .*\n", "", FULL_RECORD)


@pytest.fixture(scope="module")
def presentation_site(tmp_path_factory):
    data = tmp_path_factory.mktemp("print-data-presentation")
    (data / "gem").mkdir()
    (data / "gem" / f"{MEDIUM_ID}.yaml").write_text(MEDIUM_RECORD, encoding="utf-8")
    (data / "gem" / f"{LONG_ID}.yaml").write_text(LONG_RECORD, encoding="utf-8")
    return build_site(tmp_path_factory.mktemp("print-presentation") / "site", data_dir=data, site_url=SITE_URL)


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
    for absent in ("Signaler une erreur", "Comprendre et orienter", "Rechercher", "Sources"):
        assert absent not in text, absent
    # Every field at its longest leaves no room for the presentation: it stays online.
    assert "Un second paragraphe" not in text
    # The QR code drawn by the browser holds the page's address (and is printed: the PDF is made in print media).
    modules, text = printed_qr_code(page)
    assert modules > 21 and text == f"{SITE_URL}structures/{FULL_ID}/"
    assert len(printed(page).pages) == 1


def test_a_presentation_that_fits_is_printed_whole(presentation_site, serve_site, page_at):
    page = page_at(serve_site(presentation_site) + f"structures/{MEDIUM_ID}/")
    pdf = printed(page)
    assert len(pdf.pages) == 1
    text = " ".join(pdf.pages[0].extract_text().split())
    for paragraph in ("Premier paragraphe", "Deuxième paragraphe", "FIN DE LA PRÉSENTATION."):
        assert paragraph in text, paragraph
    assert text.count("Une phrase de présentation") == 12 and "…" not in text


def test_a_long_presentation_is_cut_only_when_the_page_is_full(presentation_site, serve_site, page_at):
    """It was cut after 4 lines, with two thirds of the page blank."""
    page = page_at(serve_site(presentation_site) + f"structures/{LONG_ID}/")
    pdf = printed(page)
    assert len(pdf.pages) == 1
    text = " ".join(pdf.pages[0].extract_text().split())
    printed_sentences = text.count("Elle tient la place d'une présentation")
    assert 20 <= printed_sentences < 30, printed_sentences
    presentation = text[text.index("Présentation : ") : text.index("Fiche vérifiée le")]
    assert presentation.rstrip().endswith("…") and "Un second paragraphe" not in presentation


def test_hours_not_given_are_printed_as_not_given(presentation_site, serve_site, page_at):
    """A sheet without an « Horaires » row let an old « ouvert tous les jours » in the presentation read as current."""
    page = page_at(serve_site(presentation_site) + f"structures/{LONG_ID}/")
    text = " ".join(printed(page).pages[0].extract_text().split())
    assert "Horaires Non renseignés : appelez avant de vous déplacer." in text


def test_the_note_on_the_maps_is_not_printed(full_record_site, serve_site, page_at):
    """« sur les cartes, la structure est placée au centre de la commune » spoke of a map the sheet does not print."""
    page = page_at(serve_site(full_record_site) + f"structures/{FULL_ID}/")
    assert page.get_by_text("sur les cartes, la structure est placée au centre de la commune").is_visible()
    text = " ".join(printed(page).pages[0].extract_text().split())
    assert "43 rue du Télégraphe, bâtiment B, rez-de-chaussée 92260 Fontenay-aux-Roses Téléphone" in text
    assert "cartes" not in text


def test_without_a_public_site_url_the_sheet_has_no_link_nor_qr_code(site_without_public_url, serve_site, page_at):
    """The address the page is opened at may be a preview: a sheet never prints a local address."""
    page = page_at(serve_site(site_without_public_url) + f"structures/{FULL_ID}/")
    page.emulate_media(media="print")
    assert page.locator(".pa-sheet-link, .pa-qr svg").count() == 0
    pdf = printed(page)
    text = " ".join(pdf.pages[0].extract_text().split())
    assert len(pdf.pages) == 1 and "SYNTHÉTIQUE GEM de test" in text
    assert "127.0.0.1" not in text and "localhost" not in text and "Fiche à jour en ligne" not in text


def test_print_button_appears_with_javascript(full_record_site, serve_site, page_at):
    page = page_at(serve_site(full_record_site) + f"structures/{FULL_ID}/")
    assert page.get_by_role("button", name="Imprimer la fiche").is_visible()
    assert not page.locator("[data-pa-print-hint]").is_visible()

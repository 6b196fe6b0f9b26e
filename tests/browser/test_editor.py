"""The records editor (/admin/, Decap CMS) on a working copy, through `passerelle edit`'s
local backend, in headless Chromium: what a resource centre's staff would do."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest

from generator import clock
from generator.cli import main
from generator.maintainers.editor import start_editor
from generator.records.validation import PATTERN_HINTS, PATTERN_MESSAGE
from tests.sitebuild import ROOT, build_site

VIOLATION_LOG = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", e => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
"""


@pytest.fixture
def data(tmp_path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "data", copy)
    return copy


@pytest.fixture
def editor(data):
    server = start_editor(data, ROOT / "site_theme", port=0)
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def open_editor(editor, page_at):
    def _open(route: str):
        page = page_at("about:blank")
        page.add_init_script(VIOLATION_LOG)
        page.goto(editor.url + "#" + route)
        page.get_by_role("button", name="Se connecter").click()
        page.get_by_label("Nom", exact=True).wait_for()
        return page

    return _open


def publish(page) -> None:
    page.get_by_role("button", name="Publier").click()
    page.get_by_role("menuitem", name="Publier maintenant").click()


def wait_for(page, condition, timeout: float = 15) -> None:
    """Poll through Playwright: the page's requests are routed by Python, which must keep listening."""
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "the editor did not write the file"
        page.wait_for_timeout(100)


def test_a_record_created_in_the_form_is_a_valid_file_and_a_page(data, open_editor, tmp_path, capsys):
    page = open_editor("/collections/gem/new")
    page.get_by_label("Nom", exact=True).fill("GEM SYNTHÉTIQUE L'Essai")
    page.get_by_label("Code postal").fill("92260")
    page.get_by_label("Commune").fill("Fontenay-aux-Roses")
    page.get_by_label("Voie").fill("1 rue de l'Essai")
    page.get_by_label("Voie").fill("")  # typed, then emptied: not written as voie: ""
    page.get_by_role("button", name="Ajouter sources").click()
    page.get_by_label("Titre").fill("Document SYNTHÉTIQUE")
    page.get_by_label("Document").fill("Document de test")
    page.get_by_label(re.compile(r"^Date(?! de)")).first.fill(clock.today().isoformat())
    page.get_by_label("Vérifiée le").fill(clock.today().isoformat())
    publish(page)
    path = data / "gem" / "gem-synthetique-lessai.yaml"
    wait_for(page, path.exists)
    assert path.read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../../schemas/gem.schema.json\n"
        "type: gem\n"
        "nom: GEM SYNTHÉTIQUE L'Essai\n"
        "adresse:\n"
        '  code_postal: "92260"\n'
        "  commune: Fontenay-aux-Roses\n"
        "sources:\n"
        "  - titre: Document SYNTHÉTIQUE\n"
        "    document: Document de test\n"
        f"    date: {clock.today().isoformat()}\n"
        f"verifie_le: {clock.today().isoformat()}\n"
    )
    assert main(["validate", "--data", str(data)]) == 0
    site = build_site(tmp_path / "site", data)
    assert "GEM SYNTHÉTIQUE L&#39;Essai" in (site / "structures" / "gem-synthetique-lessai" / "index.html").read_text(encoding="utf-8")
    assert page.evaluate("window.__csp") == []


def test_a_field_changed_in_the_form_changes_one_line_of_the_file(data, open_editor, tmp_path):
    path = data / "gem" / "gem-l-eclaircie.yaml"
    # A maintainer's comment, which the editor must keep where it is.
    before = path.read_text(encoding="utf-8").replace("sources:\n", "# Sources relues en 2026.\nsources:\n")
    path.write_text(before, encoding="utf-8")
    page = open_editor("/collections/gem/entries/gem-l-eclaircie")
    page.get_by_label("Horaires").fill("Mo-Fr 10:00-17:00")
    publish(page)
    wait_for(page, lambda: path.read_text(encoding="utf-8") != before)
    after = path.read_text(encoding="utf-8")
    assert after == before.replace("publics:", "horaires: Mo-Fr 10:00-17:00\npublics:")
    assert main(["validate", "--data", str(data)]) == 0
    site = build_site(tmp_path / "site", data)
    record_page = (site / "structures" / "gem-l-eclaircie" / "index.html").read_text(encoding="utf-8")
    assert "Lundi" in record_page and "10 h – 17 h" in record_page


def test_a_yes_or_no_field_can_be_set_back_to_unknown(data, open_editor):
    """Decap's toggle, once touched, writes `pmr: false`: « not known » became « not accessible »."""
    path = data / "gem" / "gem-l-eclaircie.yaml"
    before = path.read_text(encoding="utf-8")
    page = open_editor("/collections/gem/entries/gem-l-eclaircie")
    choices = page.get_by_role("radiogroup", name="Accessible en fauteuil roulant (PMR)")
    assert choices.get_by_role("radio", name="Non renseigné").is_checked()
    choices.get_by_role("radio", name="Oui").check()
    publish(page)
    wait_for(page, lambda: path.read_text(encoding="utf-8") != before)
    where = "parrain:"  # the model's order: accessibilite follows acces
    assert path.read_text(encoding="utf-8") == before.replace(where, "accessibilite:\n  pmr: true\n" + where)
    for choice, written in (("Non", "accessibilite:\n  pmr: false\n" + where), ("Non renseigné", where)):
        saved = path.read_text(encoding="utf-8")
        choices.get_by_role("radio", name=choice, exact=True).check()
        publish(page)
        wait_for(page, lambda saved=saved: path.read_text(encoding="utf-8") != saved)
        assert path.read_text(encoding="utf-8") == before.replace(where, written)
    assert main(["validate", "--data", str(data)]) == 0


def test_two_tabs_on_one_record_do_not_undo_each_other(data, open_editor):
    """The second tab's form was read before the first tab saved: saving it would put the old hours back."""
    path = data / "gem" / "gem-l-eclaircie.yaml"
    before = path.read_text(encoding="utf-8")
    first = open_editor("/collections/gem/entries/gem-l-eclaircie")
    second = open_editor("/collections/gem/entries/gem-l-eclaircie")
    first.get_by_label("Horaires").fill("Mo-Fr 10:00-17:00")
    publish(first)
    wait_for(first, lambda: path.read_text(encoding="utf-8") != before)
    saved = path.read_text(encoding="utf-8")
    wheelchair = "Accessible en fauteuil roulant (PMR)"
    second.get_by_role("radiogroup", name=wheelchair).get_by_role("radio", name="Oui").check()
    publish(second)
    second.get_by_text("dans un autre onglet de l'éditeur", exact=False).wait_for()
    second.wait_for_timeout(500)
    assert path.read_text(encoding="utf-8") == saved
    # Reloaded, the second tab shows the first one's hours, and its own change is saved beside them.
    second.reload()
    assert second.get_by_label("Horaires").input_value() == "Mo-Fr 10:00-17:00"
    second.get_by_role("radiogroup", name=wheelchair).get_by_role("radio", name="Oui").check()
    publish(second)
    wait_for(second, lambda: path.read_text(encoding="utf-8") != saved)
    assert path.read_text(encoding="utf-8") == saved.replace("parrain:", "accessibilite:\n  pmr: true\nparrain:")
    assert main(["validate", "--data", str(data)]) == 0


def test_an_invalid_postcode_is_refused_in_the_form_with_the_message_of_validate(data, open_editor, capsys):
    path = data / "gem" / "gem-l-eclaircie.yaml"
    before = path.read_bytes()
    page = open_editor("/collections/gem/entries/gem-l-eclaircie")
    page.get_by_label("Code postal").fill("9226")
    publish(page)
    message = f"{PATTERN_MESSAGE} — {PATTERN_HINTS['code_postal']}"
    page.get_by_text(message).wait_for()
    page.wait_for_timeout(500)
    assert path.read_bytes() == before
    # The same words as `passerelle validate` for the same value written in the file.
    path.write_text(before.decode("utf-8").replace('code_postal: "92260"', 'code_postal: "9226"'), encoding="utf-8")
    assert main(["validate", "--data", str(data)]) == 1
    assert f"adresse.code_postal: {PATTERN_MESSAGE} « 9226 » — {PATTERN_HINTS['code_postal']}" in capsys.readouterr().err


def test_what_only_the_loader_can_check_is_refused_on_saving_in_french(data, open_editor):
    path = data / "gem" / "gem-l-eclaircie.yaml"
    before = path.read_bytes()
    page = open_editor("/collections/gem/entries/gem-l-eclaircie")
    page.get_by_label("Téléphone").fill("12")
    publish(page)
    page.get_by_text("numéro de téléphone invalide « 12 »", exact=False).wait_for()
    assert path.read_bytes() == before


def test_the_published_editor_loads_under_its_own_policy_without_calling_anyone(tmp_path, serve_site, page_at, external_requests):
    site = build_site(tmp_path / "site", site_url="", repository_url="https://github.com/exemple/annuaire")
    page = page_at("about:blank")
    page.add_init_script(VIOLATION_LOG)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(serve_site(site) + "admin/", wait_until="networkidle")
    page.get_by_role("button", name="Se connecter avec GitHub").wait_for()
    assert page.evaluate("window.__csp") == [] and errors == []
    assert external_requests(page) == []

"""The records editor's configuration is the record models', and its page stands apart."""

from __future__ import annotations

import http.client
import json
import re
import shutil
import subprocess
import sys
import urllib.request

import pytest
import yaml
from pydantic import Field, create_model

from generator import clock
from generator.cli import main
from generator.maintainers.editor import CHANGED_SINCE_READ, TAB_HEADER, start_editor
from generator.records.models import MODELS, Gem
from generator.records.vocabulary import Kind, Public, Statut
from generator.site.admin import YES_NO_UNKNOWN, cms_config, form_fields, repository_backend
from generator.site.model import SiteSettings
from tests.sitebuild import ROOT, build_site

GITHUB = SiteSettings(repository_url="https://github.com/exemple/annuaire", site_url="https://annuaire.exemple.fr/")


def by_name(fields: list[dict]) -> dict[str, dict]:
    return {field["name"]: field for field in fields}


def test_one_collection_per_kind_in_its_folder_named_by_the_record_id():
    collections = {c["name"]: c for c in cms_config(GITHUB, repository_backend(GITHUB))["collections"]}
    assert list(collections) == [kind.value for kind in Kind]
    gem = collections["gem"]
    assert (gem["folder"], gem["extension"], gem["format"], gem["slug"], gem["identifier_field"]) == (
        "data/gem",
        "yaml",
        "yaml",
        "{{slug}}",
        "nom",
    )
    assert gem["label"] == Kind.GEM.label and gem["description"] == Kind.GEM.description


@pytest.mark.parametrize("kind", list(Kind))
def test_every_model_field_is_a_form_field_in_the_models_order_with_its_requirement(kind):
    model = MODELS[kind]
    fields = form_fields(model)
    assert [f["name"] for f in fields] == [name for name in model.model_fields if name != "id"]
    for field in fields:
        info = model.model_fields[field["name"]]
        if field["widget"] != "hidden":
            assert field["required"] == info.is_required(), field["name"]
        assert field["label"] and field["label"][0].isupper()
    assert by_name(fields)["type"] == {"label": "Type", "name": "type", "widget": "hidden", "default": kind.value}


def test_vocabularies_are_selects_with_their_french_labels_and_descriptions():
    fields = by_name(form_fields(Gem))
    statut = fields["statut"]
    # No default: an unwritten statut is unknown, never presumed « actif ».
    assert statut["widget"] == "select" and "default" not in statut and "multiple" not in statut
    assert statut["options"] == [{"label": s.label, "value": s.value} for s in Statut]
    assert all(s.description in statut["hint"] for s in Statut)
    publics = fields["publics"]
    assert publics["multiple"] is True and [o["value"] for o in publics["options"]] == [p.value for p in Public]


def test_nested_objects_lists_dates_numbers_and_patterns():
    fields = by_name(form_fields(Gem))
    adresse = by_name(fields["adresse"]["fields"])
    assert fields["adresse"]["widget"] == "object" and not fields["adresse"]["required"]
    # Nothing inside an optional group is required by the form (the group may be left out).
    assert not adresse["commune"]["required"]
    assert adresse["code_postal"]["pattern"] == ["^(?:\\d{5})$", 'format invalide — 5 chiffres, entre guillemets de préférence : "92260"']
    sources = fields["sources"]
    assert sources["widget"] == "list" and sources["min"] == 1 and sources["required"]
    assert (
        by_name(sources["fields"])["titre"]["required"]
        and by_name(sources["fields"])["date"]["pattern"][0] == r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$"
    )
    assert fields["verifie_le"]["widget"] == "datetime" and fields["verifie_le"]["format"] == "YYYY-MM-DD"
    assert fields["verifie_le"]["time_format"] is False and fields["verifie_le"]["required"]
    assert (
        fields["ouverture_hebdomadaire"]["value_type"],
        fields["ouverture_hebdomadaire"]["min"],
        fields["ouverture_hebdomadaire"]["max"],
    ) == ("float", 0, 168)
    territoire = by_name(form_fields(MODELS[Kind.CLSM]))["territoire"]
    assert by_name(territoire["fields"])["departements"]["field"]["pattern"][0] == "^(?:\\d{2,3}|2[AB])$"
    assert fields["courriel"]["pattern"][1] == "adresse de courriel invalide (exemple : contact@exemple.fr)"
    # A yes or no the record may leave unsaid has a third choice; one with a default is a toggle.
    assert by_name(fields["accessibilite"]["fields"])["pmr"]["widget"] == YES_NO_UNKNOWN
    assert by_name(form_fields(MODELS[Kind.COLLECTIF]))["plateforme_emploi_accompagne"]["widget"] == YES_NO_UNKNOWN
    assert by_name(territoire["fields"])["national"]["widget"] == "boolean"


def test_a_model_change_changes_the_form():
    changed = create_model("GemPlus", __base__=Gem, jours_ouverture=(int | None, Field(None, ge=1, le=7, description="Jours par semaine.")))
    fields = by_name(form_fields(changed))
    assert fields["jours_ouverture"] == {
        "label": "Jours ouverture",
        "name": "jours_ouverture",
        "widget": "number",
        "value_type": "int",
        "min": 1,
        "max": 7,
        "required": False,
        "hint": "Jours par semaine.",
    }


def test_repository_backends():
    assert repository_backend(GITHUB) == {"repo": "exemple/annuaire", "branch": "main", "name": "github"}
    gitlab = SiteSettings(repository_url="https://gitlab.com/centre/annuaire.git", editor_app_id="abc123")
    assert repository_backend(gitlab) == {
        "repo": "centre/annuaire",
        "branch": "main",
        "name": "gitlab",
        "auth_type": "pkce",
        "app_id": "abc123",
    }
    own = repository_backend(SiteSettings(repository_url="https://forge.exemple.fr/centre/annuaire"))
    assert own["api_root"] == "https://forge.exemple.fr/api/v4" and own["base_url"] == "https://forge.exemple.fr"


def test_the_built_site_has_the_editor_only_with_a_repository_and_under_its_own_policy(tmp_path):
    without = build_site(tmp_path / "sans", site_url="")
    assert not (without / "admin").exists()
    site = build_site(tmp_path / "avec", site_url="", repository_url="https://github.com/exemple/annuaire")
    page = (site / "admin" / "index.html").read_text(encoding="utf-8")
    assert (
        "script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'" in page and "connect-src 'self' https://api.github.com;" in page
    )
    assert '<script src="../assets/vendor/decap-cms/decap-cms.js"></script>' in page
    assert (site / "assets" / "vendor" / "decap-cms" / "decap-cms.js").is_file()
    config = yaml.safe_load((site / "admin" / "config.yml").read_text(encoding="utf-8"))
    assert config["backend"]["name"] == "github" and config["publish_mode"] == "editorial_workflow"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "script-src 'self'; style-src 'self';" in home and "unsafe" not in home


@pytest.fixture
def editor(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    server = start_editor(tmp_path / "data", ROOT / "site_theme", port=0)
    yield server
    server.shutdown()
    server.server_close()


def call(server, body: dict, headers: dict | None = None) -> tuple[int, object]:
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1])
    connection.request("POST", "/api/v1", json.dumps(body), {"Content-Type": "application/json", **(headers or {})})
    response = connection.getresponse()
    return response.status, json.loads(response.read() or b"null")


def test_the_local_backend_reads_only_record_folders_and_answers_only_its_own_pages(editor):
    status, entries = call(editor, {"action": "entriesByFolder", "params": {"folder": "data/gem", "extension": "yaml", "depth": 1}})
    assert status == 200 and sorted(e["file"]["path"] for e in entries) == sorted(
        f"data/gem/{p.name}" for p in (ROOT / "data" / "gem").glob("*.yaml")
    )
    for path in ("data/../pyproject.toml", "data/geo/communes.csv", "/etc/passwd", "data/gem/../../x.yaml"):
        status, answer = call(editor, {"action": "getEntry", "params": {"path": path}})
        assert status == 422 and ("l'éditeur ne lit que les dossiers des fiches" in answer["error"] or "invalide" in answer["error"]), path
    status, _ = call(editor, {"action": "info"}, {"Origin": "https://autre-site.exemple"})
    assert status == 403
    status, answer = call(editor, {"action": "deleteFiles", "params": {"paths": ["data/gem/gem-l-eclaircie.yaml"]}})
    assert status == 422 and "mettez son statut à « Fermé »" in answer["error"]
    assert (editor.store.data_dir / "gem" / "gem-l-eclaircie.yaml").is_file()


def test_a_saved_record_that_would_not_load_is_not_written(editor):
    raw = f"type: gem\nnom: GEM SYNTHÉTIQUE\nadresse:\n  code_postal: '99999'\n  commune: Nulle\nsources:\n  - titre: T\n    document: D\n    date: '{clock.today().isoformat()}'\nverifie_le: {clock.today().isoformat()}\n"
    status, answer = call(
        editor, {"action": "persistEntry", "params": {"dataFiles": [{"path": "data/gem/gem-synthetique.yaml", "raw": raw}], "assets": []}}
    )
    assert (
        status == 422
        and "code postal inconnu « 99999 »" in answer["error"]
        and answer["error"].startswith("La fiche n'a pas été enregistrée")
    )
    assert not (editor.store.data_dir / "gem" / "gem-synthetique.yaml").exists()


def test_a_form_is_not_saved_over_a_change_made_since_it_was_read(editor):
    """A staff member confirms a record with `passerelle verifie` while the same record is open in the editor."""
    path = "data/gem/gem-l-eclaircie.yaml"
    file = editor.store.data_dir / "gem" / "gem-l-eclaircie.yaml"
    status, entry = call(editor, {"action": "getEntry", "params": {"path": path}})
    assert status == 200
    form = entry["data"].replace("nom:", "# Corrigé dans l'éditeur.\nnom:", 1)
    persist = {"action": "persistEntry", "params": {"dataFiles": [{"path": path, "raw": form}], "assets": []}}
    assert main(["verifie", "gem-l-eclaircie", "--data", str(editor.store.data_dir), "--source", "Appel à la structure"]) == 0
    confirmed = file.read_bytes()
    status, answer = call(editor, persist)
    assert status == 422 and answer["error"] == CHANGED_SINCE_READ
    assert file.read_bytes() == confirmed
    # Read again (the page reloaded), the record saves; and a new record cannot take an existing one's name.
    status, entry = call(editor, {"action": "getEntry", "params": {"path": path}})
    persist["params"]["dataFiles"][0]["raw"] = entry["data"]
    assert call(editor, persist)[0] == 200 and "Appel à la structure" in file.read_text(encoding="utf-8")
    status, answer = call(
        editor,
        {
            "action": "persistEntry",
            "params": {"dataFiles": [{"path": "data/gem/gem-le-cap-de-bonne-esperance.yaml", "raw": form}], "assets": []},
        },
    )
    assert status == 422 and answer["error"] == CHANGED_SINCE_READ


def test_a_form_is_not_saved_over_what_another_tab_saved_since_it_read_the_record(editor):
    """Two tabs open on one record: the second to save would have put back what the first changed."""
    path = "data/gem/gem-l-eclaircie.yaml"
    file = editor.store.data_dir / "gem" / "gem-l-eclaircie.yaml"
    first, second = {TAB_HEADER: "premier"}, {TAB_HEADER: "second"}
    forms = {}
    for tab in (first, second):
        status, entry = call(editor, {"action": "getEntry", "params": {"path": path}}, tab)
        assert status == 200
        forms[tab[TAB_HEADER]] = entry["data"]

    def persist(raw: str, tab: dict) -> tuple[int, object]:
        return call(editor, {"action": "persistEntry", "params": {"dataFiles": [{"path": path, "raw": raw}], "assets": []}}, tab)

    assert persist(forms["premier"].replace("publics:", "horaires: Mo-Fr 10:00-17:00\npublics:"), first)[0] == 200
    saved = file.read_bytes()
    status, answer = persist(forms["second"].replace("parrain:", "accessibilite:\n  pmr: true\nparrain:"), second)
    assert status == 422 and answer["error"] == CHANGED_SINCE_READ
    assert file.read_bytes() == saved
    # The tab that saved goes on saving; the other one, once it has read the record again, too.
    saved_form = file.read_text(encoding="utf-8").replace("horaires: Mo-Fr 10:00-17:00", "horaires: Mo-Fr 10:00-18:00")
    assert persist(saved_form, first)[0] == 200
    status, entry = call(editor, {"action": "getEntry", "params": {"path": path}}, second)
    assert persist(entry["data"].replace("parrain:", "accessibilite:\n  pmr: true\nparrain:"), second)[0] == 200
    assert "horaires: Mo-Fr 10:00-18:00" in file.read_text(encoding="utf-8") and "pmr: true" in file.read_text(encoding="utf-8")


def test_passerelle_edit_prints_the_address_of_the_editor(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    process = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "edit", "--data", str(tmp_path / "data"), "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        first = process.stdout.readline()
        address = re.fullmatch(r"Éditeur des fiches : (http://127\.0\.0\.1:\d+/admin/)\n", first)
        assert address, first
        page = urllib.request.urlopen(address.group(1), timeout=10).read().decode("utf-8")
        assert '<link href="config.yml" type="text/yaml" rel="cms-config-url">' in page
        config = yaml.safe_load(urllib.request.urlopen(address.group(1) + "config.yml", timeout=10).read())
        assert config["backend"] == {"name": "proxy", "proxy_url": "/api/v1"}
    finally:
        process.terminate()
        process.wait(timeout=10)

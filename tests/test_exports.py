"""Open data exports: read back with standard readers, one entry per record,
and the data·inclusion files validated by the official `data-inclusion-schema`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from data_inclusion.schema import v1

from generator.catalogue import load_catalogue
from generator.geo.gazetteer import Gazetteer
from generator.site.exports import (
    columns,
    data_inclusion_services,
    data_inclusion_structures,
    open_data_assets,
    open_data_pages,
    spreadsheet_safe,
)
from generator.site.model import SiteModel, SiteSettings
from generator.site.pages import Renderer

SOURCE = "sources: [{titre: Test, document: Document de test, date: '2026-01'}]\n"
RECORDS = {
    ("gem", "gem-complet"): """\
adresse: {voie: 1 rue de l'Essai, code_postal: '92260', commune: Fontenay-aux-Roses}
coordonnees: {lat: 48.79, lon: 2.29}
telephone: 01 23 45 67 89
courriel: contact@exemple.fr
site_web: https://exemple.fr/
horaires: Mo-Fr 10:00-17:00
publics: [troubles_psychiques, proches]
acces: [sans_orientation, adhesion]
accessibilite: {pmr: true, acceslibre: 'https://acceslibre.beta.gouv.fr/app/exemple/'}
ouverture_hebdomadaire: 30
nombre_adherents: {nombre: 40, annee: 2024}
partenaires: [collectif-lyon]
sources:
  - {titre: Rapport A, url: 'https://exemple.fr/a'}
  - {titre: Rapport B, document: Document B, date: '2024-05'}
  - {titre: Appel à la structure, document: Échange téléphonique, date: '2026-01-01'}
""",
    ("gem", "gem-ferme"): "statut: ferme\nadresse: {code_postal: '92260', commune: Fontenay-aux-Roses}\n" + SOURCE,
    (
        "collectif",
        "collectif-lyon",
    ): "description: Un collectif d'essai.\nadresse: {commune: Lyon, code_insee: '69123'}\nacces: [sans_orientation]\n" + SOURCE,
    ("clsm", "clsm-essai"): "territoire: {communes: ['92032', '92002']}\n" + SOURCE,
    ("esms", "esat-essai"): "categorie: esat\nadresse: {code_postal: '69003', commune: Lyon}\nacces: [notification_cdaph]\n" + SOURCE,
    (
        "employeur",
        "employeur-essai",
    ): "type_employeur: entreprise\nsiret: '35600000000048'\nadresse: {code_postal: '69003', commune: Lyon}\n" + SOURCE,
    ("ressource", "reseau-essai"): "categorie: reseau_national\nterritoire: {national: true, regions: ['11']}\n" + SOURCE,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> SiteModel:
    data = tmp_path_factory.mktemp("data")
    for (kind, name), body in RECORDS.items():
        path = data / kind / f"{name}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        statut = "" if "statut:" in body else "statut: actif\n"
        path.write_text(f"type: {kind}\nnom: Essai {name}\n{statut}{body}verifie_le: 2026-01-01\n", encoding="utf-8")
    gazetteer = Gazetteer.load()
    return SiteModel(load_catalogue(data, gazetteer), gazetteer, SiteSettings(site_url="https://annuaire.exemple.fr/"))


@pytest.fixture(scope="module")
def files(site: SiteModel) -> dict[str, str]:
    return {asset.path: asset.content for asset in open_data_assets(site)}


def test_csv_has_one_row_per_record_and_the_model_columns(files):
    rows = list(csv.DictReader(io.StringIO(files["donnees/structures.csv"])))
    header = next(csv.reader(io.StringIO(files["donnees/structures.csv"])))
    assert header == [column.name for column in columns()]
    assert header[:3] == ["id", "type", "nom"] and header[-5:] == ["departement", "region", "lat", "lon", "precision"]
    assert sorted(row["id"] for row in rows) == sorted(name for _, name in RECORDS)
    gem = next(row for row in rows if row["id"] == "gem-complet")
    assert gem["adresse.commune"] == "Fontenay-aux-Roses" and gem["telephone"] == "+33123456789"
    assert gem["publics"] == "troubles_psychiques|proches" and gem["accessibilite.pmr"] == "true"
    assert (gem["sources.titre"], gem["sources.url"], gem["sources.date"]) == (
        "Rapport A|Rapport B|Appel à la structure",
        "https://exemple.fr/a||",
        "|2024-05|2026-01-01",
    )
    assert (gem["departement"], gem["region"], gem["precision"], gem["lat"]) == ("92", "11", "adresse", "48.79")
    assert gem["nombre_adherents.nombre"] == "40" and gem["categorie"] == ""
    clsm = next(row for row in rows if row["id"] == "clsm-essai")
    assert clsm["territoire.communes"] == "92032|92002" and clsm["lat"] == "" and clsm["coordonnees.lat"] == ""


def test_json_keeps_the_structure_of_each_record(files):
    records = json.loads(files["donnees/structures.json"])
    assert len(records) == len(RECORDS) and len({r["id"] for r in records}) == len(RECORDS)
    gem = next(r for r in records if r["id"] == "gem-complet")
    assert gem["sources"][1] == {"titre": "Rapport B", "url": None, "document": "Document B", "date": "2024-05"}
    assert gem["departement"] == ["92"] and gem["verifie_le"] == "2026-01-01"
    lyon = next(r for r in records if r["id"] == "collectif-lyon")
    assert lyon["precision"] == "commune" and lyon["lat"] is not None


def test_geojson_has_one_feature_per_record(files):
    collection = json.loads(files["donnees/structures.geojson"])
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == len(RECORDS)
    for feature in collection["features"]:
        assert feature["type"] == "Feature" and isinstance(feature["properties"], dict)
        geometry = feature["geometry"]
        if feature["id"] in ("clsm-essai", "reseau-essai"):
            assert geometry is None  # no address: nothing to draw
        else:
            lon, lat = geometry["coordinates"]
            assert geometry["type"] == "Point" and (lat, lon) == (feature["properties"]["lat"], feature["properties"]["lon"])
            assert -180 <= lon <= 180 and -90 <= lat <= 90


def test_schemas_are_published_for_every_kind(files):
    schemas = {path: json.loads(text) for path, text in files.items() if path.startswith("donnees/schemas/")}
    assert len(schemas) == 6 and all(s["title"].startswith("Fiche Passerelle") for s in schemas.values())


def test_every_column_is_described():
    assert all(column.description for column in columns()), [c.name for c in columns() if not c.description]
    assert len({column.name for column in columns()}) == len(columns())


def test_data_inclusion_structures_validate_with_the_official_schema(site, files):
    structures = json.loads(files["donnees/data-inclusion-structures.json"])
    assert structures == json.loads(json.dumps(list(data_inclusion_structures(site))))
    validated = {s["id"]: v1.Structure.model_validate(s, context={"ignore_warnings": False}) for s in structures}
    # Open GEM, collectifs, ESMS and resources; not the closed GEM, the CLSM or the employer.
    assert sorted(validated) == [
        "passerelle--collectif-lyon",
        "passerelle--esat-essai",
        "passerelle--gem-complet",
        "passerelle--reseau-essai",
    ]
    gem = validated["passerelle--gem-complet"]
    assert (gem.code_insee, gem.code_postal, gem.latitude, gem.telephone) == ("92032", "92260", 48.79, "+33123456789")
    assert str(gem.lien_source) == "https://annuaire.exemple.fr/structures/gem-complet/"
    assert validated["passerelle--esat-essai"].reseaux_porteurs == {v1.ReseauPorteur.ESAT}
    assert validated["passerelle--collectif-lyon"].latitude is None  # a commune's centre is not an address


def test_data_inclusion_services_validate_with_the_official_schema(site, files):
    services = json.loads(files["donnees/data-inclusion-services.json"])
    assert services == json.loads(json.dumps(list(data_inclusion_services(site))))
    validated = {s["structure_id"]: v1.Service.model_validate(s, context={"ignore_warnings": False}) for s in services}
    assert sorted(validated) == ["passerelle--collectif-lyon", "passerelle--gem-complet"]
    gem = validated["passerelle--gem-complet"]
    assert gem.thematiques == {v1.Thematique.SANTE__SANTE_MENTALE}
    assert gem.publics == {v1.Public.PERSONNES_EN_SITUATION_DE_HANDICAP}
    assert gem.mobilisable_par == {v1.PersonneMobilisatrice.USAGERS, v1.PersonneMobilisatrice.PROFESSIONNELS}
    assert gem.modes_mobilisation == {
        v1.ModeMobilisation.SE_PRESENTER,
        v1.ModeMobilisation.TELEPHONER,
        v1.ModeMobilisation.ENVOYER_UN_COURRIEL,
    }
    assert gem.volume_horaire_hebdomadaire == 30


def test_the_page_states_the_configured_licence(site, repo_root):
    odbl = SiteModel(site.catalogue, site.gazetteer, SiteSettings(data_licence="ODbL"))
    html = Renderer(repo_root / "site_theme" / "passerelle", odbl).render(open_data_pages(odbl)[0])
    assert "https://opendatacommons.org/licenses/odbl/1-0/" in html and ">ODbL</a>" in html
    assert "<code>sources.titre</code>" in html and "Les CLSM ne sont pas exportés" in html


def test_the_built_site_publishes_every_shipped_record(built_site: Path, repo_root: Path):
    shipped = {p.stem for p in (repo_root / "data").glob("*/*.yaml")}
    folder = built_site / "donnees"
    assert {r["id"] for r in json.loads((folder / "structures.json").read_text(encoding="utf-8"))} == shipped
    with open(folder / "structures.csv", encoding="utf-8", newline="") as handle:
        assert sorted(row["id"] for row in csv.DictReader(handle)) == sorted(shipped)
    assert len(json.loads((folder / "structures.geojson").read_text(encoding="utf-8"))["features"]) == len(shipped)
    for structure in json.loads((folder / "data-inclusion-structures.json").read_text(encoding="utf-8")):
        v1.Structure.model_validate(structure, context={"ignore_warnings": False})
    for service in json.loads((folder / "data-inclusion-services.json").read_text(encoding="utf-8")):
        v1.Service.model_validate(service, context={"ignore_warnings": False})
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert "Licence Ouverte 2.0" in page and 'href="structures.csv"' in page


def test_the_page_says_which_exported_structures_are_to_be_confirmed(built_site: Path, repo_root: Path):
    """data·inclusion has no status: the page must not let « ouvertes » be read of the records whose own page
    says « À confirmer » (no statut, or one written long ago: the shipped collectifs' « actif » dates from 2022)."""
    unsaid = {p.stem for p in (repo_root / "data").glob("*/*.yaml") if "\nstatut:" not in p.read_text(encoding="utf-8")}
    exported = {
        s["id"].removeprefix("passerelle--") for s in json.loads((built_site / "donnees" / "data-inclusion-structures.json").read_bytes())
    }
    to_confirm = {
        i for i in exported if "pa-badge--a_confirmer" in (built_site / "structures" / i / "index.html").read_text(encoding="utf-8")
    }
    assert exported & unsaid and to_confirm - unsaid, "the shipped data exports records without statut, and with an old one"
    page = (built_site / "donnees" / "index.html").read_text(encoding="utf-8")
    assert "Seules les structures ouvertes" not in page
    assert f"({len(to_confirm)} dans ce fichier : rien de récent ne dit qu'elles accueillent en ce moment)" in page


# --- Spreadsheet formulas (OWASP « CSV injection ») --------------------------------------

FORMULAS = {
    "nom": '=HYPERLINK("https://exemple.fr","Cliquez")',
    "gestionnaire": "+cmd|' /C calc'!A0",
    "parrain": "-2+3+cmd|' /C calc'!A0",
    "description": "@SUM(1+1)*cmd|' /C calc'!A0",
    "voie": "\t=1+1",
}


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(tmp_path):
    path = tmp_path / "gem" / "gem-formules.yaml"
    path.parent.mkdir()
    path.write_text(
        json.dumps(
            {
                "type": "gem",
                "nom": FORMULAS["nom"],
                "description": FORMULAS["description"],
                "gestionnaire": FORMULAS["gestionnaire"],
                "parrain": FORMULAS["parrain"],
                "adresse": {"voie": FORMULAS["voie"], "code_postal": "29200", "commune": "Brest"},
                "coordonnees": {"lat": 48.39, "lon": -4.49},
                "telephone": "02 98 00 00 00",
                "sources": [{"titre": "-1+1", "document": "Document SYNTHÉTIQUE", "date": "2026-01"}],
                "verifie_le": "2026-01-15",
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    gazetteer = Gazetteer.load()
    site = SiteModel(load_catalogue(tmp_path, gazetteer), gazetteer)
    files = {asset.path: asset.content for asset in open_data_assets(site)}
    row = next(csv.DictReader(io.StringIO(files["donnees/structures.csv"])))
    # Stripped by the models (str_strip_whitespace): a leading tab or return never reaches the files.
    assert row["adresse.voie"] == "'=1+1"
    for field in ("nom", "gestionnaire", "parrain", "description"):
        assert row[field] == "'" + FORMULAS[field], field
    assert row["sources.titre"] == "'-1+1"
    # Plain numbers run nothing: a negative longitude and a phone number stay numbers.
    assert row["coordonnees.lon"] == "-4.49" and row["lon"] == "-4.49" and row["telephone"] == "+33298000000"
    # JSON and GeoJSON keep the text as written.
    record = json.loads(files["donnees/structures.json"])[0]
    assert record["nom"] == FORMULAS["nom"] and record["gestionnaire"] == FORMULAS["gestionnaire"]
    feature = json.loads(files["donnees/structures.geojson"])["features"][0]
    assert feature["properties"]["parrain"] == FORMULAS["parrain"]


@pytest.mark.parametrize("start", ["\t", "\r"])
def test_tab_and_carriage_return_starts_are_neutralised_too(start):
    assert spreadsheet_safe(start + "=1+1") == "'" + start + "=1+1"
    assert spreadsheet_safe("texte " + start) == "texte " + start

"""The real site, built with MkDocs from the shipped data."""

from __future__ import annotations

import re
from pathlib import Path
from textwrap import dedent

import pytest

from bench.synthetic import LONG_AGO
from generator.build import BuildFailed
from generator.catalogue import load_catalogue
from generator.geo.gazetteer import Gazetteer
from generator.records.models import Territoire
from generator.site.data_folder import load_site
from generator.site.model import NO_COMMUNE, SiteModel, SiteSettings, group_by_commune
from generator.site.pages import Renderer, record_pages
from tests.records import VALID_GEM, VERIFIED
from tests.sitebuild import ROOT, build_site


def html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def test_every_record_has_its_page(built_site, repo_root):
    catalogue = load_catalogue(repo_root / "data")
    for record_id, record in catalogue.records.items():
        page = html(built_site, f"structures/{record_id}")
        assert f"<h1>{record.nom}</h1>".replace("'", "&#39;") in page
        assert "Fiche vérifiée le" in page


def test_record_page_shows_what_a_visitor_needs(built_site):
    page = html(built_site, "structures/clubhouse-france")
    assert "43 rue du Télégraphe" in page and "75020 Paris" in page
    assert 'href="tel:+33130441749"' in page and "01 30 44 17 49" in page
    assert 'href="mailto:info@clubhousefrance.org"' in page
    assert "Sources" in page and "Clubhouse France" in page


def test_record_page_names_its_territory(built_site):
    territory = re.search(r"<dt>Territoire</dt>\s*<dd>(.*?)</dd>", html(built_site, "structures/ceapsy"), re.S)
    assert territory and territory.group(1).strip() == "Île-de-France"


def test_commune_precision_is_said(built_site):
    assert "Adresse exacte non localisée" in html(built_site, "structures/gem-l-eclaircie")


def test_partners_are_linked_both_ways(built_site):
    gem = html(built_site, "structures/gem-le-cap-de-bonne-esperance")
    fnapsy = html(built_site, "structures/fnapsy")
    assert 'href="../fnapsy/"' in gem
    assert 'href="../gem-le-cap-de-bonne-esperance/"' in fnapsy


def test_kind_and_territory_pages(built_site):
    collectifs = html(built_site, "collectifs")
    assert collectifs.count('class="pa-entry"') == 7
    # The shipped records are more than a year old: their situation is « à confirmer ».
    assert "À confirmer" in collectifs and "En projet" not in collectifs
    region = html(built_site, "regions/11")
    assert "Hauts-de-Seine (92)" in region and "GEM L&#39;Éclaircie" in region
    departement = html(built_site, "departements/92")
    assert "GEM L&#39;Éclaircie" in departement and 'href="../../regions/11/"' in departement
    assert "Auvergne-Rhône-Alpes" in html(built_site, "regions")


def test_a_departement_page_lists_what_serves_its_whole_region(built_site):
    # Céapsy serves Île-de-France (territoire.regions), in no département of its own: the Hauts-de-Seine's
    # page names it after its own places, the région's page in its list.
    departement = html(built_site, "departements/92")
    region_part = departement[departement.index('id="toute-la-region"') :]
    assert "Pour toute la région Île-de-France" in region_part
    assert 'href="../../structures/ceapsy/"' in region_part
    assert "GEM L&#39;Éclaircie" not in region_part
    assert 'id="toute-la-region"' not in html(built_site, "regions/11")
    assert 'href="../../structures/ceapsy/"' in html(built_site, "regions/11")


def test_a_territory_page_leads_to_what_serves_all_france(built_site):
    # A family on its département's page saw its places and its région's, and nothing of the national networks.
    national = [
        entry
        for entry in load_site(ROOT / "data", SiteSettings()).entries.values()
        if entry.record.territoire and entry.record.territoire.national
    ]
    assert national
    for url in ("departements/92", "regions/11"):
        part = html(built_site, url)
        part = part[part.index('id="toute-la-france"') :]
        link = re.search(r'<a href="([^"]*)">(\d+) ressources nationales agissent dans toute la France</a>', part)
        assert link and int(link.group(2)) == len(national), url
        target, _, anchor = link.group(1).partition("#")
        listed = (built_site / url / target / "index.html").resolve().read_text(encoding="utf-8")
        assert f'id="{anchor}"' in listed and all(f"structures/{entry.record.id}/" in listed for entry in national)


def test_territory_pages_describe_themselves(built_site):
    """Search engines show a page's description under its title (Lighthouse's meta-description audit)."""
    for url, name in (("regions/11", "Île-de-France"), ("departements/92", "Hauts-de-Seine (92)")):
        description = re.search(r'<meta name="description" content="([^"]*)">', html(built_site, url))
        assert description and description.group(1).startswith(f"{name} : les structures de l&#39;annuaire")


def test_home_offers_three_entry_points(built_site):
    home = (built_site / "index.html").read_text(encoding="utf-8")
    for door in ("Je cherche un lieu près de chez moi", "J’oriente quelqu’un", "Je découvre ce qui existe"):
        assert door.replace("’", "'") in home.replace("’", "'") or door in home
    assert 'lang="fr"' in home


EMERGENCY_NUMBERS = ("15", "112", "3114")


def test_every_page_that_gives_an_emergency_number_makes_it_callable(built_site):
    """On a phone, a number in bold text is one more thing to type at the worst moment."""
    pages = {str(page.relative_to(built_site)): page.read_text(encoding="utf-8") for page in built_site.rglob("*.html")}
    pages = {name: html for name, html in pages.items() if "3114" in html}
    assert {"index.html", "guides/proches/index.html", "facile/index.html"} <= pages.keys()
    for name, html in pages.items():
        text = re.sub(r"<[^>]*>", "", html)
        for number in EMERGENCY_NUMBERS:
            if re.search(rf"\b(?:le|au) {number}\b", text, re.IGNORECASE):
                assert f'href="tel:{number}"' in html, f"{name}: le {number}"


def test_record_pages_stay_out_of_navigation(built_site):
    page = html(built_site, "structures/gem-l-eclaircie")
    nav_links = re.findall(r'class="md-nav__link[^"]*"[^>]*href="([^"]*)"|href="([^"]*)"[^>]*class="md-nav__link', page)
    assert nav_links and not any("structures/" in "".join(link) for link in nav_links)


RECORD = """\
type: gem
nom: "{nom}"
description: "{description}"
adresse:
  code_postal: "92260"
  commune: Fontenay-aux-Roses
horaires: "Mo-Fr 10:00-17:00; Sa 14:00-18:00"
sources:
  - titre: Source
    document: Document
    date: "{verifie_le}"
verifie_le: {verifie_le}
"""


@pytest.fixture(scope="module")
def small_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("small")
    data = root / "data"
    (data / "gem").mkdir(parents=True)
    (data / "gem" / "gem-ancien.yaml").write_text(
        RECORD.format(
            nom="GEM Ancien", description="Voir [le site](javascript:alert(1)) et <b>gras</b> et **fort**", verifie_le="2020-01-01"
        ),
        encoding="utf-8",
    )
    return build_site(root / "site", data_dir=data)


def test_stale_records_are_flagged(small_site):
    assert "Informations peut-être anciennes" in html(small_site, "structures/gem-ancien")


def test_a_page_says_to_call_only_when_it_gives_a_number(built_site):
    """« Appelez avant de vous déplacer » under a record without a phone left the visitor with nobody to call."""

    def stale_note(record_id: str) -> str:
        return re.search(r'<div class="admonition warning pa-stale".*?</div>', html(built_site, f"structures/{record_id}"), re.S).group(0)

    assert "Appelez avant de vous déplacer." in stale_note("clubhouse-france")  # a phone on the page
    assert "Renseignez-vous avant de vous déplacer." in stale_note("gem-l-eclaircie")  # none: its contacts are named below
    assert "ppelez" not in html(built_site, "structures/gem-l-eclaircie")


def test_a_record_without_a_place_sends_nobody_on_a_trip(built_site):
    """A national network's page said « Renseignez-vous avant de vous déplacer » and « comment y aller »: there is nowhere to go."""
    page = html(built_site, "structures/unafam")
    assert "Renseignez-vous pour vérifier." in page and "Pour qui, et comment y accéder" in page
    assert "déplacer" not in page and "y aller" not in page
    assert "Pour qui, et comment y aller" in html(built_site, "structures/gem-l-eclaircie")


def test_hours_are_shown_as_a_week(small_site):
    page = html(small_site, "structures/gem-ancien")
    assert '<span class="pa-hours__day">Lundi</span> 10 h – 17 h' in page
    assert '<span class="pa-hours__day">Dimanche</span> fermé' in page


def test_descriptions_are_rendered_safely(small_site):
    page = html(small_site, "structures/gem-ancien")
    assert "<strong>fort</strong>" in page
    assert 'href="javascript:' not in page
    assert "&lt;b&gt;gras&lt;/b&gt;" in page


def test_bad_data_fails_the_build_with_the_report(tmp_path):
    data = tmp_path / "data"
    (data / "gem").mkdir(parents=True)
    (data / "gem" / "gem-x.yaml").write_text(dedent("type: gem\nnom: X\n"), encoding="utf-8")
    with pytest.raises(BuildFailed) as failure:
        build_site(tmp_path / "site", data_dir=data)
    assert "gem-x.yaml:1:1: sources: champ obligatoire manquant" in str(failure.value)
    assert not (tmp_path / "site").exists()


def test_record_pages_have_one_title(built_site):
    page = html(built_site, "structures/clubhouse-lyon")
    assert page.count("<h1") == 1 and "Clubhouse de Lyon</h1>" in page
    assert "<title>Clubhouse de Lyon - " in page


def test_record_pages_share_one_layout_without_leftovers(built_site):
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "structures/gem-l-eclaircie/" in sitemap and "passerelle-layout" not in sitemap
    assert not (built_site / "structures" / "passerelle-layout").exists()
    for page in built_site.rglob("*.html"):
        assert "PASSERELLE-LAYOUT" not in page.read_text(encoding="utf-8"), page


@pytest.fixture(scope="module")
def crowded_site(tmp_path_factory):
    """More GEM than one list should show, in two régions."""
    root = tmp_path_factory.mktemp("crowded")
    data = root / "data"
    (data / "gem").mkdir(parents=True)
    for index in range(230):
        cp, commune = ("92260", "Fontenay-aux-Roses") if index % 2 else ("69001", "Lyon")
        text = (
            RECORD.format(nom=f"GEM {index}", description="Test", verifie_le="2026-01-01")
            .replace("92260", cp)
            .replace("Fontenay-aux-Roses", commune)
        )
        (data / "gem" / f"gem-{index:03d}.yaml").write_text(text, encoding="utf-8")
    return build_site(root / "site", data_dir=data)


def test_long_lists_become_counts_per_territory(crowded_site):
    section = html(crowded_site, "gem")
    assert 'class="pa-entry"' not in section
    assert re.search(r'href="../regions/11/#gem">Île-de-France</a></td><td>115</td>', section)
    assert re.search(r'href="../regions/84/#gem">Auvergne-Rhône-Alpes</a></td><td>115</td>', section)
    departement = html(crowded_site, "departements/92")
    assert departement.count('class="pa-entry"') == 115


def write_folded_data(data: Path) -> None:
    """Four GEM in Fontenay-aux-Roses, three in Clamart, and a resource of the Hauts-de-Seine without a commune."""
    (data / "gem").mkdir(parents=True)
    (data / "ressource").mkdir()
    for index in range(7):
        cp, commune = ("92260", "Fontenay-aux-Roses") if index < 4 else ("92140", "Clamart")
        text = RECORD.format(nom=f"GEM {index}", description="Test", verifie_le="2026-01-01").replace("92260", cp)
        (data / "gem" / f"gem-{index}.yaml").write_text(text.replace("Fontenay-aux-Roses", commune), encoding="utf-8")
    (data / "ressource" / "ressource-92.yaml").write_text(
        dedent(
            """\
            type: ressource
            nom: "Ressource des Hauts-de-Seine"
            categorie: cmp
            territoire: {departements: ["92"]}
            sources: [{titre: Source, document: Document, date: "2026-01-01"}]
            verifie_le: 2026-01-01
            """
        ),
        encoding="utf-8",
    )


def build_folded_site(root: Path) -> Path:
    """A département whose lists are longer than the limit (lowered to 2 for the test)."""
    write_folded_data(root / "data")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("generator.site.pages.LIST_LIMIT", 2)
        return build_site(root / "site", data_dir=root / "data")


@pytest.fixture(scope="module")
def folded_site(tmp_path_factory):
    return build_folded_site(tmp_path_factory.mktemp("folded"))


def test_a_long_departement_list_is_folded_by_commune(folded_site):
    page = html(folded_site, "departements/92")
    groups = re.findall(
        r'<details class="pa-commune">\s*<summary>(.*?) <span class="pa-count">\((\d+)\)</span></summary>(.*?)</details>', page, re.S
    )
    assert [(name, int(count)) for name, count, _ in groups] == [("Clamart (92)", 3), ("Fontenay-aux-Roses (92)", 4)]
    assert all(body.count('class="pa-entry"') == int(count) for _, count, body in groups), "each group lists its records"
    # A list within the limit stays one list: the resource, alone of its kind.
    assert page.count('class="pa-entry"') == 8 and "Ressource des Hauts-de-Seine" in page
    assert "Sans commune indiquée" not in page


def test_records_without_a_commune_come_last_in_their_own_group(folded_site):
    site = load_site(folded_site.parent / "data", SiteSettings())
    groups = group_by_commune(site.by_departement["92"])
    assert [(name, len(entries)) for name, entries in groups] == [("Clamart (92)", 3), ("Fontenay-aux-Roses (92)", 4), (NO_COMMUNE, 1)]
    assert groups[-1][1][0].id == "ressource-92"


def test_territory_names_list_regions_then_departements_then_communes(repo_root):
    site = SiteModel(load_catalogue(repo_root / "data"), Gazetteer.load())
    territory = Territoire(regions=["11"], departements=["92", "00"], communes=["69123"])
    assert site.territory_names(territory) == ["Île-de-France", "Hauts-de-Seine (92)", "Lyon"]


# The same GEM verified long before (over the 12 months of data/reverification.yaml): « à confirmer », whatever its statut says.
OLD_GEM = VALID_GEM.replace(VERIFIED, LONG_AGO)
# A national network: no address, nowhere to come to.
NETWORK = f"""\
type: ressource
nom: Réseau national
categorie: reseau_national
site_web: https://exemple.fr/
territoire: {{national: true}}
sources:
  - titre: Site du réseau
    url: https://exemple.fr/
    date: "{VERIFIED}"
verifie_le: {VERIFIED}
"""


def fact_row(tmp_path: Path, record: str, term: str) -> str | None:
    """What the only record's page says under `term` (« Accessibilité »…), or None without that row."""
    kind = re.search(r"^type: (\w+)", record, re.M).group(1)
    (tmp_path / kind).mkdir()
    (tmp_path / kind / "exemple.yaml").write_text(record, encoding="utf-8")
    site = SiteModel(load_catalogue(tmp_path), Gazetteer.load())
    (page,) = record_pages(site)
    html = Renderer(ROOT / "site_theme" / "passerelle", site).render(page)
    found = re.search(rf"<dt>{term}</dt>\s*<dd>\s*(.*?)\s*</dd>", html, re.S)
    return found.group(1) if found else None


@pytest.mark.parametrize(
    ("record", "said"),
    [
        (VALID_GEM + "accessibilite: {pmr: true}\n", "Accessible aux personnes à mobilité réduite."),
        (VALID_GEM + "accessibilite: {pmr: false}\n", "Pas accessible aux personnes à mobilité réduite."),
        # A place one may come to, of which the record says nothing: it was silent, as if there were nothing to know.
        (VALID_GEM, "Non renseignée : renseignez-vous avant de vous déplacer."),
        (VALID_GEM + 'telephone: "01 23 45 67 89"\n', "Non renseignée : appelez avant de vous déplacer."),
        (VALID_GEM + "statut: en_projet\n", None),
        # « En projet » two years ago, now « à confirmer »: it may receive.
        (OLD_GEM + "statut: en_projet\n", "Non renseignée : renseignez-vous avant de vous déplacer."),
        (NETWORK, None),
    ],
)
def test_a_record_page_says_what_is_known_of_a_wheelchair_s_way_in(tmp_path, record, said):
    assert fact_row(tmp_path, record, "Accessibilité") == said


@pytest.mark.parametrize(
    ("record", "said"),
    [
        # No row at all: an old « ouvert tous les jours » in the presentation read as current.
        (VALID_GEM, "Non renseignés : renseignez-vous avant de vous déplacer."),
        (VALID_GEM + 'telephone: "01 23 45 67 89"\n', "Non renseignés : appelez avant de vous déplacer."),
        (OLD_GEM + "statut: en_projet\n", "Non renseignés : renseignez-vous avant de vous déplacer."),
        (VALID_GEM + "statut: en_projet\n", None),
        (VALID_GEM + "statut: ferme\n", None),
        (NETWORK, None),
    ],
)
def test_a_record_page_says_when_its_hours_are_not_known(tmp_path, record, said):
    assert fact_row(tmp_path, record, "Horaires") == said


def test_a_kind_without_any_record_yet_says_where_else_to_look(built_site):
    """« Aucune fiche de ce type pour l'instant. » ended the ESMS page of the shipped site: a professional looking for
    a SAVS or an ESAT had nowhere to go from there."""
    for section, elsewhere in (("esms", "qui informe sur les droits et les démarches"), ("employeurs", None)):
        page = re.sub(r"\s+", " ", (built_site / section / "index.html").read_text(encoding="utf-8").replace("&#39;", "'"))
        assert "Cet annuaire n'a encore aucune fiche de ce type. Cela ne veut pas dire qu'il n'en existe pas près de chez vous." in page
        assert elsewhere is None or elsewhere in page
        link = re.search(r'Pour savoir vers qui vous tourner, en quelques questions : <a href="([^"]+)">Quel dispositif', page)
        assert link and (built_site / section / link.group(1) / "index.html").resolve().is_file()

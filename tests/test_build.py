"""`passerelle build`'s pipeline: one data folder, the same site from either engine or from the MkDocs plugin."""

from __future__ import annotations

import gc
import json
import os
import re
import shutil
import sys
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader, select_autoescape
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from generator.build import BuildFailed, bulk, finish, memory
from generator.build.project import PasserelleOptions, Tagged, read_config, site_source
from generator.build.project import write_config as write_engine_config
from generator.build.sources import source_path, translate_nav
from generator.cli import main
from generator.site import features
from generator.site.glossary import Glossary
from generator.site.model import SettingError
from generator.site.pages import Asset
from generator.site.search import BUNDLE_FOLDER
from tests.records import gem_named
from tests.sitebuild import ROOT, build_site, write_config
from tests.test_glossary import EXPANSIONS, TERMS, _Acronyms
from tests.test_orientation import VALID as VALID_TREE

REPOSITORY = "https://forge.example.org/centre/annuaire"


def html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def files_of(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


# --- One data folder --------------------------------------------------------------------


@pytest.fixture(scope="module")
def centre_site(tmp_path_factory) -> Path:
    """A resource centre's own repository, outside Passerelle's checkout: its records, glossary and tree in donnees/."""
    centre = tmp_path_factory.mktemp("centre")
    data = centre / "donnees"
    (data / "gem").mkdir(parents=True)
    (data / "gem" / "gem-du-centre.yaml").write_text(
        gem_named("GEM du centre") + "description: Ateliers sur la QVT avec le GEM voisin.\n", encoding="utf-8"
    )
    (data / "glossaire.yaml").write_text(
        "- sigle: QVT\n  developpe: qualité de vie au travail (glossaire du centre)\n  definition: Conditions de travail.\n",
        encoding="utf-8",
    )
    (data / "orientation.yaml").write_text(
        VALID_TREE.replace('titre: "Quel dispositif ?"', 'titre: "Le parcours du centre"'), encoding="utf-8"
    )
    # The configuration at the root of the centre's repository: « donnees » is where the data is in it
    # (data_path_in_repository left empty, so that it is found from the configuration's folder).
    return build_site(centre / "site", data_dir=data, repository_url=REPOSITORY, data_path_in_repository="")


def test_the_data_folder_s_own_glossary_replaces_the_shipped_one(centre_site):
    page = html(centre_site, "structures/gem-du-centre")
    assert '<abbr title="qualité de vie au travail (glossaire du centre)">QVT</abbr>' in page
    assert 'title="groupe d&#39;entraide mutuelle"' not in page, "the shipped glossary is not used"


def test_the_data_folder_s_own_decision_tree_is_published(centre_site):
    assert "<h1>Le parcours du centre</h1>" in html(centre_site, "orientation")
    assert (centre_site / "orientation" / "envie" / "index.html").is_file()
    assert not (centre_site / "orientation" / "soins").exists(), "a page of the shipped tree"


def test_edit_links_point_into_the_data_folder_of_its_repository(centre_site):
    assert f'href="{REPOSITORY}/edit/main/donnees/gem/gem-du-centre.yaml"' in html(centre_site, "structures/gem-du-centre")


def test_a_data_folder_outside_the_configuration_s_folder_needs_its_path_in_the_repository(tmp_path):
    data = tmp_path / "ailleurs" / "data"
    (data / "gem").mkdir(parents=True)
    (data / "gem" / "gem-exemple.yaml").write_text(gem_named("GEM Exemple"), encoding="utf-8")
    with pytest.raises(BuildFailed, match="indiquez son chemin dans le dépôt de repository_url avec l'option data_path_in_repository"):
        build_site(tmp_path / "projet" / "site", data_dir=data, repository_url=REPOSITORY, data_path_in_repository="")
    assert not (tmp_path / "projet" / "site").exists()


def test_problems_of_records_tree_and_glossary_are_reported_together(tmp_path, capsys):
    data = tmp_path / "data"
    (data / "gem").mkdir(parents=True)
    (data / "gem" / "gem-exemple.yaml").write_text(gem_named("GEM Exemple").replace('"92260"', '"9226"'), encoding="utf-8")
    (data / "glossaire.yaml").write_text("- sigle: QVT\n  developpe: x\n", encoding="utf-8")
    (data / "orientation.yaml").write_text(VALID_TREE.replace("vers: gem", "vers: gemm"), encoding="utf-8")
    config = write_config(tmp_path / "site", data_dir=data)
    assert main(["build", "--config-file", str(config)]) == 1
    error = capsys.readouterr().err
    assert "gem-exemple.yaml:4:3: adresse.code_postal: format invalide « 9226 »" in error
    assert "glossaire.yaml:1:3: [0].definition: champ obligatoire manquant" in error
    assert "orientation.yaml" in error and "réponse sans suite : « gemm »" in error
    assert "4 problèmes à corriger." in error and "Traceback" not in error  # the tree: the issue « gem » is now unreachable too


# --- The same site, whatever runs the steps --------------------------------------------


def test_the_mkdocs_plugin_builds_the_same_site_as_passerelle_build(tmp_path, built_site):
    """`mkdocs build` (the plugin, as `mkdocs serve` runs it) and `passerelle build` share every step."""
    build(load_config(str(write_config(tmp_path / "site"))))
    plugin, pipeline = files_of(tmp_path / "site"), files_of(built_site)
    assert plugin.keys() == pipeline.keys()
    # The engine lists pages in the order it found their files: the hand-written ones first in the plugin.
    in_any_order = {"sitemap.xml", "sitemap.xml.gz", "search/search_index.json"}
    assert [name for name in plugin if plugin[name] != pipeline[name] and name not in in_any_order] == []
    urls = re.compile(rb"<loc>([^<]*)</loc>")
    assert sorted(urls.findall(plugin["sitemap.xml"])) == sorted(urls.findall(pipeline["sitemap.xml"]))


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("zensical") / "site", engine="zensical")


def test_zensical_builds_every_page_of_the_site(zensical_site, built_site):
    pages = {path.relative_to(built_site).as_posix() for path in built_site.rglob("*.html")}
    assert {path.relative_to(zensical_site).as_posix() for path in zensical_site.rglob("*.html")} == pages
    assert (zensical_site / "search.json").is_file(), "Zensical's own search index"
    sitemap = (zensical_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "structures/gem-l-eclaircie/" in sitemap and "passerelle-layout" not in sitemap
    for page in zensical_site.rglob("*.html"):
        assert "PASSERELLE-LAYOUT" not in page.read_text(encoding="utf-8"), page


def test_zensical_keeps_the_links_of_every_page(zensical_site, built_site):
    """Zensical rewrites the raw-HTML links of non-index pages (`orientation/soins.md`…): generated pages are
    written as index pages, so every link of every page's content is the one MkDocs writes."""
    links = re.compile(r'(?:href|src)="([^"]*)"')
    differ = []
    for page in built_site.rglob("*.html"):
        name = page.relative_to(built_site).as_posix()
        # « /. » and « / » are the same address (Zensical writes the 404 page's link home so).
        mkdocs, zensical = (
            [re.sub(r"/\.$", "/", link) for link in links.findall(main_content((site / name).read_text(encoding="utf-8")))]
            for site in (built_site, zensical_site)
        )
        if mkdocs != zensical:
            differ.append(f"{name}: {sorted(set(mkdocs) ^ set(zensical))[:4]}")
    assert differ == []
    assert "orientation/soins/index.html" in [p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html")]


def test_zensical_header_has_no_empty_block_without_a_repository(zensical_site, built_site):
    """An empty « md-header__source » took a quarter of a laptop's header: the site's name was cut, the search box moved."""
    header = re.compile(r'<div class="md-header__source">\s*</div>')
    for site in (built_site, zensical_site):
        assert not header.search(html(site, "structures/clubhouse-paris")), site


def main_content(page: str) -> str:
    return page[page.index("<article") : page.rindex("</article>")]


@pytest.mark.parametrize("name", ["guides/gem", "esms", "orientation/soins", "structures/clubhouse-paris"])
def test_zensical_pages_have_their_acronyms_explained(zensical_site, name):
    content = main_content(html(zensical_site, name))
    parser = _Acronyms(re.compile(r"(?<!\w)(" + "|".join(sorted(map(re.escape, EXPANSIONS), key=len, reverse=True)) + r")(?!\w)"))
    parser.feed(content)
    assert parser.bare == [] and parser.wrapped


def test_the_cli_builds_with_the_engine_asked_for(tmp_path, capsys):
    data = tmp_path / "data"
    (data / "gem").mkdir(parents=True)
    (data / "gem" / "gem-exemple.yaml").write_text(gem_named("GEM Exemple"), encoding="utf-8")
    config = write_config(tmp_path / "site", data_dir=data)
    site = tmp_path / "site"
    for arguments, engine in ((["--engine", "zensical"], "zensical"), ([], "mkdocs")):
        assert main(["build", *arguments, "--config-file", str(config)]) == 0
        assert re.search(rf'<meta name="generator" content="{engine}-', html(site, "")), f"not built by {engine}"
        assert "GEM Exemple" in html(site, "structures/gem-exemple")
        # The site's own search index; the engine's own lists no page (Zensical's, turned off, stays empty).
        assert (site / BUNDLE_FOLDER / "index.json").is_file()
        assert not (site / "search").exists()
        assert engine == "mkdocs" or json.loads((site / "search.json").read_text(encoding="utf-8"))["items"] == []


# --- Steps after the engine -------------------------------------------------------------


def test_post_build_steps_see_the_finished_site_and_a_failing_one_keeps_the_published_site(tmp_path, monkeypatch):
    data = tmp_path / "data"
    (data / "gem").mkdir(parents=True)
    (data / "gem" / "gem-exemple.yaml").write_text(gem_named("GEM Exemple"), encoding="utf-8")
    seen = []

    def index_the_site(site_dir: Path, generation) -> None:
        seen.append((site_dir.name, (site_dir / "structures" / "gem-exemple" / "index.html").is_file(), len(generation.site.entries)))
        (site_dir / "index-de-recherche.json").write_text("{}", encoding="utf-8")

    monkeypatch.setattr(finish, "POST_BUILD_STEPS", (index_the_site,))
    site = build_site(tmp_path / "site", data_dir=data)
    assert seen == [("site", True, 1)] and (site / "index-de-recherche.json").is_file()

    def fail(site_dir: Path, generation) -> None:
        raise BuildFailed("l'index de recherche n'a pas pu être écrit")

    monkeypatch.setattr(finish, "POST_BUILD_STEPS", (fail,))
    (data / "gem" / "gem-exemple.yaml").write_text(gem_named("GEM Renommé"), encoding="utf-8")
    with pytest.raises(BuildFailed, match="index de recherche"):
        build_site(tmp_path / "site", data_dir=data)
    assert "GEM Exemple" in html(site, "structures/gem-exemple")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site-")] == []


def test_acronyms_are_explained_in_the_main_content_only():
    environment = Environment(loader=FileSystemLoader(ROOT / "site_theme" / "passerelle"), autoescape=select_autoescape(default=True))
    glossary = Glossary(TERMS, environment.get_template("abbr.html"))
    page = '<header>GEM</header><article class="md-content__inner">Un GEM.</article><footer>GEM</footer>'
    assert finish.annotate_page(page, glossary) == (
        '<header>GEM</header><article class="md-content__inner">Un <abbr title="groupe d&#39;entraide mutuelle">GEM</abbr>.'
        "</article><footer>GEM</footer>"
    )


def test_generated_pages_are_index_pages_and_the_navigation_follows():
    assert source_path("observatoire/fraicheur.md") == "observatoire/fraicheur/index.md"
    assert source_path("gem/index.md") == "gem/index.md" and source_path("index.md") == "index.md"
    nav = [{"Accueil": "index.md"}, {"Observatoire": ["observatoire/index.md", {"Fraîcheur": "observatoire/fraicheur.md"}]}]
    moved = {"observatoire/fraicheur.md": "observatoire/fraicheur/index.md"}
    assert translate_nav(nav, moved) == [
        {"Accueil": "index.md"},
        {"Observatoire": ["observatoire/index.md", {"Fraîcheur": "observatoire/fraicheur/index.md"}]},
    ]


def test_a_configuration_option_passerelle_does_not_know_is_refused(tmp_path):
    with pytest.raises(BuildFailed, match="option inconnue de passerelle : tiles_url"):
        build_site(tmp_path / "site", tiles_url="https://tile.example.org/{z}/{x}/{y}.png")


def _bulk_pages_one_at_a_time(tmp_path: Path, monkeypatch) -> tuple[Path, dict[str, bytes]]:
    """Six GEM and the files of their site built in one process; then bulk pages taken one at a time, by workers from 2 pages on."""
    data = tmp_path / "data"
    (data / "gem").mkdir(parents=True)
    for index in range(6):
        (data / "gem" / f"gem-{index}.yaml").write_text(gem_named(f"GEM {index}"), encoding="utf-8")
    alone = files_of(build_site(tmp_path / "alone", data_dir=data))
    monkeypatch.setattr(bulk, "PARALLEL_FROM", 2)
    monkeypatch.setattr(bulk, "CHUNK", 1)
    return data, alone


def test_bulk_pages_written_by_forked_workers_are_the_ones_one_process_writes(tmp_path, monkeypatch):
    data, alone = _bulk_pages_one_at_a_time(tmp_path, monkeypatch)
    monkeypatch.setattr(bulk.os, "sched_getaffinity", lambda pid: {0, 1, 2})
    forked = files_of(build_site(tmp_path / "forked", data_dir=data))
    assert forked == alone

    builder = os.getpid()

    def broken_in_a_worker(self, site_dir, taken, may_go_on=lambda: True):
        if os.getpid() != builder:
            raise RuntimeError("panne simulée")

    with monkeypatch.context() as broken:
        broken.setattr(bulk.BulkWriter, "_write_taken", broken_in_a_worker)
        with pytest.raises(BuildFailed, match="l'écriture des pages des fiches a échoué"):
            build_site(tmp_path / "forked", data_dir=data)
    assert files_of(tmp_path / "forked") == forked


def test_a_worker_stops_at_the_memory_budget_and_the_builder_writes_the_rest(tmp_path, monkeypatch):
    """Past MEMORY_BUDGET a worker takes no more pages (each copies some of the builder's memory): no page is left unwritten."""
    data, alone = _bulk_pages_one_at_a_time(tmp_path, monkeypatch)
    monkeypatch.setattr(bulk, "CHECK_EVERY", 1)
    monkeypatch.setattr(bulk.os, "sched_getaffinity", lambda pid: {0, 1})
    readings = []  # a worker's own: it starts empty, as forked

    def own():
        readings.append(None)
        return 0 if len(readings) == 1 else bulk.MEMORY_BUDGET  # over it once the worker has written its first page

    monkeypatch.setattr(bulk.memory, "own", own)
    log = tmp_path / "writers"
    write_page = bulk.BulkWriter.write_page

    def logged(self, site_dir, page):
        with log.open("a") as file:
            file.write(f"{os.getpid()}\n")
        write_page(self, site_dir, page)

    monkeypatch.setattr(bulk.BulkWriter, "write_page", logged)
    assert files_of(build_site(tmp_path / "forked", data_dir=data)) == alone
    writers = log.read_text().split()
    # 6 records, each with its easy-read page, and their territories' pages: the worker wrote one.
    assert len(writers) > 12 and writers.count(str(os.getpid())) == len(writers) - 1

    log.unlink()
    monkeypatch.setattr(bulk, "MEMORY_BUDGET", 0)  # a builder already over it: no worker writes a page
    assert files_of(build_site(tmp_path / "over", data_dir=data)) == alone
    assert set(log.read_text().split()) == {str(os.getpid())}

    log.unlink()
    monkeypatch.setattr(bulk.memory, "readable", lambda: False)  # a system that does not say it: no worker at all
    monkeypatch.setattr(os, "fork", lambda: pytest.fail("a worker was forked"))
    assert files_of(build_site(tmp_path / "unsaid", data_dir=data)) == alone


@pytest.mark.skipif(not memory.readable(), reason="only Linux says a process's memory in /proc")
def test_the_memory_a_forked_worker_holds_alone_is_counted_apart_from_the_builder_s():
    kept = bytearray(64 * 2**20)  # written: resident in the builder, shared with the worker once forked
    before = memory.resident(os.getpid())
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: copies what it writes to, then says what it holds alone
        shared = memory.own()
        kept[::4096] = b"x" * len(kept[::4096])
        os.write(writer, f"{shared} {memory.own()}".encode())
        os._exit(0)
    os.waitpid(pid, 0)
    shared, copied = map(int, os.read(reader, 100).split())
    assert shared < 16 * 2**20 <= 64 * 2**20 <= copied - shared
    assert memory.resident(os.getpid()) >= before >= len(kept)


@pytest.mark.skipif(not memory.readable(), reason="only Linux says a process's memory in /proc")
def test_memory_freed_but_held_by_the_c_library_is_given_back_before_a_worker_is_forked():
    blocks = [bytes(4000) for _ in range(50_000)]  # 200 MB from the C library's heap (not Python's arenas)
    last = blocks[-1]  # at the top of the heap: the library cannot give the rest back on its own
    del blocks
    before = memory.resident(os.getpid())
    memory.give_back()
    assert before - memory.resident(os.getpid()) > 100 * 2**20
    assert len(last) == 4000


def test_without_zensical_installed_the_build_says_how_to_install_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "zensical", None)  # what `import zensical` finds when it is not installed
    monkeypatch.delitem(sys.modules, "generator.engines.zensical.engine", raising=False)
    assert main(["build", "--engine", "zensical", "--config-file", str(write_config(tmp_path / "site"))]) == 1
    assert "Zensical n'est pas installé ; installez-le avec : python3 -m pip install -c requirements.lock -e '.[zensical]'" in (
        capsys.readouterr().err
    )


def test_the_build_tree_s_configuration_keeps_the_tags_the_engines_read(tmp_path):
    """`!ENV` and `!!python/name:` mean something to MkDocs and Zensical, not to Passerelle: copied as written."""
    source = tmp_path / "mkdocs.yml"
    source.write_text(
        "site_name: !ENV [NOM_DU_SITE, Passerelle]\n"
        "markdown_extensions:\n"
        "  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "plugins:\n  - passerelle\n",
        encoding="utf-8",
    )
    config = read_config(source)
    assert config["site_name"] == Tagged("!ENV", ["NOM_DU_SITE", "Passerelle"])
    copy = write_engine_config(config, tmp_path / "copie.yml").read_text(encoding="utf-8")
    assert "site_name: !ENV\n- NOM_DU_SITE\n- Passerelle\n" in copy
    assert "emoji_index: !!python/name:material.extensions.emoji.twemoji ''" in copy
    assert read_config(tmp_path / "copie.yml") == config


def test_a_warning_of_zensical_in_strict_mode_fails_the_build_with_its_words(tmp_path, capsys):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "a-propos.md").write_text("# À propos\n\nVoir [cette page](nulle-part.md).\n", encoding="utf-8")
    config = write_config(tmp_path / "site")
    config.write_text(config.read_text(encoding="utf-8").replace(str(ROOT / "content"), str(content)), encoding="utf-8")
    assert main(["build", "--engine", "zensical", "--config-file", str(config)]) == 1
    error = capsys.readouterr().err
    assert "n'a pas pu construire le site" in error and "a-propos.md:3:" in error and "page does not exist" in error
    assert "Traceback" not in error and "\x1b[" not in error and "Le site n'a pas été modifié." in error
    assert not (tmp_path / "site").exists()


# --- The bulk pages' lighter layout -------------------------------------------------------


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_bulk_pages_link_the_main_sections_and_draw_the_shared_icons(engine, built_site, zensical_site):
    site = {"mkdocs": built_site, "zensical": zensical_site}[engine]
    for url in ("structures/gem-l-eclaircie", "departements/92"):
        page = html(site, url)
        menu, links = main_menu(page)
        root = "../" * url.count("/") + "../"
        titles = [title for _, title, _ in links]
        # Every entry of mkdocs.yml's first level, by its index page or, for « Annuaire », its pages.
        assert titles[:6] == ["Accueil", "Trouver", "Ma sélection", "Carte", "Quel dispositif ?", "GEM"], url
        assert {"Territoires", "Comprendre et orienter", "Facile à lire", "Données ouvertes", "À propos"} <= set(titles)
        assert (root + "guides/", "Comprendre et orienter", False) in links and "Un GEM, c'est quoi ?" not in menu, url
        assert "md-sidebar--secondary" not in page and 'name="generator"' not in page
        # The icons: one shared file of symbols, each reference resolved.
        symbols = set(re.findall(r'<symbol id="([^"]+)"', (site / "assets" / "passerelle-icons.svg").read_text(encoding="utf-8")))
        uses = re.findall(r'<use href="([^"#]*)#([^"]+)"/>', page)
        assert uses and {file for file, _ in uses} == {root + "assets/passerelle-icons.svg"}, url
        assert {symbol for _, symbol in uses} <= symbols
        assert "<path" not in page.split('<div class="md-content"')[0], "no icon left inline in the header"
        # The theme's configuration block: still read by its bundle, without the engine's search words.
        config = re.search(r'<script id="__config" type="application/json">(.*?)</script>', page, re.S)
        if config:  # Material's; Zensical 0.0.73 writes its own the same way when it has one
            translations = json.loads(config.group(1)).get("translations", {})
            assert translations and not [key for key in translations if key.startswith("search.")], url
    # Other pages keep the engine's menu, with its nested entries.
    assert "Un GEM, c&#39;est quoi ?" in html(site, "guides") or "Un GEM, c'est quoi ?" in html(site, "guides")


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_every_easy_read_page_has_the_easy_read_menu(engine, built_site, zensical_site):
    """A person reading easy-read pages is offered easy-read pages, the finder and the whole site, not the
    professional sections named by acronyms; the menu is the same on hand-written and generated pages."""
    site = {"mkdocs": built_site, "zensical": zensical_site}[engine]
    pages = sorted(path.parent.relative_to(site).as_posix() for path in (site / "facile").rglob("index.html"))
    assert {"facile", "facile/gem", "facile/structures/gem-l-eclaircie"} <= set(pages)
    for url in pages:
        _, links = main_menu(html(site, url))
        assert [title for _, title, _ in links] == [
            "Facile à lire",
            "Le GEM",
            "Le collectif d'entraide",
            "La première fois",
            "Trouver un lieu près de chez vous",
            "Le site complet",
        ], url
        targets = {title: (site / url / href).resolve() for href, title, _ in links}
        assert all((target / "index.html").is_file() for target in targets.values()), (url, targets)
        # The page's own entry, and only it, is marked as the current page.
        own = [title for title, target in targets.items() if target == (site / url).resolve()]
        assert [title for _, title, marked in links if marked] == own, url
    assert [title for _, title, marked in main_menu(html(site, "facile/gem"))[1] if marked] == ["Le GEM"]
    # The other pages keep their menu.
    assert [title for _, title, _ in main_menu(html(site, "structures/gem-l-eclaircie"))[1]][:2] == ["Accueil", "Trouver"]


def main_menu(page: str) -> tuple[str, list[tuple[str, str, bool]]]:
    """The page's main menu, and its links: (address, title, whether it is marked as the current page)."""
    menu = page[page.index('<nav class="md-nav md-nav--primary"') :]
    menu = menu[: menu.index("</nav>")]
    links = re.findall(r'<a href="([^"]*)" class="md-nav__link[^"]*"( aria-current="page")?>([^<]*)</a>', menu)
    return menu, [(href, title.replace("&#39;", "'"), bool(current)) for href, current, title in links]


def test_the_footer_says_only_what_the_settings_give_it(tmp_path, built_site):
    """No English « Made with … » on a French page (RGAA 8.7), no empty band: the footer shows the
    settings' `copyright`, when there is one."""
    for path in built_site.rglob("*.html"):
        page = path.read_text(encoding="utf-8")
        assert "Made with" not in page and "<footer" not in page, path
    config = write_config(tmp_path / "site")
    config.write_text(config.read_text(encoding="utf-8") + "\ncopyright: Céapsy, centre ressource\n", encoding="utf-8")
    assert main(["build", "--config-file", str(config)]) == 0
    page = html(tmp_path / "site", "structures/gem-l-eclaircie")
    footer = page[page.index("<footer") : page.index("</footer>")]
    assert "Céapsy, centre ressource" in footer and "Made with" not in footer


def build_with_mkdocs(site: Path) -> Path:
    """As `mkdocs build` does: MkDocs keeps the plugin for the process, and tells it the command."""
    config = load_config(str(write_config(site)))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return site


# Where each way of building writes an asset before the engine takes it (beside the site).
ASSET_WAITS = {build_site: ".site-nouveau-*/docs/essai/{}.txt", build_with_mkdocs: ".site-donnees-*/essai/{}.txt"}


@pytest.mark.parametrize("build_the_site", ASSET_WAITS, ids=["passerelle build", "mkdocs build"])
def test_the_build_writes_each_asset_before_it_makes_the_next(tmp_path, monkeypatch, build_the_site):
    """At 50,000 records the assets are hundreds of megabytes of text (the open data above all): never
    two held at once. Each is written, and let go, before the next is made."""
    made: list[str] = []
    let_go: list[str] = []

    class Content(str):
        def __del__(self):
            let_go.append(str(self))

    def assets_watching_the_docs_folder(site):
        for name in ("premier", "second"):
            if made:
                assert list(tmp_path.glob(ASSET_WAITS[build_the_site].format(made[-1]))), "the asset made before is written"
                assert let_go == made, "the asset made before is let go"
            made.append(name)
            yield Asset(f"essai/{name}.txt", Content(name))

    monkeypatch.setattr(features, "ASSET_BUILDERS", (*features.ASSET_BUILDERS, assets_watching_the_docs_folder))
    site = build_the_site(tmp_path / "site")
    assert made == ["premier", "second"]
    assert (site / "essai" / "second.txt").read_text(encoding="utf-8") == "second"
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == [], "nothing left beside the site"


@pytest.mark.parametrize("build_the_site", ASSET_WAITS, ids=["passerelle build", "mkdocs build"])
def test_the_build_keeps_its_model_from_the_collector_and_gives_it_back(tmp_path, monkeypatch, build_the_site):
    """The site model and its pages are left out of the collector's passes while the site is built
    (heap.py), and given back when it is built or has failed: `mkdocs serve` builds again in the same process."""
    kept_while_building: list[bool] = []

    def asset_looking_at_the_collector(site):
        kept_while_building.append(gc.get_freeze_count() > 0 and gc.isenabled())
        yield Asset("essai/collecteur.txt", "vu")

    monkeypatch.setattr(features, "ASSET_BUILDERS", (*features.ASSET_BUILDERS, asset_looking_at_the_collector))
    build_the_site(tmp_path / "site")
    assert kept_while_building == [True]
    assert gc.get_freeze_count() == 0 and gc.isenabled()

    def failing_asset(site):
        raise SettingError(["coverage_networks : « gem-inconnu » ne nomme aucune fiche"])
        yield

    monkeypatch.setattr(features, "ASSET_BUILDERS", (*features.ASSET_BUILDERS, failing_asset))
    with pytest.raises((BuildFailed, Abort)):
        build_the_site(tmp_path / "site")
    assert gc.get_freeze_count() == 0 and gc.isenabled()


def test_mkdocs_build_failing_after_its_assets_leaves_neither_them_nor_the_site(tmp_path, monkeypatch):
    """The assets wait beside the site while MkDocs builds: a build that fails takes them away, and the site stays."""
    site = build_with_mkdocs(tmp_path / "site")
    before = files_of(site)

    def assets_then_a_setting_error(site_model):
        yield Asset("essai/premier.txt", "premier")
        raise SettingError(["coverage_networks : « gem-inconnu » ne nomme aucune fiche"])

    monkeypatch.setattr(features, "ASSET_BUILDERS", (*features.ASSET_BUILDERS, assets_then_a_setting_error))
    with pytest.raises(Abort, match="« gem-inconnu » ne nomme aucune fiche"):
        build_with_mkdocs(site)
    assert files_of(site) == before
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == [], "nothing left beside the site"


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_proposing_a_structure_says_how_to_reach_the_resource_centre(engine, built_site, zensical_site, tmp_path):
    """« Vous pouvez le proposer au centre ressource qui publie ce site. » said nowhere how: the page now shows the
    settings' contact where it writes « <!-- passerelle:contact --> », or that the site gives none."""
    shipped = {"mkdocs": built_site, "zensical": zensical_site}[engine]
    assert "Ce site n'indique pas encore comment joindre le centre ressource qui le publie." in html(shipped, "proposer").replace(
        "&#39;", "'"
    )
    site = build_site(
        tmp_path / "site", engine=engine, contact_email="annuaire@example.org", centre_phone="01 46 61 12 34", centre_name="Le Centre"
    )
    page = html(site, "proposer")
    said = re.sub(r"\s+", " ", page[page.index("qui publie ce site :") : page.index('id="ce-quil-faut-envoyer"')])
    assert '<p class="pa-contact"><strong>Le Centre</strong></p>' in said
    assert '<li>par courriel : <a href="mailto:annuaire@example.org">annuaire@example.org</a></li>' in said
    assert '<li>par téléphone : <a href="tel:+33146611234">01 46 61 12 34</a></li>' in said
    assert "passerelle:contact" not in page and "n'indique pas" not in page.replace("&#39;", "'")


def test_a_site_without_any_contact_is_said_at_build_time(tmp_path):
    def notices(**options) -> list[str]:
        return [n for n in site_source(PasserelleOptions(**options), tmp_path, "https://exemple.fr/").notices if "contact_email" in n]

    assert notices() == [
        "ATTENTION : ni contact_email ni centre_phone n'est indiqué. Les visiteurs ne peuvent ni proposer une structure, "
        "ni signaler une erreur, ni joindre le centre ressource depuis une fiche sans contact. "
        "Indiquez au moins l'un des deux dans les options de passerelle (mkdocs.yml)."
    ]
    assert notices(contact_email="annuaire@example.org") == notices(centre_phone="01 46 61 12 34") == []

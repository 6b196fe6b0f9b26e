"""The search index of the real built site (generator/site/search.py, Pagefind): what it holds.

The browser side (the search box, results, keyboard, axe, CSP) is in tests/browser/test_search.py.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from generator.site.search import BUNDLE_FOLDER, UNUSED_BUNDLE_FILES, SearchIndexError, write_search_index

# Pagefind writes each page's fragment gzipped, after a signature.
FRAGMENT_SIGNATURE = b"pagefind_dcd"


def indexed_pages(site: Path) -> dict[str, dict]:
    """Every page of the index, URL → what Pagefind stored for it (text, title and metadata)."""
    pages = {}
    for fragment in (site / BUNDLE_FOLDER / "fragment").glob("*.pf_fragment"):
        data = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(FRAGMENT_SIGNATURE))
        pages[data["url"]] = data
    return pages


@pytest.fixture(scope="module")
def indexed(built_site) -> dict[str, dict]:
    return indexed_pages(built_site)


def test_records_territories_guides_and_easy_read_pages_are_indexed(indexed):
    for url in ("/structures/clubhouse-lyon/", "/departements/92/", "/regions/11/", "/guides/gem/", "/facile/gem/", "/gem/"):
        assert url in indexed, f"{url} is not in the search index"


def test_layout_and_search_pages_are_not_indexed(built_site, indexed):
    assert not [url for url in indexed if "passerelle-layout" in url or url.startswith("/recherche/") or "404" in url]
    assert not [url for url, page in indexed.items() if "PASSERELLE-LAYOUT" in page["content"]]
    entry = json.loads((built_site / BUNDLE_FOLDER / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["fr"]["page_count"] == len(indexed)


def test_a_record_is_indexed_with_its_kind_name_place_and_description_only(indexed):
    page = indexed["/structures/clubhouse-france/"]
    assert page["meta"] == {
        "title": "Association Clubhouse France",
        "type": "Ressource · Réseau national",
        "lieu": "Paris 20e Arrondissement (75)",
    }
    text = page["content"]
    for expected in ("Association Clubhouse France", "Réseau national", "75020", "Paris", "Clubhouse"):
        assert expected in text
    # Contact details, the street, headings and sources stay out: « 01 » or « 17 » must not find it.
    for left_out in ("01 30 44 17 49", "Téléphone", "Adresse et contact", "Sources", "Signaler une erreur", "Sur le même territoire"):
        assert left_out not in text, f"{left_out!r} is in the index"


def test_a_territory_is_indexed_with_its_name_and_code_not_its_lists(indexed):
    page = indexed["/departements/92/"]
    assert page["meta"] == {"title": "Hauts-de-Seine (92)", "type": "Département", "lieu": "Île-de-France"}
    assert "GEM L'Éclaircie" not in page["content"]
    assert "Hauts-de-Seine (92)" not in indexed["/regions/11/"]["content"], "a région's list of départements is indexed"


def test_guides_say_what_they_are_and_navigation_stays_out(indexed):
    assert indexed["/guides/gem/"]["meta"]["type"] == "Guide"
    assert indexed["/facile/gem/"]["meta"]["type"] == "Facile à lire"
    # Header, navigation and footer are outside data-pagefind-body: a navigation label is not content.
    assert "Proposer une structure" not in indexed["/guides/gem/"]["content"]


def test_only_the_files_the_site_uses_are_published(built_site):
    bundle = built_site / BUNDLE_FOLDER
    assert (bundle / "pagefind.js").is_file() and (bundle / "pagefind-worker.js").is_file()
    assert not [name for name in UNUSED_BUNDLE_FILES if (bundle / name).exists()]


def test_pagefind_comes_inside_the_installed_package():
    """No download at build time: the binary is in the `pagefind[extended]` wheel."""
    from pagefind.service import get_executable

    executable = get_executable()
    assert executable is not None and executable.is_file()
    assert "site-packages" in executable.parts


def test_a_missing_pagefind_is_reported_in_french(tmp_path, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "absent"))
    (tmp_path / "index.html").write_text("<html lang='fr'><body data-pagefind-body>Bonjour</body></html>", encoding="utf-8")
    with pytest.raises(SearchIndexError, match="Pagefind est introuvable : installez les dépendances du projet"):
        write_search_index(tmp_path)

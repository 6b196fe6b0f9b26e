"""The site search's index of the real built site (generator/site/search.py, generator/build/search_index.py).

What it holds, and how it is cut. The browser side (the search box, results, ranking,
keyboard, axe, CSP, both engines) is in tests/browser/test_search.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.site.search import BUNDLE_FOLDER, DOCS_PER_FILE, TITLE_WEIGHT, WEIGHT_BASE, SearchDocument, index_files, words


def read_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


class Index:
    """The written index, read back as the search script reads it."""

    def __init__(self, bundle: Path) -> None:
        self.entry = read_json(bundle / "index.json")
        self.rows = [
            row for number in range(len(list((bundle / "fiches").glob("*.json")))) for row in read_json(bundle / f"fiches/{number}.json")
        ]
        self.postings: dict[str, dict[int, int]] = {}
        for file in (bundle / "mots").glob("*.json"):
            for word, gaps in read_json(file).items():
                number, found = 0, {}
                for value in gaps:
                    number += value // WEIGHT_BASE
                    found[number] = value % WEIGHT_BASE
                self.postings[word] = found
        self.number = {row[0]: number for number, row in enumerate(self.rows)}

    def row(self, url: str) -> dict[str, str]:
        return dict(zip(("url", "title", "about", "excerpt", "easy_read"), self.rows[self.number[url]], strict=True))

    def weight(self, typed: str, url: str) -> int:
        """How strongly the word `typed` ties the page at `url` to a query (0: not found)."""
        return self.postings.get(words(typed)[0], {}).get(self.number[url], 0)


@pytest.fixture(scope="module")
def index(built_site) -> Index:
    return Index(built_site / BUNDLE_FOLDER)


def test_records_territories_guides_and_easy_read_pages_are_documents(index):
    for url in ("structures/clubhouse-lyon/", "departements/92/", "regions/11/", "guides/gem/", "facile/gem/", "gem/", ""):
        assert url in index.number, f"{url!r} is not in the search index"
    assert index.entry["documents"] == len(index.rows) == len(index.number)


def test_layouts_the_search_page_and_easy_read_record_pages_are_not_documents(index):
    urls = list(index.number)
    assert not [url for url in urls if "passerelle-layout" in url or url.startswith(("recherche/", "404", "facile/structures/"))]
    assert not [row for row in index.rows if "PASSERELLE-LAYOUT" in " ".join(row)]


def test_a_record_is_found_by_its_name_kind_and_place_never_its_phone(index):
    url = "structures/clubhouse-france/"
    assert index.row(url) == {
        "url": url,
        "title": "Association Clubhouse France",
        "about": "Ressource · Réseau national · À confirmer · Paris 20e Arrondissement (75)",
        "excerpt": index.row(url)["excerpt"],
        "easy_read": "facile/structures/clubhouse-france/",
    }
    assert index.weight("clubhouse", url) >= TITLE_WEIGHT
    for word in ("paris", "75020", "75", "ressource", "reseau"):
        assert index.weight(word, url), f"{word!r} does not find {url}"
    # Its phone (01 30 44 17 49): « 01 » or « 17 » must find a département, not a phone number.
    for number in ("01", "30", "44", "17", "49"):
        assert not index.weight(number, url), f"{number!r} finds {url}"


def test_a_departement_is_found_by_its_number_and_name_not_by_its_records(index):
    url = "departements/92/"
    assert index.row(url)["title"] == "Hauts-de-Seine (92)" and index.row(url)["about"] == "Département · Île-de-France"
    assert index.weight("92", url) >= TITLE_WEIGHT and index.weight("hauts", url) >= TITLE_WEIGHT
    assert not index.weight("eclaircie", url), "the list of the département's records is indexed"
    # The record in the 92 is found by it too, less strongly than the page of the département.
    assert 0 < index.weight("92", "structures/gem-l-eclaircie/") < index.weight("92", url)


def test_guides_say_what_they_are_and_the_navigation_is_not_their_text(index):
    assert index.row("guides/gem/")["about"] == "Guide"
    assert index.row("facile/gem/")["about"] == "Facile à lire"
    # « Observatoire » is in every page's navigation, not in the text of the guide on GEMs.
    assert index.weight("observatoire", "observatoire/") >= TITLE_WEIGHT
    assert not index.weight("observatoire", "guides/gem/")


def test_tables_of_figures_and_lists_of_records_are_not_text(index):
    """« 92 » or « 75 » must find a département, not the cells of a table of figures (data-search-ignore)."""
    for url in ("observatoire/", "carte/", "regions/", "gem/"):
        for number in ("92", "75", "11"):
            assert not index.weight(number, url), f"{number!r} finds {url}"
    assert not index.weight("eclaircie", "gem/"), "the list of GEM records is indexed with the GEM page"


def test_words_are_lowercase_without_accents_plurals_or_common_words():
    assert words("Les Clubhouses accompagnés à Saint-Étienne, 92") == ["clubhous", "accompagn", "saint", "etienn", "92"]
    assert words("accompagné") == words("accompagnés") == words("Accompagnées") == words("accompagner") == ["accompagn"]
    assert words("GEM") == words("gems") == ["gem"]
    assert words("hôpitaux") == words("hôpital") == ["hopital"]


def test_the_index_is_cut_by_word_start_and_by_hundred_documents():
    documents = [SearchDocument(f"structures/gem-{n}/", f"GEM numéro {n}", "GEM · Lyon (69)") for n in range(250)]
    files = index_files(documents)
    entry = json.loads(files["index.json"])
    assert entry["documents"] == 250 and entry["per_file"] == DOCS_PER_FILE
    assert sorted(name for name in files if name.startswith("fiches/")) == ["fiches/0.json", "fiches/1.json", "fiches/2.json"]
    assert len(json.loads(files["fiches/2.json"])) == 50
    for name, text in files.items():
        if name.startswith("mots/"):
            prefix = name.removeprefix("mots/").removesuffix(".json")
            assert all(word.startswith(prefix) for word in json.loads(text)), name
    # Every document holds « lyon »: gaps of one, the weight of « about » kept.
    assert set(json.loads(files["mots/ly.json"])["lyon"]) == {WEIGHT_BASE + 3} | {3}

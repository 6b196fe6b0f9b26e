"""The site's search: its page (/recherche/), what it finds, and its index, cut into small files.

Records, territories and the site's other pages are search documents. Records and
territories come from the site model (tens of thousands at national scale, their
fields known); every other page from its built HTML, whichever engine wrote it
(generator/build/search_index.py reads the parts marked `data-search-body` in
main.html, without those marked `data-search-ignore`: lists of records, tables of
figures).

The index is written for a first query to download little at national scale: one
file per two-letter word start (`mots/ly.json` holds every word starting « ly »,
with the documents that contain it and how strongly), and the documents' titles
and excerpts in files of DOCS_PER_FILE, in an order that keeps the results of a
place together. A query downloads the word files of its words, then the document
files of the results it shows (bench/search.py measures it). The page's script,
site_theme/assets/javascripts/passerelle-search.js, reads the words exactly as
`words` does here.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from array import array
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from generator.geo.gazetteer import normalize
from generator.records.vocabulary import Kind
from generator.site.model import Entry, SiteModel
from generator.site.pages import Page, departement_path, easy_read_path, page_url, record_path, region_path, relative_url

SEARCH_PAGE = "recherche/index.md"
# Where the index files are, relative to the site root.
BUNDLE_FOLDER = "recherche-index"
# Hand-written pages say what they are in a result, by the folder they are in (main.html).
EASY_READ_FOLDER = "facile/"
KINDS_BY_FOLDER = (("guides/", "Guide"), (EASY_READ_FOLDER, "Facile à lire"))

# How strongly a word ties a document to a query: in its title, in what and where it is
# (kind, commune, département, postcode), or in its text (by the number of times, up to 3).
# A word found only as the start of a longer word counts a quarter (search script).
TITLE_WEIGHT = 8
ABOUT_WEIGHT = 3
TEXT_WEIGHT = 3
# Weights and document gaps share one number in the word files: gap * WEIGHT_BASE + weight.
WEIGHT_BASE = 16
DOCS_PER_FILE = 100
EXCERPT_LENGTH = 180
# Words too common to tell pages apart, left out of the index and of queries.
STOP_WORDS = frozenset(
    "au aux avec ce ces dans de des du elle en est et il ils la le les leur lui ma mais me mes mon ne nos notre nous on "
    "ou par pas pour qu que qui sa se ses son sur ta te tes ton tu un une vos votre vous".split()
)
_WORD_PREFIX = 2
_MARKDOWN_LINK_TARGET = re.compile(r"\]\([^)]*\)")


@dataclass(frozen=True)
class SearchDocument:
    """One result the search can give: a page of the site."""

    url: str  # from the site root, « structures/gem-x/ »
    title: str
    about: str = ""  # what and where it is, shown under the title
    keywords: str = ""  # found as strongly as `about`, not shown (postcode, département, région)
    text: str = ""  # found with the least weight
    excerpt: str = ""  # shown under the title; by default, the start of `text`
    easy_read: str = ""  # its easy-read version, for a search made from an easy-read page


def words(text: str) -> list[str]:
    """The index's words of `text`: normalized (lowercase, no accent), short and common words left
    out, and reduced to a light French stem: plural (-s, -x, -aux → -al) and feminine (-e, -ee)
    endings dropped, so that « accompagnés », « accompagnée » and « accompagner » meet."""
    return [kept for word in normalize(text).split() if (kept := _indexed(word))]


@functools.cache
def _indexed(word: str) -> str:
    """The stem of a normalized word, "" if the index leaves it out. Cached: a site's words are a
    few thousand, each met many times (the kinds, the communes, the words of descriptions)."""
    return "" if len(word) < _WORD_PREFIX or word in STOP_WORDS else stem(word)


def stem(word: str) -> str:
    """A light French stemmer (plural and feminine endings only): the search script's `stem` does the same."""
    if word.isdigit():
        return word
    if len(word) > 4 and word.endswith("aux"):
        word = word[:-3] + "al"
    elif len(word) > 3 and word[-1] in "sx":
        word = word[:-1]
    for _ in range(2):
        if len(word) > 4 and word[-1] == "e":
            word = word[:-1]
    if len(word) > 5 and word.endswith("er"):  # « accompagner » meets « accompagné »
        word = word[:-2]
    return word


def search_pages(site: SiteModel) -> list[Page]:
    url = page_url(SEARCH_PAGE)
    context = {"bundle_url": relative_url(url, BUNDLE_FOLDER + "/"), "site_root": "../" * url.count("/"), "kinds": list(Kind)}
    return [
        Page(
            SEARCH_PAGE,
            "Rechercher",
            "search.html",
            context,
            description="Rechercher une structure par son nom, sa ville ou son département, un territoire ou un guide.",
            # The search page does not list itself among the results.
            searchable=False,
        )
    ]


def territory_documents(site: SiteModel) -> list[SearchDocument]:
    """Régions then départements: found by their name and code (« 92 »)."""
    documents = [SearchDocument(page_url(region_path(r.code)), r.nom, "Région", r.code) for r in site.regions()]
    for departement in site.departements():
        region = site.gazetteer.region(departement.region)
        documents.append(
            SearchDocument(
                page_url(departement_path(departement.code)),
                f"{departement.nom} ({departement.code})",
                " · ".join(["Département", *([region.nom] if region else [])]),
            )
        )
    return documents


def record_documents(site: SiteModel) -> list[SearchDocument]:
    """Every record, by département then kind then name: the results of a place share document files."""
    entries = sorted(
        site.entries.values(),
        key=lambda e: (e.place.departements[:1], e.record.type.ordinal, normalize(e.record.nom)),
    )
    return [record_document(site, entry) for entry in entries]


def record_document(site: SiteModel, entry: Entry) -> SearchDocument:
    """A record's name, what it is, where, and its description; never its phone, street or hours
    (« 01 » or « 17 » must find a département, not a phone number)."""
    record, place = entry.record, entry.place
    what = [record.type.label]
    if record.subtype is not None:
        what.append(record.subtype.label)
    if entry.status is not None:
        what.append(entry.status.label)
    where = site.where(entry)
    keywords = [record.type.heading]
    if record.adresse and record.adresse.code_postal:
        keywords.append(record.adresse.code_postal)
    keywords += [f"{d.nom} {d.code}" for code in place.departements if (d := site.gazetteer.departement(code))]
    keywords += [r.nom for code in place.regions if (r := site.gazetteer.region(code))]
    return SearchDocument(
        url=page_url(record_path(record.id)),
        title=record.nom,
        about=" · ".join([*what, *([where] if where else [])]),
        keywords=" ".join(keywords),
        text=_MARKDOWN_LINK_TARGET.sub("]", record.description or ""),
        easy_read=page_url(easy_read_path(record.id)),
    )


def index_files(documents: list[SearchDocument]) -> dict[str, str]:
    """The index of `documents` as files (path under BUNDLE_FOLDER → JSON text); a document's number is its place in the list."""
    # Machine integers, not lists of Python ones: at 50,000 records the postings are millions of numbers.
    postings: dict[str, dict[str, array[int]]] = defaultdict(lambda: defaultdict(lambda: array("q")))
    for number, document in enumerate(documents):
        for word, weight in _weights(document).items():
            postings[word[:_WORD_PREFIX]][word].append(number * WEIGHT_BASE + weight)
    prefixes = " ".join(sorted(postings))
    files = {}
    while postings:
        prefix, by_word = postings.popitem()
        files[f"mots/{prefix}.json"] = _json({word: _gaps(numbers) for word, numbers in sorted(by_word.items())})
    for start in range(0, len(documents), DOCS_PER_FILE):
        rows = [_row(document) for document in documents[start : start + DOCS_PER_FILE]]
        files[f"fiches/{start // DOCS_PER_FILE}.json"] = _json(rows)
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(files[name].encode("utf-8"))
    entry = {"version": digest.hexdigest()[:12], "documents": len(documents), "per_file": DOCS_PER_FILE, "prefixes": prefixes}
    return {"index.json": _json(entry), **files}


def _weights(document: SearchDocument) -> dict[str, int]:
    title, about = set(words(document.title)), set(words(f"{document.about} {document.keywords}"))
    counts: dict[str, int] = defaultdict(int)
    for word in words(document.text):
        counts[word] += 1
    return {
        word: TITLE_WEIGHT * (word in title) + ABOUT_WEIGHT * (word in about) + min(counts[word], TEXT_WEIGHT)
        for word in title | about | counts.keys()
    }


def _gaps(numbers: Iterable[int]) -> list[int]:
    """Each document number as the gap from the previous one, its weight kept: small numbers, well compressed."""
    previous = 0
    gaps = []
    for value in numbers:
        number = value // WEIGHT_BASE
        gaps.append((number - previous) * WEIGHT_BASE + value % WEIGHT_BASE)
        previous = number
    return gaps


def _row(document: SearchDocument) -> list[str]:
    return [document.url, document.title, document.about, document.excerpt or start_of(document.text), document.easy_read]


def start_of(text: str) -> str:
    """The start of a document's text, cut at a word, as plain words."""
    plain = " ".join(re.sub(r"[*_`#>\[\]]", " ", text).split())
    if len(plain) <= EXCERPT_LENGTH:
        return plain
    return plain[:EXCERPT_LENGTH].rsplit(" ", 1)[0] + " …"


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

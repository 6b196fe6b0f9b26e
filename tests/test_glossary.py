"""Acronyms wrapped in <abbr title="…">: the annotator, and the built site."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader, select_autoescape

from generator.problems import DataError
from generator.site.glossary import Glossary, Term, load_terms
from tests.sitebuild import ROOT

# Where the annotator leaves text alone (see generator/glossary.py for why).
UNTOUCHED = {
    "script",
    "style",
    "code",
    "pre",
    "kbd",
    "samp",
    "textarea",
    "option",
    "title",
    "svg",
    "a",
    "abbr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
}

TERMS = load_terms()
EXPANSIONS = {term.sigle: term.developpe for term in TERMS}


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    environment = Environment(loader=FileSystemLoader(ROOT / "site_theme" / "passerelle"), autoescape=select_autoescape(default=True))
    return Glossary(TERMS, environment.get_template("abbr.html"))


def test_acronyms_in_text_are_wrapped_with_their_expansion(glossary):
    html = glossary.annotate("<p>Le GEM, la MDPH et l'AAH.</p>")
    assert html == (
        '<p>Le <abbr title="groupe d&#39;entraide mutuelle">GEM</abbr>, '
        'la <abbr title="maison départementale des personnes handicapées">MDPH</abbr> '
        'et l\'<abbr title="allocation aux adultes handicapés">AAH</abbr>.</p>'
    )


def test_only_whole_words_and_the_longest_acronym(glossary):
    html = glossary.annotate("<p>CLSM, CLS, CNIGEM, GEMS, inter-GEM, gem</p>")
    assert re.findall(r"<abbr[^>]*>(\w+)</abbr>", html) == ["CLSM", "CLS", "CNIGEM", "GEM"]


def test_attributes_links_code_and_existing_abbr_are_left_alone(glossary):
    source = (
        '<p title="GEM"><a href="/gem/" title="MDPH">un GEM</a> <code>ESAT</code> <abbr title="x">SAVS</abbr>'
        '<!-- RQTH --><script>var CLSM = 1;</script> <img alt="ESMS"></p>'
    )
    assert glossary.annotate(source) == source


def test_headings_are_left_alone_and_text_after_them_annotated(glossary):
    assert (
        glossary.annotate('<h2 id="gem">Le GEM</h2><p>GEM</p>')
        == '<h2 id="gem">Le GEM</h2><p><abbr title="groupe d&#39;entraide mutuelle">GEM</abbr></p>'
    )


def test_a_broken_glossary_is_reported(tmp_path):
    path = tmp_path / "glossaire.yaml"
    path.write_text("- sigle: GEM\n  developpe: groupe\n  definition: x\n- sigle: GEM\n  developpe: y\n  definition: z\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"glossaire.yaml:4:\d+: \[1\].sigle: sigle « GEM » écrit deux fois"):
        load_terms(path)
    path.write_text("- sigle: GEM\n  developpe: groupe\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"glossaire.yaml:1:3: \[0\].definition: champ obligatoire manquant — ajoutez « definition: … »"):
        load_terms(path)


def test_the_glossary_has_distinct_plain_entries():
    assert len(TERMS) > 30
    assert all(isinstance(term, Term) for term in TERMS)


# --- On the built site ---------------------------------------------------------------


class _Acronyms(HTMLParser):
    """Acronyms left bare in annotatable text, and the <abbr> found, in a page's content."""

    def __init__(self, pattern: re.Pattern[str]):
        super().__init__(convert_charrefs=True)
        self.pattern = pattern
        self.depth: Counter[str] = Counter()
        self.abbr_title: str | None = None
        self.bare: list[str] = []
        self.wrapped: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        if tag in UNTOUCHED:
            self.depth[tag] += 1
        if tag == "abbr":
            self.abbr_title = dict(attrs).get("title")

    def handle_endtag(self, tag):
        if tag in UNTOUCHED and self.depth[tag]:
            self.depth[tag] -= 1

    def handle_data(self, data):
        if self.depth["abbr"]:
            self.wrapped.append((data, self.abbr_title))
        elif not any(self.depth.values()):
            self.bare.extend(self.pattern.findall(data))


SAMPLE = [
    *sorted(p.relative_to(ROOT / "content").with_suffix("").as_posix() for p in (ROOT / "content").glob("guides/*.md")),
    *sorted(p.relative_to(ROOT / "content").with_suffix("").as_posix() for p in (ROOT / "content").glob("facile/*.md")),
    "index",
    "proposer",
    "orientation/notification",
    "orientation/soins",
    "orientation/travail",
    "orientation/lieu-de-vie",
    "orientation/accompagnement-domicile",
    "esms/index",
    "a-propos",
    "structures/gem-l-eclaircie",
    "structures/clubhouse-paris",
    "structures/cnigem",
]


def built_page(site: Path, name: str) -> Path:
    if name == "index":
        return site / "index.html"
    return site / name.removesuffix("/index") / "index.html"


@pytest.mark.parametrize("name", SAMPLE)
def test_every_acronym_of_the_page_is_explained(built_site, name):
    html = built_page(built_site, name).read_text(encoding="utf-8")
    content = html[html.index('<article class="md-content__inner') :]
    content = content[: content.rindex("</article>")]
    pattern = re.compile(r"(?<!\w)(" + "|".join(sorted(map(re.escape, EXPANSIONS), key=len, reverse=True)) + r")(?!\w)")
    parser = _Acronyms(pattern)
    parser.feed(content)
    assert parser.bare == [], f"acronymes sans <abbr> : {parser.bare}"
    if not name.startswith("facile/"):  # easy-to-read pages may avoid acronyms altogether
        assert parser.wrapped, "the sample page should contain acronyms"
    for text, title in parser.wrapped:
        if text in EXPANSIONS:  # an <abbr> written by hand may explain something else
            assert title == EXPANSIONS[text]

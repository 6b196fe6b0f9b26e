"""Descriptions: a plain text is written as markdown-it writes it, without it; a source dated once (generator/site/text.py)."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.records.models import Source
from generator.site import text
from generator.site.text import markdown

# Letters, digits, the punctuation of a French text, the characters Markdown reads (lists,
# headings, emphasis, links, code, HTML), and the spaces and line ends around them.
ALPHABET = "aéZ 1 2\n\n.,;:!?'’«»()%/@=+-_*#>`[]<&\"\\~|\t\u00a0\r9."


# Mostly what the short way takes, and what it must not: spaces and list or heading marks at a line's ends.
PLAIN = "aéZ 1 2\n\n.,:'()-+=!?"


@settings(max_examples=3000, deadline=None)
@given(st.text(ALPHABET, max_size=60) | st.text(PLAIN, max_size=40))
@example("Un GEM à Paris.\nOuvert à tous.\n\nSans orientation.\n")
@example("1. premier\n2) second")
@example("Titre\n===\n- tiret\n+ plus\n  retrait\nfin  \n")
@example("")
@example("\n\n")
def test_a_description_reads_as_markdown_it_writes_it(description):
    assert markdown(description) == text._markdown.render(description)


def test_plain_paragraphs_take_the_short_way(monkeypatch):
    """The same output, without markdown-it: the fast way is taken for the texts it is for."""

    class Refused:
        def render(self, _text):
            raise AssertionError("markdown-it called for a plain text")

    monkeypatch.setattr(text, "_markdown", Refused())
    assert markdown("Un lieu d'accueil, ouvert (sans rendez-vous) : 5 jours sur 7.\nVenez !\n\n\nÀ bientôt.\n") == (
        "<p>Un lieu d'accueil, ouvert (sans rendez-vous) : 5 jours sur 7.\nVenez !</p>\n<p>À bientôt.</p>\n"
    )


def test_a_source_is_dated_once():
    def cited(document: str | None, when: str | None) -> str:
        return text.source_date_fr(Source(titre="Étude", document=document, url=None if document else "https://exemple.fr", date=when))

    assert cited("CNSA, cahier pédagogique, mai 2017", "2017-05") == ""
    assert cited("Céapsy, revue LAB, 2021, citant : ARS, septembre 2018", "2021") == ""
    assert cited("Rapport annuel", "2017-05") == "mai 2017"
    assert cited("Rapport 2017", "2017-05") == "mai 2017"  # the month is not said
    assert cited("Rapport 12017", "2017") == "2017"
    assert cited(None, "2017-05-03") == "3 mai 2017"
    assert cited("Rapport", None) == ""


def test_the_shipped_site_says_a_source_date_once(built_site):
    for page in ("gem/index.html", "structures/gem-l-eclaircie/index.html"):
        html = (built_site / page).read_text(encoding="utf-8")
        assert "cahier pédagogique, mai 2017" in html
        assert "mai 2017, mai 2017" not in html and "mai 2017 (mai 2017)" not in html

"""The easy-read rules (« facile à lire et à comprendre »), checked on a page's HTML.

Applied to the text inside `<div class="falc">` of the hand-written guides
(content/facile/) and of every generated easy-read record page. A page is read
as blocks (headings, paragraphs, list items); each rule is a function that
takes the blocks and returns its problems, in French, quoting the sentence.

The record's own values (a name, an address, a phone number), marked
`data-falc-value`, are shown as written: each counts as one word and is not
read for acronyms (« GEM L'Éclaircie », « ZAC des Champs » are names).

The rules, from the guides' own practice:
- `long_sentences`: at most 15 words a sentence (a list item is read on its own);
- `several_ideas`: one idea a sentence, so no semicolon joining two;
- `percentages`: no percentage;
- `unexplained_acronyms`: only the acronyms of ACRONYMS, each explained in words
  (« GEM veut dire groupe d'entraide mutuelle ») before it is used in a sentence;
  a heading or a link may name it first, the text right after explains it;
- `not_addressing_the_reader`: « vous », never the reader in the third person
  (« le bénéficiaire », « l'usager ») nor an impersonal order (« il faut que »).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

MAX_WORDS = 15
ACRONYMS = {
    "GEM": "groupe d'entraide mutuelle",
    "MDPH": "maison départementale des personnes handicapées",
    "CLSM": "conseil local de santé mentale",
}
VALUE_WORD = "valeur"  # a record value stands for one word
THIRD_PERSON = re.compile(
    r"\b(?:bénéficiaires?|usag(?:er|ère)s?|patient(?:e|s|es)?|intéressée?s?|demandeu(?:r|se)s?)\b"
    r"|\bla personne (?:accueillie|concernée|orientée)\b|\bil faut que\b|\bon doit\b",
    re.IGNORECASE,
)
PERCENTAGE = re.compile(r"\d\s*%|\bpour\s?cent\b|\bpourcentage", re.IGNORECASE)
ACRONYM = re.compile(r"\b[A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ]{2,}\b")
WORD = re.compile(r"\w[\w'’-]*")
BLOCKS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li"}


@dataclass(frozen=True)
class Block:
    tag: str
    text: str  # what is read, each record value as one word
    prose: str  # the same without link texts (and empty for a heading): where an acronym must already be explained


def blocks_of(html: str) -> list[Block]:
    """The blocks of the page's easy-read part (`<div class="falc">`); ValueError if it has none."""
    parser = _FalcParser()
    parser.feed(html)
    parser.close()
    if not parser.found:
        raise ValueError('pas de bloc <div class="falc"> dans la page')
    return parser.blocks


def sentences(block: Block) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?…])\s+", block.text) if WORD.search(s)]


# --- The rules ------------------------------------------------------------------------


def long_sentences(blocks: list[Block]) -> list[str]:
    return [
        f"phrase trop longue ({count} mots, {MAX_WORDS} au plus) : « {sentence} »"
        for block in blocks
        for sentence in sentences(block)
        if (count := len(WORD.findall(sentence))) > MAX_WORDS
    ]


def several_ideas(blocks: list[Block]) -> list[str]:
    return [f"deux idées dans une phrase (point-virgule) : « {s} »" for block in blocks for s in sentences(block) if ";" in s]


def percentages(blocks: list[Block]) -> list[str]:
    return [f"pourcentage : « {s} »" for block in blocks for s in sentences(block) if PERCENTAGE.search(s)]


def unexplained_acronyms(blocks: list[Block]) -> list[str]:
    problems = []
    explained: set[str] = set()
    for block in blocks:
        lowered = block.text.lower().replace("’", "'")
        explained |= {acronym for acronym, words in ACRONYMS.items() if words in lowered}
        for acronym in dict.fromkeys(ACRONYM.findall(block.text)):
            if acronym not in ACRONYMS:
                problems.append(f"sigle « {acronym} » : écrivez les mots en entier, ou ajoutez-le à la liste des sigles expliqués")
            elif acronym not in explained and acronym in ACRONYM.findall(block.prose):
                problems.append(
                    f"sigle « {acronym} » employé avant d'être expliqué (« {acronym} veut dire {ACRONYMS[acronym]} ») : « {block.text} »"
                )
                explained.add(acronym)  # once per page is enough
    return problems


def not_addressing_the_reader(blocks: list[Block]) -> list[str]:
    return [
        f"« {match.group(0)} » : parlez au lecteur avec « vous » : « {s} »"
        for block in blocks
        for s in sentences(block)
        if (match := THIRD_PERSON.search(s))
    ]


RULES = (long_sentences, several_ideas, percentages, unexplained_acronyms, not_addressing_the_reader)


def check(html: str) -> list[str]:
    """Every problem of the page, all rules together."""
    blocks = blocks_of(html)
    return [problem for rule in RULES for problem in rule(blocks)]


# --- Reading the HTML -------------------------------------------------------------------


class _FalcParser(HTMLParser):
    """Collects the blocks inside <div class="falc">; a record value is one word, link texts are noted."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.found = False
        self._div_depth = 0  # open <div> inside the easy-read part (0: outside it)
        self._open: list[tuple[str, list[str], list[str]]] = []  # block tag, text parts, prose parts
        self._link = 0
        self._value = 0  # depth inside a data-falc-value element (its text is one word)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "div":
            if self._div_depth:
                self._div_depth += 1
            elif "falc" in (attributes.get("class") or "").split():
                self._div_depth, self.found = 1, True
            return
        if not self._div_depth:
            return
        if self._value:
            self._value += tag not in ("br", "img")
            return
        if "data-falc-value" in attributes:
            self._value = 1
            self._add(f" {VALUE_WORD} ")
        elif tag in BLOCKS:
            self._open.append((tag, [], []))
        elif tag == "a":
            self._link += 1
        elif tag == "br":
            self._add(" ")

    def handle_endtag(self, tag):
        if not self._div_depth:
            return
        if tag == "div":
            self._div_depth -= 1
        elif self._value:
            self._value -= 1
        elif tag == "a":
            self._link = max(0, self._link - 1)
        elif tag in BLOCKS and self._open and self._open[-1][0] == tag:
            name, text, prose = self._open.pop()
            joined = " ".join("".join(text).split())
            if joined:
                heading = name.startswith("h")
                self.blocks.append(Block(name, joined, "" if heading else " ".join("".join(prose).split())))

    def handle_data(self, data):
        if self._div_depth and not self._value:
            self._add(data)

    def _add(self, text: str) -> None:
        if not self._open:
            return
        _, parts, prose = self._open[-1]
        parts.append(text)
        prose.append(" " if self._link else text)

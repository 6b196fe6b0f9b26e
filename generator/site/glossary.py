"""Acronyms explained wherever they appear: each one is wrapped in <abbr title="…">.

The glossary (`glossaire.yaml` of the data folder, or the one shipped in
`defaults/`) is the single list of acronyms; every page of the site goes through
`Glossary.annotate`, so it runs tens of thousands of times per build. It is therefore one compiled regular expression over the
HTML: a match is either a stretch to copy as is (tags with their attributes,
comments, whole elements whose text must not change, and text up to the next
acronym) or an acronym in running text. Elements left alone: script, style, code, pre, kbd, samp (code
and machine text), textarea, option, title (plain-text content), svg, a and
abbr (a tooltip inside a link competes with the link itself; an <abbr> is
already explained), and headings: a heading's text is reused as is elsewhere
(a record's name in its page title, the search index's section titles), and
the acronyms of a heading are explained in the text just below it.
"""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Template
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from generator.problems import DataError
from generator.records.validation import explain
from generator.records.yamlfile import read_yaml

DEFAULT_GLOSSARY = Path(__file__).resolve().parent / "defaults" / "glossaire.yaml"

# Elements whose content is copied untouched. None of them nests inside itself in
# practice, so a lazy match to the closing tag is the whole element.
_UNTOUCHED = "script style code pre kbd samp textarea option title svg a abbr h1 h2 h3 h4 h5 h6".split()


class Term(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    sigle: str = Field(pattern=r"^\w[\w-]*\w$", max_length=20)
    developpe: str = Field(min_length=1)
    definition: str = Field(min_length=1)


_TERMS = TypeAdapter(list[Term])


class Glossary:
    """The acronyms of the site and the markup that explains each one."""

    def __init__(self, terms: list[Term], abbr: Template):
        self.terms = terms
        self._markup = {term.sigle: abbr.render(term=term) for term in terms}
        # Longest first, so that « CLSM » is tried before « CLS ».
        acronyms = "|".join(re.escape(term.sigle) for term in sorted(terms, key=lambda t: -len(t.sigle)))
        # A stretch to keep is as long as possible, since each match calls back into Python
        # (one call per tag was most of the cost of a page): tags, untouched elements,
        # comments and text, up to where an acronym starts. Text is taken as runs of
        # characters that cannot start an acronym, or as one character that could but does not.
        # Possessive repeats (++, *+): what a stretch took is never given back, so the engine keeps
        # no way back at each step (8 % less time a page). Python 3.11 cannot capture inside
        # them (« The span of capturing group is wrong »): each element has its own closing tag
        # rather than a backreference to its name.
        first = "".join(sorted({re.escape(term.sigle[0]) for term in terms}))
        acronym = rf"(?<!\w)(?:{acronyms})(?!\w)"
        untouched = "|".join(rf"<(?i:{name})\b[^>]*+>.*?</(?i:{name})\s*+>" for name in _UNTOUCHED)
        kept = rf"{untouched}|<!--.*?-->|<[^>]*+>|[^<{first}]++|(?!{acronym})[{first}]"
        self._pattern = re.compile(rf"(?P<keep>(?:{kept})++)|(?P<acronym>{acronym})", re.S) if terms else None

    def annotate(self, html: str) -> str:
        if self._pattern is None:
            return html
        return self._pattern.sub(self._replace, html)

    def _replace(self, match: re.Match[str]) -> str:
        acronym = match.group("acronym")
        return self._markup[acronym] if acronym else match.group(0)


def load_terms(path: Path = DEFAULT_GLOSSARY) -> list[Term]:
    """Read the glossary; raise DataError, each problem at its line, unless it is a list of well-formed, distinct entries."""
    document = read_yaml(path, record=False)
    if document.problems:
        raise DataError(document.problems)
    try:
        terms = _TERMS.validate_python(document.data)
    except ValidationError as error:
        raise DataError(explain(error, Term, document)) from None
    seen: set[str] = set()
    problems = []
    for index, term in enumerate(terms):
        if term.sigle in seen:
            problems.append(
                document.problem((index, "sigle"), f"sigle « {term.sigle} » écrit deux fois", "gardez une seule entrée par sigle")
            )
        seen.add(term.sigle)
    if problems:
        raise DataError(problems)
    return terms

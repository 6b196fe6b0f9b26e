"""Turning record values into the French text a visitor reads."""

from __future__ import annotations

import re
from datetime import date

import phonenumbers
from markdown_it import MarkdownIt
from markupsafe import Markup

from generator.records.models import OVERSEAS_COUNTRY_CODES, Source

MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]

# Record descriptions are written by many hands: raw HTML is shown as text and
# only web and mail links survive, so no field can inject script into a page.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable(["image"])
_SAFE_SCHEMES = ("http://", "https://", "mailto:")
_markdown.validateLink = lambda url: url.strip().lower().startswith(_SAFE_SCHEMES)


# Most descriptions are plain paragraphs: letters, digits, spaces and punctuation that means
# nothing to Markdown, no line that could start a list, a heading or a block. Those are written
# here as markdown-it writes them (a paragraph per run of lines, its lines as they are), without
# its parser's 45 µs a record page; anything else goes to markdown-it
# (tests/test_text.py compares both on generated texts).
_PLAIN_TEXT = re.compile(r"(?:[^\W_]|[ .,;:!?'’«»()%/@=+\-\n])*")
_NOT_PLAIN_LINE = re.compile(r"^(?:[ +=-]|\d+[.)])|[ ]$", re.M)
_BLANK_LINES = re.compile(r"\n\n+")


def markdown(text: str | None) -> Markup:
    text = text or ""
    if _PLAIN_TEXT.fullmatch(text) and not _NOT_PLAIN_LINE.search(text):
        return Markup("".join(f"<p>{paragraph}</p>\n" for paragraph in _BLANK_LINES.split(text.strip("\n")) if paragraph))
    return Markup(_markdown.render(text))


def date_fr(value: date) -> str:
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def period_fr(du: date, au: date) -> str:
    """« le 24 décembre 2026 », « du 20 au 24 décembre 2026 », « du 20 décembre 2026 au 5 janvier 2027 »."""
    if du == au:
        return f"le {date_fr(du)}"
    if (du.year, du.month) == (au.year, au.month):
        return f"du {date_fr(du).rsplit(' ', 2)[0]} au {date_fr(au)}"
    if du.year == au.year:
        return f"du {date_fr(du).rsplit(' ', 1)[0]} au {date_fr(au)}"
    return f"du {date_fr(du)} au {date_fr(au)}"


def partial_date_fr(value: str) -> str:
    """« 2011 », « mars 2011 » or « 3 mars 2011 » from AAAA, AAAA-MM or AAAA-MM-JJ."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return date_fr(date(*parts))
    if len(parts) == 2:
        return f"{MONTHS[parts[1] - 1]} {parts[0]}"
    return str(parts[0])


def source_date_fr(source: Source) -> str:
    """A source's date as its citation adds it: "" when it has none, or when its document already
    says it (« CNSA, cahier pédagogique, mai 2017 » was cited « …, mai 2017, mai 2017 »)."""
    if source.date is None:
        return ""
    said = partial_date_fr(source.date)
    if source.document and re.search(rf"(?<!\w){re.escape(said)}(?!\w)", source.document):
        return ""
    return said


# A mainland number but 08 ones (« 0 800 12 34 56 »): written in pairs, as phonenumbers writes it,
# without its 20 µs a call (a build writes each record's number three times: its page, its easy-read
# page and its finder row).
_MAINLAND = re.compile(r"\+33([1-79]\d{8})")


def phone_display(e164: str) -> str:
    """As it is dialled in France (overseas numbers included: « 0262 12 34 56 »), else international."""
    mainland = _MAINLAND.fullmatch(e164)
    if mainland:
        digits = "0" + mainland.group(1)
        return " ".join(digits[start : start + 2] for start in range(0, 10, 2))
    number = phonenumbers.parse(e164)
    if number.country_code == 33 or number.country_code in OVERSEAS_COUNTRY_CODES:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def number_fr(value: float) -> str:
    text = f"{value:,.1f}" if value % 1 else f"{int(value):,}"
    return text.replace(",", "\u202f").replace(".", ",")


def french_spacing(text: str) -> str:
    """« : » and « ? » never start a line of their own: the space before them does not break."""
    return text.replace(" :", "\u00a0:").replace(" ?", "\u00a0?")


def upper_first(text: str) -> str:
    """« collectifs d'entraide » → « Collectifs d'entraide » (Jinja's `capitalize` would write « Gem »)."""
    return text[:1].upper() + text[1:]

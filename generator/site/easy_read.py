"""Easy-read version of every record (« facile à lire et à comprendre »): /facile/structures/<id>/.

A record page is written for professionals; its easy-read twin says the same
facts for a person with cognitive difficulties: what the structure is, who it
is for, whether a paper is needed, when it is open, where it is and whom to
call. It is built from the record's structured fields only, never from the
free-text description (written by professionals, in their words). Every
sentence is either a vocabulary's easy-read text (generator/records/vocabulary.py)
or one of the fixed phrases below; the record's own values (name, address,
phone…) are shown as written, apart from the sentences (`Value`). An empty field
gives no sentence: nothing is guessed, an unknown is said to be unknown.

These pages follow the rules of the hand-written easy-read guides (sentences of
at most 15 words, one idea each, no acronym, no percentage, « vous »);
tests/easy_read_rules.py checks every generated page against them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TypeVar

from generator.records.models import Employeur, Esms, Record
from generator.records.vocabulary import Acces, Statut
from generator.site.closures import DAY_BY_DAY, SEASON_LIMIT, coming_changes, day_name, days_between, holiday_codes, long_period
from generator.site.hours import (
    DAYS,
    Change,
    Span,
    Spans,
    clock,
    current,
    day_code,
    day_note,
    day_spans,
    holidays_of_build,
    is_closed_with_note,
    is_unknown,
    monday_of,
    weekly_schedule,
)
from generator.site.model import Entry, SiteModel, is_a_place
from generator.site.pages import FINDER_PAGE, Page, easy_read_path, nearby_query
from generator.site.text import date_fr, period_fr
from generator.site.ways_in import Contact, WaysIn, WaysInFinder, record_contacts

Week = tuple[Spans, ...]  # each day's open intervals, Monday first
T = TypeVar("T")

MAX_WORDS = 15
NO_DECISION_NEEDED = "Vous n'avez pas besoin d'une décision de la maison départementale des personnes handicapées."
NO_PRESCRIPTION_NEEDED = "Vous n'avez pas besoin de papier du médecin."
STALE = ("Ces informations sont peut-être anciennes.", "Elles n'ont pas été vérifiées récemment.")
# « À confirmer » (model.UNCONFIRMED), by whether one comes to it (model.is_a_place): the page must not
# let the reader believe it is open, nor call a web page or a national network a place.
UNKNOWN_STATUS = {True: "Nous ne savons pas si ce lieu est ouvert en ce moment.", False: "Nous ne savons pas si c'est actif en ce moment."}
# What to do before trusting the page, by whether one comes to it and whether it gives a phone.
ASK_FIRST = {
    (True, True): "Appelez avant de venir.",
    (True, False): "Renseignez-vous avant de venir.",
    (False, True): "Appelez pour vérifier.",
    (False, False): "Renseignez-vous pour vérifier.",
}
UNKNOWN_HOURS = "Les horaires ne sont pas connus."
# « Closed », by whether one comes to it (model.is_a_place): the hours of a phone line or of a service
# online must not let the reader believe there is a place to go to.
CLOSED = {True: "ce lieu est fermé", False: "c'est fermé"}
# The heading of the papers needed, by whether one comes to it.
WHAT_IS_NEEDED = {True: "Que faut-il pour venir ?", False: "Que faut-il pour en profiter ?"}
HOLIDAYS_MAY_CHANGE = "Les jours fériés, les horaires peuvent changer."
NO_CONTACT = "Nous n'avons pas de numéro de téléphone."
# Whether a person in a wheelchair gets in, by what the record says: yes, no, nothing.
WHEELCHAIR = {
    True: "Ce lieu accueille des personnes en fauteuil roulant.",
    False: "Ce lieu n'est pas accessible en fauteuil roulant.",
    None: "Nous ne savons pas si ce lieu est accessible en fauteuil roulant.",
}
# How a contact is offered, by its link's scheme; a website otherwise.
_CONTACT_SENTENCES = {
    "tel:": "Vous pouvez appeler ce numéro :",
    "mailto:": "Vous pouvez écrire un e-mail à cette adresse :",
}


@dataclass(frozen=True)
class Value:
    """A piece of the record shown as written (an address, a phone number, a place name), maybe a link:
    `href` as written (`tel:`…), or `page`, a page of the site (its path, then `query`)."""

    text: str
    href: str | None = None
    page: str | None = None
    query: str = ""


@dataclass(frozen=True)
class Line:
    """One paragraph: a sentence in our words, then maybe a value, or a list of words or values."""

    text: str
    value: Value | None = None
    items: tuple[str | Value, ...] = ()


@dataclass(frozen=True)
class Part:
    heading: str
    lines: list[Line]


class EasyReadSheet:
    """The easy-read page of one record, computed when the page is rendered (on the worker that
    renders it), and not kept: 50,000 pages' parts would stay in memory after their pages are written."""

    def __init__(self, entry: Entry, site: SiteModel, ways_in: WaysIn | None = None):
        self.entry = entry
        self.record = entry.record
        self.site = site
        self.ways_in = ways_in  # how to reach it when its record has no contact details (site/ways_in.py)
        # The public holidays where it is (hours.holidays_of_build).
        self.holidays = holidays_of_build(site.today, entry.place.departements)

    @property
    def notices(self) -> list[Line]:
        """What to know before anything else, as the record page's status says it: the structure is closed
        or not open yet; or it is « à confirmer », nobody vouching that it receives now, the facts maybe old.
        Never the record's statut as such: an old « en projet » is no more said than an old « actif »."""
        record, status = self.record, self.entry.status  # what the record page says (model.shown_status)
        if status is None:
            return []
        if status.not_open:  # the record's statut, trusted (model.shown_status)
            return [*sentences(record.statut.easy_read), look_elsewhere(record)]
        lines = [Line(UNKNOWN_STATUS[is_a_place(record)])]
        if self.site.is_stale(record):
            lines += [Line(text) for text in STALE]
        return [*lines, ask_first(record)]

    @property
    def parts(self) -> list[Part]:
        record, place = self.record, is_a_place(self.record)
        parts = [Part("C'est quoi ?", what_it_is(record))]
        if record.statut != Statut.FERME:  # a closed place has no hours, address or contact worth a trip
            parts += [
                Part("C'est pour qui ?", who_it_is_for(record)),
                Part(WHAT_IS_NEEDED[place], papers(record)),
                Part(
                    when_heading(record),
                    opening_lines(self.entry, self.site.today, self.holidays) + dated_lines(record, self.site.today, self.holidays),
                ),
                Part("Où ?", where(self.entry, self.site)),
                Part("Qui contacter ?", contacts(record) or other_ways_in(record, self.ways_in)),
            ]
        return [part for part in parts if part.lines]


def easy_read_pages(site: SiteModel, ids: Iterable[str] | None = None) -> list[Page]:
    """The easy-read page of every record, or of the records `ids` (those of them that exist)."""
    entries = site.entries.values() if ids is None else [site.entries[i] for i in ids if i in site.entries]
    reach = WaysInFinder(site)
    return [
        Page(
            easy_read_path(entry.id),
            f"{entry.record.nom} (facile à lire)",
            "easy_read.html",
            {"entry": entry, "sheet": EasyReadSheet(entry, site, ways_in)},
            description=f"La fiche « {entry.record.nom} » en version facile à lire.",
            # Out of the site search: a record's result leads here from an easy-read page (site/search.py).
            searchable=False,
            bulk=True,
            # The sheet is made of the record, the other ways to reach it and what the whole site shares.
            inputs=(entry, ways_in),
        )
        for entry in entries
        for ways_in in [reach.of(entry)]
    ]


# --- The parts of the page ------------------------------------------------------------


def sentences(text: str | None) -> list[Line]:
    """One paragraph per sentence, as in the hand-written easy-read guides."""
    return [Line(sentence) for sentence in re.split(r"(?<=[.!?])\s+", text)] if text else []


def what_it_is(record: Record) -> list[Line]:
    lines = sentences(record.subtype.easy_read if record.subtype else None) + sentences(record.type.easy_read)
    if isinstance(record, Employeur):
        lines += [Line(engagement.easy_read) for engagement in record.engagements]
        if record.secteur:
            lines.append(Line("Cet employeur travaille dans ce domaine :", Value(record.secteur)))
    return lines


def who_it_is_for(record: Record) -> list[Line]:
    publics = [public.easy_read for public in record.publics]
    if len(publics) == 1:
        return [Line(f"C'est pour {publics[0]}.")]
    return [Line("C'est pour :", items=listed(publics))] if publics else []


def papers(record: Record) -> list[Line]:
    lines = [line for acces in record.acces for line in _paper_lines(acces, is_a_place(record))]
    if not record.acces and isinstance(record, Esms):
        # What the record page says under « Admission » when the record lists no access condition.
        lines = sentences(Acces.NOTIFICATION_CDAPH.easy_read) if record.orientation_cdaph else [Line(NO_DECISION_NEEDED)]
    return lines


def _paper_lines(acces: Acces, place: bool) -> list[Line]:
    """The access condition's easy-read sentences; « Vous pouvez venir sans papier… » said without « venir » of
    what one does not come to."""
    if acces is Acces.SANS_ORIENTATION and not place:
        return [Line(NO_PRESCRIPTION_NEEDED), Line(NO_DECISION_NEEDED)]
    return sentences(acces.easy_read)


def when_heading(record: Record) -> str:
    """When to come to a place; else when to call it, or, without a phone, simply when."""
    if is_a_place(record):
        return "Quand venir ?"
    return "Quand appeler ?" if record.telephone else "Quels jours, à quelle heure ?"


def opening_lines(entry: Entry, today: date, calendar: Mapping[date, str]) -> list[Line]:
    """« Du lundi au vendredi, de 9 h à 17 h. » — one week standing for every week, as on the record page (hours.weekly_schedule)."""
    record, closed = entry.record, CLOSED[is_a_place(entry.record)]
    call = [ask_first(record)] if record.telephone else []
    if not record.horaires:
        # Said unknown where one may come, as on its record page (Entry.says); else there is nothing to say.
        return [Line(UNKNOWN_HOURS), *call] if entry.receives else []
    codes = weekly_schedule(record.horaires, monday_of(today)).split("|")
    known = [(first, [_days_line(first, last, spans)]) for first, last, spans in _runs(_week(record.horaires, today)) if spans]
    unknown = _days_said(codes, is_unknown, "nous ne connaissons pas les horaires")
    if not known and unknown:
        return [Line(UNKNOWN_HOURS), *call]
    if not known:  # the hours say closed all week (`off`)
        notes = dict.fromkeys(filter(None, map(day_note, codes)))
        return [Line(f"Cette semaine, {closed}."), *[Line("À savoir :", Value(note)) for note in notes], *call]
    shut = _days_said(codes, is_closed_with_note, closed)
    lines = [line for _, day_lines in sorted(known + unknown + shut, key=lambda said: said[0]) for line in day_lines]
    if "" in codes:  # a day known closed, of which the hours say nothing more
        lines.append(Line(f"Les autres jours, {closed}."))
    return lines + _holiday_lines(record, today, calendar, closed)


def _holiday_lines(record: Record, today: date, calendar: Mapping[date, str], closed: str) -> list[Line]:
    """« Les jours fériés, ce lieu est fermé. », and what the hours say of it (`PH off "…"`), when every coming
    holiday is closed alike; else they may change."""
    codes = set(holiday_codes(record, today, calendar).values())
    if len(codes) == 1 and day_spans(code := codes.pop()) == ():
        return _with_note(f"Les jours fériés, {closed}.", day_note(code))
    return [Line(HOLIDAYS_MAY_CHANGE)]


def _days_said(codes: list[str], which: Callable[[str], bool], sentence: str) -> list[tuple[int, list[Line]]]:
    """The days whose hours `which` picks, by their first day: « Le samedi, nous ne connaissons pas les
    horaires. », « Le mercredi, ce lieu est fermé. », then what the record says of them
    (`Sa unknown "un samedi par mois"`, `We off "atelier de l'équipe"`)."""
    notes = tuple(day_note(code) if which(code) else None for code in codes)
    return [(first, _with_note(f"{_days(first, last)}, {sentence}.", note)) for first, last, note in _runs(notes) if note is not None]


def _with_note(sentence: str, note: str) -> list[Line]:
    return [Line(sentence), *([Line("À savoir :", Value(note))] if note else [])]


def dated_lines(record: Record, today: date, calendar: Mapping[date, str]) -> list[Line]:
    """The coming changes of hours that change with the date; closures and exceptional hours not
    over at the build date, and that date."""
    closed = CLOSED[is_a_place(record)]
    seasons = _changes_lines(coming_changes(record.horaires, today), record, closed)
    lines = [Line(f"{closed.capitalize()} {period_fr(closure.du, closure.au)}.") for closure in current(record.fermetures, today)]
    for period in current(record.horaires_exceptionnels, today):
        start = max(period.du, today)
        if (period.au - start).days < DAY_BY_DAY:
            items = [
                f"le {day_name(day).lower()}, {_day_words(day_code(record, day, calendar), closed)}"
                for day in days_between(start, period.au)
            ]
            changes: tuple[Change, ...] = ()
        else:
            week, changes = long_period(period.horaires, start, period.au)
            items = _week_items(tuple(map(_spans, week)), closed)
        lines.append(Line(f"{period_fr(period.du, period.au).capitalize()}, les horaires changent :", items=listed(items)))
        lines += _changes_lines(changes, record, closed)
    if lines:
        lines.append(Line(f"Ces informations datent du {date_fr(today)}."))
    return seasons + lines


def _changes_lines(changes: tuple[Change, ...], record: Record, closed: str) -> list[Line]:
    """The first changes of hours that change with the date, and whether there are more."""
    lines = [line for change in changes[:SEASON_LIMIT] for line in _change_lines(change, closed)]
    if len(changes) > SEASON_LIMIT:
        lines += [Line("Les horaires changent aussi à d'autres dates."), ask_first(record)]
    return lines


def _change_lines(change: Change, closed: str) -> list[Line]:
    """A period whose hours differ from the usual week, in the words of the exceptional hours."""
    period = period_fr(change.first, change.last)
    if change.same_hours is not None and day_spans(change.same_hours) == ():  # closed (`Aug off "congés d'été"`)
        return _with_note(f"{closed.capitalize()} {period}.", day_note(change.same_hours))
    if change.same_hours is not None and is_unknown(change.same_hours):
        return [Line(f"{period.capitalize()}, nous ne connaissons pas les horaires.")]
    if len(change.days) < DAY_BY_DAY:
        items = [f"le {day_name(day).lower()}, {_day_words(hours, closed)}" for day, hours in change.days]
    else:
        items = _week_items(tuple(_spans(hours) for hours in change.week), closed)
        if any(is_unknown(hours) for hours in change.week):
            items.append("certains jours, nous ne connaissons pas les horaires")
    return [Line(f"{period.capitalize()}, les horaires changent :", items=listed(items))]


def _week_items(week: Week, closed: str) -> list[str]:
    """« du lundi au vendredi, de 9 h à 17 h »…, or « ce lieu est fermé »."""
    items = [_days_line(first, last, spans).text.rstrip(".") for first, last, spans in _runs(week) if spans]
    return [item[0].lower() + item[1:] for item in items] or [closed]


def where(entry: Entry, site: SiteModel) -> list[Line]:
    record = entry.record
    lines = []
    adresse = record.adresse
    if adresse:
        town = f"{adresse.code_postal or ''} {adresse.commune}".strip()
        if adresse.voie:
            lines.append(Line("L'adresse est :", Value(f"{adresse.voie}, {town}")))
        else:
            lines += [Line("Ce lieu est dans cette commune :", Value(town)), Line("Nous ne connaissons pas l'adresse exacte.")]
    if entry.says(record.accessibilite):
        lines.append(Line(WHEELCHAIR[record.pmr]))
    territoire = record.territoire
    if territoire and territoire.national:
        lines.append(Line("C'est pour toute la France."))
    elif territoire:
        names = [
            *(r.nom for code in territoire.regions if (r := site.gazetteer.region(code))),
            *(d.nom for code in territoire.departements if (d := site.gazetteer.departement(code))),
            *(c.nom for code in territoire.communes if (c := site.gazetteer.commune(code))),
        ]
        if names:
            lines.append(Line("C'est pour les habitants de :", items=tuple(Value(name) for name in names)))
    return lines


def contacts(record: Record) -> list[Line]:
    return [_contact_line(contact) for contact in record_contacts(record)]


def other_ways_in(record: Record, ways_in: WaysIn | None) -> list[Line]:
    """For a record without contact details, whom to ask instead, as its record page has it
    (site/ways_in.py): never a page that ends without a next step."""
    if ways_in:
        lines = [Line(NO_CONTACT), Line("Ces contacts peuvent vous renseigner.")]
        for way in ways_in.through:
            lines.append(Line("Vous pouvez contacter :", Value(way.entry.record.nom, page=easy_read_path(way.entry.id))))
            lines += contacts(way.entry.record)
        if ways_in.centre:
            lines.append(Line("Vous pouvez contacter :", Value(ways_in.centre.name)))
            lines += [_contact_line(contact) for contact in ways_in.centre.contacts]
        return lines
    return [Line("Nous n'avons aucun contact à vous donner."), look_elsewhere(record)]


def look_elsewhere(record: Record) -> Line:
    """The finder, for other places of the record's kind near it."""
    return Line("Vous pouvez chercher un autre lieu de ce type :", Value("Trouver un lieu", page=FINDER_PAGE, query=nearby_query(record)))


def ask_first(record: Record) -> Line:
    """« Appelez avant de venir. »: whom to ask, the structure itself when the page gives its phone, else
    anyone (« Qui contacter ? » names whom); before coming, when one comes to it."""
    return Line(ASK_FIRST[is_a_place(record), bool(record.telephone)])


def _contact_line(contact: Contact) -> Line:
    sentence = next((text for scheme, text in _CONTACT_SENTENCES.items() if contact.href.startswith(scheme)), None)
    return Line(sentence or "Vous pouvez lire son site internet :", Value(contact.text, contact.href))


# --- Helpers ---------------------------------------------------------------------------


def listed(items: list[str]) -> tuple[str, ...]:
    """List items punctuated as in the guides: a comma after each, a full stop after the last."""
    return tuple(f"{item}{'.' if index == len(items) - 1 else ','}" for index, item in enumerate(items))


def _week(horaires: str, day: date) -> Week:
    """The open intervals of each day of the week of `day` (or of a usual week, hours.weekly_schedule), Monday first."""
    return _week_of(horaires, monday_of(day))


@lru_cache(maxsize=4096)
def _week_of(horaires: str, monday: date) -> Week:
    """Cached as weekly_schedule is: records share their hours."""
    return tuple(_spans(hours) for hours in weekly_schedule(horaires, monday).split("|"))


def _spans(hours: str) -> Spans:
    """The intervals of a day's code; none for « ? » (unknown is never open: the page names
    those days apart, _days_said)."""
    return day_spans(hours) or ()


def _runs(week: tuple[T, ...]) -> list[tuple[int, int, T]]:
    """Consecutive days with the same hours: (first day, last day, their intervals)."""
    runs: list[tuple[int, int, T]] = []
    for day, spans in enumerate(week):
        if runs and runs[-1][2] == spans:
            runs[-1] = (runs[-1][0], day, spans)
        else:
            runs.append((day, day, spans))
    return runs


def _days_line(first: int, last: int, spans: Spans) -> Line:
    days = _days(first, last)
    hours = [_span_words(span) for span in spans]
    sentence = f"{days}, {' et '.join(hours)}."
    if len(sentence.split()) <= MAX_WORDS:
        return Line(sentence)
    return Line(f"{days} :", items=listed(hours))


def _day_words(code: str, closed: str) -> str:
    """« de 9 h à 12 h », « ce lieu est fermé, réunion des membres », « nous ne connaissons pas les horaires »."""
    words, note = _words(day_spans(code), closed), day_note(code)
    return f"{words}, {note}" if note else words


def _words(spans: Spans | None, closed: str) -> str:
    if spans is None:
        return "nous ne connaissons pas les horaires"
    if not spans:
        return closed
    return " et ".join(_span_words(span) for span in spans)


def _span_words(span: Span) -> str:
    """« de 9 h à 12 h », « de 9 h à 12 h, sur rendez-vous », « jour et nuit »."""
    begin, end, note = span
    words = "jour et nuit" if (begin, end) == ("0000", "2400") else f"de {_time(begin)} à {_time(end)}"
    return f"{words}, {note}" if note else words


def _time(hhmm: str) -> str:
    return "minuit" if hhmm in ("0000", "2400") else clock(hhmm)


def _days(first: int, last: int) -> str:
    names = [day.lower() for day in DAYS]
    if (first, last) == (0, 6):
        return "Tous les jours"
    if first == last:
        return f"Le {names[first]}"
    if last == first + 1:
        return f"Le {names[first]} et le {names[last]}"
    return f"Du {names[first]} au {names[last]}"

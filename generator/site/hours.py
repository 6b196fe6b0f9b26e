"""Opening hours: from OpenStreetMap's `opening_hours` syntax to a week people can read.

A record's regular `horaires` give a typical week. A given day may differ: a
temporary closure (`fermetures`) closes it, exceptional hours
(`horaires_exceptionnels`) replace the regular ones, and on a public holiday
the hours' `PH` rules apply. `day_hours` says what holds on one day, in that
order; pages show the periods not over at the build date, and the finder and
the maps, which are read on later days, get the dated facts to decide in the
browser (generator/site/finder.py, maps.py).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum
from functools import cache, cached_property, lru_cache
from typing import TypeVar
from urllib.parse import quote, unquote

import holidays
from opening_hours import OpeningHours, State

from generator.records.models import Periode, Record

DAYS = ["Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche"]
UNKNOWN_DAY = "?"  # a day whose hours are unknown (no open interval known), in the weekly schedule and the browser's rows

# The code of a day's hours (weekly_schedule, the finder's rows) lists its open intervals:
# « 0900-1200,1400-1700 ». An interval's note, an OpenStreetMap comment
# (`Mo-Fr 09:00-12:00 "sur rendez-vous"`), follows its times, percent-encoded so that no
# separator of the code can be in it: « 0900-1200~sur%20rendez-vous »; so does the note of
# an unknown day (`Sa unknown "un samedi par mois"`: « ?~un%20samedi%20par%20mois ») and of a
# closed day (`We off "atelier de l'équipe"`: « ~atelier%20de%20l%27%C3%A9quipe »). A person
# who comes without an appointment must read it where they read the hours
# (passerelle-days.js reads it too).
NOTE = "~"

Span = tuple[str, str, str]  # begin, end (« 0900 », « 2400 »), note ("" when none)
Spans = tuple[Span, ...]


def _noted(code: str, note: str) -> str:
    return f"{code}{NOTE}{quote(note, safe='')}" if note else code


def span_code(begin: str, end: str, note: str = "") -> str:
    return _noted(f"{begin}-{end}", note)


def is_unknown(code: str) -> bool:
    return code.startswith(UNKNOWN_DAY)


def day_spans(code: str) -> Spans | None:
    """The intervals of a day's code; None for « ? » (unknown), none for a closed day, with or without its note."""
    if is_unknown(code):
        return None
    if is_closed_with_note(code):
        return ()
    spans = []
    for interval in filter(None, code.split(",")):
        times, _, note = interval.partition(NOTE)
        begin, end = times.split("-")
        spans.append((begin, end, unquote(note)))
    return tuple(spans)


def is_closed_with_note(code: str) -> bool:
    """A closed day of which the hours say something (`We off "atelier de l'équipe"`)."""
    return code.startswith(NOTE)


def day_note(code: str) -> str:
    """The note of a day without open hours: unknown (« un samedi par mois ») or closed (« atelier de
    l'équipe »); "" for others, whose notes are their intervals'."""
    return unquote(code.partition(NOTE)[2]) if is_unknown(code) or is_closed_with_note(code) else ""


@lru_cache(maxsize=4096)
def weekly_schedule(horaires: str, monday: date) -> str:
    """Open intervals of each weekday, Monday first: « 0900-1200,1400-1700|…|| ».

    One week stands for every week: the week starting `monday` (the build's),
    or, for hours that change with the date (`changes_with_date`), each
    weekday's usual hours over the time the site is read (`Seasons`), the days
    that differ being listed apart. Public holidays are not evaluated (no
    country given). A day with an « unknown » slot (`We unknown`) is « ? »:
    neither open nor closed, as `code_on` has it.
    """
    if changes_with_date(horaires):
        return "|".join(seasons(horaires, monday).usual)
    return "|".join(_day_hours(horaires, monday, 7))


def _day_hours(horaires: str, first: date, count: int, country: str | None = None) -> list[str]:
    """The hours of `count` days from `first`: « 0900-1200,1400-1700 », « » closed (« ~… » with the note the
    hours give it), « ? » unknown.
    `country` gives the hours' `PH` rules a calendar (code_on)."""
    start = datetime.combine(first, time())
    end = start + timedelta(days=count)
    days: list[list[str]] = [[] for _ in range(count)]
    known = [False] * count  # an open interval is known that day
    unknown: list[str | None] = [None] * count  # a day's unknown hours: their note, "" for none
    closed = [""] * count  # what the hours say of a day's closed time (`We off "atelier de l'équipe"`)
    for begin, finish, state, comment in OpeningHours(horaires, country=country).intervals(start, end):
        if state == State.CLOSED and not comment:
            continue
        for offset, times in _day_parts(max(begin, start), min(finish or end, end), first):
            if state == State.CLOSED:
                closed[offset] = closed[offset] or comment
            elif state == State.UNKNOWN:
                unknown[offset] = unknown[offset] or comment or ""
                days[offset].append(span_code(*times, _unsure(comment)))
            else:
                known[offset] = True
                days[offset].append(span_code(*times, comment or ""))
    return [
        ",".join(day) if is_known else _noted(UNKNOWN_DAY, note) if note is not None else _noted("", closed_note)
        for day, is_known, note, closed_note in zip(days, known, unknown, closed, strict=True)
    ]


def _day_parts(begin: datetime, finish: datetime, first: date) -> Iterator[tuple[int, tuple[str, str]]]:
    """(day, counted from `first`; its times « 2200 », « 2400 ») of each day an interval touches: a night
    opening (Sa 22:00-02:00) is split at midnight into the two days it touches."""
    while begin < finish:
        midnight = datetime.combine(begin.date() + timedelta(days=1), time())
        stop = min(finish, midnight)
        yield (begin.date() - first).days, (f"{begin:%H%M}", "2400" if stop == midnight else f"{stop:%H%M}")
        begin = stop


def _unsure(comment: str | None) -> str:
    """The note of an interval whose state is unknown beside a known one (`Mo 09:00-12:00, Mo
    14:00-17:00 unknown`): shown with its times, « à confirmer », rather than the day hidden."""
    return f"à confirmer : {comment}" if comment else "à confirmer"


# Selectors that make hours change with the date (OpenStreetMap syntax): months and dates, week
# numbers, years, Easter, school holidays. « Mo-Fr 09:00-17:00; Aug off » is closed in August:
# one week of it does not stand for the others. Public holidays (PH) are apart (day_hours).
_DATED = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|week|easter|SH)\b|\b\d{4}\b")


def changes_with_date(horaires: str) -> bool:
    return bool(_DATED.search(horaires))


def usual_week(days: Iterable[tuple[date, str]]) -> tuple[str, ...]:
    """Each weekday's most frequent hours among `days` (day, open intervals), Monday first."""
    by_weekday: list[Counter[str]] = [Counter() for _ in range(7)]
    for day, hours in days:
        by_weekday[day.weekday()][hours] += 1
    return tuple(counts.most_common(1)[0][0] if counts else "" for counts in by_weekday)


@dataclass(frozen=True)
class Change:
    """A period whose hours differ from the usual week: each of its days with its open intervals."""

    days: tuple[tuple[date, str], ...]

    @property
    def first(self) -> date:
        return self.days[0][0]

    @property
    def last(self) -> date:
        return self.days[-1][0]

    @property
    def same_hours(self) -> str | None:
        """The hours of every one of its days, when they all have the same."""
        hours = {hours for _, hours in self.days}
        return next(iter(hours)) if len(hours) == 1 else None

    @property
    def week(self) -> tuple[str, ...]:
        return usual_week(self.days)


@dataclass(frozen=True)
class Seasons:
    """Hours that change with the date, day by day over the time a site is read: from the build's
    week to its `horizon`, as far as its public holidays go."""

    days: tuple[tuple[date, str], ...]  # each day from the build's Monday on, with its open intervals

    @cached_property
    def usual(self) -> tuple[str, ...]:
        """The week pages show."""
        return usual_week(self.days)

    def changes(self, today: date) -> dict[date, str]:
        """The days from `today` on whose hours differ from their weekday's usual ones."""
        usual = self.usual
        return {day: hours for day, hours in self.days if day >= today and hours != usual[day.weekday()]}

    def periods(self, today: date) -> list[Change]:
        """The coming changes as periods: changed days a week or less apart are one period, so that
        « Jul-Aug off » is one, its weekends (closed anyway) included."""
        bounds: list[tuple[date, date]] = []
        for day in self.changes(today):
            if bounds and (day - bounds[-1][1]).days <= 7:
                bounds[-1] = (bounds[-1][0], day)
            else:
                bounds.append((day, day))
        start = self.days[0][0]
        return [Change(self.days[(first - start).days : (last - start).days + 1]) for first, last in bounds]


@lru_cache(maxsize=1024)
def seasons(horaires: str, monday: date) -> Seasons:
    # To the horizon of any day of that week (a build on Friday 1 January has its Monday in December).
    return period_seasons(horaires, monday, horizon(monday + timedelta(days=6)))


def period_seasons(horaires: str, first: date, last: date) -> Seasons:
    """The days from `first` to `last` with their hours: over a site's time (`seasons`), or over an
    exceptional period whose own hours change with the date."""
    count = (last - first).days + 1
    return Seasons(tuple((first + timedelta(days=offset), hours) for offset, hours in enumerate(_day_hours(horaires, first, count))))


def seasons_of(horaires: str | None, today: date) -> Seasons | None:
    """The days of hours that change with the date, from the week of `today` (a build's); None for others."""
    return seasons(horaires, monday_of(today)) if horaires and changes_with_date(horaires) else None


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def readable_week(horaires: str, today: date) -> tuple[tuple[str, str], ...]:
    """« Lundi », « 10 h – 12 h 30 et 14 h – 17 h » for each day of a typical week."""
    return _readable_week(horaires, monday_of(today))


@lru_cache(maxsize=4096)
def _readable_week(horaires: str, monday: date) -> tuple[tuple[str, str], ...]:
    """Cached as weekly_schedule is: many records share their hours, and each page writes them."""
    return tuple((day, hours_text(hours)) for day, hours in zip(DAYS, weekly_schedule(horaires, monday).split("|"), strict=True))


def hours_text(hours: str) -> str:
    """« 10 h – 12 h 30 et 14 h – 17 h » from « 1000-1230,1400-1700 », « fermé » from « »."""
    spans = day_spans(hours)
    if spans:
        return clock_spans(spans)
    said, note = "horaires non renseignés" if spans is None else "fermé", day_note(hours)
    return f"{said} ({note})" if note else said


def clock_spans(spans: Spans) -> str:
    """« 10 h – 12 h 30 (sur rendez-vous) et 14 h – 17 h »; "" for none."""
    return " et ".join(f"{clock(begin)} – {clock(end)}{f' ({note})' if note else ''}" for begin, end, note in spans)


def clock(hhmm: str) -> str:
    """« 9 h », « 12 h 30 » from « 0900 », « 1230 »."""
    hours, minutes = int(hhmm[:2]), hhmm[2:]
    return f"{hours} h" if minutes == "00" else f"{hours} h {minutes}"


def has_unknown_hours(horaires: str, monday: date) -> bool:
    """Whether some day of the week shown (weekly_schedule) is neither open nor closed (`unknown`)."""
    return any(is_unknown(day) for day in weekly_schedule(horaires, monday).split("|"))


# --- Public holidays -----------------------------------------------------------------------

_PH = re.compile(r"\bPH\b")


# Départements with public holidays of their own besides the country's, by their subdivision in
# the `holidays` package: Good Friday and St Stephen's Day in Alsace and Moselle, the abolition
# of slavery (and more) overseas. A place there may be closed on a day the rest of France works.
LOCAL_HOLIDAYS = {
    "57": "57",
    "67": "6AE",
    "68": "6AE",
    "971": "971",
    "972": "972",
    "973": "973",
    "974": "974",
    "976": "976",
    "977": "BL",
    "978": "MF",
}


# « Aujourd'hui » at a place is the place's own day, not the visitor's: at 22 h in Paris it is
# already tomorrow in La Réunion, and a person in Paris looking there must not read « ouvert
# aujourd'hui » for a day that is over. The finder and the maps decide in the browser, in the time
# zone of the place's département (IANA names; French Polynesia: Tahiti's, where most people live).
MAINLAND_TIME_ZONE = "Europe/Paris"
TIME_ZONES = {
    "971": "America/Guadeloupe",
    "972": "America/Martinique",
    "973": "America/Cayenne",
    "974": "Indian/Reunion",
    "975": "America/Miquelon",
    "976": "Indian/Mayotte",
    "977": "America/St_Barthelemy",
    "978": "America/Marigot",
    "984": "Indian/Kerguelen",
    "986": "Pacific/Wallis",
    "987": "Pacific/Tahiti",
    "988": "Pacific/Noumea",
    "989": "Pacific/Pitcairn",
}


def time_zone(departements: Iterable[str]) -> str:
    """The time zone of a place (or territory) in `departements`: the first that has its own, else mainland France's."""
    return next((TIME_ZONES[code] for code in departements if code in TIME_ZONES), MAINLAND_TIME_ZONE)


@cache
def public_holidays(year: int, subdivision: str | None = None) -> dict[date, str]:
    """The public holidays of a year, with their French names: the whole country's, or those of a
    subdivision (LOCAL_HOLIDAYS), which include the country's."""
    return dict(sorted(holidays.France(years=year, subdiv=subdivision, language="fr").items()))


def horizon(today: date) -> date:
    """The last day whose dated facts a site built on `today` knows: its public holidays and the
    days of hours that change with the date, to the end of the next year. The finder tells no
    day's hours past it (the site has not been built again for more than a year)."""
    return date(today.year + 1, 12, 31)


def holidays_of_build(today: date, departements: Iterable[str] = ()) -> dict[date, str]:
    """The holidays of the build's year and the next (as far as a published site is read before its
    next build): the country's, and those of `departements` that have their own.

    A record's départements are those of its place or of the territory it serves: a day that is a
    holiday in one of them counts. That can only turn an answer into « unknown » (hours.day_hours),
    never into a false « open ».
    """
    return _calendar(today.year, tuple(sorted({LOCAL_HOLIDAYS[code] for code in departements if code in LOCAL_HOLIDAYS})))


@cache
def _calendar(year: int, subdivisions: tuple[str, ...]) -> dict[date, str]:
    """Shared between the records of the same places: read, never changed."""
    calendar = public_holidays(year) | public_holidays(year + 1)
    for subdivision in subdivisions:
        calendar = public_holidays(year, subdivision) | public_holidays(year + 1, subdivision) | calendar
    return dict(sorted(calendar.items()))


def says_holiday_hours(horaires: str) -> bool:
    """Whether the hours say what happens on public holidays (a `PH` rule)."""
    return bool(_PH.search(horaires))


@cache
def _parser_agrees(day: date) -> bool:
    """Whether opening_hours also counts `day` as a French public holiday (its own calendar)."""
    return OpeningHours("PH", country="FR").is_open(datetime.combine(day, time(12)))


P = TypeVar("P", bound=Periode)

# --- One day -------------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def code_on(horaires: str, day: date, holiday: bool) -> str:
    """The code of one day's hours, as the weekly schedule writes it, notes kept: « 0900-1200 », « » or
    « ~note » closed, « ? » or « ?~note » unknown.

    On a holiday the hours' `PH` rules apply, evaluated by opening_hours, which
    has its own calendar: a day that `holidays` says is a holiday and
    opening_hours does not is unknown, never guessed.
    """
    if holiday and not _parser_agrees(day):
        return UNKNOWN_DAY
    return _day_hours(horaires, day, 1, "FR" if holiday else None)[0]


class Why(Enum):
    """Why a day's hours are what they are."""

    REGULAR = "habituel"
    CLOSURE = "fermeture"
    EXCEPTIONAL = "exceptionnel"
    HOLIDAY = "ferie"


@dataclass(frozen=True)
class DayHours:
    """What holds on one day: its hours' code (code_on), and why."""

    code: str
    why: Why
    motif: str | None = None
    holiday: str | None = None  # the holiday's name

    @property
    def spans(self) -> Spans | None:
        """Its open intervals; none: closed; None: unknown."""
        return day_spans(self.code)


def _covering(periods: list[P], day: date) -> P | None:
    return next((period for period in periods if period.du <= day <= period.au), None)


def day_hours(record: Record, day: date, calendar: Mapping[date, str]) -> DayHours | None:
    """The hours of `record` on `day`; None when nothing is known (no hours, no period covers it).

    A closure wins over everything; then exceptional hours, then the regular
    ones. On a public holiday (`calendar`), hours that say nothing of holidays
    (no `PH` rule) are unknown on a day they are open: many places close then,
    their record does not say.
    """
    closure = _covering(record.fermetures, day)
    if closure:
        return DayHours("", Why.CLOSURE, closure.motif)
    exceptional = _covering(record.horaires_exceptionnels, day)
    horaires = exceptional.horaires if exceptional else record.horaires
    if horaires is None:
        return None
    holiday = calendar.get(day)
    if holiday and not says_holiday_hours(horaires):
        # Nothing suggests a place opens on a holiday the day of the week it is closed.
        regular = code_on(horaires, day, False)
        return DayHours(regular if day_spans(regular) == () else UNKNOWN_DAY, Why.HOLIDAY, holiday=holiday)
    code = code_on(horaires, day, holiday is not None)
    if exceptional:
        return DayHours(code, Why.EXCEPTIONAL, exceptional.motif, holiday)
    return DayHours(code, Why.HOLIDAY if holiday else Why.REGULAR, holiday=holiday)


def day_code(record: Record, day: date, calendar: Mapping[date, str]) -> str:
    """The code of `record`'s hours on `day` (day_hours), « ? » when nothing is known."""
    hours = day_hours(record, day, calendar)
    return hours.code if hours else UNKNOWN_DAY


def current(periods: list[P], today: date) -> list[P]:
    """The periods not over on `today`, first one first: a page stops showing a closure once it is over."""
    return sorted((period for period in periods if period.au >= today), key=lambda period: period.du)

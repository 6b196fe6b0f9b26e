"""Temporary closures, exceptional hours and public holidays, as pages and the browser need them.

Pages are read after the day they are built: they show the periods that are not
over at the build date, and say that date (« informations au … (date de
publication) »). The finder and the maps, which say « fermé aujourd'hui »,
decide in the browser, on the place's day: their rows carry the dated facts
(`browser_fields`, `map_closures`), evaluated here with the same rules as
`hours.day_hours`, and the finder's index the public holidays.

The public holidays that apply to a record (`calendar`) are those of where it is
(`hours.holidays_of_build` of its départements): Alsace, Moselle and the overseas
départements have their own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from generator.records.models import Record
from generator.site.hours import (
    DAYS,
    LOCAL_HOLIDAYS,
    UNKNOWN_DAY,
    Change,
    DayHours,
    Why,
    changes_with_date,
    code_on,
    current,
    day_hours,
    holidays_of_build,
    hours_text,
    monday_of,
    period_seasons,
    says_holiday_hours,
    seasons_of,
    weekly_schedule,
)
from generator.site.text import date_fr, period_fr

# A period this short is listed day by day; a longer one as a typical week.
DAY_BY_DAY = 7
# The coming changes of hours that change with the date a page lists; the finder knows them all.
SEASON_LIMIT = 4


@dataclass(frozen=True)
class ExceptionalWeek:
    heading: str  # « Horaires exceptionnels du 1er au 31 août 2027 (horaires d'été) »
    days: list[tuple[str, str]]  # (« Lundi » or « Jeudi 24 décembre », « 10 h – 12 h »); none when the heading says all


@dataclass(frozen=True)
class DatedHours:
    """What a record page says of closures, exceptional hours and holidays, as of the build date."""

    closures: list[str]
    exceptional: list[ExceptionalWeek]
    holidays: list[tuple[str, str]]  # (« Jours fériés », « fermé »), or one line per holiday
    as_of: date
    # The coming changes of hours that change with the date (« Aug off »), SEASON_LIMIT at most,
    # and whether there are more.
    seasons: list[ExceptionalWeek] = field(default_factory=list)
    more_seasons: bool = False

    @property
    def dated(self) -> bool:
        return bool(self.closures or self.exceptional)


def dated_hours(record: Record, today: date, calendar: Mapping[date, str]) -> DatedHours:
    closures = [f"Fermé {period_fr(c.du, c.au)}{_motif(c.motif)}" for c in current(record.fermetures, today)]
    weeks = []
    for period in current(record.horaires_exceptionnels, today):
        start = max(period.du, today)
        heading = f"Horaires exceptionnels {period_fr(period.du, period.au)}{_motif(period.motif)}"
        if (period.au - start).days < DAY_BY_DAY:
            days = [(day_name(day), _day_text(day_hours(record, day, calendar))) for day in days_between(start, period.au)]
            inside: tuple[Change, ...] = ()
        else:
            week, inside = long_period(period.horaires, start, period.au)
            days = [(name, hours_text(hours)) for name, hours in zip(DAYS, week, strict=True)]
        weeks.append(ExceptionalWeek(heading, days))
        weeks += [_inside(_season_week(change)) for change in inside[:SEASON_LIMIT]]
        if len(inside) > SEASON_LIMIT:
            weeks.append(_inside(ExceptionalWeek("Les horaires changent aussi à d'autres dates", [])))
    changes = coming_changes(record.horaires, today)
    return DatedHours(
        closures,
        weeks,
        holiday_hours(record, today, calendar),
        today,
        season_weeks(changes),
        len(changes) > SEASON_LIMIT,
    )


def long_period(horaires: str, start: date, last: date) -> tuple[tuple[str, ...], tuple[Change, ...]]:
    """A long exceptional period as a typical week (codes, Monday first), and, when its hours change
    with the date (« Mo-Fr 10:00-16:00; Aug off » from June to September), the changes inside it."""
    if not changes_with_date(horaires):
        return tuple(weekly_schedule(horaires, monday_of(start)).split("|")), ()
    within = period_seasons(horaires, start, last)
    return within.usual, tuple(within.periods(start))


def _inside(week: ExceptionalWeek) -> ExceptionalWeek:
    """A change inside an exceptional period, said after the period's week."""
    return ExceptionalWeek(f"Dans cette période, {week.heading[0].lower()}{week.heading[1:]}", week.days)


@lru_cache(maxsize=1024)
def coming_changes(horaires: str | None, today: date) -> tuple[Change, ...]:
    """For hours that change with the date, the coming periods whose hours differ from the usual week
    shown. Cached: a record's page, easy-read page and campaign letter each list them."""
    year = seasons_of(horaires, today)
    return tuple(year.periods(today)) if year else ()


def season_weeks(changes: tuple[Change, ...]) -> list[ExceptionalWeek]:
    """The first SEASON_LIMIT changes of `coming_changes`, as a page shows them."""
    return [_season_week(change) for change in changes[:SEASON_LIMIT]]


def _season_week(change: Change) -> ExceptionalWeek:
    """« Fermé du 2 au 31 août 2027 » (no days: the heading says it all), or the days of the period."""
    period = period_fr(change.first, change.last)
    if change.same_hours == "":
        return ExceptionalWeek(f"Fermé {period}", [])
    if change.same_hours is not None:
        return ExceptionalWeek(f"{period.capitalize()} : {hours_text(change.same_hours)}", [])
    if len(change.days) < DAY_BY_DAY:
        return ExceptionalWeek(period.capitalize(), [(day_name(day), hours_text(hours)) for day, hours in change.days])
    return ExceptionalWeek(period.capitalize(), [(name, hours_text(hours)) for name, hours in zip(DAYS, change.week, strict=True)])


def holiday_hours(record: Record, today: date, calendar: Mapping[date, str]) -> list[tuple[str, str]]:
    """The regular hours on the coming public holidays, when they say (`PH`): one line if all agree,
    else the holidays that differ from most, then « Autres jours fériés » (a place's own holidays,
    which opening_hours does not know, are unknown: Alsace and Moselle have two)."""
    texts = {day: hours_text(code) for day, code in holiday_codes(record, today, calendar).items()}
    if not texts:
        return []
    (usual, count), *others = Counter(texts.values()).most_common()
    if not others:
        return [("Jours fériés", usual)]
    grouped = count > 1  # when no two are alike, each has its own line
    lines = [(f"{calendar[day]}, {day_name(day).lower()}", text) for day, text in texts.items() if not grouped or text != usual]
    return [*lines, ("Autres jours fériés", usual)] if grouped else lines


def holiday_codes(record: Record, today: date, calendar: Mapping[date, str]) -> dict[date, str]:
    """The code of the regular hours on each coming public holiday (code_on, notes kept), when they say (`PH`)."""
    if not record.horaires or not says_holiday_hours(record.horaires):
        return {}
    return {day: code_on(record.horaires, day, True) for day in calendar if day >= today}


def browser_fields(record: Record, today: date, calendar: Mapping[date, str]) -> dict[str, Any]:
    """The finder row's dated facts, from the build date on.

    `hc`: for hours that change with the date, each coming day whose regular
    hours differ from the usual week (`h`), {date: spans}; `f`: closures not
    over, [[du, au], …]; `e`: each day of exceptional hours not
    over, {date: spans}; `j`: the regular hours on the coming public holidays when
    they say (`PH`): one spans string if all agree, else {date: spans}. Spans are
    written as in the weekly schedule (« 0900-1200,1400-1700 », « » closed,
    « ? » unknown). A holiday without `j` is unknown to the browser.
    """
    fields: dict[str, Any] = {}
    if (year := seasons_of(record.horaires, today)) and (changes := year.changes(today)):
        fields["hc"] = {day.isoformat(): hours for day, hours in changes.items()}
    if closures := current(record.fermetures, today):
        fields["f"] = [[c.du.isoformat(), c.au.isoformat()] for c in closures]
    exceptional = {}
    for period in current(record.horaires_exceptionnels, today):
        for day in days_between(max(period.du, today), period.au):
            hours = day_hours(record, day, calendar)
            if hours is not None and hours.why != Why.CLOSURE:
                exceptional[day.isoformat()] = hours.code
    if exceptional:
        fields["e"] = exceptional
    if coming := {day.isoformat(): code for day, code in holiday_codes(record, today, calendar).items()}:
        fields["j"] = next(iter(coming.values())) if len(set(coming.values())) == 1 else coming
    return fields


def holiday_index(today: date) -> dict[str, str]:
    """The country's public holidays of the build's year and the next, for the browser: {date: name}."""
    return {day.isoformat(): name for day, name in holidays_of_build(today).items()}


def local_holiday_index(today: date) -> dict[str, dict[str, str]]:
    """The holidays of the départements that have their own, besides the country's: {département: {date: name}}.

    The browser counts a day as a holiday for a row when it is one in any of its départements (`d`), as `holidays_of_build` does.
    """
    country = holidays_of_build(today)
    return {
        code: {day.isoformat(): name for day, name in holidays_of_build(today, [code]).items() if day not in country}
        for code in sorted(LOCAL_HOLIDAYS)
    }


def map_closures(record: Record, today: date) -> list[list[str]]:
    """Closures not over at the build date, for the map's popups: [[du, au], …]."""
    return [[c.du.isoformat(), c.au.isoformat()] for c in current(record.fermetures, today)]


# --- Words -----------------------------------------------------------------------------


def _motif(motif: str | None) -> str:
    return f" ({motif})" if motif else ""


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def day_name(day: date) -> str:
    """« Jeudi 24 décembre », « Vendredi 1er janvier »."""
    return f"{DAYS[day.weekday()]} {date_fr(day).rsplit(' ', 1)[0]}"


def _day_text(hours: DayHours | None) -> str:
    text = hours_text(hours.code if hours else UNKNOWN_DAY)
    if hours and hours.why == Why.CLOSURE:
        return "fermé (fermeture exceptionnelle)"
    return f"{text} ({hours.holiday})" if hours and hours.holiday else text

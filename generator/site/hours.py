"""Opening hours: from OpenStreetMap's `opening_hours` syntax to a week people can read."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache

from opening_hours import OpeningHours, State

DAYS = ["Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche"]


@lru_cache(maxsize=4096)
def weekly_schedule(horaires: str, monday: date) -> str:
    """Open intervals of each weekday, Monday first: « 0900-1200,1400-1700|…|| ».

    The week starting `monday` (the build's) stands for every week: public
    holidays are not evaluated (no country given), and seasonal rules are those
    of the build date, which the site's regular rebuilds keep current. Only
    « open » counts: an « unknown » slot is not shown as open.
    """
    start = datetime.combine(monday, time())
    end = start + timedelta(days=7)
    days: list[list[str]] = [[] for _ in range(7)]
    for begin, finish, state, _comment in OpeningHours(horaires).intervals(start, end):
        if state != State.OPEN:
            continue
        begin, finish = max(begin, start), min(finish or end, end)
        # Split a night opening (Sa 22:00-02:00) at midnight into the two days it touches.
        while begin < finish:
            midnight = datetime.combine(begin.date() + timedelta(days=1), time())
            stop = min(finish, midnight)
            days[(begin.date() - monday).days].append(f"{begin:%H%M}-{'2400' if stop == midnight else f'{stop:%H%M}'}")
            begin = stop
    return "|".join(",".join(day) for day in days)


def readable_week(horaires: str, today: date) -> list[tuple[str, str]]:
    """« Lundi », « 10 h – 12 h 30 et 14 h – 17 h » for each day of a typical week."""
    monday = today - timedelta(days=today.weekday())
    week = []
    for day, intervals in zip(DAYS, weekly_schedule(horaires, monday).split("|"), strict=True):
        spans = [tuple(interval.split("-")) for interval in intervals.split(",") if interval]
        week.append((day, " et ".join(f"{clock(a)} – {clock(b)}" for a, b in spans) or "fermé"))
    return week


def clock(hhmm: str) -> str:
    """« 9 h », « 12 h 30 » from « 0900 », « 1230 »."""
    hours, minutes = int(hhmm[:2]), hhmm[2:]
    return f"{hours} h" if minutes == "00" else f"{hours} h {minutes}"


@lru_cache(maxsize=4096)
def has_unknown_hours(horaires: str, monday: date) -> bool:
    """Whether some moment of the week starting `monday` is neither open nor closed (`unknown`)."""
    start = datetime.combine(monday, time())
    return any(state == State.UNKNOWN for _, _, state, _ in OpeningHours(horaires).intervals(start, start + timedelta(days=7)))

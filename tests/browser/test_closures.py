# ruff: noqa: F811
"""Closures and public holidays decided in the browser, on the place's day (issue 18, section 2).

The site is built today from the SYNTHÉTIQUE records of tests/test_closures.py; the
browser's clock is then set inside a closure, outside it, and on public holidays.
"""

from __future__ import annotations

import io
import re
from collections.abc import Container
from datetime import UTC, date, datetime, time, timedelta

import pytest
from pypdf import PdfReader

from generator import clock
from generator.site.hours import MAINLAND_TIME_ZONE, TIME_ZONES, holidays_of_build, horizon
from generator.site.text import date_fr, period_fr
from tests.browser.conftest import DESKTOP, PHONE, axe_violations, format_violations
from tests.browser.test_finder import finder_at, wait_for_results  # noqa: F401
from tests.sitebuild import build_site
from tests.test_closures import coming_august, next_good_friday, write_closure_data

TODAY = clock.today()
INSIDE = datetime.combine(TODAY + timedelta(days=7), time(10))
OUTSIDE = datetime.combine(TODAY + timedelta(days=14), time(10))


def next_day(month: int, day: int) -> datetime:
    """The next such day from today on, at 10 h: within the holidays the site ships (this year and the next)."""
    found = date(TODAY.year, month, day)
    return datetime.combine(found if found >= TODAY else found.replace(year=TODAY.year + 1), time(10))


@pytest.fixture(scope="module")
def closure_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("closures-browser")
    return build_site(root / "site", data_dir=write_closure_data(root))


def gems_at(finder_at, site, cp: str = "92330", **options):
    """The finder's answer for GEM near `cp`, the browser's clock (and time zone) set by `options`."""
    page = finder_at(f"?cp={cp}&type=gem", site=site, **options)
    wait_for_results(page, "GEM trouvés")
    return page


def next_day_of(weekdays: Container[int], holidays: Container[date]) -> date:
    """The first day from tomorrow on that is one of `weekdays` (Monday 0) and not a holiday."""
    return next(day for day in (TODAY + timedelta(days=n) for n in range(1, 30)) if day.weekday() in weekdays and day not in holidays)


def result_text(page, name: str) -> str:
    return page.locator(".pa-finder__result", has_text=name).locator(".pa-finder__details").inner_text()


def test_the_finder_says_closed_today_inside_a_closure_and_not_outside(finder_at, closure_site):
    page = gems_at(finder_at, closure_site, cp="92260", clock=INSIDE)
    assert result_text(page, "GEM en congés").endswith("Fermé aujourd’hui (fermeture exceptionnelle)")
    # A closure is a fact even without hours.
    assert result_text(page, "GEM sans horaires") == "Fermé aujourd’hui (fermeture exceptionnelle)"
    assert result_text(page, "GEM fermé les jours fériés").endswith("Ouvert aujourd’hui : 9 h – 17 h")
    assert page.errors == []
    # « Ouvert aujourd'hui » leaves the closed ones out.
    page = finder_at("?cp=92260&type=gem&ouvert=1", site=closure_site, clock=INSIDE)
    wait_for_results(page, "ouverts aujourd’hui")
    assert "GEM en congés" not in page.locator(".pa-finder__group").inner_text()
    assert "GEM fermé les jours fériés" in page.locator(".pa-finder__group").inner_text()

    page = gems_at(finder_at, closure_site, cp="92260", clock=OUTSIDE)
    assert result_text(page, "GEM en congés").endswith("Ouvert aujourd’hui : 9 h – 17 h")
    # No hours and no closure that day: unknown, never « fermé ».
    assert result_text(page, "GEM sans horaires") == "Horaires non renseignés"


def test_exceptional_hours_replace_the_regular_ones_for_their_days(finder_at, closure_site):
    page = gems_at(finder_at, closure_site, cp="92260", clock=datetime.combine(TODAY + timedelta(days=21), time(10)))
    assert result_text(page, "GEM en congés").endswith("Ouvert aujourd’hui (horaires exceptionnels) : 10 h – 12 h")


@pytest.mark.parametrize(("month", "day"), [(12, 25), (7, 14)])
def test_ph_off_closes_on_christmas_and_bastille_day(finder_at, closure_site, month, day):
    page = gems_at(finder_at, closure_site, cp="92260", clock=next_day(month, day))
    assert result_text(page, "GEM fermé les jours fériés") == "Fermé aujourd’hui (jour férié)"
    # Hours that say nothing of holidays are not taken as « ouvert » on one.
    assert result_text(page, "GEM muet sur les jours fériés").endswith("Jour férié : horaires non renseignés")
    # The day before is an ordinary day.
    page = gems_at(finder_at, closure_site, cp="92260", clock=next_day(month, day) - timedelta(days=1))
    assert result_text(page, "GEM fermé les jours fériés").endswith("Ouvert aujourd’hui : 9 h – 17 h")


def test_good_friday_is_a_holiday_in_metz_and_an_ordinary_day_in_fontenay(finder_at, closure_site):
    # A public holiday in Alsace and Moselle only: the national calendar alone said « ouvert » in Metz.
    friday = datetime.combine(next_good_friday(), time(10))
    page = finder_at("?cp=57000&type=gem", site=closure_site, clock=friday)
    wait_for_results(page, "trouvé")
    assert result_text(page, "GEM de Moselle fermé les jours fériés").endswith("Jour férié : horaires non renseignés")
    page = gems_at(finder_at, closure_site, cp="92260", clock=friday)
    assert result_text(page, "GEM fermé les jours fériés").endswith("Ouvert aujourd’hui : 9 h – 17 h")
    assert page.errors == []


def test_la_reunion_has_its_own_holiday_and_its_own_phone_numbers(finder_at, closure_site):
    page = finder_at("?cp=97400&type=gem", site=closure_site, clock=next_day(12, 20))
    wait_for_results(page, "trouvé")
    assert result_text(page, "GEM de La Réunion").endswith("Jour férié : horaires non renseignés")
    phone = page.locator(".pa-finder__result", has_text="GEM de La Réunion").locator("a.pa-finder__phone")
    # As the record page writes it, and the link dials La Réunion's code (+262), not France's (+33).
    assert (phone.inner_text(), phone.get_attribute("href")) == ("0262 12 34 56", "tel:+262262123456")
    assert page.errors == []


def test_a_place_closed_every_august_is_closed_then_and_open_after(finder_at, closure_site):
    # « Mo-Fr 09:00-17:00; Aug off »: the week of the build (open) stood for August too.
    august = next(day for day in coming_august() if day.day != 15)  # 15 August is a public holiday
    page = gems_at(finder_at, closure_site, clock=datetime.combine(august, time(10)))
    assert result_text(page, "GEM fermé en août").endswith("Fermé aujourd’hui")
    september = next(date(august.year, 9, day) for day in range(7, 14) if date(august.year, 9, day).weekday() < 5)
    page = gems_at(finder_at, closure_site, clock=datetime.combine(september, time(10)))
    assert result_text(page, "GEM fermé en août").endswith("Ouvert aujourd’hui : 9 h – 17 h")
    assert page.errors == []


def test_an_unknown_day_is_neither_open_nor_closed(finder_at, closure_site):
    # « Mo-Fr 09:00-17:00; We unknown »: on a Wednesday the finder said « Fermé aujourd'hui ».
    holidays = holidays_of_build(TODAY, ["92"])
    days = [TODAY + timedelta(days=offset) for offset in range(1, 60)]
    wednesday = next(day for day in days if day.weekday() == 2 and {day, day + timedelta(days=1)}.isdisjoint(holidays))
    page = gems_at(finder_at, closure_site, clock=datetime.combine(wednesday, time(10)))
    assert result_text(page, "GEM au mercredi inconnu") == "Horaires non renseignés"
    page = gems_at(finder_at, closure_site, clock=datetime.combine(wednesday + timedelta(days=1), time(10)))
    assert result_text(page, "GEM au mercredi inconnu").endswith("Ouvert aujourd’hui : 9 h – 17 h")
    # Friday: a known morning, an afternoon to confirm (the day was unknown as a whole).
    friday = next(day for day in days if day.weekday() == 4 and day not in holidays)
    page = gems_at(finder_at, closure_site, clock=datetime.combine(friday, time(10)))
    assert result_text(page, "GEM au mercredi inconnu").endswith("Ouvert aujourd’hui : 9 h – 12 h, 14 h – 17 h (à confirmer)")
    assert page.errors == []


def test_the_finder_says_the_note_of_the_hours(finder_at, closure_site):
    # `Mo-Fr 09:00-12:00 "sur rendez-vous, au 2e étage"`: the finder said « Ouvert aujourd'hui : 9 h – 12 h »;
    # `Sa unknown "un samedi par mois"`: « Horaires non renseignés », and nothing of the month.
    holidays = holidays_of_build(TODAY, ["92"])
    weekday = next_day_of(range(5), holidays)
    page = gems_at(finder_at, closure_site, clock=datetime.combine(weekday, time(10)))
    assert result_text(page, "GEM sur rendez-vous").endswith("Ouvert aujourd’hui : 9 h – 12 h (sur rendez-vous, au 2e étage)")
    saturday = next_day_of({5}, holidays)
    page = gems_at(finder_at, closure_site, clock=datetime.combine(saturday, time(10)))
    assert result_text(page, "GEM sur rendez-vous").endswith("Horaires non renseignés (un samedi par mois)")
    assert page.errors == []
    # `We off "réunion des membres"`: « Fermé aujourd'hui », and not why.
    wednesday = next_day_of({2}, holidays)
    page = gems_at(finder_at, closure_site, clock=datetime.combine(wednesday, time(10)))
    assert result_text(page, "GEM fermé le mercredi").endswith("Fermé aujourd’hui (réunion des membres)")
    assert result_text(page, "GEM sur rendez-vous").endswith("Ouvert aujourd’hui : 9 h – 12 h (sur rendez-vous, au 2e étage)")
    assert page.errors == []
    # `PH off "…"` on a public holiday, and `We off "…"` in exceptional hours: « Fermé aujourd'hui », and not why.
    # After the week of exceptional hours (days 1 to 7), which say nothing of holidays.
    holiday = next(day for day in holidays if day > TODAY + timedelta(days=7) and day.weekday() < 5)
    page = gems_at(finder_at, closure_site, clock=datetime.combine(holiday, time(10)))
    reason = "GEM aux fermetures expliquées"
    assert result_text(page, reason).endswith("Fermé aujourd’hui (jour férié) (la permanence reprend le lendemain)")
    exceptional_wednesday = next(
        TODAY + timedelta(days=offset) for offset in range(1, 8) if (TODAY + timedelta(days=offset)).weekday() == 2
    )
    page = gems_at(finder_at, closure_site, clock=datetime.combine(exceptional_wednesday, time(10)))
    assert result_text(page, reason).endswith("Fermé aujourd’hui (horaires exceptionnels) (sortie au musée)")
    assert page.errors == []


def test_past_the_site_s_horizon_the_finder_does_not_tell_the_day_s_hours(finder_at, closure_site):
    # A site not built again for more than a year knows no holiday of that year: « ouvert » could be false.
    last = horizon(TODAY)
    page = gems_at(finder_at, closure_site, cp="92260", clock=datetime.combine(last, time(10)))
    assert result_text(page, "GEM fermé les jours fériés").endswith("Ouvert aujourd’hui : 9 h – 17 h")
    after = next(last + timedelta(days=offset) for offset in range(7, 14) if (last + timedelta(days=offset)).weekday() < 5)
    page = gems_at(finder_at, closure_site, cp="92260", clock=datetime.combine(after, time(10)))
    assert result_text(page, "GEM fermé les jours fériés").endswith(
        "Horaires à vérifier : cet annuaire n’a pas été mis à jour depuis plus d’un an"
    )
    # A record without hours still says so.
    assert result_text(page, "GEM sans horaires") == "Horaires non renseignés"
    assert page.errors == []


def test_today_is_the_place_s_day_not_the_visitor_s(finder_at, closure_site):
    # 22 h 30 in Paris on 19 December is 1 h 30 on the 20th in La Réunion: a public holiday there.
    evening_in_paris = datetime.combine(next_day(12, 19).date(), time(21, 30), tzinfo=UTC)
    page = finder_at("?cp=97400&type=gem", site=closure_site, clock=evening_in_paris, time_zone="Europe/Paris")
    wait_for_results(page, "trouvé")
    assert result_text(page, "GEM de La Réunion").endswith("Jour férié : horaires non renseignés")
    # And the other way round: 1 h 30 on Christmas Day in La Réunion is still Christmas Eve in Châtillon.
    night_in_reunion = datetime.combine(next_day(12, 24).date(), time(21, 30), tzinfo=UTC)
    page = gems_at(finder_at, closure_site, cp="92260", clock=night_in_reunion, time_zone="Indian/Reunion")
    assert result_text(page, "GEM fermé les jours fériés").endswith("Ouvert aujourd’hui : 9 h – 17 h")
    assert page.errors == []
    # A zone the browser did not know would fall back to the visitor's day: each is known.
    unknown = "zones => zones.filter(zone => { try { new Intl.DateTimeFormat('en', {timeZone: zone}); } catch (e) { return true; } })"
    assert page.evaluate(unknown, [MAINLAND_TIME_ZONE, *TIME_ZONES.values()]) == []


def open_popup(chromium, serve_site, site, record_id: str, clock: datetime, time_zone: str | None = None) -> str:
    options = {"timezone_id": time_zone} if time_zone else {}
    context = chromium.new_context(viewport=DESKTOP, locale="fr-FR", service_workers="block", **options)
    try:
        context.route("**/*", lambda route: route.continue_() if "127.0.0.1" in route.request.url else route.abort())
        page = context.new_page()
        page.clock.set_fixed_time(clock)
        page.goto(f"{serve_site(site)}carte/")
        container = page.locator("[data-pa-map][data-ready=true]")
        container.wait_for()
        container.evaluate(
            """(el, id) => {
                const marker = Object.values(el.paMap.byKind).flat().find(m => m.paRow[4] === id);
                el.paMap.map.setView(marker.getLatLng(), 18, {animate: false});
                marker.openPopup();
            }""",
            record_id,
        )
        return container.locator(".leaflet-popup").inner_text()
    finally:
        context.close()


def test_the_map_popup_says_closed_today_inside_a_closure(chromium, serve_site, closure_site):
    assert "Fermé aujourd’hui (fermeture exceptionnelle)" in open_popup(
        chromium, serve_site, closure_site, "synthetique-gem-en-conges", INSIDE
    )
    before = open_popup(chromium, serve_site, closure_site, "synthetique-gem-en-conges", datetime.combine(TODAY, time(10)))
    assert "Fermé aujourd’hui" not in before
    assert re.search(r"Fermeture exceptionnelle du \d+", before)
    after = open_popup(chromium, serve_site, closure_site, "synthetique-gem-en-conges", OUTSIDE)
    assert "Fermé" not in after and "Fermeture" not in after


def test_the_map_popup_decides_on_the_place_s_day(chromium, serve_site, closure_site):
    # 22 h 30 in Paris the day before the closure starts is 1 h 30 on its first day in La Réunion.
    evening = datetime.combine(TODAY + timedelta(days=4), time(21, 30), tzinfo=UTC)
    popup = open_popup(chromium, serve_site, closure_site, "synthetique-gem-de-saint-pierre-en-conges", evening, "Europe/Paris")
    assert "Fermé aujourd’hui (fermeture exceptionnelle)" in popup
    # The same moment is still the day before in Fontenay-aux-Roses: its closure starts tomorrow.
    popup = open_popup(chromium, serve_site, closure_site, "synthetique-gem-en-conges", evening, "Indian/Reunion")
    assert "Fermé aujourd’hui" not in popup and "Fermeture exceptionnelle" in popup


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_record_with_a_closure_is_axe_clean(page_at, serve_site, closure_site, viewport):
    for path in (
        "structures/synthetique-gem-en-conges/",
        "facile/structures/synthetique-gem-en-conges/",
        # Moselle's own holidays listed before « Autres jours fériés »; an overseas phone number.
        "structures/synthetique-gem-de-moselle-ferme-les-jours-feries/",
        "structures/synthetique-gem-de-la-reunion/",
        # Hours that change with the date: the coming change under the usual week.
        "structures/synthetique-gem-ferme-en-aout/",
        "facile/structures/synthetique-gem-ferme-en-aout/",
    ):
        page = page_at(serve_site(closure_site) + path, viewport=viewport)
        assert page.get_by_text(re.compile("fermé", re.IGNORECASE)).count()
        violations = axe_violations(page)
        assert violations == [], format_violations(violations)


def test_the_printed_sheet_says_the_closure_and_the_date_of_the_facts(page_at, serve_site, closure_site):
    page = page_at(serve_site(closure_site) + "structures/synthetique-gem-en-conges/")
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    assert len(pdf.pages) == 1
    text = " ".join(pdf.pages[0].extract_text().split())
    assert f"Fermé {period_fr(TODAY + timedelta(days=5), TODAY + timedelta(days=12))} (congés)" in text
    assert f"Informations au {date_fr(TODAY)} (date de publication)." in text
    assert "Jours fériés : fermé." in text
    # Moselle's own holidays (unknown) take a line each, the country's one: still one sheet.
    page = page_at(serve_site(closure_site) + "structures/synthetique-gem-de-moselle-ferme-les-jours-feries/")
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    assert len(pdf.pages) == 1
    assert "Autres jours fériés fermé" in " ".join(pdf.pages[0].extract_text().split())

"""Temporary closures, exceptional hours and public holidays (issue 18, section 2), without a browser.

The records are SYNTHÉTIQUE fixtures with dated sources, written in temporary
folders; the closures are dated from the day the tests run, as the site is built
on that day.
"""

from __future__ import annotations

import json
import re
import textwrap
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from generator import clock
from generator.catalogue import check_record_file
from generator.geo.gazetteer import Gazetteer
from generator.geo.places import Place
from generator.records.models import Gem
from generator.records.vocabulary import Kind
from generator.site.closures import SEASON_LIMIT, browser_fields, coming_changes, dated_hours, day_name, days_between
from generator.site.easy_read import dated_lines, opening_lines
from generator.site.hours import (
    MAINLAND_TIME_ZONE,
    TIME_ZONES,
    DayHours,
    Why,
    changes_with_date,
    code_on,
    day_hours,
    day_spans,
    holidays_of_build,
    horizon,
    seasons,
    time_zone,
    weekly_schedule,
)
from generator.site.model import Entry
from generator.site.text import date_fr, period_fr
from tests import easy_read_rules as rules
from tests.records import VERIFIED
from tests.sitebuild import build_site
from tests.test_maps import national_rows

TODAY = clock.today()
# A Friday in a year without closures or holidays around it.
FRIDAY = date(2026, 10, 16)
CHRISTMAS, BASTILLE_DAY = date(2026, 12, 25), date(2027, 7, 14)
SOURCE = {"titre": "Donnée synthétique des tests", "document": "Fiche d'essai", "date": VERIFIED}


def gem(**fields) -> Gem:
    return Gem.model_validate(
        {
            "id": "synthetique-gem",
            "type": "gem",
            "nom": "SYNTHÉTIQUE GEM",
            "adresse": {"code_postal": "92260", "commune": "Fontenay-aux-Roses"},
            "sources": [SOURCE],
            "verifie_le": VERIFIED,
            **fields,
        }
    )


def days(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


# --- The model ------------------------------------------------------------------------------


def test_closures_and_exceptional_hours_are_read_with_their_dates():
    record = gem(
        horaires="Mo-Fr 09:00-17:00",
        fermetures=[{"du": "2026-12-20", "au": "2027-01-05", "motif": "congés d'hiver"}, {"du": "2027-02-01", "au": "2027-02-01"}],
        horaires_exceptionnels=[{"du": "2027-07-01", "au": "2027-08-31", "horaires": "Tu-Th 14:00-18:00"}],
    )
    assert record.fermetures[0].du == date(2026, 12, 20) and record.fermetures[0].motif == "congés d'hiver"
    assert record.fermetures[1].motif is None
    assert record.horaires_exceptionnels[0].horaires == "Tu-Th 14:00-18:00"
    assert record.model_dump(mode="json")["fermetures"][0] == {"du": "2026-12-20", "au": "2027-01-05", "motif": "congés d'hiver"}


BAD_RECORD = """\
type: gem
nom: SYNTHÉTIQUE GEM aux dates fausses
adresse: {code_postal: "92260", commune: Fontenay-aux-Roses}
fermetures:
  - du: 2026-12-20
    au: 2026-12-10
  - du: 2026-02-30
    au: 2026-03-02
  - du: "20 décembre"
    au: 2026-12-24
horaires_exceptionnels:
  - du: 2027-07-01
    au: 2027-08-31
    horaires: "Tu 14:00-18:00"
  - du: 2027-08-15
    au: 2027-09-05
    horaires: "We 14:00-18:00"
sources:
  - {titre: Donnée synthétique, document: Fiche d'essai, date: "2026-01-15"}
verifie_le: 2026-01-15
"""


def test_bad_periods_are_all_reported_in_french_with_file_line_and_field(tmp_path):
    path = tmp_path / "gem" / "synthetique-gem-dates.yaml"
    path.parent.mkdir()
    path.write_text(BAD_RECORD, encoding="utf-8")
    problems = [str(problem) for problem in check_record_file(path, Kind.GEM, tmp_path, Gazetteer.load())]
    assert len(problems) == 4, problems
    inverted, impossible, unreadable, overlap = problems
    assert inverted.startswith(f"{path}:6:5: fermetures[0].au: la période se termine le 2026-12-10, avant de commencer (le 2026-12-20) — ")
    assert impossible.startswith(f"{path}:7:5: fermetures[1].du: date inexistante « 2026-02-30 »")
    assert unreadable.startswith(f"{path}:9:5: fermetures[2].du: doit être une date AAAA-MM-JJ")
    assert overlap.startswith(f"{path}:11:1: horaires_exceptionnels: les périodes n° 1 (du 2027-07-01 au 2027-08-31) et n° 2")
    assert "se chevauchent — réunissez-les en une seule période, ou corrigez leurs dates" in overlap


def test_overlapping_closures_are_refused_even_when_one_period_covers_several():
    with pytest.raises(ValueError, match=r"n° 1 \(du 2027-01-01 au 2027-03-31\) et n° 3 .* se chevauchent"):
        gem(
            fermetures=[
                {"du": "2027-01-01", "au": "2027-03-31"},
                {"du": "2027-01-05", "au": "2027-01-06"},
                {"du": "2027-03-01", "au": "2027-03-02"},
            ]
        )
    # Back to back is not an overlap.
    gem(fermetures=[{"du": "2027-01-01", "au": "2027-01-05"}, {"du": "2027-01-06", "au": "2027-01-10"}])


# --- One day, in Python ---------------------------------------------------------------------


def test_public_holidays_are_french_and_named():
    calendar = holidays_of_build(date(2026, 11, 28))
    assert calendar[CHRISTMAS] == "Noël" and calendar[BASTILLE_DAY] == "Fête nationale"
    assert min(calendar) == date(2026, 1, 1) and max(calendar) == date(2027, 12, 25)
    assert date(2026, 12, 24) not in calendar


@pytest.mark.parametrize("holiday", [CHRISTMAS, BASTILLE_DAY])
def test_ph_off_closes_the_place_on_christmas_and_bastille_day(holiday):
    record = gem(horaires="Mo-Su 09:00-17:00; PH off")
    calendar = holidays_of_build(date(2026, 11, 28))
    assert day_hours(record, holiday, calendar).spans == ()
    assert day_hours(record, holiday, calendar).why == Why.HOLIDAY
    assert day_hours(record, holiday - timedelta(days=1), calendar).spans == (("0900", "1700", ""),)
    # Hours with their own holiday rule.
    assert code_on("Mo-Su 09:00-17:00; PH 10:00-12:00", holiday, True) == "1000-1200"


def test_hours_silent_on_holidays_are_unknown_on_a_holiday_they_would_be_open():
    calendar = holidays_of_build(date(2026, 11, 28))
    weekdays = gem(horaires="Mo-Fr 09:00-17:00")
    assert day_hours(weekdays, CHRISTMAS, calendar).spans is None  # a Friday: open, says the week
    assert day_hours(weekdays, date(2027, 8, 15), calendar).spans == ()  # a Sunday: closed anyway
    assert day_hours(gem(), CHRISTMAS, calendar) is None  # no hours: nothing known, never « fermé »


# Holidays of Alsace-Moselle (Good Friday, St Stephen's Day) and of La Réunion, not of the rest of France.
GOOD_FRIDAY = date(2027, 3, 26)
ALSACE_MOSELLE = {
    date(2026, 4, 3): "Vendredi saint",
    date(2026, 12, 26): "Saint-Étienne",
    GOOD_FRIDAY: "Vendredi saint",
    date(2027, 12, 26): "Saint-Étienne",
}
REUNION = {date(2026, 12, 20): "Abolition de l'esclavage", date(2027, 12, 20): "Abolition de l'esclavage"}


@pytest.mark.parametrize(
    ("departements", "holidays"),
    [
        (["57"], ALSACE_MOSELLE),
        (["67"], ALSACE_MOSELLE),
        (["68"], ALSACE_MOSELLE),
        (["974"], REUNION),
        # A record serving several départements: a holiday in one of them counts.
        (["54", "57"], ALSACE_MOSELLE),
        (["57", "974"], ALSACE_MOSELLE | REUNION),
        (["92"], {}),
        ([], {}),
    ],
)
def test_alsace_moselle_and_overseas_departements_have_their_own_holidays(departements, holidays):
    calendar = holidays_of_build(date(2026, 11, 28), departements)
    country = holidays_of_build(date(2026, 11, 28))
    assert {day: name for day, name in calendar.items() if day not in country} == holidays
    assert country.items() <= calendar.items()  # the country's holidays everywhere, with their names


def test_a_local_holiday_makes_the_hours_unknown_where_it_is_and_only_there():
    weekdays = gem(horaires="Mo-Fr 09:00-17:00")
    in_moselle = holidays_of_build(date(2026, 11, 28), ["57"])
    elsewhere = holidays_of_build(date(2026, 11, 28), ["92"])
    # Good Friday: Metz may be closed (the record does not say), Fontenay-aux-Roses works.
    assert day_hours(weekdays, GOOD_FRIDAY, in_moselle) == DayHours("?", Why.HOLIDAY, holiday="Vendredi saint")
    assert day_hours(weekdays, GOOD_FRIDAY, elsewhere) == DayHours("0900-1700", Why.REGULAR)
    # « PH off » on a holiday the hours' own calendar (opening_hours) does not know: unknown, never guessed.
    ph_off = gem(horaires="Mo-Fr 09:00-17:00; PH off")
    assert day_hours(ph_off, GOOD_FRIDAY, in_moselle).spans is None
    assert day_hours(ph_off, CHRISTMAS, in_moselle).spans == ()
    assert browser_fields(ph_off, date(2026, 11, 28), in_moselle)["j"][GOOD_FRIDAY.isoformat()] == "?"
    assert browser_fields(ph_off, date(2026, 11, 28), elsewhere)["j"] == ""


def test_a_closure_wins_then_exceptional_hours_replace_the_regular_ones():
    record = gem(
        horaires="Mo-Fr 09:00-17:00",
        fermetures=[{"du": "2026-10-16", "au": "2026-10-16", "motif": "inventaire"}],
        horaires_exceptionnels=[{"du": "2026-10-12", "au": "2026-10-23", "horaires": "Mo-Fr 14:00-16:00", "motif": "travaux"}],
    )
    calendar = holidays_of_build(FRIDAY)
    assert day_hours(record, FRIDAY, calendar) == DayHours("", Why.CLOSURE, "inventaire")
    assert day_hours(record, FRIDAY - timedelta(days=1), calendar).spans == (("1400", "1600", ""),)
    assert day_hours(record, FRIDAY - timedelta(days=1), calendar).why == Why.EXCEPTIONAL
    assert day_hours(record, date(2026, 10, 26), calendar).spans == (("0900", "1700", ""),)
    # A closure is a fact even without regular hours; the other days stay unknown.
    closed_only = gem(fermetures=[{"du": "2026-10-16", "au": "2026-10-16"}])
    assert day_hours(closed_only, FRIDAY, calendar).why == Why.CLOSURE
    assert day_hours(closed_only, FRIDAY + timedelta(days=1), calendar) is None


def test_pages_show_only_what_is_not_over_at_the_build_date():
    record = gem(
        horaires="Mo-Fr 09:00-17:00",
        fermetures=[
            {"du": "2026-09-01", "au": "2026-09-30", "motif": "passée"},
            {"du": "2026-11-20", "au": "2026-12-02"},
            {"du": "2026-12-20", "au": "2027-01-05", "motif": "congés d'hiver"},
        ],
        horaires_exceptionnels=[
            {"du": "2026-11-01", "au": "2026-11-27", "horaires": "Mo 10:00-11:00"},
            {"du": "2026-12-07", "au": "2026-12-08", "horaires": "Mo 10:00-11:00"},
        ],
    )
    shown = dated_hours(record, date(2026, 11, 28), holidays_of_build(date(2026, 11, 28)))
    assert shown.closures == ["Fermé du 20 novembre au 2 décembre 2026", "Fermé du 20 décembre 2026 au 5 janvier 2027 (congés d'hiver)"]
    assert [week.heading for week in shown.exceptional] == ["Horaires exceptionnels du 7 au 8 décembre 2026"]
    assert shown.exceptional[0].days == [("Lundi 7 décembre", "10 h – 11 h"), ("Mardi 8 décembre", "fermé")]
    assert dated_hours(record, date(2027, 1, 6), holidays_of_build(date(2027, 1, 6))).closures == []


def test_period_words():
    assert period_fr(date(2026, 12, 24), date(2026, 12, 24)) == "le 24 décembre 2026"
    assert period_fr(date(2026, 12, 1), date(2026, 12, 24)) == "du 1er au 24 décembre 2026"
    assert period_fr(date(2026, 11, 20), date(2026, 12, 1)) == "du 20 novembre au 1er décembre 2026"
    assert period_fr(date(2026, 12, 20), date(2027, 1, 5)) == "du 20 décembre 2026 au 5 janvier 2027"


def test_the_finder_rows_carry_the_dated_facts_from_the_build_date():
    record = gem(
        horaires="Mo-Fr 09:00-17:00; PH off",
        fermetures=[{"du": "2026-09-01", "au": "2026-09-30"}, {"du": "2026-12-20", "au": "2027-01-05"}],
        horaires_exceptionnels=[{"du": "2026-12-10", "au": "2026-12-12", "horaires": "Th 10:00-12:00; We unknown"}],
    )
    calendar = holidays_of_build(date(2026, 11, 28))
    fields = browser_fields(record, date(2026, 11, 28), calendar)
    assert fields["f"] == [["2026-12-20", "2027-01-05"]]
    assert fields["e"] == {"2026-12-10": "1000-1200", "2026-12-11": "", "2026-12-12": ""}
    assert fields["j"] == ""  # closed on every coming holiday
    assert browser_fields(gem(horaires="Mo-Fr 09:00-17:00"), date(2026, 11, 28), calendar) == {}


# --- Easy-read ------------------------------------------------------------------------------


def test_easy_read_says_closures_in_plain_words_and_the_date_of_the_facts():
    record = gem(
        horaires="Mo-Fr 09:00-17:00; PH off",
        fermetures=[{"du": "2026-12-20", "au": "2027-01-05", "motif": "congés d'hiver annuels du conseil d'administration"}],
        horaires_exceptionnels=[{"du": "2027-07-01", "au": "2027-08-31", "horaires": "Tu-Th 14:00-18:00"}],
    )
    today = date(2026, 11, 28)
    calendar = holidays_of_build(today)
    texts = [line.text for line in opening_lines(Entry(record, Place()), today, calendar) + dated_lines(record, today, calendar)]
    assert "Les jours fériés, ce lieu est fermé." in texts
    assert "Ce lieu est fermé du 20 décembre 2026 au 5 janvier 2027." in texts
    assert "Du 1er juillet au 31 août 2027, les horaires changent :" in texts
    assert texts[-1] == "Ces informations datent du 28 novembre 2026."
    assert not any("conseil" in text for text in texts)  # the motif is free text, never easy-read


# --- The built site -------------------------------------------------------------------------


def synthetic(name: str, lines: str) -> str:
    return (
        f'type: gem\nnom: "SYNTHÉTIQUE {name}"\nstatut: actif\n'
        + textwrap.dedent(lines)
        + f'sources:\n  - {{titre: "Donnée synthétique des tests", document: "Fiche d\'essai", date: "{VERIFIED}"}}\nverifie_le: {VERIFIED}\n'
    )


def closure_records() -> dict[str, str]:
    """A few SYNTHÉTIQUE GEM, their closures dated from today (the build's date)."""
    return {
        "synthetique-gem-en-conges": synthetic(
            "GEM en congés",
            f"""\
            adresse: {{voie: "1 rue de l'Essai", code_postal: "92260", commune: Fontenay-aux-Roses}}
            coordonnees: {{lat: 48.7893, lon: 2.2875}}
            telephone: "01 23 45 67 89"
            horaires: "Mo-Su 09:00-17:00; PH off"
            fermetures:
              - {{du: {days(-20)}, au: {days(-10)}, motif: "fermeture passée"}}
              - {{du: {days(5)}, au: {days(12)}, motif: "congés"}}
            horaires_exceptionnels:
              - {{du: {days(20)}, au: {days(22)}, horaires: "Mo-Su 10:00-12:00", motif: "travaux"}}
            """,
        ),
        "synthetique-gem-sans-horaires": synthetic(
            "GEM sans horaires",
            f"""\
            adresse: {{voie: "2 rue de l'Essai", code_postal: "92220", commune: Bagneux}}
            coordonnees: {{lat: 48.7960, lon: 2.3090}}
            fermetures:
              - {{du: {days(5)}, au: {days(12)}}}
            """,
        ),
        "synthetique-gem-ferme-les-jours-feries": synthetic(
            "GEM fermé les jours fériés",
            """\
            adresse: {voie: "3 rue de l'Essai", code_postal: "92320", commune: Châtillon}
            coordonnees: {lat: 48.8030, lon: 2.2930}
            horaires: "Mo-Su 09:00-17:00; PH off"
            """,
        ),
        "synthetique-gem-muet-sur-les-jours-feries": synthetic(
            "GEM muet sur les jours fériés",
            """\
            adresse: {voie: "4 rue de l'Essai", code_postal: "92330", commune: Sceaux}
            coordonnees: {lat: 48.7770, lon: 2.2900}
            horaires: "Mo-Su 09:00-17:00"
            """,
        ),
        # In Moselle, Good Friday and St Stephen's Day are public holidays too.
        "synthetique-gem-de-moselle-ferme-les-jours-feries": synthetic(
            "GEM de Moselle fermé les jours fériés",
            """\
            adresse: {voie: "5 rue de l'Essai", code_postal: "57000", commune: Metz}
            coordonnees: {lat: 49.1081, lon: 6.1960}
            horaires: "Mo-Su 09:00-17:00; PH off"
            """,
        ),
        # A closure in La Réunion: it starts there while it is still the day before in Paris.
        "synthetique-gem-de-saint-pierre-en-conges": synthetic(
            "GEM de Saint-Pierre en congés",
            f"""\
            adresse: {{voie: "8 rue de l'Essai", code_postal: "97410", commune: Saint-Pierre, code_insee: "97416"}}
            coordonnees: {{lat: -21.3393, lon: 55.4781}}
            horaires: "Mo-Fr 09:00-17:00"
            fermetures:
              - {{du: {days(5)}, au: {days(12)}, motif: "congés"}}
            """,
        ),
        # Hours that say they are not known on Wednesdays: neither open nor closed then;
        # on Fridays, the morning is known and the afternoon to confirm.
        "synthetique-gem-au-mercredi-inconnu": synthetic(
            "GEM au mercredi inconnu",
            """\
            adresse: {voie: "9 rue de l'Essai", code_postal: "92330", commune: Sceaux}
            coordonnees: {lat: 48.7780, lon: 2.2950}
            horaires: "Mo-Fr 09:00-17:00; We unknown; Fr 09:00-12:00, Fr 14:00-17:00 unknown"
            """,
        ),
        # Hours with notes (OpenStreetMap comments): a person must not come without an appointment,
        # nor on just any Saturday.
        "synthetique-gem-sur-rendez-vous": synthetic(
            "GEM sur rendez-vous",
            """\
            adresse: {voie: "10 rue de l'Essai", code_postal: "92330", commune: Sceaux}
            coordonnees: {lat: 48.7790, lon: 2.2960}
            horaires: 'Mo-Fr 09:00-12:00 "sur rendez-vous, au 2e étage"; Sa unknown "un samedi par mois"'
            """,
        ),
        # What the hours say of a closed day, and of a closed month: the pages said « fermé » and nothing more.
        "synthetique-gem-ferme-le-mercredi": synthetic(
            "GEM fermé le mercredi",
            """\
            adresse: {voie: "12 rue de l'Essai", code_postal: "92330", commune: Sceaux}
            coordonnees: {lat: 48.7791, lon: 2.2961}
            horaires: 'Mo-Fr 09:00-12:00; We off "réunion des membres"; Aug off "congés d''été"'
            """,
        ),
        # What the hours say of public holidays, and of a closed day in exceptional hours: said on the pages
        # and in the finder as for a regular week's closed day.
        "synthetique-gem-aux-fermetures-expliquees": synthetic(
            "GEM aux fermetures expliquées",
            f"""\
            adresse: {{voie: "13 rue de l'Essai", code_postal: "92330", commune: Sceaux}}
            coordonnees: {{lat: 48.7795, lon: 2.2965}}
            horaires: 'Mo-Fr 09:00-12:00; PH off "la permanence reprend le lendemain"'
            horaires_exceptionnels:
              - {{du: {days(1)}, au: {days(7)}, horaires: 'Mo-Fr 14:00-16:00; We off "sortie au musée"', motif: travaux}}
            """,
        ),
        # Hours that change with the date: closed every August (OpenStreetMap's month selector).
        "synthetique-gem-ferme-en-aout": synthetic(
            "GEM fermé en août",
            """\
            adresse: {voie: "7 rue de l'Essai", code_postal: "92330", commune: Sceaux}
            coordonnees: {lat: 48.7766, lon: 2.2900}
            horaires: "Mo-Fr 09:00-17:00; Aug off"
            """,
        ),
        # Exceptional hours that themselves change with the date: a year of them, closed in August.
        "synthetique-gem-annee-de-travaux": synthetic(
            "GEM en année de travaux",
            f"""\
            adresse: {{voie: "14 rue de l'Essai", code_postal: "92330", commune: Sceaux}}
            coordonnees: {{lat: 48.7810, lon: 2.2880}}
            horaires: "Mo-Fr 09:00-17:00"
            horaires_exceptionnels:
              - {{du: {days(10)}, au: {days(375)}, horaires: "Mo-Fr 10:00-16:00; Aug off", motif: travaux}}
            """,
        ),
        # In La Réunion, 20 December (abolition of slavery) is a public holiday; its phones have their own country code.
        "synthetique-gem-de-la-reunion": synthetic(
            "GEM de La Réunion",
            """\
            adresse: {voie: "6 rue de l'Essai", code_postal: "97400", commune: Saint-Denis, code_insee: "97411"}
            coordonnees: {lat: -20.9330, lon: 55.4469}
            telephone: "0262 12 34 56"
            horaires: "Mo-Su 09:00-17:00; PH off"
            """,
        ),
    }


def write_closure_data(root: Path) -> Path:
    data = root / "data"
    (data / "gem").mkdir(parents=True)
    for record_id, text in closure_records().items():
        (data / "gem" / f"{record_id}.yaml").write_text(text, encoding="utf-8")
    return data


@pytest.fixture(scope="module")
def closure_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("closures")
    return build_site(root / "site", data_dir=write_closure_data(root))


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_record_page_lists_coming_closures_and_says_the_publication_date(closure_site):
    page = text_of((closure_site / "structures" / "synthetique-gem-en-conges" / "index.html").read_text(encoding="utf-8"))
    closure = f"Fermé {period_fr(TODAY + timedelta(days=5), TODAY + timedelta(days=12))} (congés)"
    assert closure in page
    assert "fermeture passée" not in page
    assert f"Horaires exceptionnels {period_fr(TODAY + timedelta(days=20), TODAY + timedelta(days=22))} (travaux)" in page
    assert "Jours fériés : fermé." in page
    assert f"Informations au {date_fr(TODAY)} (date de publication)." in page


def next_good_friday() -> date:
    """Good Friday, a public holiday in Alsace and Moselle only, from today on (within this year and the next)."""
    days = holidays_of_build(TODAY, ["57"])
    return min(day for day, name in days.items() if name == "Vendredi saint" and day >= TODAY)


def test_a_record_page_in_moselle_lists_its_own_holidays_as_unknown(closure_site):
    folder = closure_site / "structures" / "synthetique-gem-de-moselle-ferme-les-jours-feries"
    page = text_of((folder / "index.html").read_text(encoding="utf-8"))
    assert f"Vendredi saint, {day_name(next_good_friday()).lower()} horaires non renseignés" in page
    # The country's holidays, all alike, in one line after Moselle's own.
    assert page.index("Vendredi saint") < page.index("Autres jours fériés fermé")
    assert "Jours fériés : fermé." not in page and "Noël" not in page
    easy_read = text_of((closure_site / "facile" / folder.relative_to(closure_site) / "index.html").read_text(encoding="utf-8"))
    assert "Les jours fériés, ce lieu est fermé." not in easy_read


def test_a_record_page_in_la_reunion_shows_its_phone_as_dialled_there(closure_site):
    html = (closure_site / "structures" / "synthetique-gem-de-la-reunion" / "index.html").read_text(encoding="utf-8")
    assert '<a href="tel:+262262123456">0262 12 34 56</a>' in html


def test_the_easy_read_page_says_the_closure_and_follows_the_rules(closure_site):
    html = (closure_site / "facile" / "structures" / "synthetique-gem-en-conges" / "index.html").read_text(encoding="utf-8")
    assert f"Ce lieu est fermé {period_fr(TODAY + timedelta(days=5), TODAY + timedelta(days=12))}." in text_of(html)
    assert rules.check(html) == []


def test_a_note_of_the_hours_is_said_beside_them(closure_site):
    """`Mo-Fr 09:00-12:00 "sur rendez-vous, au 2e étage"`: the pages said « 9 h – 12 h » and nothing of the appointment;
    `Sa unknown "un samedi par mois"`: « horaires non renseignés » and nothing of the month."""
    folder = Path("structures") / "synthetique-gem-sur-rendez-vous"
    page = text_of((closure_site / folder / "index.html").read_text(encoding="utf-8"))
    assert "Lundi 9 h – 12 h (sur rendez-vous, au 2e étage)" in page
    assert "Samedi horaires non renseignés (un samedi par mois) Dimanche fermé" in page
    easy_read = (closure_site / "facile" / folder / "index.html").read_text(encoding="utf-8")
    assert (
        "Du lundi au vendredi, de 9 h à 12 h, sur rendez-vous, au 2e étage. Le samedi, nous ne connaissons pas les horaires. "
        "À savoir : un samedi par mois Les autres jours, ce lieu est fermé."
    ) in text_of(easy_read)
    assert rules.check(easy_read) == []
    # The finder's row: the note percent-encoded after its interval, no separator of the code in it.
    rows = json.loads((closure_site / "trouver" / "donnees" / "structures" / "gem-92.json").read_text(encoding="utf-8"))
    (row,) = [row for row in rows if row["i"] == "synthetique-gem-sur-rendez-vous"]
    assert row["h"] == "|".join(["0900-1200~sur%20rendez-vous%2C%20au%202e%20%C3%A9tage"] * 5 + ["?~un%20samedi%20par%20mois", ""])
    assert day_spans(row["h"].split("|")[0]) == (("0900", "1200", "sur rendez-vous, au 2e étage"),)


def test_what_the_hours_say_of_a_closed_day_is_said_beside_it(closure_site):
    """`We off "réunion des membres"`, `Aug off "congés d'été"`: the pages said « fermé », and not why."""
    folder = Path("structures") / "synthetique-gem-ferme-le-mercredi"
    page = text_of((closure_site / folder / "index.html").read_text(encoding="utf-8"))
    assert "Mardi 9 h – 12 h Mercredi fermé (réunion des membres) Jeudi 9 h – 12 h" in page
    assert "fermé (congés d'été)" in page.replace("&#39;", "'")
    easy_read = (closure_site / "facile" / folder / "index.html").read_text(encoding="utf-8")
    said = text_of(easy_read).replace("&#39;", "'")
    assert "Le mercredi, ce lieu est fermé. À savoir : réunion des membres" in said
    assert "Les autres jours, ce lieu est fermé." in said  # the weekend, of which the hours say nothing
    assert re.search(r"Ce lieu est fermé du 1er au 31 août \d{4}\. À savoir : congés d'été", said)
    assert rules.check(easy_read) == []
    rows = json.loads((closure_site / "trouver" / "donnees" / "structures" / "gem-92.json").read_text(encoding="utf-8"))
    (row,) = [row for row in rows if row["i"] == "synthetique-gem-ferme-le-mercredi"]
    assert row["h"].split("|")[2] == "~r%C3%A9union%20des%20membres" and day_spans("~r%C3%A9union%20des%20membres") == ()


def test_what_the_hours_say_of_holidays_and_of_an_exceptional_closed_day_is_said_beside_them(closure_site):
    """`PH off "…"`, and `We off "…"` in exceptional hours: the pages and the finder said « fermé », and not why."""
    folder = Path("structures") / "synthetique-gem-aux-fermetures-expliquees"
    page = text_of((closure_site / folder / "index.html").read_text(encoding="utf-8"))
    assert "Jours fériés : fermé (la permanence reprend le lendemain)." in page
    wednesday = next(TODAY + timedelta(days=offset) for offset in range(1, 8) if (TODAY + timedelta(days=offset)).weekday() == 2)
    assert f"{day_name(wednesday)} fermé (sortie au musée)" in page
    easy_read = (closure_site / "facile" / folder / "index.html").read_text(encoding="utf-8")
    said = text_of(easy_read)
    assert "Les jours fériés, ce lieu est fermé. À savoir : la permanence reprend le lendemain" in said
    assert f"le {day_name(wednesday).lower()}, ce lieu est fermé, sortie au musée" in said
    assert rules.check(easy_read) == []
    rows = json.loads((closure_site / "trouver" / "donnees" / "structures" / "gem-92.json").read_text(encoding="utf-8"))
    (row,) = [row for row in rows if row["i"] == folder.name]
    assert row["j"] == "~la%20permanence%20reprend%20le%20lendemain"
    assert row["e"][wednesday.isoformat()] == "~sortie%20au%20mus%C3%A9e"


def test_the_finder_and_map_data_carry_the_closures_and_the_holidays(closure_site):
    folder = closure_site / "trouver" / "donnees"
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    assert index["holidays"][f"{TODAY.year}-12-25"] == "Noël" and index["built"] == TODAY.isoformat()
    # The last day the holidays (and hours that change with the date) go to: the finder tells no day's hours past it.
    assert index["until"] == f"{TODAY.year + 1}-12-31" == max(index["holidays"])[:4] + "-12-31"
    rows = {row["i"]: row for path in folder.glob("structures/gem-*.json") for row in json.loads(path.read_text(encoding="utf-8"))}
    assert rows["synthetique-gem-en-conges"]["f"] == [[days(5), days(12)]]
    assert rows["synthetique-gem-ferme-les-jours-feries"]["j"] == ""
    assert "j" not in rows["synthetique-gem-muet-sur-les-jours-feries"]
    # Alsace, Moselle and the overseas départements have holidays of their own, beside the country's.
    assert index["local_holidays"]["57"][next_good_friday().isoformat()] == "Vendredi saint"
    assert "92" not in index["local_holidays"] and next_good_friday().isoformat() not in index["holidays"]
    # « Aujourd'hui » is the place's day: mainland France's time, or its département's own.
    assert index["time_zone"] == "Europe/Paris" and index["local_time_zones"]["974"] == "Indian/Reunion"
    assert "57" not in index["local_time_zones"]
    # « PH off » in Metz: closed on the country's holidays, unknown on Moselle's own (opening_hours does not know them).
    moselle = rows["synthetique-gem-de-moselle-ferme-les-jours-feries"]["j"]
    assert moselle[next_good_friday().isoformat()] == "?" and moselle[f"{TODAY.year + 1}-12-25"] == ""
    markers = national_rows(closure_site)
    by_id = {row[4]: row for row in markers}
    assert by_id["synthetique-gem-sans-horaires"][7:] == ["", [[days(5), days(12)]], "Europe/Paris"]
    assert len(by_id["synthetique-gem-ferme-les-jours-feries"]) == 7


def test_a_place_s_time_zone_is_its_departement_s_or_mainland_france_s():
    assert time_zone(("974",)) == "Indian/Reunion" and time_zone(("92", "75")) == time_zone(()) == MAINLAND_TIME_ZONE
    # Each name is one the time zone database knows (the browser's is checked in tests/browser/test_closures.py).
    assert all(ZoneInfo(name) for name in [MAINLAND_TIME_ZONE, *TIME_ZONES.values()])


# --- Hours that change with the date ------------------------------------------------------


def coming_august() -> list[date]:
    """The weekdays of the coming August, from today on (this year's, or the next if it is over)."""
    year = TODAY.year if date(TODAY.year, 8, 31) >= TODAY else TODAY.year + 1
    august = [date(year, 8, day) for day in range(1, 32)]
    return [day for day in august if day >= TODAY and day.weekday() < 5]


def test_hours_closed_in_august_show_their_usual_week_even_when_built_in_august():
    # The week of the build stood for every week: built on 2 August, the page said « fermé » all week.
    week = "0900-1700|0900-1700|0900-1700|0900-1700|0900-1700||"
    assert weekly_schedule("Mo-Fr 09:00-17:00; Aug off", date(2027, 8, 2)) == week
    assert weekly_schedule("Mo-Fr 09:00-17:00; Aug off", date(2026, 11, 23)) == week
    assert changes_with_date("Mo-Fr 09:00-17:00; Aug off") and changes_with_date("Mo-Fr 09:00-17:00; week 1-53/2 Sa 10:00-12:00")
    assert not changes_with_date("Mo-Fr 09:00-12:00,14:00-17:00; Sa 10:00-12:00; PH off")


def test_the_coming_changes_are_periods_and_the_finder_gets_each_day():
    [august] = coming_changes("Mo-Fr 09:00-17:00; Aug off", date(2026, 11, 23))
    assert (august.first, august.last, august.same_hours) == (date(2027, 8, 2), date(2027, 8, 31), "")
    # Summer hours: one period, its weekends (closed anyway) inside it, shown as its own week.
    [summer] = coming_changes("Mo-Fr 09:00-17:00; Jul-Aug Mo-Fr 10:00-12:00", date(2026, 11, 23))
    assert (summer.first, summer.last, summer.same_hours) == (date(2027, 7, 1), date(2027, 8, 31), None)
    assert summer.week == ("1000-1200",) * 5 + ("", "")
    # Every other Saturday: one day at a time.
    saturdays = coming_changes("Mo-Fr 09:00-17:00; week 1-53/2 Sa 10:00-12:00", date(2026, 11, 23))
    assert all(change.first == change.last and change.first.weekday() == 5 for change in saturdays) and len(saturdays) > 20
    # Built on Friday 1 January 2027, whose week starts in 2026: its days go to the end of 2028, as its holidays.
    assert seasons("Mo-Fr 09:00-17:00; Aug off", date(2026, 12, 28)).days[-1][0] == horizon(date(2027, 1, 1)) == date(2028, 12, 31)
    fields = browser_fields(gem(horaires="Mo-Fr 09:00-17:00; Aug off"), date(2026, 11, 23), {})
    assert fields["hc"] == {day.isoformat(): "" for day in days_between(date(2027, 8, 2), date(2027, 8, 31)) if day.weekday() < 5}
    assert "hc" not in browser_fields(gem(horaires="Mo-Fr 09:00-17:00"), date(2026, 11, 23), {})


def test_a_long_exceptional_period_whose_hours_change_with_the_date_says_its_changes():
    # « Mo-Fr 10:00-16:00; Aug off » from June to September: its first week stood for the whole period,
    # and August, closed, was said open on the record page and the easy-read page.
    record = gem(
        horaires="Mo-Fr 09:00-17:00",
        horaires_exceptionnels=[{"du": "2027-06-01", "au": "2027-09-30", "horaires": "Mo-Fr 10:00-16:00; Aug off", "motif": "été"}],
    )
    today = date(2026, 11, 28)
    calendar = holidays_of_build(today)
    period, august = dated_hours(record, today, calendar).exceptional
    assert period.heading == "Horaires exceptionnels du 1er juin au 30 septembre 2027 (été)"
    assert period.days[0] == ("Lundi", "10 h – 16 h") and period.days[5] == ("Samedi", "fermé")
    assert (august.heading, august.days) == ("Dans cette période, fermé du 2 au 31 août 2027", [])
    texts = [line.text for line in dated_lines(record, today, calendar)]
    assert texts[:2] == ["Du 1er juin au 30 septembre 2027, les horaires changent :", "Ce lieu est fermé du 2 au 31 août 2027."]
    easy_week = next(line for line in dated_lines(record, today, calendar) if line.items)
    assert easy_week.items == ("du lundi au vendredi, de 10 h à 16 h.",)
    # Every other Saturday inside a period: the first changes, then that there are more.
    saturdays = gem(
        horaires_exceptionnels=[{"du": "2027-06-01", "au": "2027-09-30", "horaires": "Mo-Fr 10:00-16:00; week 1-53/2 Sa 10:00-12:00"}]
    )
    headings = [week.heading for week in dated_hours(saturdays, today, calendar).exceptional]
    assert len(headings) == 2 + SEASON_LIMIT and headings[-1] == "Dans cette période, les horaires changent aussi à d'autres dates"
    assert "Les horaires changent aussi à d'autres dates." in [line.text for line in dated_lines(saturdays, today, calendar)]
    # The finder already took each day as it is.
    assert browser_fields(record, today, calendar)["e"]["2027-08-02"] == ""


def test_the_pages_say_the_changes_inside_an_exceptional_period(closure_site):
    august = [day for day in days_between(TODAY + timedelta(days=10), TODAY + timedelta(days=375)) if day.month == 8 and day.weekday() < 5]
    closed = period_fr(august[0], august[-1])
    page = text_of((closure_site / "structures" / "synthetique-gem-annee-de-travaux" / "index.html").read_text(encoding="utf-8"))
    assert "(travaux) : Lundi 10 h – 16 h" in page
    assert f"Dans cette période, fermé {closed}. Informations au" in page
    easy = (closure_site / "facile" / "structures" / "synthetique-gem-annee-de-travaux" / "index.html").read_text(encoding="utf-8")
    assert f"les horaires changent : du lundi au vendredi, de 10 h à 16 h. Ce lieu est fermé {closed}." in text_of(easy)
    assert rules.check(easy) == []


def test_the_record_and_easy_read_pages_say_when_the_hours_change(closure_site):
    august = coming_august()
    page = text_of((closure_site / "structures" / "synthetique-gem-ferme-en-aout" / "index.html").read_text(encoding="utf-8"))
    assert "Lundi 9 h – 17 h" in page and "Samedi fermé" in page
    assert f"Ces horaires changent à certaines dates de l'année : Fermé {period_fr(august[0], august[-1])}." in page
    easy = (closure_site / "facile" / "structures" / "synthetique-gem-ferme-en-aout" / "index.html").read_text(encoding="utf-8")
    assert f"Ce lieu est fermé {period_fr(august[0], august[-1])}." in text_of(easy)
    assert "Du lundi au vendredi, de 9 h à 17 h." in text_of(easy)
    assert rules.check(easy) == []

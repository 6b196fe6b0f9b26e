"""Validity tables for the record models: what a maintainer may and may not write."""

from __future__ import annotations

import random
from datetime import timedelta

import phonenumbers
import pytest
from pydantic import ValidationError

from generator import clock
from generator.records.models import Adresse, Clsm, Collectif, Employeur, Esms, Gem, Ressource, Source, Territoire
from generator.site.text import phone_display

SOURCE = {"titre": "Document de référence", "document": "Rapport annuel", "date": "2026-01"}
BASE = {
    "nom": "Structure",
    "adresse": {"code_postal": "92260", "commune": "Fontenay-aux-Roses"},
    "sources": [SOURCE],
    "verifie_le": "2026-01-15",
}


def gem(**fields):
    return Gem.model_validate({"id": "gem-test", "type": "gem", **BASE, **fields})


@pytest.mark.parametrize(
    ("field", "value", "stored"),
    [
        ("telephone", "01 30 44 17 49", "+33130441749"),
        ("telephone", "+33 1 30 44 17 49", "+33130441749"),
        ("telephone", "0612345678", "+33612345678"),
        # Overseas lines are dialled « 0… » in France but have country codes of their own.
        ("telephone", "0262 12 34 56", "+262262123456"),  # La Réunion
        ("telephone", "0269 61 12 34", "+262269611234"),  # Mayotte
        ("telephone", "0590 27 12 34", "+590590271234"),  # Guadeloupe
        ("telephone", "0690 12 34 56", "+590690123456"),  # a mobile in Guadeloupe
        ("telephone", "0694 12 34 56", "+594694123456"),  # Guyane
        ("telephone", "0696 12 34 56", "+596696123456"),  # Martinique
        ("telephone", "+262 262 12 34 56", "+262262123456"),
        ("telephone", "0800 12 34 56", "+33800123456"),  # a free number of the whole country stays +33
        ("courriel", "contact@gem-exemple.fr", "contact@gem-exemple.fr"),
        ("site_web", "https://www.unafam.org/", "https://www.unafam.org/"),
        ("site_web", "http://ungf.net/", "http://ungf.net/"),
        ("horaires", "Mo-Fr 10:00-17:00; Sa 14:00-18:00", "Mo-Fr 10:00-17:00; Sa 14:00-18:00"),
        ("horaires", "24/7", "24/7"),
        ("date_creation", "2001", "2001"),
        ("date_creation", "2017-05", "2017-05"),
        ("ouverture_hebdomadaire", "35", 35.0),
    ],
)
def test_valid_values_are_kept_or_normalised(field, value, stored):
    assert getattr(gem(**{field: value}), field) == stored


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+33130441749", "01 30 44 17 49"),
        ("+262262123456", "0262 12 34 56"),
        ("+590690123456", "0690 12 34 56"),
        ("+3225551234", "+32 2 555 12 34"),
    ],
)
def test_phones_are_shown_as_dialled_in_france_overseas_included(stored, shown):
    assert phone_display(stored) == shown


@pytest.mark.parametrize("first", "123456789")
def test_mainland_numbers_are_shown_as_phonenumbers_writes_them(first):
    # phone_display writes most mainland numbers itself (a build shows each on two pages): the same text.
    numbers = random.Random(first)
    for _ in range(200):
        e164 = f"+33{first}{numbers.randrange(10**8):08d}"
        expected = phonenumbers.format_number(phonenumbers.parse(e164), phonenumbers.PhoneNumberFormat.NATIONAL)
        assert phone_display(e164) == expected


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("telephone", "12", "numéro de téléphone invalide"),
        ("telephone", "01 30 44", "numéro de téléphone invalide"),
        ("courriel", "contact@", "adresse de courriel invalide"),
        ("courriel", "<script>@x.fr", "adresse de courriel invalide"),
        ("site_web", "javascript:alert(1)", "adresse web invalide"),
        ("site_web", "data:text/html,<b>x</b>", "adresse web invalide"),
        ("site_web", "www.exemple.fr", "adresse web invalide"),
        ("horaires", "lundi 9h-17h", "horaires illisibles"),
        ("date_creation", "2001-13", "date invalide"),
        ("date_creation", "hier", "date invalide"),
        ("verifie_le", (clock.today() + timedelta(days=2)).isoformat(), "dans le futur"),
        ("statut", "ouvert", "Input should be"),
        ("publics", ["tout le monde"], "Input should be"),
        ("sources", [], "at least 1"),
        ("partenaires", ["../etc/passwd"], "String should match pattern"),
        ("ouverture_hebdomadaire", "200", "less than or equal"),
        ("inconnu", "x", "Extra inputs are not permitted"),
    ],
)
def test_invalid_values_are_refused(field, value, message):
    with pytest.raises(ValidationError, match=message):
        gem(**{field: value})


@pytest.mark.parametrize(
    "adresse",
    [
        {"code_postal": "92260", "commune": "Fontenay-aux-Roses"},
        {"code_insee": "75056", "commune": "Paris"},
        {"voie": "43 rue du Télégraphe", "code_postal": "75020", "commune": "Paris", "code_insee": "75120"},
        {"code_insee": "2A004", "commune": "Ajaccio"},
    ],
)
def test_valid_addresses(adresse):
    assert Adresse.model_validate(adresse).commune == adresse["commune"]


@pytest.mark.parametrize(
    ("hours", "fix"),
    [
        ("Lu-Ve 09:00-17:00", "les jours s'écrivent en anglais, en deux lettres : Mo (lundi), Tu (mardi)"),
        ("Mo-Fr 9h-17h", "les heures s'écrivent avec deux-points et deux chiffres : 09:30, et non 9h30"),
        ("Mo-Fr 09h30-17h", "les heures s'écrivent avec deux-points"),
        ("Mo-Fr 09:00-12:00 14:00-17:00", "deux plages d'un même jour se séparent par une virgule : 09:00-12:00,14:00-17:00"),
        ("Mo-Fr 09:00-17:00; jours fériés off", "les jours fériés s'écrivent PH : « PH off »"),
        ("Mo-Fr 09:00-17:00; Sa fermé", "un jour fermé s'écrit off : « Sa off »"),
        # The words of a remark are not hours: only the general example.
        ('Mo-Fr 09:00-17:00 "me contacter avant, fermé le 1er mai"; Sa 10:00', "utilisez la syntaxe OpenStreetMap, par exemple"),
    ],
)
def test_hours_written_the_french_way_are_refused_with_their_fix(hours, fix):
    with pytest.raises(ValidationError) as error:
        gem(horaires=hours)
    message = str(error.value)
    assert f"horaires illisibles « {hours} » : {fix}" in message
    assert "syntaxe OpenStreetMap, par exemple « Mo-Fr 09:00-17:00; Sa 10:00-12:00 »" in message


@pytest.mark.parametrize(
    ("adresse", "message"),
    [
        ({"commune": "Paris"}, "code_postal"),
        ({"code_postal": "9226", "commune": "Fontenay"}, "pattern"),
        ({"code_postal": "92260"}, "commune"),
        ({"code_insee": "2C004", "commune": "Ajaccio"}, "pattern"),
    ],
)
def test_invalid_addresses(adresse, message):
    with pytest.raises(ValidationError, match=message):
        Adresse.model_validate(adresse)


def test_a_record_needs_an_address_or_a_territory():
    with pytest.raises(ValidationError, match="adresse, ou un territoire"):
        Ressource.model_validate(
            {"id": "r", "type": "ressource", "categorie": "reseau_national", "nom": "R", "sources": [SOURCE], "verifie_le": "2026-01-01"}
        )
    national = Ressource.model_validate(
        {
            "id": "r",
            "type": "ressource",
            "categorie": "reseau_national",
            "nom": "R",
            "territoire": {"national": True},
            "sources": [SOURCE],
            "verifie_le": "2026-01-01",
        }
    )
    assert national.territoire.national


@pytest.mark.parametrize(
    ("territoire", "ok"),
    [
        ({"national": True}, True),
        ({"regions": ["11"]}, True),
        ({"departements": ["2A", "974"]}, True),
        ({"communes": ["92032"]}, True),
        ({}, False),
        ({"regions": ["Île-de-France"]}, False),
    ],
)
def test_territory(territoire, ok):
    if ok:
        Territoire.model_validate(territoire)
    else:
        with pytest.raises(ValidationError):
            Territoire.model_validate(territoire)


@pytest.mark.parametrize(
    ("source", "ok"),
    [
        (SOURCE, True),
        ({"titre": "Site", "url": "https://example.org"}, True),
        ({"titre": "Sans lien"}, False),
        ({"titre": "", "url": "https://example.org"}, False),
    ],
)
def test_source_must_be_locatable(source, ok):
    if ok:
        Source.model_validate(source)
    else:
        with pytest.raises(ValidationError):
            Source.model_validate(source)


@pytest.mark.parametrize(
    ("finess", "ok"),
    [("010000016", True), ("010780195", True), ("010000017", False), ("01000001", False), ("2A0000001", False), ("ABC000016", False)],
)
def test_finess_number_checks_its_key(finess, ok):
    data = {"id": "esat-x", "type": "esms", "categorie": "esat", **BASE, "finess": finess}
    if ok:
        assert Esms.model_validate(data).finess == finess
    else:
        with pytest.raises(ValidationError, match="FINESS"):
            Esms.model_validate(data)


@pytest.mark.parametrize(
    ("siret", "ok"),
    [("73282932000074", True), ("732 829 320 00074", True), ("73282932000075", False), ("1234", False), ("35600000000048", True)],
)
def test_siret_checks_its_key(siret, ok):
    data = {"id": "e", "type": "employeur", "type_employeur": "entreprise", **BASE, "siret": siret}
    if ok:
        assert Employeur.model_validate(data).siret == siret.replace(" ", "")
    else:
        with pytest.raises(ValidationError, match="SIRET"):
            Employeur.model_validate(data)


def test_clsm_requires_its_territory():
    with pytest.raises(ValidationError, match="territoire"):
        Clsm.model_validate({"id": "clsm-x", "type": "clsm", **BASE})
    clsm = Clsm.model_validate(
        {
            "id": "clsm-x",
            "type": "clsm",
            **BASE,
            "territoire": {"communes": ["92032"]},
            "participation": "integree",
            "instances": ["comite_de_pilotage"],
        }
    )
    assert clsm.participation.label == "Intégrée"


def test_kind_specific_fields_stay_with_their_kind():
    with pytest.raises(ValidationError, match="Extra inputs"):
        Collectif.model_validate({"id": "c", "type": "collectif", **BASE, "parrain": "Unafam"})
    collectif = Collectif.model_validate(
        {"id": "c", "type": "collectif", **BASE, "file_active": {"nombre": 60, "annee": 2023}, "installation": "en_cours"}
    )
    assert collectif.file_active.nombre == 60


def dated(date: str | None) -> dict:
    source = {"titre": "Source", "document": "Document"}
    return {**source, "date": date} if date else source


@pytest.mark.parametrize(
    ("source_dates", "verifie_le", "backed"),
    [
        (["2024-03-10"], "2024-03-10", True),
        (["2024-03-10"], "2024-03-11", False),
        # A partial date covers its whole period: the check may be made until its last day.
        (["2024"], "2024-12-31", True),
        (["2024"], "2025-01-01", False),
        (["2024-02"], "2024-02-29", True),
        (["2024-02"], "2024-03-01", False),
        # The newest source counts, wherever it is in the list; an undated one backs nothing.
        (["2019", "2024-06", "2021-01-01"], "2024-06-30", True),
        ([None, "2020"], "2021-01-01", False),
        ([None], "2020-01-01", False),
        # Checked before the newest source was published: nothing to say.
        (["2024-06"], "2023-01-01", True),
    ],
)
def test_verifie_le_must_be_backed_by_a_dated_source(source_dates, verifie_le, backed):
    fields = {"sources": [dated(d) for d in source_dates], "verifie_le": verifie_le}
    if backed:
        assert gem(**fields).verifie_le.isoformat() == verifie_le
    else:
        with pytest.raises(ValidationError, match=f"fiche dite vérifiée le {verifie_le}, mais"):
            gem(**fields)


def test_a_record_without_statut_has_no_default():
    """An unwritten situation is unknown, not « actif »."""
    assert gem().statut is None
    assert gem(statut="actif").statut.value == "actif"

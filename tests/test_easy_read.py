"""Easy-read record pages (/facile/structures/<id>/): the rules they follow, the facts they say, their links.

The rules (tests/easy_read_rules.py) are checked on every easy-read page built from the
shipped data, on the hand-written guides of content/facile/, and on pages rendered from
synthetic records that fill every field and use every vocabulary value (bench/synthetic.py).
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urljoin

import pytest

from bench.synthetic import every_value_records, write_every_value_records
from generator.catalogue import Catalogue, load_catalogue
from generator.geo.gazetteer import Gazetteer
from generator.geo.places import Place
from generator.records.models import MODELS, Gem, Ressource
from generator.records.vocabulary import Kind, NatureNombre, Statut, Vocabulary
from generator.site.easy_read import EasyReadSheet, Line, Value, easy_read_pages, opening_lines, where
from generator.site.glossary import Glossary, load_terms
from generator.site.hours import holidays_of_build
from generator.site.model import Entry, SiteModel, shown_status
from generator.site.pages import Renderer
from generator.site.search import BUNDLE_FOLDER
from generator.site.ways_in import Contact, PublishingCentre, WayIn, WaysIn
from tests import easy_read_rules as rules
from tests.sitebuild import ROOT
from tests.test_search import Index

TODAY = date(2026, 11, 25)  # a Wednesday
GEM = {
    "id": "gem-test",
    "type": "gem",
    "nom": "GEM Test",
    "statut": "actif",
    "sources": [{"titre": "Source", "document": "Rapport"}],
    "verifie_le": "2026-06-01",
}
ADDRESS = {"voie": "3 rue Exemple", "code_postal": "92260", "commune": "Fontenay-aux-Roses"}


def falc(html: str) -> str:
    return f'<div class="falc">{html}</div>'


# --- The checker catches each rule's violation -------------------------------------------


@pytest.mark.parametrize(
    ("rule", "html"),
    [
        (rules.long_sentences, "<p>Vous pouvez venir au groupe le lundi, le mardi, le mercredi, le jeudi et aussi le vendredi.</p>"),
        (
            rules.long_sentences,
            "<ul><li>les personnes qui vivent avec des troubles psychiques et qui cherchent un lieu pour parler ensemble</li></ul>",
        ),
        (rules.several_ideas, "<p>Vous venez le lundi ; vous repartez le soir.</p>"),
        (rules.percentages, "<p>Vous êtes 30 % à venir le lundi.</p>"),
        (rules.percentages, "<p>Trente pour cent des membres viennent le lundi.</p>"),
        (rules.unexplained_acronyms, "<p>Vous demandez une RQTH.</p>"),
        (rules.unexplained_acronyms, "<p>Le GEM est ouvert.</p><p>GEM veut dire groupe d'entraide mutuelle.</p>"),
        (rules.not_addressing_the_reader, "<p>Il faut que le bénéficiaire apporte un certificat.</p>"),
        (rules.not_addressing_the_reader, "<p>L'usager vient le mardi.</p>"),
    ],
)
def test_the_checker_catches_each_rule(rule, html):
    assert rule(rules.blocks_of(falc(html)))
    assert rules.check(falc(html))


def test_the_checker_accepts_what_the_guides_do():
    page = falc(
        "<h1>Le GEM, c'est quoi ?</h1>"
        '<p><a href="gem/">Le GEM près de chez vous</a></p>'  # a link may name it before the explanation
        "<p>GEM veut dire groupe d'entraide mutuelle.</p>"
        "<p>Au GEM, vous pouvez boire un café avec les autres membres du groupe.</p>"  # 15 words
        "<p>Vous pouvez dire : « Je voudrais venir découvrir le lieu. »</p>"
        # A record value is one word, whatever it says.
        "<p>L'adresse est : <span data-falc-value>ZAC des Champs, 12 avenue du Général de Gaulle, 92260 Fontenay-aux-Roses</span></p>"
    )
    assert rules.check(page) == []


def test_the_checker_reads_only_the_easy_read_part():
    assert rules.check('<nav><p>CLSM ; ESMS ; 30 %</p></nav><div class="falc"><p>Vous venez.</p></div>') == []
    with pytest.raises(ValueError, match="falc"):
        rules.blocks_of("<p>Vous venez.</p>")


# --- Every page follows the rules ----------------------------------------------------------


def test_the_easy_read_guides_and_every_shipped_record_page_follow_the_rules(built_site):
    records = sorted(path.stem for path in (ROOT / "data").glob("*/*.yaml") if path.parent.name != "geo")
    pages = sorted((built_site / "facile").rglob("index.html"))
    assert {page.parent.name for page in pages if page.parent.parent.name == "structures"} == set(records)
    assert len(pages) == len(records) + len(list((ROOT / "content" / "facile").glob("*.md")))
    problems = [f"{page.relative_to(built_site)}: {problem}" for page in pages for problem in rules.check(page.read_text(encoding="utf-8"))]
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory) -> SiteModel:
    data = tmp_path_factory.mktemp("every-value")
    write_every_value_records(data)
    gazetteer = Gazetteer.load()
    return SiteModel(load_catalogue(data, gazetteer), gazetteer)


def rendered(site: SiteModel) -> dict[str, str]:
    """Each record's easy-read page as the site serves it: rendered, then acronyms annotated."""
    renderer = Renderer(ROOT / "site_theme" / "passerelle", site)
    glossary = Glossary(load_terms(), renderer.environment.get_template("abbr.html"))
    return {page.context["entry"].id: glossary.annotate(renderer.render(page)) for page in easy_read_pages(site)}


def test_pages_of_records_with_every_field_and_value_follow_the_rules(synthetic_site):
    pages = rendered(synthetic_site)
    assert len(pages) == len(every_value_records())
    problems = [f"{record_id}: {problem}" for record_id, html in pages.items() for problem in rules.check(html)]
    assert not problems, "\n".join(problems)


def test_the_synthetic_records_use_every_field_and_every_vocabulary_value():
    records = every_value_records()
    for kind, model in MODELS.items():
        written = {key for data in records if data["type"] == kind.value for key in data}
        assert set(model.model_fields) - written == set(), kind
    values = set(_strings(records))
    for vocabulary in Vocabulary.__subclasses__():
        if vocabulary is NatureNombre:
            continue  # a word of the reference counts (data/references.yaml), not of records
        assert {member.value for member in vocabulary} <= values, vocabulary.__name__


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_every_value_an_easy_read_page_shows_has_easy_read_words():
    """The words sit next to the professional labels (vocabulary.py); a new value must bring its own."""
    missing = [f"Statut.{s.name}" for s in Statut if s != Statut.ACTIF and not s.easy_read]
    for kind, model in MODELS.items():
        subtypes = [field.annotation for name, field in model.model_fields.items() if name in ("categorie", "type_employeur")]
        if not subtypes and not kind.easy_read:
            missing.append(f"Kind.{kind.name}")
        for vocabulary in subtypes:
            missing += [f"{vocabulary.__name__}.{m.name}" for m in vocabulary if not m.easy_read]
    from generator.records.vocabulary import Acces, Engagement, Public

    missing += [f"{v.__name__}.{m.name}" for v in (Public, Acces, Engagement) for m in v if not m.easy_read]
    assert missing == []


# --- The facts, and nothing else -------------------------------------------------------------


def texts(html: str) -> list[str]:
    return [block.text for block in rules.blocks_of(html)]


def test_a_record_with_only_what_it_must_have_says_its_unknowns_and_a_next_step(synthetic_site):
    page = texts(rendered(synthetic_site)["synthetique-gem-1"])
    assert page == [
        rules.VALUE_WORD,  # the name
        "Version complète de cette page",
        # No statut written: nobody says the place is open.
        "Attention",
        "Nous ne savons pas si ce lieu est ouvert en ce moment.",
        "Renseignez-vous avant de venir.",
        "C'est quoi ?",
        "C'est un groupe d'entraide mutuelle.",
        "C'est un lieu où des personnes se retrouvent et s'entraident.",
        # Unknown hours are said unknown, never left out as if there were nothing to know.
        "Quand venir ?",
        "Les horaires ne sont pas connus.",
        "Où ?",
        f"Ce lieu est dans cette commune : {rules.VALUE_WORD}",
        "Nous ne connaissons pas l'adresse exacte.",
        "Nous ne savons pas si ce lieu est accessible en fauteuil roulant.",
        # No contact details: whom else to ask, as on its record page (site/ways_in.py).
        "Qui contacter ?",
        # Here nobody: the finder, for another place of the same kind near it.
        "Nous n'avons aucun contact à vous donner.",
        f"Vous pouvez chercher un autre lieu de ce type : {rules.VALUE_WORD}",
    ]


def test_nothing_comes_from_the_free_text_description(synthetic_site):
    html = rendered(synthetic_site)["synthetique-gem-0"]
    assert "mesures de performance" in synthetic_site.entries["synthetique-gem-0"].record.description
    assert "mesures de performance" not in html


def test_a_full_record_says_who_may_come_what_paper_when_where_and_whom_to_call(synthetic_site):
    html = rendered(synthetic_site)["synthetique-gem-0"]
    page = texts(html)
    for sentence in (
        "C'est pour :",
        "les personnes qui vivent avec des troubles psychiques,",
        "Vous pouvez venir sans papier du médecin.",
        "Vous avez besoin d'une décision de la maison départementale des personnes handicapées.",
        "Le samedi, de 10 h à 12 h.",
        "Ce lieu accueille des personnes en fauteuil roulant.",
        f"Vous pouvez appeler ce numéro : {rules.VALUE_WORD}",
    ):
        assert sentence in page
    assert '<a href="tel:+33123456789" rel="noopener">01 23 45 67 89</a>' in html
    assert "12 rue de l&#39;Exemple, 92260 Fontenay-aux-Roses" in html


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"adresse": ADDRESS, "accessibilite": {"pmr": True}}, "Ce lieu accueille des personnes en fauteuil roulant."),
        # It was left out: a person in a wheelchair could go there for nothing.
        ({"adresse": ADDRESS, "accessibilite": {"pmr": False}}, "Ce lieu n'est pas accessible en fauteuil roulant."),
        ({"adresse": ADDRESS}, "Nous ne savons pas si ce lieu est accessible en fauteuil roulant."),
        # Nowhere to come to, or not open: nothing to say of getting in.
        ({"territoire": {"departements": ["92"]}}, None),
        ({"adresse": ADDRESS, "statut": "en_projet"}, None),
        # « En projet » long ago, « à confirmer » now: it may receive, as its record page says.
        (
            {"adresse": ADDRESS, "statut": "en_projet", "verifie_le": "2025-06-01"},
            "Nous ne savons pas si ce lieu est accessible en fauteuil roulant.",
        ),
    ],
)
def test_where_says_what_is_known_of_a_wheelchair_s_way_in(fields, said, synthetic_site):
    lines = [line.text for line in where(entry(gem(**fields)), synthetic_site)]
    wheelchair = [line for line in lines if "fauteuil roulant" in line]
    assert wheelchair == ([said] if said else [])


def test_colons_and_question_marks_never_start_a_line(synthetic_site):
    html = rendered(synthetic_site)["synthetique-gem-0"]
    assert "quoi\u00a0?</h2>" in html
    assert "pour\u00a0:</p>" in html
    assert re.search(r">[^<]* [?:]", html) is None


def gem(**fields) -> Gem:
    data = {**GEM, **fields}
    # The verification is backed by a source of the same day.
    data["sources"] = [{**source, "date": data["verifie_le"]} for source in data["sources"]]
    return Gem.model_validate(data)


@pytest.mark.parametrize(
    ("horaires", "expected"),
    [
        ("Tu 14:00-18:00", ["Le mardi, de 14 h à 18 h.", "Les autres jours, ce lieu est fermé."]),
        ("Mo-Fr 09:00-17:00", ["Du lundi au vendredi, de 9 h à 17 h.", "Les autres jours, ce lieu est fermé."]),
        ("Mo,Tu 09:00-12:30", ["Le lundi et le mardi, de 9 h à 12 h 30.", "Les autres jours, ce lieu est fermé."]),
        (
            "Tu 10:00-12:00,14:00-16:00; We 10:00-12:00",
            ["Le mardi, de 10 h à 12 h et de 14 h à 16 h.", "Le mercredi, de 10 h à 12 h.", "Les autres jours, ce lieu est fermé."],
        ),
        ("24/7", ["Tous les jours, jour et nuit."]),
        ("Sa 22:00-02:00", ["Le samedi, de 22 h à minuit.", "Le dimanche, de minuit à 2 h.", "Les autres jours, ce lieu est fermé."]),
        # Some hours unknown: the other days are not said to be closed.
        (
            "Tu 14:00-18:00; We unknown",
            ["Le mardi, de 14 h à 18 h.", "Le mercredi, nous ne connaissons pas les horaires.", "Les autres jours, ce lieu est fermé."],
        ),
    ],
)
def test_opening_hours_read_as_sentences(horaires, expected):
    lines = opening_lines(entry(gem(adresse=ADDRESS, horaires=horaires)), TODAY, holidays_of_build(TODAY))
    assert [line.text for line in lines] == [*expected, "Les jours fériés, les horaires peuvent changer."]


def test_days_of_unknown_hours_are_named_in_their_place_with_what_the_record_says_of_them():
    lines = opening_lines(entry(gem(adresse=ADDRESS, horaires='Mo-Fr 09:00-17:00; We unknown "un mercredi sur deux"')), TODAY, {})
    assert lines[:5] == [
        Line("Le lundi et le mardi, de 9 h à 17 h."),
        Line("Le mercredi, nous ne connaissons pas les horaires."),
        Line("À savoir :", Value("un mercredi sur deux")),
        Line("Le jeudi et le vendredi, de 9 h à 17 h."),
        Line("Les autres jours, ce lieu est fermé."),
    ]


def test_too_many_hours_for_one_sentence_become_a_list():
    lines = opening_lines(entry(gem(adresse=ADDRESS, horaires="Mo-Fr 10:30-12:30,14:30-17:30")), TODAY, holidays_of_build(TODAY))
    assert lines[0] == Line("Du lundi au vendredi :", items=("de 10 h 30 à 12 h 30,", "de 14 h 30 à 17 h 30."))


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"telephone": "01 23 45 67 89"}, ["Les horaires ne sont pas connus.", "Appelez avant de venir."]),
        # No phone to call: still said unknown (whom to ask is under « Qui contacter ? »).
        ({}, ["Les horaires ne sont pas connus."]),
        ({"horaires": "We unknown"}, ["Les horaires ne sont pas connus."]),
        ({"horaires": "We unknown", "telephone": "01 23 45 67 89"}, ["Les horaires ne sont pas connus.", "Appelez avant de venir."]),
        ({"horaires": "off"}, ["Cette semaine, ce lieu est fermé."]),
        # Not open yet, nothing to say of coming there; « à confirmer », said unknown, as on its record page.
        ({"statut": "en_projet"}, []),
        ({"statut": "en_projet", "verifie_le": "2025-06-01"}, ["Les horaires ne sont pas connus."]),
    ],
)
def test_unknown_hours_are_said_and_send_to_the_phone_when_there_is_one(fields, expected):
    assert [line.text for line in opening_lines(entry(gem(adresse=ADDRESS, **fields)), TODAY, holidays_of_build(TODAY))] == expected


def test_a_network_without_a_place_says_nothing_of_hours():
    network = gem(territoire={"national": True})
    assert opening_lines(entry(network), TODAY, holidays_of_build(TODAY)) == []


def site_on_today() -> SiteModel:
    return SiteModel(Catalogue({}, {}, {}), Gazetteer.load(), today=TODAY)


def entry(record: Gem) -> Entry:
    """The record as the site shows it on TODAY: « à confirmer » when nobody vouches for its statut."""
    return Entry(record, Place(), shown_status(record, site_on_today().is_stale(record)))


def sheet(record: Gem, ways_in: WaysIn | None = None) -> EasyReadSheet:
    return EasyReadSheet(entry(record), site_on_today(), ways_in)


@pytest.mark.parametrize(
    ("fields", "last"),
    [({"telephone": "01 23 45 67 89"}, "Appelez avant de venir."), ({}, "Renseignez-vous avant de venir.")],
)
def test_a_record_verified_more_than_a_year_ago_says_its_information_may_be_old(fields, last):
    stale = sheet(gem(adresse=ADDRESS, verifie_le="2025-06-01", **fields))
    assert [line.text for line in stale.notices] == [
        "Nous ne savons pas si ce lieu est ouvert en ce moment.",  # « À confirmer », as on its record page
        "Ces informations sont peut-être anciennes.",
        "Elles n'ont pas été vérifiées récemment.",
        last,
    ]
    assert sheet(gem(adresse=ADDRESS, verifie_le="2026-06-01", **fields)).notices == []


@pytest.mark.parametrize(("pmr", "said"), [(True, True), (False, False), (None, False)])
def test_the_wheelchair_sentence_only_when_the_place_is_accessible(pmr, said):
    parts = sheet(gem(adresse=ADDRESS, accessibilite={"pmr": pmr})).parts
    sentences = [line.text for part in parts for line in part.lines]
    assert ("Ce lieu accueille des personnes en fauteuil roulant." in sentences) is said


LOOK_ELSEWHERE = Line(
    "Vous pouvez chercher un autre lieu de ce type :", Value("Trouver un lieu", page="trouver/index.md", query="?type=gem&cp=92260")
)


def test_a_closed_place_says_so_and_where_to_look_and_gives_no_hours_address_or_contact():
    closed = sheet(gem(adresse=ADDRESS, statut="ferme", telephone="01 23 45 67 89", horaires="Mo 10:00-12:00"))
    assert closed.notices == [Line("Ce lieu a fermé."), LOOK_ELSEWHERE]
    assert [part.heading for part in closed.parts] == ["C'est quoi ?"]


@pytest.mark.parametrize(
    ("statut", "sentence"),
    [("ferme_temporairement", "Ce lieu est fermé pour le moment."), ("en_projet", "Ce lieu n'est pas encore ouvert.")],
)
def test_a_place_not_open_now_says_so_and_where_to_look(statut, sentence):
    assert sheet(gem(adresse=ADDRESS, statut=statut, telephone="01 23 45 67 89")).notices == [Line(sentence), LOOK_ELSEWHERE]
    assert sheet(gem(adresse=ADDRESS, statut="actif")).notices == []


UNKNOWN = "Nous ne savons pas si ce lieu est ouvert en ce moment."


@pytest.mark.parametrize(
    ("statut", "verifie_le", "first"),
    [
        ("actif", "2026-06-01", None),
        ("actif", "2025-06-01", UNKNOWN),
        (None, "2026-06-01", UNKNOWN),
        ("en_projet", "2026-06-01", "Ce lieu n'est pas encore ouvert."),
        # It said « Ce lieu n'est pas encore ouvert. » from an old statut, where the record page says « À confirmer ».
        ("en_projet", "2025-06-01", UNKNOWN),
        ("ferme_temporairement", "2025-06-01", UNKNOWN),
        ("ferme", "2025-06-01", "Ce lieu a fermé."),  # a closure stays said, however old
    ],
)
def test_the_notice_says_the_status_the_record_page_shows(statut, verifie_le, first):
    record = gem(adresse=ADDRESS, statut=statut, verifie_le=verifie_le)
    notices = sheet(record).notices
    assert (notices[0].text if notices else None) == first


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({}, ["Nous ne savons pas si c'est actif en ce moment.", "Renseignez-vous pour vérifier."]),
        ({"telephone": "01 23 45 67 89"}, ["Nous ne savons pas si c'est actif en ce moment.", "Appelez pour vérifier."]),
        (
            {"verifie_le": "2025-06-01"},
            [
                "Nous ne savons pas si c'est actif en ce moment.",
                "Ces informations sont peut-être anciennes.",
                "Elles n'ont pas été vérifiées récemment.",
                "Renseignez-vous pour vérifier.",
            ],
        ),
    ],
)
def test_a_record_without_a_place_is_not_said_a_place_one_comes_to(fields, said):
    """A web page or a national network read « Nous ne savons pas si ce lieu est ouvert […] Renseignez-vous avant de venir. »"""
    data = {**GEM, "id": "recueil", "type": "ressource", "categorie": "autre", "statut": None, **fields}
    dated = [{**source, "date": data["verifie_le"]} for source in data["sources"]]
    online = sheet(
        Ressource.model_validate({**data, "sources": dated, "territoire": {"national": True}, "site_web": "https://exemple.fr/"})
    )
    assert [line.text for line in online.notices] == said
    page = [line.text for line in online.notices + [line for part in online.parts for line in part.lines]]
    assert not [text for text in page if "lieu" in text or "venir" in text]


def _said(sheet: EasyReadSheet) -> list[str]:
    """Every heading, sentence and listed item of an easy-read page."""
    lines = sheet.notices + [line for part in sheet.parts for line in part.lines]
    return [part.heading for part in sheet.parts] + [text for line in lines for text in (line.text, *map(str, line.items))]


@pytest.mark.parametrize(("telephone", "when"), [("01 23 45 67 89", "Quand appeler ?"), (None, "Quels jours, à quelle heure ?")])
def test_the_hours_of_a_record_without_a_place_speak_of_no_place_to_come_to(telephone, when):
    """A phone line with its hours (a national network's) read « Quand venir ? », « Vous pouvez venir sans papier
    du médecin. » and « Les autres jours, ce lieu est fermé. »: a person would look for a place to go to."""
    hours = {
        "horaires": "Mo-Fr 09:00-17:00; Jul-Aug Mo-Fr 10:00-12:00; PH off",
        "fermetures": [{"du": "2026-12-24", "au": "2027-01-02"}],
        "horaires_exceptionnels": [{"du": "2026-12-10", "au": "2026-12-12", "horaires": "Th 14:00-16:00"}],
        "acces": ["sans_orientation", "prescription"],
        "telephone": telephone,
        "site_web": "https://exemple.fr/",
    }
    data = {**GEM, "id": "ligne", "type": "ressource", "categorie": "autre", **hours}
    dated = [{**source, "date": data["verifie_le"]} for source in data["sources"]]
    line = sheet(Ressource.model_validate({**data, "sources": dated, "territoire": {"national": True}}))
    said = _said(line)
    assert [part.heading for part in line.parts] == ["C'est quoi ?", "Que faut-il pour en profiter ?", when, "Où ?", "Qui contacter ?"]
    assert "Les autres jours, c'est fermé." in said and "Les jours fériés, c'est fermé." in said
    assert "C'est fermé du 24 décembre 2026 au 2 janvier 2027." in said and "le samedi 12 décembre, c'est fermé." in said
    assert "Vous n'avez pas besoin de papier du médecin." in said
    assert [text for text in said if "lieu" in text or "venir" in text] == []
    # The same hours, with an address: a place one comes to.
    place = _said(sheet(Ressource.model_validate({**data, "sources": dated, "adresse": ADDRESS})))
    assert "Que faut-il pour venir ?" in place and "Quand venir ?" in place and "Vous pouvez venir sans papier du médecin." in place
    assert "Les autres jours, ce lieu est fermé." in place and "Les jours fériés, ce lieu est fermé." in place
    assert "Ce lieu est fermé du 24 décembre 2026 au 2 janvier 2027." in place and "le samedi 12 décembre, ce lieu est fermé." in place


def test_contacts_are_shown_as_written_with_their_links():
    parts = {
        part.heading: part.lines for part in sheet(gem(adresse=ADDRESS, telephone="+33612345678", site_web="https://exemple.fr/")).parts
    }
    assert parts["Qui contacter ?"] == [
        Line("Vous pouvez appeler ce numéro :", Value("06 12 34 56 78", "tel:+33612345678")),
        Line("Vous pouvez lire son site internet :", Value("https://exemple.fr/", "https://exemple.fr/")),
    ]


def test_without_contact_details_the_page_names_whom_to_ask_with_their_contacts():
    partner = gem(id="gem-voisin", nom="GEM Voisin", adresse=ADDRESS, telephone="01 23 45 67 89", courriel="contact@exemple.fr")
    centre = PublishingCentre("Centre ressource", [Contact("tel:+33130441749", "01 30 44 17 49")])
    ways_in = WaysIn([WayIn(Entry(partner, Place()), "partenaire de la structure")], centre)
    parts = {part.heading: part.lines for part in sheet(gem(adresse=ADDRESS), ways_in).parts}
    assert parts["Qui contacter ?"] == [
        Line("Nous n'avons pas de numéro de téléphone."),
        Line("Ces contacts peuvent vous renseigner."),
        Line("Vous pouvez contacter :", Value("GEM Voisin", page="facile/structures/gem-voisin.md")),
        Line("Vous pouvez appeler ce numéro :", Value("01 23 45 67 89", "tel:+33123456789")),
        Line("Vous pouvez écrire un e-mail à cette adresse :", Value("contact@exemple.fr", "mailto:contact@exemple.fr")),
        Line("Vous pouvez contacter :", Value("Centre ressource")),
        Line("Vous pouvez appeler ce numéro :", Value("01 30 44 17 49", "tel:+33130441749")),
    ]
    # A record with contact details of its own gives those only.
    own = {part.heading: part.lines for part in sheet(gem(adresse=ADDRESS, telephone="0612345678"), ways_in).parts}
    assert own["Qui contacter ?"] == [Line("Vous pouvez appeler ce numéro :", Value("06 12 34 56 78", "tel:+33612345678"))]


# --- In the built site ----------------------------------------------------------------------


def hrefs(html: str) -> list[str]:
    return re.findall(r'<a [^>]*href="([^"]+)"', html)


def test_each_record_page_and_its_easy_read_version_link_to_each_other(built_site):
    for page in sorted((built_site / "structures").glob("*/index.html")):
        record_id = page.parent.name
        easy = built_site / "facile" / "structures" / record_id / "index.html"
        assert f"facile/structures/{record_id}/" in {
            urljoin(f"structures/{record_id}/", href) for href in hrefs(page.read_text(encoding="utf-8"))
        }
        assert f"structures/{record_id}/" in {
            urljoin(f"facile/structures/{record_id}/", href) for href in hrefs(easy.read_text(encoding="utf-8"))
        }


def test_easy_read_pages_are_bulk_pages_out_of_the_search_index(built_site):
    index = Index(built_site / BUNDLE_FOLDER)
    assert not [url for url in index.number if url.startswith("facile/structures/")]
    # A search made from an easy-read page leads to them through the record's result.
    assert index.row("structures/clubhouse-france/")["easy_read"] == "facile/structures/clubhouse-france/"
    assert not (built_site / "facile" / "structures" / "passerelle-layout").exists()
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "facile/structures/clubhouse-france/</loc>" in sitemap
    assert "<title>Association Clubhouse France (facile à lire)" in (
        built_site / "facile/structures/clubhouse-france/index.html"
    ).read_text(encoding="utf-8")


def test_the_shipped_data_shows_its_facts_in_easy_read(built_site):
    page = (built_site / "facile" / "structures" / "clubhouse-france" / "index.html").read_text(encoding="utf-8")
    assert "43 rue du Télégraphe, 75020 Paris" in page
    assert ">01 30 44 17 49</a>" in page
    assert "Ces informations sont peut-être anciennes." in page  # verified in 2022
    gem_page = texts((built_site / "facile" / "structures" / "gem-l-eclaircie" / "index.html").read_text(encoding="utf-8"))
    assert "Vous pouvez venir sans papier du médecin." in gem_page
    # The record has no phone, e-mail or web site: its page says whom to ask, as the record page does.
    assert gem_page[gem_page.index("Qui contacter ?") :][:4] == [
        "Qui contacter ?",
        "Nous n'avons pas de numéro de téléphone.",
        "Ces contacts peuvent vous renseigner.",
        f"Vous pouvez contacter : {rules.VALUE_WORD}",
    ]
    html = (built_site / "facile" / "structures" / "gem-l-eclaircie" / "index.html").read_text(encoding="utf-8")
    # The GEM networks the site names (coverage_networks in mkdocs.yml), each to its easy-read page.
    assert '<a href="../cnigem/">CNIGEM — Collectif national inter-GEM</a>' in html
    assert '<a href="http://www.cnigem.fr/" rel="noopener">http://www.cnigem.fr/</a>' in html
    assert Kind.GEM.easy_read.split(". ")[0] + "." in gem_page
    # Announced in 2022, « À confirmer » on its record page: not said « pas encore ouvert » in easy-read.
    assert "À confirmer" in (built_site / "structures" / "collectif-bretagne-en-installation" / "index.html").read_text(encoding="utf-8")
    installing = texts(
        (built_site / "facile" / "structures" / "collectif-bretagne-en-installation" / "index.html").read_text(encoding="utf-8")
    )
    assert "Ce lieu n'est pas encore ouvert." not in installing

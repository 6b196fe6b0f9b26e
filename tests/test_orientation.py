"""The decision helper: the tree's checks, and the pages built from the shipped tree."""

from __future__ import annotations

import re
import textwrap
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from generator.catalogue import load_catalogue
from generator.geo.gazetteer import Gazetteer
from generator.problems import DataError
from generator.site.orientation import DEFAULT_TREE, load_tree
from tests.sitebuild import ROOT


@pytest.fixture(scope="module")
def shipped_records():
    return list(load_catalogue(ROOT / "data", Gazetteer.load()).records.values())


VALID = """\
titre: "Quel dispositif ?"
presentation: "Quelques questions."
depart: debut
questions:
  debut:
    question: "Pour qui ?"
    reponses:
      - texte: "Pour moi"
        vers: envie
      - texte: "Pour un proche"
        vers: proches
  envie:
    question: "Qu'est-ce qui compte ?"
    reponses:
      - texte: "Rencontrer du monde"
        vers: gem
      - texte: "Travailler"
        vers: travail
issues:
  gem:
    titre: "Un GEM"
    propositions:
      - type: gem
        titre: "Un GEM"
        pourquoi: "Pour rencontrer du monde."
        attendre: "On y va librement."
  travail:
    titre: "Le travail"
    propositions:
      - type: esms
        categorie: esat
        titre: "Un ESAT"
        pourquoi: "Pour travailler avec un accompagnement."
        attendre: "Il faut une décision de la CDAPH."
  proches:
    titre: "Pour les proches"
    intro: "Des associations de familles existent."
"""


def write_tree(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "orientation.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def line_of(text: str, fragment: str, occurrence: int = 1) -> int:
    """1-based line of the n-th line containing `fragment`."""
    found = [number for number, line in enumerate(text.splitlines(), start=1) if fragment in line]
    return found[occurrence - 1]


def problems_of(path: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_tree(path)
    return [str(problem) for problem in caught.value.problems]


def test_a_valid_tree_loads_with_its_parents(tmp_path):
    tree = load_tree(write_tree(tmp_path, VALID))
    assert tree.parents["envie"] == ["debut"]
    assert tree.path("debut") == "orientation/index.md"
    assert tree.path("gem") == "orientation/gem.md"
    esat = tree.issues["travail"].propositions[0]
    assert (esat.label, esat.finder_query) == ("ESAT", "?type=esms&categorie=esat")


def test_an_answer_leading_nowhere_is_a_dead_end(tmp_path):
    text = VALID.replace("vers: travail", "vers: travial")
    path = write_tree(tmp_path, text)
    dead_end, unreachable = problems_of(path)  # sorted by line: « travail » is reached by no answer now
    assert dead_end.startswith(f"{path}:{line_of(text, 'vers: travial')}:")
    assert "réponse sans suite : « travial » n'est ni une question ni une issue" in dead_end
    assert "vouliez-vous dire « travail » ?" in dead_end
    assert "issue « travail » inaccessible" in unreachable


def test_a_loop_is_rejected_with_its_path(tmp_path):
    # « envie » offers to go back to « debut »: walking the helper could never end.
    text = VALID.replace(
        '      - texte: "Travailler"\n        vers: travail',
        '      - texte: "Recommencer"\n        vers: debut\n      - texte: "Travailler"\n        vers: travail',
    )
    path = write_tree(tmp_path, text)
    [problem] = problems_of(path)
    assert problem.startswith(f"{path}:{line_of(text, 'vers: debut')}:")
    assert "boucle : debut → envie → debut" in problem


def test_a_node_no_answer_leads_to_is_unreachable(tmp_path):
    text = VALID.replace("issues:\n", 'issues:\n  oubliee:\n    titre: "Personne n\'arrive ici"\n    intro: "Texte."\n')
    path = write_tree(tmp_path, text)
    [problem] = problems_of(path)
    assert problem.startswith(f"{path}:{line_of(text, 'oubliee:')}:")
    assert "issue « oubliee » inaccessible" in problem


def test_every_problem_is_reported_at_once(tmp_path):
    text = VALID.replace("categorie: esat", "categorie: esta")
    text = text.replace('    intro: "Des associations de familles existent."\n', "")
    path = write_tree(tmp_path, text)
    problems = problems_of(path)
    assert any("catégorie inconnue « esta » pour le type esms" in p for p in problems)
    assert any("issue vide" in p and f":{line_of(text, '  proches:')}:" in p for p in problems)


def test_an_unknown_field_is_named(tmp_path):
    text = VALID.replace('    question: "Pour qui ?"', '    question: "Pour qui ?"\n    aidee: "x"')
    path = write_tree(tmp_path, text)
    [problem] = problems_of(path)
    assert f":{line_of(text, 'aidee')}:" in problem and "champ inconnu" in problem and "aide" in problem


def test_the_shipped_tree_is_valid_and_points_to_existing_guides():
    tree = load_tree(DEFAULT_TREE)
    for outcome in tree.issues.values():
        for proposal in outcome.propositions:
            for guide in proposal.guides:
                assert (ROOT / "content" / guide.page).is_file(), guide.page


# --- The built pages -----------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.append((dict(attrs).get("href", ""), dict(attrs)))


def content_links(html: str) -> list[str]:
    start, end = html.index('<article class="md-content__inner'), html.index("</article>")
    parser = _Links()
    parser.feed(html[start:end])
    return [href for href, _ in parser.links]


def page_url(path: str) -> str:
    return "/" + (path.removesuffix(".md").removesuffix("index") if path.endswith("index.md") else path.removesuffix(".md") + "/")


def test_every_node_has_a_page_whose_answers_lead_to_the_next(built_site):
    tree = load_tree(DEFAULT_TREE)
    for question_id, question in tree.questions.items():
        url = page_url(tree.path(question_id))
        links = content_links((built_site / url.lstrip("/") / "index.html").read_text(encoding="utf-8"))
        targets = {urlsplit(urljoin(url, href)).path for href in links}
        for answer in question.reponses:
            assert page_url(tree.path(answer.vers)) in targets, (question_id, answer.vers)
        if question_id != tree.depart:
            assert "/orientation/" in targets  # « Recommencer »
            for parent in tree.parents[question_id]:
                assert page_url(tree.path(parent)) in targets  # the way back


def test_outcomes_link_to_the_prefiltered_finder_and_to_existing_pages(built_site, shipped_records):
    tree = load_tree(DEFAULT_TREE)
    for outcome_id, outcome in tree.issues.items():
        url = page_url(tree.path(outcome_id))
        html = (built_site / url.lstrip("/") / "index.html").read_text(encoding="utf-8")
        links = content_links(html)
        finder = [urljoin(url, href) for href in links if urlsplit(urljoin(url, href)).path == "/trouver/"]
        # A finder link only where it lists something; elsewhere the page says where to look.
        listed = [proposal for proposal in outcome.propositions if any(proposal.finds(record) for record in shipped_records)]
        assert [link.replace("&amp;", "&") for link in finder] == [f"/trouver/{proposal.finder_query}" for proposal in listed]
        assert html.count('class="pa-proposal__none"') == len(outcome.propositions) - len(listed)
        assert "3114" in html and 'href="tel:15"' in html
        for href in links:
            parts = urlsplit(urljoin(url, href))
            if parts.scheme or parts.netloc:
                continue  # tel: links
            target = built_site / parts.path.lstrip("/")
            assert (target / "index.html").is_file() or target.is_file(), (outcome_id, href)


def test_a_proposal_for_a_public_finds_only_what_receives_it(tmp_path, shipped_records):
    text = VALID.replace('    intro: "Des associations de familles existent."\n', "").replace(
        '  proches:\n    titre: "Pour les proches"\n',
        '  proches:\n    titre: "Pour les proches"\n    propositions:\n      - type: ressource\n        public: proches\n'
        '        titre: "Une association de familles"\n        pourquoi: "Pour être soutenu."\n        attendre: "De l\'écoute."\n',
    )
    [proposal] = load_tree(write_tree(tmp_path, text)).issues["proches"].propositions
    assert proposal.finder_query == "?type=ressource&public=proches"
    assert proposal.label == "Ressource (proches et aidants)"
    found = sorted(record.id for record in shipped_records if proposal.finds(record))
    assert "unafam" in found and "unaftc" in found and not any(record_id.startswith("gem") for record_id in found)


def test_every_proposal_lists_shipped_records_or_says_where_to_look(shipped_records):
    tree = load_tree(DEFAULT_TREE)
    silent = [
        (outcome_id, proposal.label)
        for outcome_id, outcome in tree.issues.items()
        for proposal in outcome.propositions
        if not proposal.ou_chercher and not any(proposal.finds(record) for record in shipped_records)
    ]
    assert silent == []


def test_a_proposal_without_records_says_where_to_look_instead_of_linking_to_an_empty_list(built_site):
    html = re.sub(r"</?abbr[^>]*>", "", (built_site / "orientation" / "jeune" / "index.html").read_text(encoding="utf-8"))
    assert "Cet annuaire ne recense pas encore de fiche « MDPH »." in html
    assert "<h3>Où chercher</h3>" in html and "Il y a une MDPH dans chaque département" in html
    assert "Chercher près de chez vous : MDPH" not in html


def test_the_helper_is_in_the_navigation(built_site):
    html = (built_site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'href="orientation/"[^>]*>\s*(<[^>]+>\s*)*Quel dispositif', html)

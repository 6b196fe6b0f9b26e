"""The decision helper « Quel dispositif pour quelle situation ? ».

The question path is data (`orientation.yaml` of the data folder, or the one
shipped in `defaults/`): questions whose answers
lead to another question or to an outcome; an outcome proposes kinds of
structure, each with why, what to expect, and a link to the finder. The tree
is checked as a graph before anything is published: an answer must lead
somewhere known, no path may loop, and every node must be reachable from the
first question. Each question and each outcome becomes one plain page, so the
helper works without JavaScript.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from generator.problems import DataError, Problem
from generator.records.models import ID_PATTERN, Record
from generator.records.validation import explain
from generator.records.vocabulary import CategorieEsms, CategorieRessource, Kind, Public, Statut, Vocabulary
from generator.records.yamlfile import YamlDocument, read_yaml
from generator.site.model import SiteModel
from generator.site.pages import Page, section_path

DEFAULT_TREE = Path(__file__).resolve().parent / "defaults" / "orientation.yaml"
ROOT_PATH = "orientation/index.md"

NodeId = Annotated[str, Field(pattern=ID_PATTERN, max_length=60)]
Text = Annotated[str, Field(min_length=1, max_length=2000)]
# Guides and easy-to-read pages are the only pages an outcome points to.
GuidePage = Annotated[str, Field(pattern=r"^(guides|facile)/[a-z0-9-]+\.md$")]

CATEGORIES: dict[Kind, type[Vocabulary]] = {Kind.ESMS: CategorieEsms, Kind.RESSOURCE: CategorieRessource}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Answer(_Model):
    texte: Text
    precision: Text | None = None
    vers: NodeId = Field(description="Identifiant de la question suivante ou de l'issue.")


class Question(_Model):
    question: Text
    aide: Text | None = Field(None, description="Explication courte, en Markdown, sous la question.")
    reponses: list[Answer] = Field(min_length=1)


class GuideLink(_Model):
    page: GuidePage
    titre: Text


class Proposal(_Model):
    """One kind of structure (optionally one category of it, for one public) proposed by an outcome."""

    type: Kind
    categorie: str | None = None
    public: Public | None = Field(
        None, description="Le public de la personne qui cherche : le lien ne trouve que les lieux qui l'accueillent."
    )
    titre: Text
    pourquoi: Text
    attendre: Text
    ou_chercher: Text | None = Field(
        None, description="Où chercher ailleurs, en Markdown : affiché toujours, et seul quand l'annuaire n'a aucune fiche de ce type."
    )
    guides: list[GuideLink] = Field(default_factory=list)

    @model_validator(mode="after")
    def _known_category(self) -> Proposal:
        if self.categorie is None:
            return self
        vocabulary = CATEGORIES.get(self.type)
        if vocabulary is None:
            raise ValueError(f"le type « {self.type.value} » n'a pas de catégories : retirez « categorie »")
        if self.categorie not in {member.value for member in vocabulary}:
            raise ValueError(
                f"catégorie inconnue « {self.categorie} » pour le type {self.type.value} (possibles : {', '.join(m.value for m in vocabulary)})"
            )
        return self

    @property
    def label(self) -> str:
        """What the finder will list: the category's name when there is one (« SAVS »), else the kind's."""
        label = self.type.label if self.categorie is None else CATEGORIES[self.type](self.categorie).label
        return f"{label} ({self.public.label.lower()})" if self.public else label

    @property
    def finder_query(self) -> str:
        """Query string of the finder pre-filtered for this proposal (parameter names of `trouver/`)."""
        query = f"?type={self.type.value}"
        if self.categorie:
            query += f"&categorie={self.categorie}"
        return f"{query}&public={self.public.value}" if self.public else query

    def finds(self, record: Record) -> bool:
        """Would the finder's link list this record? (A closed structure is in no finder list.)"""
        return (
            record.type == self.type
            and record.statut != Statut.FERME
            and (self.categorie is None or getattr(record, "categorie", None) == self.categorie)
            and (self.public is None or self.public in record.publics)
        )

    @property
    def section_path(self) -> str:
        return section_path(self.type)


class Outcome(_Model):
    titre: Text
    intro: Text | None = Field(None, description="Texte en Markdown avant les propositions.")
    propositions: list[Proposal] = Field(default_factory=list)

    @model_validator(mode="after")
    def _not_empty(self) -> Outcome:
        if not self.propositions and not self.intro:
            raise ValueError("issue vide : donnez au moins une proposition ou un texte « intro »")
        return self


class Tree(_Model):
    titre: Text
    presentation: Text = Field(description="Texte en Markdown affiché au-dessus de la première question.")
    depart: NodeId
    questions: dict[NodeId, Question] = Field(min_length=1)
    issues: dict[NodeId, Outcome] = Field(min_length=1)

    def edges(self) -> Iterator[tuple[str, int, str]]:
        """(question id, answer index, target id) for every answer."""
        for question_id, question in self.questions.items():
            for index, answer in enumerate(question.reponses):
                yield question_id, index, answer.vers

    @cached_property
    def parents(self) -> dict[str, list[str]]:
        """The questions leading to each node, in file order and without repeats."""
        found: dict[str, list[str]] = {}
        for question_id, _, target in self.edges():
            sources = found.setdefault(target, [])
            if question_id not in sources:
                sources.append(question_id)
        return found

    def path(self, node_id: str) -> str:
        """Docs path of a node's page: the first question is the helper's front page."""
        return ROOT_PATH if node_id == self.depart else f"orientation/{node_id}.md"

    def where_else(self, kind: Kind) -> list[str]:
        """Where to look elsewhere for structures of `kind` (the proposals' `ou_chercher`), each once, in the tree's order."""
        texts = (p.ou_chercher for outcome in self.issues.values() for p in outcome.propositions if p.type == kind and p.ou_chercher)
        return list(dict.fromkeys(texts))


def load_tree(path: Path = DEFAULT_TREE) -> Tree:
    """Read and check the decision tree; raise DataError with every problem, each at its line."""
    document = read_yaml(path)
    if document.problems:
        raise DataError(document.problems)
    try:
        tree = Tree.model_validate(document.data)
    except ValidationError as error:
        raise DataError(explain(error, Tree, document)) from None
    problems = check_graph(tree, document)
    if problems:
        raise DataError(problems)
    return tree


def check_graph(tree: Tree, document: YamlDocument) -> list[Problem]:
    """Dead ends, loops and unreachable nodes, reported where they can be fixed."""
    problems: list[Problem] = []
    for node_id in tree.questions.keys() & tree.issues.keys():
        problems.append(
            document.problem(
                ("issues", node_id),
                f"identifiant « {node_id} » utilisé par une question et par une issue",
                "donnez-leur deux noms différents",
            )
        )
    nodes = tree.questions.keys() | tree.issues.keys()
    for question_id, index, target in tree.edges():
        if target not in nodes:
            guess = difflib.get_close_matches(target, nodes, n=1)
            hint = f"vouliez-vous dire « {guess[0]} » ?" if guess else "indiquez l'identifiant d'une question ou d'une issue du fichier"
            problems.append(
                document.problem(
                    ("questions", question_id, "reponses", index, "vers"),
                    f"réponse sans suite : « {target} » n'est ni une question ni une issue",
                    hint,
                )
            )
    if tree.depart not in tree.questions:
        problems.append(
            document.problem(("depart",), f"question de départ inconnue « {tree.depart} »", "indiquez l'identifiant d'une question")
        )
        return problems
    reached, loops = _walk(tree)
    for question_id, index, cycle in loops:
        problems.append(
            document.problem(
                ("questions", question_id, "reponses", index, "vers"),
                f"boucle : {' → '.join(cycle)}",
                "une réponse mène toujours plus loin, jamais vers une question déjà posée sur ce chemin",
            )
        )
    for group, members in (("questions", tree.questions), ("issues", tree.issues)):
        for node_id in members:
            if node_id not in reached:
                noun = "question" if group == "questions" else "issue"
                problems.append(
                    document.problem(
                        (group, node_id),
                        f"{noun} « {node_id} » inaccessible : aucune réponse n'y mène depuis « {tree.depart} »",
                        "ajoutez une réponse qui y mène, ou retirez-la",
                    )
                )
    return problems


def _walk(tree: Tree) -> tuple[set[str], list[tuple[str, int, list[str]]]]:
    """Depth-first walk from the first question: nodes reached, and answers that close a loop.

    Iterative, so a long chain in a hand-written file cannot exhaust Python's stack.
    """
    reached = {tree.depart}
    on_path = [tree.depart]
    loops: list[tuple[str, int, list[str]]] = []
    stack = [(tree.depart, 0)]
    while stack:
        question_id, index = stack[-1]
        answers = tree.questions[question_id].reponses
        if index == len(answers):
            stack.pop()
            on_path.pop()
            continue
        stack[-1] = (question_id, index + 1)
        target = answers[index].vers
        if target in on_path:
            loops.append((question_id, index, [*on_path[on_path.index(target) :], target]))
        elif target not in reached:
            reached.add(target)
            if target in tree.questions:
                on_path.append(target)
                stack.append((target, 0))
    return reached, loops


def orientation_pages(site: SiteModel) -> list[Page]:
    tree = site.orientation
    pages = []
    for node_id, question in tree.questions.items():
        first = node_id == tree.depart
        pages.append(
            Page(
                tree.path(node_id),
                tree.titre if first else question.question,
                "orientation_question.html",
                {"tree": tree, "node_id": node_id, "question": question, "first": first},
                description=tree.titre,
                searchable=first,
            )
        )
    records = [entry.record for entry in site.entries.values()]
    for node_id, outcome in tree.issues.items():
        # How many records each proposal's finder link lists: with none, the page says
        # where to look instead of sending the person to an empty list.
        found = [sum(proposal.finds(record) for record in records) for proposal in outcome.propositions]
        pages.append(
            Page(
                tree.path(node_id),
                outcome.titre,
                "orientation_outcome.html",
                {"tree": tree, "node_id": node_id, "outcome": outcome, "found": found},
                description=f"{tree.titre} — {outcome.titre}",
            )
        )
    return pages

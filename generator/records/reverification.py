"""When records are due for re-verification, and the campaign under way.

`data/reverification.yaml` (optional) holds the resource centre's setting — how many
months a verification stays valid — and the current campaign, written by
`passerelle campagne`: its start and what it covers. The file is checked like a
record: a mistake is reported with its line and a hint, and blocks the build.
"""

from __future__ import annotations

import calendar
from datetime import date
from pathlib import Path

from pydantic import Field, ValidationError

from generator.problems import Problem
from generator.records.models import CodeDepartement, DatePassee, Model
from generator.records.validation import explain
from generator.records.vocabulary import Kind
from generator.records.yamlfile import read_yaml

FILE_NAME = "reverification.yaml"
DEFAULT_MONTHS = 12


class Campagne(Model):
    """A re-verification campaign: the records it covers were asked to confirm their facts."""

    debut: DatePassee = Field(description="Date où la campagne a commencé (AAAA-MM-JJ).")
    departements: list[CodeDepartement] = Field(default_factory=list, description="Départements couverts ; aucun : tous.")
    types: list[Kind] = Field(default_factory=list, description="Types de fiches couverts ; aucun : tous.")


class Reverification(Model):
    delai_mois: int = Field(
        DEFAULT_MONTHS, ge=1, le=120, description="Une fiche vérifiée il y a plus de ce nombre de mois est à revérifier."
    )
    campagne: Campagne | None = None

    def due_before(self, today: date) -> date:
        """Records verified before this date are due: `delai_mois` months before `today`."""
        return months_before(today, self.delai_mois)

    def delay_text(self) -> str:
        """The delay in words, for pages and messages: « 12 mois »."""
        return f"{self.delai_mois} mois"


def months_before(day: date, months: int) -> date:
    """The same day `months` months earlier, or the month's last day (31 March − 1 month = 28/29 February)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def read_reverification(data_dir: Path) -> tuple[Reverification, list[Problem]]:
    """The settings of `data_dir` (defaults when the file is absent), and the problems of the file."""
    path = data_dir / FILE_NAME
    if not path.is_file():
        return Reverification(), []
    document = read_yaml(path)
    if document.problems:
        return Reverification(), document.problems
    try:
        return Reverification.model_validate(document.data or {}), []
    except ValidationError as error:
        return Reverification(), explain(error, Reverification, document)

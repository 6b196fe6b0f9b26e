"""Reference counts: how many structures of a kind exist in a territory, according to a named, dated source.

A directory that lists 3 GEM while France had 430 at the end of 2016 must say so.
`data/references.yaml` (optional) holds such figures — « 430 GEM en France au
31 décembre 2016, selon la CNSA » —, each with its source and the date it is true
at. The file is checked like a record: every mistake is reported with its line and
a hint, and blocks the build. Whether a département or région code exists is
checked against the gazetteer by the catalogue (`generator/catalogue.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field, ValidationError, ValidationInfo, field_validator, model_validator

from generator import clock
from generator.problems import Problem
from generator.records.models import CODE_REGION, CodeDepartement, DatePartielle, FixableError, Model, Source, Texte, period_end
from generator.records.validation import explain
from generator.records.vocabulary import Kind, NatureNombre
from generator.records.yamlfile import YamlDocument, read_yaml

FILE_NAME = "references.yaml"
NATIONAL = "fr"
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def check_any_date(value: str) -> str:
    """AAAA, AAAA-MM or AAAA-MM-JJ, an existing day; a planned count's horizon may be ahead."""
    match = _DATE.fullmatch(value)
    if match is None:
        raise ValueError(f"date invalide « {value} » : écrivez AAAA, AAAA-MM ou AAAA-MM-JJ")
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        date(year, month, day)
    except ValueError:
        raise ValueError(f"date inexistante « {value} » : vérifiez le jour et le mois") from None
    return value


def period_start(value: str) -> date:
    """The first day a partial date covers: « 2018 » → 2018-01-01."""
    year, month, day = (int(part) if part else 1 for part in _DATE.fullmatch(value).groups())
    return date(year, month, day)


# Pydantic checks fields first: the model's own checks below only run on valid dates.
DateOuEcheance = Annotated[str, AfterValidator(check_any_date)]


class SourceDatee(Source):
    """A source whose date is known: a figure without one cannot be placed in time."""

    date: DatePartielle = Field(description="Date du document : AAAA, AAAA-MM ou AAAA-MM-JJ.")


class NombreDeReference(Model):
    """« 19 CLSM dans les Hauts-de-Seine en 2018, selon l'ARS Île-de-France »."""

    type: Kind = Field(description="Type de structures comptées.")
    national: bool = Field(False, description="true : le nombre vaut pour toute la France.")
    region: str | None = Field(None, pattern=CODE_REGION, description="Code INSEE de la région, ex. « 11 ».")
    departement: CodeDepartement | None = Field(None, description="Code du département, ex. « 92 ».")
    nombre: int = Field(ge=0, le=1_000_000, description="Nombre de structures selon la source.")
    nature: NatureNombre = Field(NatureNombre.RECENSES, description=NatureNombre.describe())
    selon: Texte = Field(description="Qui a compté, tel qu'on l'écrit après « selon » : « l'ARS Île-de-France », « la CNSA ».")
    note: Texte | None = Field(None, description="Précision utile, ex. « dont 62 actifs ».")
    source: SourceDatee
    # After `nature` and `source`: its check needs them.
    date: DateOuEcheance = Field(
        description="Date à laquelle le nombre est vrai (AAAA, AAAA-MM ou AAAA-MM-JJ) ; pour un objectif, son échéance."
    )

    @field_validator("date")
    @classmethod
    def _counted_before_said(cls, value: str, info: ValidationInfo) -> str:
        """Structures counted at a date: a date past, and not after the source that says it."""
        if info.data.get("nature", NatureNombre.RECENSES) != NatureNombre.RECENSES:
            return value
        if period_start(value) > clock.today():
            raise FixableError(
                f"la date {value} est dans le futur",
                "un nombre de structures recensées est daté du jour où elles ont été comptées ; un objectif s'écrit « nature: prevus »",
            )
        source = info.data.get("source")  # absent when the source is invalid: reported already
        if source is not None and period_start(value) > period_end(source.date):
            raise FixableError(
                f"nombre daté de {value}, mais sa source date de {source.date}",
                "une source ne peut compter des structures qu'à sa date ou avant : vérifiez les deux dates",
            )
        return value

    @model_validator(mode="after")
    def _one_territory(self) -> NombreDeReference:
        if int(self.national) + (self.region is not None) + (self.departement is not None) != 1:
            raise FixableError(
                "indiquez un seul territoire pour ce nombre",
                'écrivez « national: true », « region: "11" » ou « departement: "92" »',
            )
        return self

    @property
    def area(self) -> str:
        """The territory as the finder names it: « fr », « r11 » or a département code."""
        if self.departement is not None:
            return self.departement
        return f"r{self.region}" if self.region is not None else NATIONAL

    @property
    def territory_field(self) -> str:
        """The field that names the territory, to locate a problem with its code."""
        return "departement" if self.departement is not None else "region" if self.region is not None else "national"


class References(Model):
    nombres: list[NombreDeReference] = Field(default_factory=list, description="Les nombres de référence, un par territoire et par date.")


@dataclass
class ReferenceFile:
    """The valid reference counts of the data folder, where each stands in the file, and every problem."""

    nombres: list[NombreDeReference] = field(default_factory=list)
    indexes: list[int] = field(default_factory=list)  # each count's place in the file's list « nombres »
    document: YamlDocument | None = None
    problems: list[Problem] = field(default_factory=list)


def read_references(data_dir: Path) -> ReferenceFile:
    """The reference counts of `data_dir` (none when the file is absent) and the problems of the file.

    Each count is also checked on its own, so that the valid ones get the checks that
    need them all (repeated counts) and the gazetteer's (`catalogue.py`) in the same run.
    """
    path = data_dir / FILE_NAME
    if not path.is_file():
        return ReferenceFile()
    document = read_yaml(path, record=False)
    found = ReferenceFile(document=document, problems=list(document.problems))
    if document.problems:
        return found
    try:
        References.model_validate(document.data)
    except ValidationError as error:
        found.problems.extend(explain(error, References, document))
    items = document.data.get("nombres") if isinstance(document.data, dict) else None
    for index, item in enumerate(items if isinstance(items, list) else []):
        try:
            found.nombres.append(NombreDeReference.model_validate(item))
            found.indexes.append(index)
        except ValidationError:
            pass  # reported with its place in the file above
    found.problems.extend(_repeated(found))
    return found


def _repeated(found: ReferenceFile) -> list[Problem]:
    """The same figure written twice would be shown twice, or one would silently win."""
    seen: dict[tuple[Kind, str, NatureNombre, str], int] = {}
    problems = []
    for index, nombre in zip(found.indexes, found.nombres, strict=True):
        key = (nombre.type, nombre.area, nombre.nature, nombre.date)
        if key in seen:
            line = found.document.position(("nombres", seen[key]))[0]
            problems.append(
                found.document.problem(
                    ("nombres", index),
                    f"ce nombre ({nombre.type.value}, même territoire, même date) est déjà indiqué ligne {line}",
                    "gardez-en un seul ; un autre comptage s'écrit avec sa propre date",
                )
            )
        else:
            seen[key] = index
    return problems

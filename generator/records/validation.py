"""Pydantic's validation errors, in words a maintainer can act on.

Every data file of the project (records, the orientation tree, reference counts…)
is checked by a Pydantic model; this module turns what Pydantic reports into
located French problems, with a hint for the fix.
"""

from __future__ import annotations

import difflib
import re
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.problems import Problem
from generator.records.yamlfile import Location, YamlDocument

_MESSAGES = {
    "missing": "champ obligatoire manquant",
    "string_type": "doit être un texte",
    "int_parsing": "doit être un nombre entier",
    "int_type": "doit être un nombre entier",
    "int_from_float": "doit être un nombre entier",
    "float_parsing": "doit être un nombre",
    "float_type": "doit être un nombre",
    "bool_parsing": "doit être true ou false",
    "bool_type": "doit être true ou false",
    "date_parsing": "doit être une date AAAA-MM-JJ",
    "date_from_datetime_parsing": "doit être une date AAAA-MM-JJ",
    "date_type": "doit être une date AAAA-MM-JJ",
    "list_type": "doit être une liste (lignes commençant par « - »)",
    "model_type": "doit contenir des champs « nom: valeur » en retrait",
    "model_attributes_type": "doit contenir des champs « nom: valeur » en retrait",
    "dict_type": "doit contenir des champs « nom: valeur » en retrait",
}

PATTERN_MESSAGE = "format invalide"
PATTERN_HINTS = {
    "code_postal": '5 chiffres, entre guillemets de préférence : "92260"',
    "code_insee": '5 caractères, ex. "92032" ou "2A004"',
    "regions": 'code de région à 2 chiffres, ex. "11" pour l\'Île-de-France',
    "departements": 'code de département, ex. "92", "2A" ou "974"',
    "communes": 'code INSEE de commune, ex. "92032"',
    "partenaires": "nom de fichier d'une autre fiche, sans « .yaml »",
}


def explain(error: ValidationError, model: type[BaseModel], document: YamlDocument) -> list[Problem]:
    return [document.problem(tuple(item["loc"]), *describe(item, model)) for item in error.errors(include_url=False)]


def describe(item: Any, model: type[BaseModel]) -> tuple[str, str]:
    """One of Pydantic's errors as a French message and a hint (maybe empty); also for a value given other than in a file."""
    location: Location = tuple(item["loc"])
    kind, context = item["type"], item.get("ctx") or {}
    names = [part for part in location if isinstance(part, str)]
    last = names[-1] if names else ""
    hint = ""
    if kind == "extra_forbidden":
        message = "champ inconnu"
        known = _fields_at(model, location[:-1])
        guess = difflib.get_close_matches(str(location[-1]), known, n=1, cutoff=0.6)
        hint = f"vouliez-vous dire « {guess[0]} » ?" if guess else f"champs possibles : {', '.join(sorted(known))}"
    elif kind == "missing":
        message = _MESSAGES[kind]
        hint = f"ajoutez « {location[-1]}: … »"
    elif kind == "enum":
        message = f"valeur inconnue « {item['input']} »"
        # Pydantic lists them as "'a', 'b' or 'c'": in English, and quoted for developers.
        allowed = re.findall(r"'([^']*)'", context.get("expected", ""))
        hint = f"valeurs possibles : {', '.join(allowed)}"
    elif kind in ("date_parsing", "date_from_datetime_parsing") and re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(item["input"])):
        message = f"date inexistante « {item['input']} »"
        hint = "vérifiez le jour et le mois (AAAA-MM-JJ)"
    elif kind == "string_pattern_mismatch":
        message = f"{PATTERN_MESSAGE} « {item['input']} »"
        hint = PATTERN_HINTS.get(last, "")
    elif kind == "value_error":
        message = str(context.get("error", item["msg"]))
        hint = getattr(context.get("error"), "hint", "")  # models.FixableError
    elif kind == "too_short" and context.get("min_length") == 1:
        message = "liste vide : au moins un élément est requis"
    elif kind in ("string_too_long", "too_long"):
        message = f"trop long (au plus {context.get('max_length')} caractères ou éléments)"
    elif kind == "string_too_short":
        message = "texte vide"
    elif kind in ("greater_than_equal", "less_than_equal"):
        bound = context.get("ge", context.get("le"))
        message = f"valeur hors limites « {item['input']} » ({'au moins' if 'ge' in context else 'au plus'} {bound})"
    else:
        message = _MESSAGES.get(kind, item["msg"])
    return message, hint


def _fields_at(model: type[BaseModel], location: Location) -> list[str]:
    """Field names allowed at `location` inside `model`, to suggest a fix for a typo."""
    current: Any = model
    for part in location:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", {})
        if part not in fields:
            return []
        current = submodel_of(fields[part].annotation)
    return list(getattr(current, "model_fields", {}))


def submodel_of(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        found = submodel_of(argument)
        if found is not None:
            return found
    return None

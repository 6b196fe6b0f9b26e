"""Load the `data/` folder into validated records, or say everything that is wrong.

Layout: `data/<kind>/<id>.yaml`, one record per file; the id is the file name.
Every problem of every file is collected before anything is reported, so a
maintainer fixes a whole batch in one pass.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .geocoding import read_cache
from .geography import Gazetteer
from .models import ID_PATTERN, MODELS, Record
from .places import Place, place_record
from .problems import DataError, Problem
from .vocabulary import Kind
from .yamlfile import MAX_BYTES, Location, YamlDocument, read_yaml

# Folders of `data/` that hold reference data rather than records.
REFERENCE_FOLDERS = {"geo"}


@dataclass(frozen=True)
class Catalogue:
    """Every valid record, where it is, and the file it came from."""

    records: dict[str, Record]
    places: dict[str, Place]
    files: dict[str, Path]


def load_catalogue(data_dir: Path, gazetteer: Gazetteer | None = None) -> Catalogue:
    """Read and check every record under `data_dir`; raise DataError listing all problems."""
    gazetteer = gazetteer or Gazetteer.load()
    problems: list[Problem] = []
    documents: dict[str, YamlDocument] = {}
    records: dict[str, Record] = {}
    if not data_dir.is_dir():
        raise DataError([Problem(data_dir, 1, 1, "", "dossier de données introuvable", "indiquez le dossier qui contient gem/, collectif/, clsm/…")])
    for path, kind in _record_files(data_dir, problems):
        record_id = path.stem
        if record_id in documents:
            other = documents[record_id].path
            problems.append(Problem(path, 1, 1, "id", f"identifiant « {record_id} » déjà utilisé par {other}", "chaque fiche a un nom de fichier unique, tous types confondus"))
            continue
        document, record = _read_record(path, record_id, kind, problems)
        documents[record_id] = document
        if record is not None:
            records[record_id] = record
    if not documents and not problems:
        problems.append(Problem(data_dir, 1, 1, "", "aucune fiche trouvée", f"ajoutez des fichiers dans {data_dir}/gem/, {data_dir}/collectif/… (voir « passerelle new »)"))
    problems.extend(_check_partners(records, documents))
    geocoded, cache_problems = read_cache(data_dir)
    problems.extend(cache_problems)
    places: dict[str, Place] = {}
    for record_id, record in records.items():
        place, messages = place_record(record, gazetteer, geocoded)
        places[record_id] = place
        problems.extend(documents[record_id].problem(location, message, hint) for location, message, hint in messages)
    if problems:
        raise DataError(problems)
    return Catalogue(records, places, {record_id: document.path for record_id, document in documents.items()})


# Valid records by file, for `mkdocs serve`: a rebuild after one edit parses one file.
# Records are immutable; a file is recognised by its content's digest, not its mtime,
# which file systems round too coarsely to notice a quick rewrite.
_valid_files: dict[Path, tuple[bytes, Kind, YamlDocument, Record]] = {}


def _read_record(path: Path, record_id: str, kind: Kind, problems: list[Problem]) -> tuple[YamlDocument, Record | None]:
    signature = hashlib.blake2b(path.read_bytes(), digest_size=16).digest() if path.stat().st_size <= MAX_BYTES else b""
    cached = _valid_files.get(path)
    if cached is not None and cached[0] == signature and cached[1] == kind:
        return cached[2], cached[3]
    document = read_yaml(path)
    problems.extend(document.problems)
    record = _validate(document, record_id, kind, problems) if document.data is not None else None
    if record is not None:
        _valid_files[path] = (signature, kind, document, record)
    return document, record


def _record_files(data_dir: Path, problems: list[Problem]) -> Iterable[tuple[Path, Kind]]:
    kinds = {kind.value: kind for kind in Kind}
    for folder in sorted(p for p in data_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if folder.name in REFERENCE_FOLDERS:
            continue
        kind = kinds.get(folder.name)
        if kind is None:
            guess = difflib.get_close_matches(folder.name, kinds, n=1)
            hint = f"vouliez-vous dire « {guess[0]} » ?" if guess else f"dossiers possibles : {', '.join(kinds)}"
            problems.append(Problem(folder, 1, 1, "", f"dossier inconnu « {folder.name} » : ses fiches ne seraient pas publiées", hint))
            continue
        for path in sorted(folder.iterdir()):
            # Hidden files are the editor's or the system's (.DS_Store, .x.yaml.swp)… unless they
            # look like a record, which would otherwise never be published.
            if path.name.startswith(".") and path.suffix != ".yaml":
                continue
            if path.suffix != ".yaml" or not path.is_file():
                problems.append(Problem(path, 1, 1, "", "fichier ignoré : une fiche est un fichier « .yaml »", f"renommez-le en {path.stem}.yaml ou retirez-le du dossier"))
            elif not _is_id(path.stem):
                problems.append(Problem(path, 1, 1, "id", f"nom de fichier « {path.stem} » invalide", "utilisez des minuscules sans accent, des chiffres et des tirets, ex. gem-l-eclaircie.yaml"))
            else:
                yield path, kind


def _is_id(text: str) -> bool:
    return re.fullmatch(ID_PATTERN, text) is not None and len(text) <= 80


def _validate(document: YamlDocument, record_id: str, folder_kind: Kind, problems: list[Problem]) -> Record | None:
    data = dict(document.data)
    if "id" in data:
        problems.append(document.problem(("id",), "champ « id » inutile", f"l'identifiant est le nom du fichier ({record_id}) : supprimez cette ligne"))
        return None
    declared = data.get("type")
    if declared is None:
        problems.append(document.problem((), "champ obligatoire manquant : type", f"ajoutez « type: {folder_kind.value} »"))
        return None
    if declared != folder_kind.value:
        problems.append(
            document.problem(("type",), f"le type « {declared} » ne correspond pas au dossier {folder_kind.value}/", f"écrivez « type: {folder_kind.value} » ou déplacez le fichier dans le dossier de son type")
        )
        return None
    model = MODELS[folder_kind]
    try:
        return model.model_validate({**data, "id": record_id})
    except ValidationError as error:
        problems.extend(explain(error, model, document))
        return None


def _check_partners(records: dict[str, Record], documents: dict[str, YamlDocument]) -> list[Problem]:
    problems = []
    for record_id, record in records.items():
        for index, partner in enumerate(record.partenaires):
            if partner == record_id:
                problems.append(documents[record_id].problem(("partenaires", index), f"la fiche « {record_id} » se cite elle-même dans partenaires", "retirez-la de sa propre liste"))
            elif partner not in documents:
                guess = difflib.get_close_matches(partner, documents, n=1)
                hint = f"vouliez-vous dire « {guess[0]} » ?" if guess else "indiquez le nom de fichier d'une fiche existante, sans « .yaml »"
                problems.append(documents[record_id].problem(("partenaires", index), f"partenaire inconnu « {partner} »", hint))
    return problems


# --- Pydantic errors, in words a maintainer can act on --------------------------------

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

_PATTERN_HINTS = {
    "code_postal": "5 chiffres, entre guillemets de préférence : \"92260\"",
    "code_insee": "5 caractères, ex. \"92032\" ou \"2A004\"",
    "regions": "code de région à 2 chiffres, ex. \"11\" pour l'Île-de-France",
    "departements": "code de département, ex. \"92\", \"2A\" ou \"974\"",
    "communes": "code INSEE de commune, ex. \"92032\"",
    "partenaires": "nom de fichier d'une autre fiche, sans « .yaml »",
}


def explain(error: ValidationError, model: type[BaseModel], document: YamlDocument) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
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
            message = f"format invalide « {item['input']} »"
            hint = _PATTERN_HINTS.get(last, "")
        elif kind == "value_error":
            message = str(context.get("error", item["msg"]))
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
        problems.append(document.problem(location, message, hint))
    return problems


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

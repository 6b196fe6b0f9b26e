"""The `passerelle` command: check the data, start a record, describe the format."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path

from jinja2 import Environment, PackageLoader

from .geography import Gazetteer, normalize
from .loading import load_catalogue
from .models import MODELS
from .problems import DataError
from .vocabulary import Kind

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="passerelle", description="Annuaire et orientation en santé mentale : outils des fiches.")
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="vérifie toutes les fiches et signale chaque problème")
    validate.add_argument("--data", type=Path, default=Path("data"), help="dossier des fiches (défaut : data)")
    validate.set_defaults(run=run_validate)

    new = commands.add_parser("new", help="crée une fiche à compléter")
    new.add_argument("kind", choices=[k.value for k in Kind], help="type de structure")
    new.add_argument("nom", help="nom de la structure, entre guillemets")
    new.add_argument("--data", type=Path, default=Path("data"))
    new.set_defaults(run=run_new)

    schema = commands.add_parser("schema", help="écrit les schémas JSON des fiches (pour l'autocomplétion des éditeurs)")
    schema.add_argument("--out", type=Path, default=Path("schemas"))
    schema.set_defaults(run=run_schema)

    locate = commands.add_parser("locate", help="trouve une commune par code postal, code INSEE ou nom")
    locate.add_argument("query", help="ex. 92260, 92032 ou « Fontenay-aux-Roses »")
    locate.set_defaults(run=run_locate)

    arguments = parser.parse_args(argv)
    return arguments.run(arguments)


def run_validate(arguments: argparse.Namespace) -> int:
    try:
        catalogue = load_catalogue(arguments.data)
    except DataError as error:
        print(error.report(), file=sys.stderr)
        return 1
    counts = Counter(record.type for record in catalogue.records.values())
    summary = ", ".join(f"{counts[kind]} {kind.value}" for kind in Kind)
    print(f"{len(catalogue.records)} fiches valides : {summary}")
    return 0


def run_new(arguments: argparse.Namespace) -> int:
    kind = Kind(arguments.kind)
    record_id = slugify(arguments.nom)
    path = arguments.data / kind.value / f"{record_id}.yaml"
    if path.exists():
        print(f"{path} existe déjà : choisissez un autre nom ou modifiez cette fiche.", file=sys.stderr)
        return 1
    environment = Environment(loader=PackageLoader("generator", "skeletons"), keep_trailing_newline=True)
    text = environment.get_template("record.yaml").render(
        kind=kind, nom=arguments.nom, today=date.today().isoformat(), schema=f"../../schemas/{kind.value}.schema.json"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"Fiche créée : {path}\nComplétez-la, puis lancez « passerelle validate ».")
    return 0


def run_schema(arguments: argparse.Namespace) -> int:
    arguments.out.mkdir(parents=True, exist_ok=True)
    for kind, schema in record_schemas().items():
        path = arguments.out / f"{kind.value}.schema.json"
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(path)
    return 0


def record_schemas() -> dict[Kind, dict]:
    """JSON Schemas of the YAML files: the `id` is the file name, so it is not a field."""
    schemas = {}
    for kind, model in MODELS.items():
        schema = model.model_json_schema()
        schema["properties"].pop("id")
        schema["required"].remove("id")
        schema["title"] = f"Fiche Passerelle : {kind.label}"
        schema["description"] = kind.description
        schemas[kind] = schema
    return schemas


def run_locate(arguments: argparse.Namespace) -> int:
    gazetteer = Gazetteer.load()
    found = gazetteer.locate(arguments.query)
    if not found:
        print(f"Aucune commune trouvée pour « {arguments.query} ».", file=sys.stderr)
        return 1
    for commune in found:
        departement = gazetteer.departement(commune.departement)
        region = gazetteer.region(commune.region)
        approx = " (position approchée)" if commune.approximate else ""
        print(
            f"{commune.nom} — INSEE {commune.insee} — {', '.join(commune.codes_postaux)} — "
            f"{departement.nom if departement else '?'} ({commune.departement}), {region.nom if region else '?'} ({commune.region}) — "
            f"{commune.lat:.5f}, {commune.lon:.5f}{approx}"
        )
    return 0


def slugify(text: str) -> str:
    return "-".join(normalize(text).replace("'", " ").split())[:80].strip("-")


if __name__ == "__main__":
    sys.exit(main())

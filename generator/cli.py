"""The `passerelle` command: check the data, start a record, describe the format."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import threading
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, PackageLoader

from generator import clock
from generator.catalogue import Catalogue, load_catalogue
from generator.engines import DEFAULT_ENGINE, ENGINES
from generator.french_parser import FrenchParser, french_messages
from generator.geo.gazetteer import Gazetteer, normalize
from generator.maintainers.confirmation import DEFAULT_DOCUMENT
from generator.problems import SITE_UNCHANGED, DataError, system_problem, system_reason
from generator.records.vocabulary import Kind
from generator.site.model import SiteModel

if TYPE_CHECKING:
    from generator.importers.data_inclusion import DataInclusionReport


def main(argv: list[str] | None = None) -> int:
    with french_messages():
        arguments = command_line().parse_args(argv)
    try:
        return arguments.run(arguments)
    except OSError as error:
        # What a command did not foresee (a folder it cannot write, a full disk): said, never a traceback.
        print(system_problem(error), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(STOPPED, file=sys.stderr)
        return 130


STOPPED = "Arrêté (Ctrl+C)."


def command_line() -> argparse.ArgumentParser:
    parser = FrenchParser(prog="passerelle", description="Annuaire et orientation en santé mentale : outils des fiches.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMANDE", title="commandes")

    validate = commands.add_parser("validate", help="vérifie toutes les fiches et signale chaque problème")
    _data_option(validate)
    validate.set_defaults(run=run_validate)

    new = commands.add_parser("new", help="crée une fiche à compléter")
    new.add_argument("kind", choices=KINDS, metavar="TYPE", help=f"type de structure : {', '.join(KINDS)}")
    new.add_argument("nom", metavar="NOM", help="nom de la structure, entre guillemets")
    _data_option(new)
    new.set_defaults(run=run_new)

    schema = commands.add_parser("schema", help="écrit les schémas JSON des fiches (pour l'autocomplétion des éditeurs)")
    schema.add_argument("--out", type=Path, default=Path("schemas"), metavar="DOSSIER", help="dossier des schémas (défaut : schemas)")
    schema.set_defaults(run=run_schema)

    locate = commands.add_parser("locate", help="trouve une commune par code postal, code INSEE ou nom")
    locate.add_argument("query", metavar="COMMUNE", help="ex. 92260, 92032 ou « Fontenay-aux-Roses »")
    locate.set_defaults(run=run_locate)

    build = commands.add_parser("build", help="construit le site ; en cas d'erreur, le site déjà publié reste intact")
    build.add_argument(
        "--engine", choices=ENGINES, default=DEFAULT_ENGINE, help=f"moteur qui met les pages en forme (défaut : {DEFAULT_ENGINE})"
    )
    build.add_argument(
        "--config-file", "-f", type=Path, default=Path("mkdocs.yml"), metavar="FICHIER", help="configuration du site (défaut : mkdocs.yml)"
    )
    build.add_argument(
        "--site-dir", "-d", type=Path, metavar="DOSSIER", help="dossier du site (défaut : site_dir de la configuration, « site »)"
    )
    build.set_defaults(run=run_build)

    stats = commands.add_parser(
        "stats",
        help="compte les fiches, liste celles à revérifier (plus de 12 mois, ou le délai de data/reverification.yaml) et celles sans statut",
    )
    _data_option(stats)
    stats.set_defaults(run=run_stats)

    campagne = commands.add_parser(
        "campagne", help="prépare un message pour chaque structure dont la fiche est à revérifier, et commence une campagne"
    )
    campagne.add_argument(
        "--departement", action="append", default=[], metavar="CODE", help="ne garder que ce département, ex. 92 (option répétable)"
    )
    campagne.add_argument(
        "--type",
        action="append",
        default=[],
        choices=KINDS,
        metavar="TYPE",
        help=f"ne garder que ce type de fiche : {', '.join(KINDS)} (répétable)",
    )
    campagne.add_argument(
        "--sortie",
        type=Path,
        required=True,
        metavar="DOSSIER",
        help="dossier où écrire les courriels (.eml), les courriers et campagne.csv",
    )
    campagne.add_argument("--nouvelle", action="store_true", help="commence une nouvelle campagne même si une autre est en cours")
    _data_option(campagne)
    campagne.add_argument(
        "--config-file", "-f", type=Path, default=Path("mkdocs.yml"), metavar="FICHIER", help="pour le nom, l'adresse et le contact du site"
    )
    campagne.set_defaults(run=run_campagne)

    verifie = commands.add_parser("verifie", help="enregistre qu'une structure a confirmé sa fiche (source datée et verifie_le)")
    verifie.add_argument("id", metavar="ID", help="identifiant de la fiche (nom du fichier sans « .yaml »)")
    verifie.add_argument(
        "--source", required=True, metavar="TEXTE", help="comment la fiche a été confirmée, ex. « Échange téléphonique avec la structure »"
    )
    verifie.add_argument(
        "--date", type=_day, default=None, metavar="AAAA-MM-JJ", help="date de la confirmation, AAAA-MM-JJ (défaut : aujourd'hui)"
    )
    verifie.add_argument("--url", metavar="ADRESSE", help="adresse web de la source, s'il y en a une (site de la structure…)")
    verifie.add_argument("--document", metavar="TEXTE", help=f"référence de la source sans adresse web (défaut : « {DEFAULT_DOCUMENT} »)")
    _data_option(verifie)
    verifie.set_defaults(run=run_verifie)

    edit = commands.add_parser("edit", help="ouvre l'éditeur des fiches dans le navigateur, sur les fichiers de ce dossier")
    _data_option(edit)
    edit.add_argument(
        "--theme",
        type=Path,
        default=Path("site_theme"),
        metavar="DOSSIER",
        help="dossier du thème, qui contient l'éditeur (défaut : site_theme)",
    )
    edit.add_argument("--port", type=_port, default=8081, help="port local (défaut : 8081)")
    edit.set_defaults(run=run_edit)

    importer = commands.add_parser("import", help="importe des fiches d'une source officielle").add_subparsers(
        dest="source", required=True, metavar="SOURCE", title="sources"
    )
    finess = importer.add_parser(
        "finess", help="crée ou met à jour les fiches ESMS depuis une extraction FINESS (CSV etalab ou JSON FINESS+)"
    )
    finess.add_argument("file", type=Path, metavar="FICHIER", help="etalab-cs1100507-stock-….csv ou export FINESS+ ….json")
    finess.add_argument(
        "--categories",
        action="append",
        metavar="CODES",
        help="codes de catégorie FINESS, ex. 246,445 (défaut : ESAT, SAMSAH, SAVS, FAM, foyers, MAS, EAM, EANM)",
    )
    finess.add_argument("--departements", action="append", metavar="CODES", help="ne garder que ces départements, ex. 92,93")
    _data_option(finess)
    finess.set_defaults(run=run_import_finess)
    inclusion = importer.add_parser(
        "data-inclusion", help="crée ou met à jour des fiches depuis un export data·inclusion (structures et services, JSON ou CSV)"
    )
    inclusion.add_argument(
        "files", type=Path, nargs="+", metavar="FICHIER", help="structures-….json ou .csv, et si possible services-….json ou .csv"
    )
    inclusion.add_argument("--departements", action="append", metavar="CODES", help="ne garder que ces départements, ex. 92,93")
    _data_option(inclusion)
    inclusion.add_argument("--non-repris", type=Path, metavar="LISTE.csv", help="écrit la liste complète des entrées non reprises")
    inclusion.set_defaults(run=run_import_data_inclusion)

    geocode = commands.add_parser(
        "geocode", help="(en ligne) trouve la position exacte des adresses et l'enregistre dans data/geo/geocodage.yaml"
    )
    _data_option(geocode)
    geocode.add_argument("--limit", type=_count, metavar="N", help="au plus N adresses à chercher")
    geocode.add_argument(
        "--service",
        choices=["ban", "nominatim"],
        default="ban",
        metavar="SERVICE",
        help="ban : la Base Adresse Nationale (défaut), ou nominatim",
    )
    geocode.add_argument("--delai", type=_seconds, default=1.0, metavar="SECONDES", help="secondes entre deux requêtes (défaut : 1)")
    geocode.set_defaults(run=run_geocode)

    return parser


KINDS = [kind.value for kind in Kind]


def _data_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--data", type=Path, default=Path("data"), metavar="DOSSIER", help="dossier des fiches (défaut : data)")


def data_folder_error(data: Path) -> str | None:
    """Why `data` (the --data option) is not a folder of records, with the folder to give instead; None when it is one.

    Run from another folder, or given the folder of one type, a command would otherwise report no record, or
    `passerelle new` or an import would start a second data folder that no build reads (a mistyped --data
    receiving thousands of records)."""
    if _holds_records(data):
        return None
    kinds = ", ".join(f"{kind}/" for kind in KINDS[:3]) + "…"
    if data.is_symlink() and not data.exists():
        problem = "ce lien ne mène à aucun dossier (lien cassé ou en boucle)"
    elif not data.exists():
        problem = "dossier introuvable"
    elif not data.is_dir():
        problem = "ce n'est pas un dossier"
    else:
        problem = f"ce dossier ne contient aucun dossier de fiches ({kinds})"
    if _holds_records(data.parent):
        fix = f"vouliez-vous dire --data {data.parent} ?"
    elif data.is_dir():
        fix = f"indiquez le dossier qui contient {kinds}, ou, pour commencer un annuaire, créez d'abord le dossier du type, ex. {data / 'gem'}"
    else:
        fix = f"lancez la commande depuis le dossier du dépôt, ou indiquez avec --data le dossier des fiches, qui contient {kinds}"
    return f"--data {data} : {problem} — {fix}"


def _wrong_data_folder(data: Path) -> bool:
    """Whether `data` is not a folder of records, said to the person when it is not."""
    error = data_folder_error(data)
    if error:
        print(error, file=sys.stderr)
    return error is not None


def _wrong_import_folder(data: Path) -> bool:
    """Like `_wrong_data_folder`, but an empty folder is where a new directory starts: an import may fill it.
    A folder that does not exist is refused: most often a mistyped --data, which would receive every record."""
    if data.is_dir() and not any(data.iterdir()):
        return False
    error = data_folder_error(data)
    if error and not data.exists() and not data.is_symlink():
        error += f" ; pour commencer un nouvel annuaire, créez d'abord le dossier vide {data}, puis relancez l'import"
    if error:
        print(error, file=sys.stderr)
    return error is not None


def _holds_records(folder: Path) -> bool:
    return any((folder / kind).is_dir() for kind in KINDS)


def _load_or_report(data: Path) -> Catalogue | None:
    """The checked records, or None once every problem is printed for the maintainer."""
    if _wrong_data_folder(data):
        return None
    try:
        return load_catalogue(data)
    except DataError as error:
        print(error.report(), file=sys.stderr)
        return None


def run_validate(arguments: argparse.Namespace) -> int:
    catalogue = _load_or_report(arguments.data)
    if catalogue is None:
        return 1
    counts = Counter(record.type for record in catalogue.records.values())
    summary = ", ".join(f"{counts[kind]} {kind.value}" for kind in Kind)
    print(f"{len(catalogue.records)} fiches valides : {summary}")
    if catalogue.references:
        print(f"{len(catalogue.references)} nombres de référence valides (references.yaml)")
    return 0


def run_build(arguments: argparse.Namespace) -> int:
    # Imported here: the other commands need neither the site nor an engine.
    from generator.build import BuildFailed
    from generator.build.pipeline import build_site
    from generator.engines import engine_named

    # What the build wants the person to know (no public address…) is printed as it comes.
    notices = logging.StreamHandler(sys.stderr)
    logging.getLogger("passerelle").addHandler(notices)
    try:
        site_dir = build_site(engine_named(arguments.engine), arguments.config_file, arguments.site_dir)
    except BuildFailed as error:
        print(f"{error}\n{SITE_UNCHANGED}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{STOPPED}\n{SITE_UNCHANGED}", file=sys.stderr)
        return 130
    finally:
        logging.getLogger("passerelle").removeHandler(notices)
    print(f"Site construit dans {site_dir}")
    return 0


def run_new(arguments: argparse.Namespace) -> int:
    kind = Kind(arguments.kind)
    record_id = slugify(arguments.nom)
    if not record_id:
        # The file name is made of the name's letters and digits: without any, it would be « .yaml », a hidden file.
        print(f"« {arguments.nom} » : le nom doit contenir au moins une lettre ou un chiffre.", file=sys.stderr)
        return 1
    if _wrong_data_folder(arguments.data):
        return 1
    path = arguments.data / kind.value / f"{record_id}.yaml"
    # Every type's folder: the file name is the record's identifier, unique across types.
    existing = next((other for other in (arguments.data / name / path.name for name in KINDS) if other.exists()), None)
    if existing == path:
        print(f"{path} existe déjà : choisissez un autre nom ou modifiez cette fiche.", file=sys.stderr)
        return 1
    if existing:
        print(
            f"{existing} existe déjà, avec le même identifiant « {record_id} » : l'identifiant d'une fiche est unique, "
            "tous types confondus. Choisissez un autre nom, ou modifiez cette fiche.",
            file=sys.stderr,
        )
        return 1
    environment = Environment(loader=PackageLoader("generator", "skeletons"), keep_trailing_newline=True)
    text = environment.get_template("record.yaml").render(
        kind=kind, nom=arguments.nom, today=clock.today().isoformat(), schema=f"../../schemas/{kind.value}.schema.json"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"Fiche créée : {path}\nComplétez-la, puis lancez « passerelle validate ».")
    return 0


def run_schema(arguments: argparse.Namespace) -> int:
    arguments.out.mkdir(parents=True, exist_ok=True)
    from generator.site.exports import record_schemas  # imported here: only this command needs it

    for kind, schema in record_schemas().items():
        path = arguments.out / f"{kind.value}.schema.json"
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(path)
    return 0


def run_stats(arguments: argparse.Namespace) -> int:
    catalogue = _load_or_report(arguments.data)
    if catalogue is None:
        return 1
    from generator.site.observatory import freshness  # imported here: numpy and scipy are slow to load

    report = freshness(SiteModel(catalogue, Gazetteer.load()))
    print(f"{'type':<12}{'fiches':>8}{'à revérifier':>14}  plus ancienne vérification")
    for line in report.kinds:
        oldest = line.oldest.isoformat() if line.oldest else "—"
        print(f"{line.kind.value:<12}{line.total:>8}{line.stale:>14}  {oldest}")
    print(f"\n{len(report.stale)} fiche(s) vérifiée(s) il y a plus de {report.delay}, la plus ancienne d'abord :")
    for entry in report.stale:
        print(f"  {entry.record.verifie_le.isoformat()}  {catalogue.files[entry.id]}  {entry.record.nom}")
    if report.unsaid:
        print(
            f"\n{len(report.unsaid)} fiche(s) sans statut : le site dit leur situation « à confirmer » et ne les compte pas"
            " comme ouvertes. Quand une source datée le dit, indiquez statut: actif (ou en_projet, ferme_temporairement, ferme) :"
        )
        for entry in report.unsaid:
            print(f"  {catalogue.files[entry.id]}  {entry.record.nom}")
    if report.stale_counts:
        print(f"\n{len(report.stale_counts)} nombre(s) de référence daté(s) de plus de {report.delay} (references.yaml) :")
        for coverage in report.stale_counts:
            print(f"  {coverage.count.date}  {coverage.statement}")
    return 0


def run_campagne(arguments: argparse.Namespace) -> int:
    from generator.maintainers.campaign import (
        CampaignError,
        campaign_under_way,
        due_entries,
        put_aside,
        read_sender,
        record_start,
        write_campaign,
    )

    catalogue = _load_or_report(arguments.data)
    if catalogue is None:
        return 1
    site = SiteModel(catalogue, Gazetteer.load())
    types = [Kind(value) for value in arguments.type]
    departements = [code.strip().upper() for value in arguments.departement for code in value.split(",") if code.strip()]
    unknown = [code for code in departements if site.gazetteer.departement(code) is None]
    if unknown:
        # Before anything is written: a campaign on a mistyped département would replace the one under way, with no message.
        print(f"--departement : département inconnu « {' », « '.join(unknown)} » (exemples : 75, 2A, 971)", file=sys.stderr)
        return 1
    if arguments.sortie.resolve().is_relative_to(arguments.data.resolve()):
        # Its folders would be unknown kinds to every build, and its messages published with the records.
        print(
            f"{arguments.sortie} : les envois ne peuvent pas être écrits dans le dossier des fiches — indiquez un autre dossier, par exemple envois",
            file=sys.stderr,
        )
        return 1
    current = catalogue.reverification.campagne
    try:
        sender = read_sender(arguments.config_file)
        campagne = campaign_under_way(current, departements, types, site.today, arguments.nouvelle)
    except CampaignError as error:
        print(error, file=sys.stderr)
        return 1
    entries = due_entries(site, departements, types)
    # Made first, so that a path that cannot be a folder is said as the one the person gave.
    arguments.sortie.mkdir(parents=True, exist_ok=True)
    aside = put_aside(arguments.sortie)
    messages = write_campaign(site, entries, sender, arguments.sortie, datetime.now().astimezone())
    # Only now: messages that could not be written must leave the campaign under way as it was.
    if campagne != current:
        record_start(arguments.data, campagne)
    if aside is not None:
        print(f"Les envois écrits avant dans {arguments.sortie} sont rangés, tels quels, dans {aside}.")
    delay = catalogue.reverification.delay_text()
    started = "commencée aujourd'hui" if campagne.debut == site.today else f"en cours depuis le {campagne.debut.isoformat()}"
    print(f"Campagne {started} : {len(messages)} fiche(s) vérifiée(s) il y a plus de {delay}, la plus ancienne d'abord :")
    for message in messages:
        print(f"  {message.entry.record.verifie_le.isoformat()}  {message.entry.id}  {message.entry.record.nom}  → {message.file_name}")
    emails = sum(message.by_email for message in messages)
    print(
        f"{emails} courriel(s) à envoyer et {len(messages) - emails} courrier(s) à imprimer dans {arguments.sortie}, "
        f"et la liste pour le publipostage et les relances téléphoniques : {arguments.sortie / 'campagne.csv'}\n"
        "Chaque confirmation s'enregistre avec « passerelle verifie ID --source … »."
    )
    return 0


def run_verifie(arguments: argparse.Namespace) -> int:
    from generator.maintainers.confirmation import ConfirmationError, confirm

    if _wrong_data_folder(arguments.data):
        return 1
    day = arguments.date or clock.today()
    try:
        done = confirm(arguments.data, arguments.id, arguments.source, day, arguments.url, arguments.document)
    except ConfirmationError as error:
        print(error, file=sys.stderr)
        return 1
    except DataError as error:
        print(f"{error.report()}\nLa fiche n'a pas été modifiée.", file=sys.stderr)
        return 1
    if done.verifie_le == day:
        print(f"{done.path} : vérifiée le {day.isoformat()}, source « {arguments.source} » ajoutée.")
    else:
        print(
            f"{done.path} : source « {arguments.source} » du {day.isoformat()} ajoutée ; la fiche reste vérifiée le "
            f"{done.verifie_le.isoformat()}, une vérification plus récente déjà enregistrée."
        )
    return 0


def run_edit(arguments: argparse.Namespace) -> int:
    from generator.maintainers.editor import start_editor

    if not (arguments.theme / "assets" / "vendor" / "decap-cms" / "decap-cms.js").is_file():
        print(
            f"L'éditeur est introuvable dans {arguments.theme} : lancez la commande depuis le dossier du dépôt, ou indiquez --theme.",
            file=sys.stderr,
        )
        return 1
    try:
        server = start_editor(arguments.data, arguments.theme, port=arguments.port)
    except OSError as error:
        print(f"Impossible d'ouvrir le port {arguments.port} ({system_reason(error)}) : essayez --port 8082.", file=sys.stderr)
        return 1
    print(
        f"Éditeur des fiches : {server.url}\nLes fiches enregistrées sont écrites dans {arguments.data}. Ctrl+C pour arrêter.", flush=True
    )
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.shutdown()
    return 0


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"port invalide « {text} » : un nombre entre 1 et 65535, ex. 8082 (0 : un port libre)")
    return int(text)


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"valeur invalide « {text} » : un nombre entier est attendu, ex. 100")
    return int(text)


def _seconds(text: str) -> float:
    try:
        seconds = float(text.replace(",", "."))
    except ValueError:
        seconds = -1.0
    if not seconds >= 0:  # also refuses « nan »
        raise argparse.ArgumentTypeError(f"durée invalide « {text} » : un nombre de secondes, ex. 1 ou 0,5")
    return seconds


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"date invalide « {text} » : écrivez AAAA-MM-JJ") from None


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


def run_import_finess(arguments: argparse.Namespace) -> int:
    from generator.importers.finess import CATEGORIES, FinessError, import_finess
    from generator.importers.shared import parse_codes

    if _wrong_import_folder(arguments.data):
        return 1
    try:
        report = import_finess(
            arguments.file, arguments.data, parse_codes(arguments.categories) or list(CATEGORIES), parse_codes(arguments.departements)
        )
    except (FinessError, ValueError) as error:
        print(f"{arguments.file} : {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"{arguments.file} : {system_reason(error)}", file=sys.stderr)
        return 1
    print(report.summary())
    if report.problems:
        print("\n".join(report.problems), file=sys.stderr)
        print(f"{len(report.problems)} problème(s) dans {arguments.data} après l'import.", file=sys.stderr)
        return 1
    return 0


def run_import_data_inclusion(arguments: argparse.Namespace) -> int:
    from generator.importers.data_inclusion import (
        DataInclusionError,
        ImportInterrupted,
        check_unmapped_path,
        import_data_inclusion,
    )
    from generator.importers.shared import parse_codes

    if _wrong_import_folder(arguments.data):
        return 1
    try:
        if arguments.non_repris:
            check_unmapped_path(arguments.non_repris, arguments.files, arguments.data)
        report = import_data_inclusion(arguments.files, arguments.data, parse_codes(arguments.departements))
    except (DataInclusionError, OSError) as error:
        print(error, file=sys.stderr)
        return 1
    except ImportInterrupted as stopped:
        print(_interrupted(stopped.report), file=sys.stderr)
        return 130
    print(report.summary())
    for message in report.refused:
        print(message, file=sys.stderr)
    if report.problems:
        print("\n".join(report.problems), file=sys.stderr)
        print(f"{len(report.problems)} problème(s) dans {arguments.data} après l'import.", file=sys.stderr)
    written = _write_unmapped(report, arguments.non_repris) if arguments.non_repris else True
    return 1 if report.refused or report.problems or not written else 0


def _write_unmapped(report: DataInclusionReport, path: Path) -> bool:
    """The list of entries left out, after the summary: a failure to write it does not hide what was imported."""
    from generator.importers.data_inclusion import write_unmapped

    try:
        write_unmapped(report, path)
    except OSError as error:
        print(f"--non-repris {path} : écriture impossible ({system_reason(error)}) ; les fiches, elles, sont importées.", file=sys.stderr)
        return False
    return True


def _interrupted(report: DataInclusionReport) -> str:
    """Ctrl+C midway: what is already written stays, and the same command finds those records again by their identifier."""
    written = len(report.added) + len(report.updated)
    return (
        f"{STOPPED} {written} fiche(s) écrite(s) avant l'arrêt ({len(report.added)} ajoutée(s), {len(report.updated)} mise(s) à jour). "
        "Relancez la même commande pour terminer l'import : les fiches déjà écrites sont retrouvées par leur identifiant "
        "data·inclusion, sans doublon."
    )


def run_geocode(arguments: argparse.Namespace, geocoder=None) -> int:
    """`geocoder` replaces the online service (tests hand in a fake one)."""
    from geopy.exc import GeopyError

    from generator.geo.geocoding import CACHE_PATH
    from generator.importers.ban import POLICY_MIN_DELAY, geocode_catalogue, make_geocoder

    minimum = POLICY_MIN_DELAY[arguments.service]
    if geocoder is None and arguments.delai < minimum:
        seconds = f"{minimum:g}".replace(".", ",")
        print(
            f"--delai : au moins {seconds} seconde entre deux requêtes pour {arguments.service}, comme le demande sa politique d'usage",
            file=sys.stderr,
        )
        return 1
    catalogue = _load_or_report(arguments.data)
    if catalogue is None:
        return 1
    try:
        report = geocode_catalogue(
            catalogue, arguments.data, geocoder or make_geocoder(arguments.service), arguments.limit, arguments.delai
        )
    except GeopyError as error:
        print(f"{_geocoding_failure(error)} ; les positions déjà trouvées sont gardées ({arguments.data / CACHE_PATH}).", file=sys.stderr)
        return 1
    print(
        f"{len(report.found)} position(s) trouvée(s), {report.already} déjà connue(s), {len(report.not_found)} adresse(s) non trouvée(s), "
        f"{len(report.rejected)} écartée(s), {report.left} restante(s) (--limit)."
    )
    for record_id, reason in report.rejected:
        print(f"  {record_id} : {reason}")
    return 0


def _geocoding_failure(error: Exception) -> str:
    """What stopped `passerelle geocode`, and what to do, in French: geopy's own words are for developers."""
    from geopy.exc import GeocoderQuotaExceeded, GeocoderTimedOut, GeocoderUnavailable

    if isinstance(error, (GeocoderUnavailable, GeocoderTimedOut)):
        return "Service de géocodage injoignable : vérifiez la connexion à internet, puis relancez la commande"
    if isinstance(error, GeocoderQuotaExceeded):
        return "Le service de géocodage limite les demandes : relancez la commande plus tard, ou avec un --delai plus long"
    return "Le service de géocodage a répondu par une erreur : relancez la commande plus tard"


def slugify(text: str) -> str:
    return "-".join(normalize(text).replace("'", " ").split())[:80].strip("-")


if __name__ == "__main__":
    sys.exit(main())

"""Import structures from data·inclusion, the national aggregator of the offer of social and professional inclusion.

`passerelle import data-inclusion FILE… [--departements 92,93] [--data DIR]` reads its
exports in schema v1 (the one the site's own /donnees/ export follows): structures
and, optionally, services, as JSON (a list of objects, or the API's `{"items": […]}`)
or CSV (as published on data.gouv.fr: lists written `['a', 'b']`; JSON arrays,
`{a,b}` and `a|b` are read too). Each file is recognised by its fields: a service has
a `structure_id`. It writes one record per structure of a kind this directory knows,
and lists every other entry with the reason, never dropping one silently.

What a structure is, read honestly from the schema's own vocabularies:
- its network (`reseaux_porteurs`; `typologie` in the older v0 exports, the same
  codes in capitals): `esat`, `mdph`, `cmp` are the inverse of the site's export
  (generator/site/exports.py), and `ea`, `eatt` (entreprises adaptées) are employers;
- data·inclusion has no network, typology or thematic for GEMs or collectifs
  d'entraide, so those are read from their name, as their cahiers des charges make
  them call themselves: a structure named « GEM … » or « Clubhouse … », or one
  whose name or a service's name says « groupe d'entraide mutuelle » or « collectif
  d'entraide ». A union of GEMs (« UNGF — Union nationale des GEM ») is not one.
- service thematics describe what a service helps with, not what the structure is
  (« santé mentale » covers CMPs, psychologists, GEMs and prevention alike), so they
  never decide a kind: they are listed with each entry left out, for a person to judge.

From the services, only what repeats this directory's own words is read back (the
publics' labels, the access conditions' descriptions, as the site's export writes
them), with their eligibility zone (`zone_eligibilite`) as the territory of a new record.

Records stay the people's, as with FINESS (generator/records/yamlmerge.py): a
re-import changes only the fields data·inclusion owns (OWNED), keeps every other
field and comment, writes nothing when nothing changed, and finds a record again by
its data·inclusion identifier (written in its source), whatever its file is called.
The source carries `date_maj` as its date, and `verifie_le` becomes that date. A record
verified later than that date (by `passerelle verifie`, or by hand) is left as it is:
what a person confirmed with the structure is newer than the export. A new record has
no `statut`: the schema has no field saying whether a structure receives people now.
"""

from __future__ import annotations

import ast
import csv
import io
import json
import re
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from generator import clock
from generator.catalogue import load_catalogue
from generator.geo.gazetteer import Gazetteer, normalize
from generator.geo.geocoding import plausible
from generator.importers.shared import (
    ImportReport,
    address,
    date_verification,
    departement_codes,
    departement_of,
    phone,
    record_problems,
    verified_after,
    why_invalid,
)
from generator.problems import DataError
from generator.records.models import ID_PATTERN, check_email, check_opening_hours, check_web_url
from generator.records.vocabulary import (
    Acces,
    CategorieEsms,
    CategorieRessource,
    Kind,
    Precision,
    Public,
    Statut,
    TypeEmployeur,
    Vocabulary,
)
from generator.records.yamlfile import read_yaml
from generator.records.yamlmerge import KEY_ORDER, flow, new_document, read, replace_file, set_value, write_checked, yaml_io
from generator.site.exports import RESEAUX_PORTEURS

DATASET_URL = "https://www.data.gouv.fr/fr/datasets/6233723c2c1e4a54af2f6b2d/"
IDENTIFIER = "Identifiant data·inclusion : {}"
_IDENTIFIER = re.compile(r"^Identifiant data·inclusion : (.+)$")

_KIND_OF_CATEGORY: dict[type[Vocabulary], Kind] = {CategorieEsms: Kind.ESMS, CategorieRessource: Kind.RESSOURCE}
NETWORKS: dict[str, tuple[Kind, Vocabulary | None]] = {
    **{network: (_KIND_OF_CATEGORY[type(category)], category) for category, network in RESEAUX_PORTEURS.items()},
    "ea": (Kind.EMPLOYEUR, TypeEmployeur.ENTREPRISE_ADAPTEE),
    "eatt": (Kind.EMPLOYEUR, TypeEmployeur.ENTREPRISE_ADAPTEE),
}
"""data·inclusion network (`reseaux_porteurs`, or v0 `typologie` in lower case) → kind and category."""

# On normalised names (lower case, no accents, punctuation as spaces).
NAME_RULES: tuple[tuple[Kind, re.Pattern[str], re.Pattern[str]], ...] = (
    # (kind, the structure's name, a structure's or a service's name)
    (Kind.GEM, re.compile(r"^(?:gem|g e m)\b"), re.compile(r"\bgroupe d entraide mutuelle\b")),
    (Kind.COLLECTIF, re.compile(r"^clubhouse\b"), re.compile(r"\bcollectif d entraide\b")),
)

OWNED = ("nom", "adresse", "coordonnees", "telephone", "courriel", "site_web", "horaires")
"""Fields a re-import may change (with `accessibilite.acceslibre`, the source and `verifie_le`)."""


KIND_FOLDERS = {kind.value for kind in Kind}
HEADER = (
    "Fiche créée par « passerelle import data-inclusion ». À chaque import, nom, adresse, coordonnees,\n"
    "telephone, courriel, site_web, horaires, le lien acceslibre, la source data·inclusion et verifie_le\n"
    "sont repris de data·inclusion ; les autres champs et ces commentaires sont à vous et sont gardés."
)


class DataInclusionError(Exception):
    """A file that cannot be read as a data·inclusion export; the message says why, in French."""


class ImportInterrupted(KeyboardInterrupt):
    """Ctrl+C during an import: what was written until then, for the command to say."""

    def __init__(self, report: DataInclusionReport) -> None:
        super().__init__()
        self.report = report


class EntryError(ValueError):
    """One entry refused; the message names the field and how to fix it."""


# --- Reading the files ------------------------------------------------------------------


@dataclass(frozen=True)
class Where:
    file: Path
    index: int  # from 1, as a person counts the entries of a file
    di_id: str | None = None

    def __str__(self) -> str:
        return f"{self.file.name}, entrée {self.index}" + (f" (id « {self.di_id} »)" if self.di_id else "")


@dataclass(frozen=True)
class Structure:
    where: Where
    id: str
    source: str
    nom: str
    date_maj: date
    adresse: str | None = None
    code_postal: str | None = None
    code_insee: str | None = None
    commune: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    telephone: str | None = None
    courriel: str | None = None
    site_web: str | None = None
    horaires: str | None = None
    lien_source: str | None = None
    accessibilite: str | None = None
    siret: str | None = None
    reseaux: tuple[str, ...] = ()


@dataclass(frozen=True)
class Service:
    where: Where
    id: str
    structure_id: str
    nom: str
    thematiques: tuple[str, ...] = ()
    publics_precisions: str | None = None
    conditions_acces: str | None = None
    zone: tuple[str, ...] = ()
    horaires: str | None = None
    volume_horaire: float | None = None


@dataclass
class Export:
    structures: list[Structure] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def read_export(paths: Iterable[Path]) -> Export:
    """Every structure and service of the files; an entry that cannot be read is refused with its reason."""
    export = Export()
    for path in paths:
        rows = read_rows(path)
        is_services = any("structure_id" in row for row in rows if isinstance(row, dict))
        for index, row in enumerate(rows, start=1):
            where = Where(path, index, _text(row, "id") if isinstance(row, dict) else None)
            try:
                if not isinstance(row, dict):
                    raise EntryError('ce n\'est pas un objet (attendu : {"id": …, "nom": …})')
                if is_services:
                    export.services.append(_service(row, where))
                else:
                    export.structures.append(_structure(row, where))
            except EntryError as error:
                export.refused.append(f"{where} : {error}")
    return export


def read_rows(path: Path) -> list[Any]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataInclusionError(f"{path} : fichier introuvable") from None
    except IsADirectoryError:
        raise DataInclusionError(f"{path} : c'est un dossier ; indiquez le fichier des structures (et celui des services)") from None
    except OSError:
        raise DataInclusionError(f"{path} : lecture impossible (vérifiez les droits du fichier)") from None
    text = _decode(raw)
    if text.lstrip()[:1] in ("[", "{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise DataInclusionError(
                f"{path} : JSON illisible à la ligne {error.lineno}, colonne {error.colno} (guillemets, virgules, crochets ?)"
            ) from None
        if isinstance(data, dict) and isinstance(data.get("items"), list):
            data = data["items"]  # a page of the data·inclusion API
        if not isinstance(data, list):
            raise DataInclusionError(f"{path} : une liste de structures ou de services est attendue ([{{…}}, {{…}}])")
        return data
    return _csv_rows(text, path)


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _csv_rows(text: str, path: Path) -> list[dict[str, str]]:
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
        if not reader.fieldnames or "id" not in reader.fieldnames or not {"nom", "structure_id"} & set(reader.fieldnames):
            raise DataInclusionError(
                f"{path} : ni JSON ni CSV data·inclusion (la première ligne doit nommer les colonnes, dont « id » et « nom »)"
            )
        return [{key: value for key, value in row.items() if key is not None} for row in reader]
    except csv.Error as error:
        raise DataInclusionError(f"{path} : CSV illisible, ligne {reader.line_num} : {error}") from None


def _structure(row: dict[str, Any], where: Where) -> Structure:
    di_id, nom = _required(row, "id"), _required(row, "nom")
    reseaux = _list(row.get("reseaux_porteurs"), "reseaux_porteurs")
    typologie = _text(row, "typologie")  # v0 exports
    return Structure(
        where=where,
        id=di_id,
        source=_text(row, "source") or "",
        nom=nom,
        date_maj=_date(row.get("date_maj")),
        adresse=", ".join(part for part in (_text(row, "adresse"), _text(row, "complement_adresse")) if part) or None,
        code_postal=_text(row, "code_postal"),
        code_insee=_text(row, "code_insee"),
        commune=_text(row, "commune"),
        latitude=_number(row.get("latitude"), "latitude"),
        longitude=_number(row.get("longitude"), "longitude"),
        telephone=_text(row, "telephone"),
        courriel=_text(row, "courriel"),
        site_web=_text(row, "site_web"),
        horaires=_text(row, "horaires_accueil"),
        lien_source=_text(row, "lien_source"),
        accessibilite=_text(row, "accessibilite_lieu"),
        siret=_text(row, "siret"),
        reseaux=tuple(value.lower() for value in (*reseaux, *([typologie] if typologie else []))),
    )


def _service(row: dict[str, Any], where: Where) -> Service:
    return Service(
        where=where,
        id=_required(row, "id"),
        structure_id=_required(row, "structure_id"),
        nom=_text(row, "nom") or "",
        thematiques=_list(row.get("thematiques"), "thematiques"),
        publics_precisions=_text(row, "publics_precisions"),
        conditions_acces=_text(row, "conditions_acces"),
        zone=_list(row.get("zone_eligibilite"), "zone_eligibilite"),
        horaires=_text(row, "horaires_accueil"),
        volume_horaire=_number(row.get("volume_horaire_hebdomadaire"), "volume_horaire_hebdomadaire"),
    )


def _text(row: dict[str, Any], key: str) -> str | None:
    value = row.get(key)
    if value is None or isinstance(value, float) and value != value:  # NaN: pandas' empty cell
        return None
    text = " ".join(str(value).split())
    return text or None


def _required(row: dict[str, Any], key: str) -> str:
    value = _text(row, key)
    if value is None:
        raise EntryError(f"« {key} » manquant : chaque entrée a un identifiant (id) et un nom")
    return value


def _list(value: Any, key: str) -> tuple[str, ...]:
    """A list of codes: a JSON list, or a CSV cell `['a', 'b']`, `["a","b"]`, `{a,b}`, `a|b` or `a, b`."""
    if value is None or value == "" or isinstance(value, float) and value != value:
        return ()
    if isinstance(value, list):
        return tuple(str(item).strip() for item in value if str(item).strip())
    if not isinstance(value, str):
        raise EntryError(f"« {key} » : une liste de codes est attendue, pas « {value} »")
    text = value.strip()
    if text.startswith("["):
        try:
            items = ast.literal_eval(text)  # Python's repr (pandas) and JSON lists alike
        except (ValueError, SyntaxError):
            raise EntryError(f"« {key} » : liste illisible « {text} »") from None
        return _list(list(items), key)
    return tuple(item.strip().strip("'\"") for item in re.split(r"[|,]", text.strip("{}")) if item.strip().strip("'\""))


def _number(value: Any, key: str) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise EntryError(f"« {key} » : nombre attendu, pas « {value} »") from None
    return None if number != number else number


def _date(value: Any) -> date:
    """`date_maj`: AAAA-MM-JJ, a date and time, or milliseconds since 1970 (pandas' JSON)."""
    if value is None or value == "":
        raise EntryError("« date_maj » manquante : la date de mise à jour de la structure est la date de la source")
    found: date | None = None
    text = str(value).strip()
    if isinstance(value, int | float) or text.isdigit():
        milliseconds = float(value)
        found = datetime.fromtimestamp(milliseconds / (1000 if milliseconds > 1e11 else 1), UTC).date()
    else:
        try:
            found = date.fromisoformat(text[:10])
        except ValueError:
            pass
    if found is None:
        raise EntryError(f"« date_maj » illisible « {text} » : écrivez AAAA-MM-JJ")
    if found > clock.today():
        raise EntryError(f"« date_maj » dans le futur ({found.isoformat()})")
    return found


# --- What each structure is ------------------------------------------------------------------


@dataclass(frozen=True)
class Mapping:
    kind: Kind
    subtype: Vocabulary | None
    by_name: bool


def kind_of(structure: Structure, services: list[Service]) -> Mapping | str:
    """The kind (and category) of a structure, or why none can be given."""
    found = {NETWORKS[network] for network in structure.reseaux if network in NETWORKS}
    if len(found) > 1:
        return "plusieurs types possibles selon ses réseaux (" + ", ".join(sorted(structure.reseaux)) + ")"
    if found:
        kind, subtype = found.pop()
        return Mapping(kind, subtype, by_name=False)
    name = normalize(structure.nom)
    names = [name, *(normalize(service.nom) for service in services)]
    kinds = {kind for kind, own, anywhere in NAME_RULES if own.search(name) or any(anywhere.search(n) for n in names)}
    if len(kinds) == 1:
        return Mapping(kinds.pop(), None, by_name=True)
    if kinds:
        return "son nom correspond à plusieurs types (GEM et collectif)"
    return "aucun type de l'annuaire (ni réseau connu, ni nom de GEM ou de collectif)"


def _sequence_of(text: str | None, members: dict[str, Vocabulary], separator: str) -> list[Vocabulary]:
    """The members whose texts, joined by `separator`, make up the whole of `text`; [] if anything else is in it."""
    found: list[Vocabulary] = []
    rest = (text or "").strip()
    while rest:
        match = next((words for words in sorted(members, key=len, reverse=True) if rest.startswith(words)), None)
        if match is None:
            return []
        found.append(members[match])
        rest = rest[len(match) :].removeprefix(separator.strip()).strip()
    return list(dict.fromkeys(found))


def publics_of(services: list[Service]) -> list[Public]:
    labels = {public.label: public for public in Public}
    return list(dict.fromkeys(p for s in services for p in _sequence_of(s.publics_precisions, labels, ", ")))


def acces_of(services: list[Service]) -> list[Acces]:
    descriptions = {acces.description: acces for acces in Acces}
    return list(dict.fromkeys(a for s in services for a in _sequence_of(s.conditions_acces, descriptions, " ")))


def territory_of(services: list[Service], gazetteer: Gazetteer) -> dict[str, Any] | None:
    """The services' eligibility zones: « france », départements and communes (an EPCI is left out)."""
    codes = [code for service in services for code in service.zone]
    if "france" in codes:
        return {"national": True}
    departements = [c for c in dict.fromkeys(codes) if gazetteer.departement(c)]
    communes = [c for c in dict.fromkeys(codes) if len(c) == 5 and gazetteer.commune(c)]
    territory = {"departements": departements, "communes": communes}
    return {key: [DoubleQuotedScalarString(c) for c in value] for key, value in territory.items() if value} or None


# --- Writing records ------------------------------------------------------------------------


@dataclass(frozen=True)
class Unmapped:
    where: Where
    nom: str
    reason: str
    details: str = ""

    def line(self) -> str:
        return f"{self.where} « {self.nom} » : {self.reason}" + (f" — {self.details}" if self.details else "")


@dataclass
class DataInclusionReport(ImportReport):
    refused: list[str] = field(default_factory=list)
    unmapped: list[Unmapped] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    """Records verified after the export's date, left as they are."""

    def refuse(self, structure: Structure, reason: str) -> None:
        self.skipped[reason] += 1
        self.refused.append(f"{structure.where} « {structure.nom} » : {reason}")

    def summary(self, listed: int = 50) -> str:
        lines = [super().summary()]
        lines += [f"  {record_id} : plus récente que l'export : gardée telle quelle" for record_id in self.kept]
        if self.unmapped:
            lines.append(f"{len(self.unmapped)} entrée(s) non reprise(s) :")
            lines += [f"  {entry.line()}" for entry in self.unmapped[:listed]]
            if len(self.unmapped) > listed:
                lines.append(f"  … et {len(self.unmapped) - listed} autre(s) : --non-repris FICHIER.csv les écrit toutes.")
        return "\n".join(lines)


@dataclass(frozen=True)
class _Known:
    path: Path
    statut: str


def import_data_inclusion(
    paths: Iterable[Path], data_dir: Path, departements: Iterable[str] | None = None, gazetteer: Gazetteer | None = None
) -> DataInclusionReport:
    """Write the structures of the files into `data_dir/<kind>/`; validate the folder after."""
    paths = list(paths)
    gazetteer = gazetteer or Gazetteer.load()
    scope = departement_codes(departements, gazetteer, DataInclusionError)
    export = read_export(paths)
    _check_usable(export, paths)
    report = DataInclusionReport(refused=export.refused)
    services: dict[str, list[Service]] = {}
    for service in export.services:
        services.setdefault(service.structure_id, []).append(service)
    structure_ids = {structure.id for structure in export.structures}
    report.unmapped += [
        Unmapped(s.where, s.nom, "service dont la structure n'est pas dans les fichiers")
        for s in export.services
        if s.structure_id not in structure_ids
    ]
    existing = _existing_records(data_dir)
    yaml = yaml_io()
    seen: set[str] = set()
    with _stop_between_records() as stop_asked:
        for structure in sorted(export.structures, key=lambda s: s.id):
            if stop_asked():
                raise ImportInterrupted(report)
            if structure.id in seen:
                report.refused.append(f"{structure.where} : identifiant déjà lu plus haut dans les fichiers : entrée ignorée")
                continue
            seen.add(structure.id)
            _import_one(structure, services.get(structure.id, []), existing, data_dir, gazetteer, scope, yaml, report)
    if report.added or report.updated or report.unchanged:  # an import that wrote nothing leaves no folder to check
        try:
            load_catalogue(data_dir, gazetteer)
        except DataError as error:
            report.problems = [str(problem) for problem in error.problems]
    return report


@contextmanager
def _stop_between_records() -> Iterator[Callable[[], bool]]:
    """Ctrl+C stops the import once the record being written is written and checked, so that the count
    of records written is exact and none is left unchecked. Only the main thread can catch the signal."""
    asked: list[bool] = []
    if threading.current_thread() is not threading.main_thread():
        yield lambda: False
        return
    previous = signal.signal(signal.SIGINT, lambda *_: asked.append(True))
    try:
        yield lambda: bool(asked)
    finally:
        signal.signal(signal.SIGINT, previous)


def _check_usable(export: Export, paths: list[Path]) -> None:
    """Refuse files that hold no structure at all, rather than report an import of nothing as done."""
    if export.structures or export.refused:
        return
    names = ", ".join(path.name for path in paths)
    if export.services:
        raise DataInclusionError(
            f"{names} : seulement des services (ils ont un « structure_id »), aucune structure ; "
            "ajoutez le fichier des structures du même export (structures-….json ou .csv)"
        )
    raise DataInclusionError(
        f"{names} : aucune entrée (liste vide, ou seulement la ligne des noms de colonnes) ; "
        "vérifiez que c'est bien l'export data·inclusion complet, tel que téléchargé"
    )


def _existing_records(data_dir: Path) -> dict[str, _Known]:
    """Records already imported from data·inclusion, by their data·inclusion identifier."""
    known = {}
    for path in sorted(data_dir.glob("*/*.yaml")):
        if path.parent.name not in KIND_FOLDERS:
            continue
        data = read_yaml(path).data
        sources = data.get("sources") if isinstance(data, dict) else None
        for source in sources if isinstance(sources, list) else ():
            match = _IDENTIFIER.match(str(source.get("document", ""))) if isinstance(source, dict) else None
            if match:
                known[match.group(1)] = _Known(path, str(data.get("statut", Statut.ACTIF.value)))
    return known


def _import_one(
    structure: Structure,
    services: list[Service],
    existing: dict[str, _Known],
    data_dir: Path,
    gazetteer: Gazetteer,
    scope: set[str] | None,
    yaml: YAML,
    report: DataInclusionReport,
) -> None:
    adresse, commune, note = (None, None, "")
    if structure.code_insee or structure.code_postal:
        adresse, commune, note = address(structure.adresse, structure.code_postal, structure.code_insee, structure.commune or "", gazetteer)
    territoire = territory_of(services, gazetteer)
    if scope is not None and not _in_scope(structure, commune.insee if commune else None, territoire, scope):
        report.notes["hors des départements demandés (--departements)"] += 1  # so that an import of nothing says why
        return
    mapping = kind_of(structure, services)
    if isinstance(mapping, str):
        details = "; ".join(
            part
            for part in (
                f"réseaux : {', '.join(structure.reseaux)}" if structure.reseaux else "",
                f"thématiques : {', '.join(sorted({t for s in services for t in s.thematiques}))}" if services else "",
            )
            if part
        )
        report.unmapped.append(Unmapped(structure.where, structure.nom, mapping, details))
        return
    if adresse is None and territoire is None:
        report.refuse(structure, note or "ni adresse ni zone d'intervention : la structure ne peut pas être placée")
        return
    if note:
        report.notes[note] += 1
    values = _owned_values(structure, adresse, commune, report)
    known = existing.get(structure.id)
    if known is None:
        path = _new_path(data_dir / mapping.kind.value, structure.id)
        document = _new_document(structure, mapping, values, services, territoire)
        if mapping.by_name:
            report.notes[f"reconnue comme {mapping.kind.label} par son nom : vérifiez"] += 1
    else:
        path = known.path
        document = read(path, yaml)
        mine = _our_source(document, structure)
        if mine is not None and str(mine.get("date", "")) > structure.date_maj.isoformat():
            # An older file than the last one imported: its facts would go back in time.
            report.notes["data·inclusion plus ancien que la fiche (date_maj antérieure à la source) : fiche gardée"] += 1
            report.unchanged.append(path.stem)
            return
        if verified_after(document, structure.date_maj):
            report.kept.append(path.stem)
            report.unchanged.append(path.stem)
            return
        if known.statut == Statut.FERME.value:
            report.notes["fermée dans l'annuaire mais présente dans data·inclusion (statut gardé : vérifiez)"] += 1
    changed = _merge(document, values, structure) or known is None
    if not changed:
        report.unchanged.append(path.stem)
        return
    reason = why_invalid(write_checked(path, document, yaml, record_problems(gazetteer)))
    if reason:
        report.refuse(structure, reason)
        return
    (report.added if known is None else report.updated).append(path.stem)


def _in_scope(structure: Structure, insee: str | None, territoire: dict[str, Any] | None, scope: set[str]) -> bool:
    """In one of the départements asked for: by its commune, else its postcode or INSEE code as written, else its zone."""
    code = insee or structure.code_insee or structure.code_postal
    if code:
        return departement_of(code) in scope
    territoire = territoire or {}
    codes = {*territoire.get("departements", []), *(departement_of(c) for c in territoire.get("communes", []))}
    return bool(territoire.get("national")) or bool(codes & scope)


def _owned_values(structure: Structure, adresse: dict[str, Any] | None, commune, report: DataInclusionReport) -> dict[str, Any]:
    """The values of OWNED fields: None where data·inclusion says nothing usable (the record keeps its own)."""
    values: dict[str, Any] = {"nom": structure.nom[:300], "adresse": adresse}
    if structure.latitude is not None and structure.longitude is not None and adresse is not None:
        if plausible(structure.latitude, structure.longitude, commune):
            values["coordonnees"] = {"lat": structure.latitude, "lon": structure.longitude, "precision": Precision.ADRESSE.value}
        else:
            report.notes["coordonnées loin de la commune, non reprises"] += 1
    if structure.telephone:
        values["telephone"] = phone(structure.telephone, departement_of(commune.insee) if commune else "")
        if values["telephone"] is None:
            report.notes["téléphone invalide, non repris"] += 1
    for key, text, check, label in (
        ("courriel", structure.courriel, check_email, "courriel invalide, non repris"),
        ("site_web", structure.site_web, check_web_url, "site web invalide, non repris"),
        ("horaires", structure.horaires, check_opening_hours, "horaires illisibles (syntaxe OpenStreetMap attendue), non reprises"),
        ("acceslibre", structure.accessibilite, check_web_url, "lien acceslibre invalide, non repris"),
    ):
        values[key] = _checked(text, check)
        if text and values[key] is None:
            report.notes[label] += 1
    return values


def _checked(text: str | None, check) -> str | None:
    if not text:
        return None
    try:
        return check(text)
    except ValueError:
        return None


def _new_path(folder: Path, di_id: str) -> Path:
    """`<folder>/<id>.yaml` from the data·inclusion identifier, made unique in the folder."""
    base = "-".join(normalize(di_id).split())[:72].strip("-")
    base = base if re.fullmatch(ID_PATTERN, base) else "structure"
    candidate, number = base, 1
    while any(folder.parent.glob(f"*/{candidate}.yaml")):
        number += 1
        candidate = f"{base}-{number}"
    return folder / f"{candidate}.yaml"


def _source(structure: Structure) -> CommentedMap:
    title = f"data·inclusion (source : {structure.source})" if structure.source else "data·inclusion"
    url = _checked(structure.lien_source, check_web_url) or DATASET_URL
    return CommentedMap(
        [
            ("titre", title),
            ("url", url),
            ("document", IDENTIFIER.format(structure.id)),
            ("date", DoubleQuotedScalarString(structure.date_maj.isoformat())),
        ]
    )


def _new_document(
    structure: Structure, mapping: Mapping, values: dict[str, Any], services: list[Service], territoire: dict[str, Any] | None
) -> CommentedMap:
    """A new record, without statut: the schema has no field saying whether a structure receives people now,
    and a record without one is shown « à confirmer » until a person confirms it."""
    subtype = mapping.subtype.value if mapping.subtype else None
    volume = next((s.volume_horaire for s in services if s.volume_horaire is not None), None)
    initial = {
        "type": mapping.kind.value,
        **{key: value for key, value in values.items() if key != "acceslibre"},
        "categorie": subtype if mapping.kind in (Kind.ESMS, Kind.RESSOURCE) else None,
        "type_employeur": subtype if mapping.kind == Kind.EMPLOYEUR else None,
        "siret": DoubleQuotedScalarString(structure.siret) if structure.siret and mapping.kind == Kind.EMPLOYEUR else None,
        "horaires": values["horaires"] or next((s.horaires for s in services if _checked(s.horaires, check_opening_hours)), None),
        "publics": flow([p.value for p in publics]) if (publics := publics_of(services)) else None,
        "acces": flow([a.value for a in acces]) if (acces := acces_of(services)) else None,
        "accessibilite": {"acceslibre": values["acceslibre"]} if values["acceslibre"] else None,
        "territoire": territoire,
        "ouverture_hebdomadaire": volume if mapping.kind == Kind.GEM and volume and 0 < volume <= 168 else None,
        "sources": CommentedSeq([_source(structure)]),
        "verifie_le": structure.date_maj,
    }
    return new_document(initial, KEY_ORDER, HEADER)


def _merge(document: CommentedMap, values: dict[str, Any], structure: Structure) -> bool:
    """Set the values data·inclusion owns; True if anything changed. Its gaps keep what is there."""
    changed = False
    for key in OWNED:
        if values.get(key) is not None:
            changed |= set_value(document, key, values[key], KEY_ORDER)
    if values.get("acceslibre"):
        accessibilite = document.get("accessibilite")
        if isinstance(accessibilite, dict):
            changed |= set_value(accessibilite, "acceslibre", values["acceslibre"])
        else:
            changed |= set_value(document, "accessibilite", {"acceslibre": values["acceslibre"]}, KEY_ORDER)
    ours, mine = _source(structure), _our_source(document, structure)
    if not isinstance(document.get("sources"), list):
        changed |= set_value(document, "sources", CommentedSeq([ours]), KEY_ORDER)
    elif mine is None:
        document["sources"].append(ours)
        changed = True
    else:
        for key, value in ours.items():
            changed |= set_value(mine, key, value)
    return date_verification(document, structure.date_maj, KEY_ORDER) or changed


def _our_source(document: CommentedMap, structure: Structure) -> CommentedMap | None:
    """The record's data·inclusion source for this structure, if it has one."""
    sources = document.get("sources")
    document_text = IDENTIFIER.format(structure.id)
    return (
        next((s for s in sources if isinstance(s, dict) and s.get("document") == document_text), None)
        if isinstance(sources, list)
        else None
    )


UNMAPPED_COLUMNS = ("fichier", "entree", "id", "nom", "raison", "details")


def check_unmapped_path(path: Path, inputs: Iterable[Path], data_dir: Path) -> None:
    """Refuse, before anything is imported, a `--non-repris` file whose writing would destroy something:
    an export being imported, a record or any file of the data folder, or a file that is not an earlier list."""
    where = f"--non-repris {path}"
    if path.is_dir():
        raise DataInclusionError(f"{where} : c'est un dossier ; indiquez un fichier, ex. {path / 'non-repris.csv'}")
    target = path.resolve()
    if any(target == Path(source).resolve() for source in inputs):
        raise DataInclusionError(
            f"{where} : c'est un des fichiers à importer, il serait écrasé ; indiquez un autre fichier, ex. non-repris.csv"
        )
    if target.is_relative_to(data_dir.resolve()):
        raise DataInclusionError(
            f"{where} : ce fichier est dans le dossier des fiches ({data_dir}), réservé aux fiches et à leurs fichiers ; "
            "indiquez un fichier hors de ce dossier, ex. non-repris.csv"
        )
    if path.exists() and not _is_unmapped_list(path):
        raise DataInclusionError(
            f"{where} : ce fichier existe et n'est pas une liste d'entrées non reprises (sa première ligne n'est pas "
            f"« {','.join(UNMAPPED_COLUMNS)} ») ; il serait écrasé : indiquez un autre nom de fichier"
        )
    if not path.parent.is_dir():
        raise DataInclusionError(f"{where} : le dossier {path.parent} n'existe pas ; créez-le ou indiquez un autre chemin")


def _is_unmapped_list(path: Path) -> bool:
    """An earlier `--non-repris` list, recognised by its first line: the only kind of file it may replace."""
    try:
        with open(path, encoding="utf-8", errors="replace", newline="") as handle:
            first = handle.readline()
    except OSError:
        return False
    return first.rstrip("\r\n") == ",".join(UNMAPPED_COLUMNS)


def write_unmapped(report: DataInclusionReport, path: Path) -> None:
    """Every entry left out, as CSV: file, entry, id, name, reason, networks and thematics. Written beside
    and then moved into place, so that an earlier list is never left half replaced."""
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(UNMAPPED_COLUMNS)
    for entry in report.unmapped:
        writer.writerow([entry.where.file.name, entry.where.index, entry.where.di_id or "", entry.nom, entry.reason, entry.details])
    replace_file(path, text.getvalue().encode("utf-8"))

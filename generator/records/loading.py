"""Read the record files of `data/` into validated records, or say everything that is wrong.

Layout: `data/<kind>/<id>.yaml`, one record per file; the id is the file name.
Every problem of every file is collected before anything is reported, so a
maintainer fixes a whole batch in one pass. A valid record is kept in a cache
(records/cache.py); a folder the cache does not know is validated on two cores
(`_SecondCore`).
"""

from __future__ import annotations

import difflib
import hashlib
import multiprocessing
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from pydantic import ValidationError

from generator.problems import DataError, Problem
from generator.records.cache import RecordCache
from generator.records.models import ID_PATTERN, MODELS, Record
from generator.records.validation import explain
from generator.records.vocabulary import Kind
from generator.records.yamlfile import MAX_BYTES, Location, YamlDocument, read_yaml

# Folders of `data/` that hold reference data rather than records.
REFERENCE_FOLDERS = {"geo"}
# A second core validates half of the files when at least this many are new to the cache (about a
# second of work): a national folder's first build, or the first after an update of Passerelle.
PARALLEL_FROM = 2000


@dataclass
class RecordFiles:
    """The valid records of a data folder, the document each was read from, and every problem found."""

    records: dict[str, Record] = field(default_factory=dict)
    documents: dict[str, YamlDocument] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def read_records(data_dir: Path) -> RecordFiles:
    """Read and check every record file under `data_dir` (partners included, places not)."""
    found = RecordFiles()
    if not data_dir.is_dir():
        raise DataError(
            [Problem(data_dir, 1, 1, "", "dossier de données introuvable", "indiquez le dossier qui contient gem/, collectif/, clsm/…")]
        )
    cache = RecordCache(data_dir)  # named after the folder's real path: a folder that exists
    worker = _SecondCore.start(data_dir, cache)
    try:
        for index, (path, kind) in enumerate(_record_files(data_dir, found.problems)):
            if worker is not None and index >= worker.first:
                cache.learn(worker.records())
                worker = None
            record_id = path.stem
            if record_id in found.documents:
                found.problems.append(duplicate_id(path, found.documents[record_id].path))
                continue
            document, record = _read_record(path, record_id, kind, found.problems, cache)
            found.documents[record_id] = document
            if record is not None:
                found.records[record_id] = record
    finally:
        if worker is not None:  # the files changed meanwhile, or reading stopped (Ctrl+C)
            worker.stop()
    if not found.documents and not found.problems:
        found.problems.append(
            Problem(
                data_dir,
                1,
                1,
                "",
                "aucune fiche trouvée",
                f"ajoutez des fichiers dans {data_dir}/gem/, {data_dir}/collectif/… (voir « passerelle new »)",
            )
        )
    found.problems.extend(_check_partners(found.records, found.documents))
    cache.save()
    return found


def duplicate_id(path: Path, other: Path) -> Problem:
    return Problem(
        path,
        1,
        1,
        "id",
        f"identifiant « {path.stem} » déjà utilisé par {other}",
        "chaque fiche a un nom de fichier unique, tous types confondus",
    )


# Valid records by file, for `mkdocs serve`: a rebuild after one edit parses one file.
# Records are immutable; a file is recognised by its content's digest, not its mtime,
# which file systems round too coarsely to notice a quick rewrite.
_valid_files: dict[Path, tuple[bytes, Kind, YamlDocument, Record]] = {}


def _read_record(path: Path, record_id: str, kind: Kind, problems: list[Problem], cache: RecordCache) -> tuple[YamlDocument, Record | None]:
    raw = _raw(path)
    signature = hashlib.blake2b(raw, digest_size=16).digest() if raw else b""
    cached = _valid_files.get(path)
    if cached is not None and cached[0] == signature and cached[1] == kind:
        cache.put(cache.key(raw, kind), cached[3])
        return cached[2], cached[3]
    key = cache.key(raw, kind)
    record = cache.get(key) if raw else None
    if record is not None:
        document: YamlDocument = ValidatedDocument(path)
    else:
        document, record = read_record_file(path, kind, problems, raw or None)
        if record is not None:
            # A valid file's positions serve only a problem found later with other files (a partner,
            # a place), and are read again then: kept for every file, they would be most of a national
            # build's memory.
            document = ValidatedDocument(path)
            if raw:
                cache.put(key, record)
    if record is not None:
        _valid_files[path] = (signature, kind, document, record)
    return document, record


def _raw(path: Path) -> bytes:
    """The file's bytes, b"" when it is too large to be a record (read_yaml says so)."""
    with open(path, "rb") as file:
        raw = file.read(MAX_BYTES + 1)  # one read, no stat
    return b"" if len(raw) > MAX_BYTES else raw


class _SecondCore:
    """A forked worker that validates the second half of a data folder's files while this process reads
    the first, and gives the valid records by their cache key (records/cache.py): this process then finds
    them as it finds cached ones. The key is of the bytes the worker read, so a file changed meanwhile is
    read and validated again here. An invalid file is left to this process, which says its problems in
    their usual order; a worker that fails gives nothing, and this process validates everything itself."""

    def __init__(self, process: multiprocessing.Process, connection: Connection, first: int):
        self.process = process
        self.connection = connection
        self.first = first  # the index of the first file it validates

    @classmethod
    def start(cls, data_dir: Path, cache: RecordCache) -> _SecondCore | None:
        """A worker, when there are two cores, fork, and enough files that the cache cannot know."""
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
        if cores < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return None
        files = list(_record_files(data_dir, []))  # its problems are said by the reading that follows
        if len(files) - max(len(cache.previous), len(_valid_files)) < PARALLEL_FROM:
            return None
        context = multiprocessing.get_context("fork")
        receiving, sending = context.Pipe(duplex=False)
        first = len(files) // 2
        process = context.Process(target=_validate_elsewhere, args=(files[first:], cache, sending), daemon=True)
        process.start()
        sending.close()  # the worker's end: if it dies, `recv` ends instead of waiting
        return cls(process, receiving, first)

    def records(self) -> dict[bytes, Record]:
        try:
            found = self.connection.recv()
        except (EOFError, OSError):
            found = {}
        self.stop()
        return found

    def stop(self) -> None:
        self.connection.close()
        self.process.kill()  # done already, unless reading stopped early
        self.process.join()


def _validate_elsewhere(files: list[tuple[Path, Kind]], cache: RecordCache, sending: Connection) -> None:
    try:
        found: dict[bytes, Record] = {}
        for path, kind in files:
            try:
                raw = _raw(path)
            except OSError:
                continue
            key = cache.key(raw, kind)
            if raw and key not in cache.previous:
                _, record = read_record_file(path, kind, [], raw)
                if record is not None:
                    found[key] = record
        sending.send(found)
    except BaseException:
        # Ctrl+C, or a fault: nothing sent, so the builder validates these files itself and reports
        # whatever is wrong there, without a second traceback from here.
        os._exit(1)
    os._exit(0)  # no clean-up of the builder's objects, which the fork shares


@dataclass
class ValidatedDocument(YamlDocument):
    """A record file found valid by an earlier run (records/cache.py): read again only if a
    problem found with other files (a partner, a place) needs the position of a value."""

    def position(self, location: Location) -> tuple[int, int]:
        if not self.positions:
            self.positions = read_yaml(self.path).positions
        return super().position(location)


def read_record_file(path: Path, kind: Kind, problems: list[Problem], raw: bytes | None = None) -> tuple[YamlDocument, Record | None]:
    """One record file checked on its own, its problems added to `problems` (partners are
    checked against the whole folder by `read_records`); `raw`: its bytes, if already read."""
    document = read_yaml(path, raw=raw)
    problems.extend(document.problems)
    record = _validate(document, path.stem, kind, problems) if document.data is not None else None
    return document, record


def not_a_record(path: Path) -> bool:
    """Hidden files are a text editor's, the system's or Passerelle's own while it writes a record
    (.x.yaml.swp, .DS_Store, .x.yaml.ecriture)… unless they look like a record, which would
    otherwise never be published."""
    return path.name.startswith(".") and path.suffix != ".yaml"


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
        # Entries rather than paths: whether each is a file is known without a system call.
        for entry in sorted(os.scandir(folder), key=lambda entry: entry.name):
            path = Path(entry.path)
            if not_a_record(path):
                continue
            not_a_file = _not_a_file(entry)
            if not_a_file:
                problems.append(Problem(path, 1, 1, "", *not_a_file))
            elif path.suffix != ".yaml":
                problems.append(
                    Problem(
                        path,
                        1,
                        1,
                        "",
                        "fichier ignoré : une fiche est un fichier « .yaml »",
                        f"renommez-le en {path.stem}.yaml ou retirez-le du dossier",
                    )
                )
            elif not _is_id(path.stem):
                problems.append(
                    Problem(
                        path,
                        1,
                        1,
                        "id",
                        f"nom de fichier « {path.stem} » invalide",
                        "utilisez des minuscules sans accent, des chiffres et des tirets, ex. gem-l-eclaircie.yaml",
                    )
                )
            else:
                yield path, kind


def _not_a_file(entry: os.DirEntry) -> tuple[str, str] | None:
    """What is in a kind's folder in place of a file, as a message and its hint; None for a file."""
    try:
        if entry.is_file():
            return None
        if entry.is_dir():
            return "dossier ignoré : les fiches sont des fichiers, directement dans le dossier de leur type", "retirez ce dossier"
    except OSError:  # a link that loops: neither, as for a broken link
        pass
    if entry.is_symlink():
        return "lien vers une fiche qui n'existe pas", "remplacez ce lien par la fiche elle-même, ou retirez-le"
    return "fichier ignoré : ce n'est pas un fichier ordinaire", "retirez-le du dossier"


def _is_id(text: str) -> bool:
    return re.fullmatch(ID_PATTERN, text) is not None and len(text) <= 80


def _validate(document: YamlDocument, record_id: str, folder_kind: Kind, problems: list[Problem]) -> Record | None:
    data = dict(document.data)
    if "id" in data:
        problems.append(
            document.problem(("id",), "champ « id » inutile", f"l'identifiant est le nom du fichier ({record_id}) : supprimez cette ligne")
        )
        return None
    declared = data.get("type")
    if declared is None:
        problems.append(document.problem((), "champ obligatoire manquant : type", f"ajoutez « type: {folder_kind.value} »"))
        return None
    if declared != folder_kind.value:
        problems.append(
            document.problem(
                ("type",),
                f"le type « {declared} » ne correspond pas au dossier {folder_kind.value}/",
                f"écrivez « type: {folder_kind.value} » ou déplacez le fichier dans le dossier de son type",
            )
        )
        return None
    model = MODELS[folder_kind]
    try:
        return model.model_validate({**data, "id": record_id})
    except ValidationError as error:
        problems.extend(explain(error, model, document))
        return None


def _check_partners(records: dict[str, Record], documents: dict[str, YamlDocument]) -> list[Problem]:
    return [problem for record_id, record in records.items() for problem in partner_problems(record, documents[record_id], documents)]


def partner_problems(record: Record, document: YamlDocument, known_ids: Iterable[str]) -> list[Problem]:
    """A record's partners must be other records of the folder, named by their id."""
    problems = []
    for index, partner in enumerate(record.partenaires):
        if partner == record.id:
            problems.append(
                document.problem(
                    ("partenaires", index),
                    f"la fiche « {record.id} » se cite elle-même dans partenaires",
                    "retirez-la de sa propre liste",
                )
            )
        elif partner not in known_ids:
            guess = difflib.get_close_matches(partner, list(known_ids), n=1)
            hint = f"vouliez-vous dire « {guess[0]} » ?" if guess else "indiquez le nom de fichier d'une fiche existante, sans « .yaml »"
            problems.append(document.problem(("partenaires", index), f"partenaire inconnu « {partner} »", hint))
    return problems

"""Records validated by an earlier run, recognised by their content, so that each build does not pay again.

Reading a record file (YAML with the position of every value) and validating it
is most of `passerelle validate`'s time, and every build did it again for every
file. A valid record is kept here, under a key made of:

* the file's bytes and its folder's kind (the same text in `gem/` and `clsm/` is
  not the same record);
* the code that reads and validates records (`CODE_FINGERPRINT`): the source of
  generator/records/ and the versions of the libraries the models call
  (phone numbers, opening hours…).

A changed file, a changed model or a new library version gives a new key: the
record is read and validated again, so a stale entry can never be used. What
depends on other files is never cached: the partners (checked against the whole
folder) and the places (the gazetteer and the geocoding cache) are checked at
every run. Only valid records are kept: an invalid file is read again to report
its problems. A record valid on a day is valid on every later one (its dates are
not in the future), not on an earlier one (PASSERELLE_TODAY, generator/clock.py):
a cache written on a later day than today's is not used.

The cache is one file per data folder, in `$PASSERELLE_CACHE` (default:
`~/.cache/passerelle`), rewritten with the records of the last run only; deleting
it only costs time. It is read with pickle: like the code, it must be writable by
the person who builds only.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import pickle
import tempfile
from datetime import date
from pathlib import Path

from generator import clock
from generator.records.models import Record
from generator.records.vocabulary import Kind

CACHE_ENV = "PASSERELLE_CACHE"
# The libraries whose behaviour decides what a record becomes.
LIBRARIES = ("PyYAML", "pydantic", "pydantic_core", "phonenumbers", "opening_hours_py", "email-validator")


def code_fingerprint() -> bytes:
    """What reading and validating a record depends on, besides the file: this package's code and its libraries."""
    digest = hashlib.blake2b(digest_size=16)
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    for library in LIBRARIES:
        try:
            digest.update(f"{library}=={importlib.metadata.version(library)}\0".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{library} absent\0".encode())
    return digest.digest()


CODE_FINGERPRINT = code_fingerprint()


def cache_folder() -> Path:
    return Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "passerelle")


class RecordCache:
    """The valid records of one data folder from the last run, by key; `save` keeps those this run used."""

    def __init__(self, data_dir: Path):
        name = hashlib.blake2b(str(data_dir.resolve()).encode(), digest_size=8).hexdigest()
        self.path = cache_folder() / f"records-{name}.pickle"
        self.fingerprint = CODE_FINGERPRINT
        self.previous = self._load()
        self.current: dict[bytes, Record] = {}
        self.learned: dict[bytes, Record] = {}  # validated by this run elsewhere (`learn`)

    def key(self, raw: bytes, kind: Kind) -> bytes:
        return hashlib.blake2b(self.fingerprint + kind.value.encode() + b"\0" + raw, digest_size=16).digest()

    def get(self, key: bytes) -> Record | None:
        record = self.previous.get(key)
        if record is None:
            record = self.learned.get(key)
        if record is not None:
            self.current[key] = record
        return record

    def put(self, key: bytes, record: Record) -> None:
        self.current[key] = record

    def learn(self, records: dict[bytes, Record]) -> None:
        """Records this run validated elsewhere (a second core, records/loading.py), by key: `get` finds
        them as it finds those of the last run, and the cache keeps them when they are used."""
        self.learned.update(records)

    def save(self) -> None:
        """Write this run's records, unless they are already the cache's; a cache that cannot be written only costs time."""
        if self.current.keys() == self.previous.keys():
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=self.path.parent, prefix=".records-", delete=False) as file:
                written = Path(file.name)
                pickle.dump((clock.today(), self.current), file, protocol=pickle.HIGHEST_PROTOCOL)
            # Renamed when complete: another build reading meanwhile sees the old cache or the new one.
            os.replace(written, self.path)
        except OSError:
            pass

    def _load(self) -> dict[bytes, Record]:
        try:
            with self.path.open("rb") as file:
                day, entries = pickle.load(file)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return {}
        return entries if isinstance(day, date) and day <= clock.today() and isinstance(entries, dict) else {}

"""Property-based tests: whatever a record file contains, the loader answers with its own DataError.

A traceback is never an acceptable answer to a maintainer, so any other exception
(RecursionError, TypeError, UnicodeError, a crash in a validator…) is a bug.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.catalogue import load_catalogue
from generator.geo.gazetteer import Gazetteer
from generator.problems import DataError
from generator.records.models import MODELS, Accessibilite, Adresse, Coordonnees, Effectif, Source, Territoire
from generator.records.vocabulary import Kind

GAZETTEER = Gazetteer.load()
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

VALID = {
    "type": "gem",
    "nom": "GEM Exemple",
    "adresse": {"code_postal": "92260", "commune": "Fontenay-aux-Roses"},
    "sources": [{"titre": "Rapport", "document": "Rapport 2025", "date": "2026-01-15"}],
    "verifie_le": "2026-01-15",
}


# Every field name a record or one of its parts knows, so that values reach each validator.
FIELDS = sorted(
    {name for model in [*MODELS.values(), Adresse, Coordonnees, Accessibilite, Territoire, Source, Effectif] for name in model.model_fields}
)
# What each kind requires besides the common fields.
REQUIRED_BY_KIND = {
    Kind.ESMS.value: {"categorie": "savs"},
    Kind.RESSOURCE.value: {"categorie": "mdph"},
    Kind.EMPLOYEUR.value: {"type_employeur": "entreprise"},
}


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(
        [k.value for k in Kind]
        + [
            "92260",
            "2A004",
            "2999-01-01",
            "2026-02-30",
            "0102030405",
            "javascript:alert(1)",
            "https://exemple.fr",
            "Mo-Fr 09:00-17:00",
            "../../etc/passwd",
            "gem-exemple",
        ]
    ),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
YAML_PIECES = st.sampled_from(
    list(":-[]{}&*!|>'\"#%@`,?~ \n\t\r\\abcé01")
    + ["gem", "nom: ", "type: ", "\n  ", "- ", "&a ", "*a", "!!python/", "---\n", "\ufeff", "\x00"]
)


def _load(data_dir: Path, content: bytes) -> None:
    path = data_dir / "gem" / "gem-fuzz.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    try:
        load_catalogue(data_dir, GAZETTEER)
    except DataError as error:
        assert error.problems, "a DataError always says what is wrong"
        for problem in error.problems:
            assert problem.line >= 1 and problem.column >= 1 and problem.message


def _fuzz_dir():
    return tempfile.TemporaryDirectory(prefix="passerelle-fuzz-")


@FUZZ
@given(st.binary(max_size=400))
def test_arbitrary_bytes(content):
    with _fuzz_dir() as folder:
        _load(Path(folder), content)


@FUZZ
@given(st.lists(YAML_PIECES, max_size=60).map("".join))
def test_arbitrary_yaml_like_text(text):
    with _fuzz_dir() as folder:
        _load(Path(folder), text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=8))
def test_arbitrary_mappings_of_field_names(mapping):
    with _fuzz_dir() as folder:
        _load(Path(folder), yaml.safe_dump(mapping, allow_unicode=True).encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.sampled_from(FIELDS), VALUES, st.sampled_from([k.value for k in Kind]))
def test_one_arbitrary_field_in_an_otherwise_valid_record(name, value, kind):
    """Validation goes past the first missing field, down to each field's own checks."""
    record = {**VALID, "type": kind, **REQUIRED_BY_KIND.get(kind, {}), name: value}
    with _fuzz_dir() as folder:
        path = Path(folder) / kind
        path.mkdir()
        (path / "fiche-fuzz.yaml").write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8", errors="surrogatepass")
        try:
            load_catalogue(Path(folder), GAZETTEER)
        except DataError as error:
            assert error.problems

"""Every message the YAML reader can give is French and located, whatever PyYAML's version.

The reader runs on libyaml (PyYAML's C extension) when it is there, and on PyYAML's
own Python parser otherwise: both are tried. PyYAML 6.0.4 added a nesting limit of its
own, raised in English while reading ahead; the same file must give the same message
with or without it.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml

from generator.records import yamlfile
from generator.records.yamlfile import MAX_DEPTH, SYNTAX_ERROR, explain_syntax, plain_loader, read_yaml

LOADERS = {"python": yaml.SafeLoader}
if hasattr(yaml, "CSafeLoader"):
    LOADERS["libyaml"] = yaml.CSafeLoader

FRENCH_REASONS = {french for _, french in yamlfile._SYNTAX_REASONS}
LOCATED = re.compile(r"^\S+\.yaml:\d+:\d+: ")


@pytest.fixture(params=sorted(LOADERS))
def loader(request, monkeypatch):
    monkeypatch.setattr(yamlfile, "_PlainLoader", plain_loader(LOADERS[request.param]))
    return request.param


def messages(tmp_path, text: str) -> list[str]:
    path = tmp_path / "gem-exemple.yaml"
    path.write_text(text, encoding="utf-8")
    return [str(problem).replace(str(tmp_path) + "/", "") for problem in read_yaml(path).problems]


# One input per PyYAML error class a record can meet, with where it must be reported.
CASES = {
    "ScannerError": ('nom: GEM\ndescription: "pas fermé\n', "gem-exemple.yaml:2:14: YAML illisible : guillemet non fermé"),
    "ScannerError (tabulation de valeur)": ("nom: GEM\ndescription: a: b\n", "gem-exemple.yaml:2:15: YAML illisible : « : » inattendu"),
    "ParserError": ("nom: GEM\npublics: [adultes\n", "YAML illisible : crochet « [ » non fermé"),
    "ParserError (retrait)": ("nom: GEM\n  description: x\n", "gem-exemple.yaml:2:14: YAML illisible : « : » inattendu"),
    "ComposerError": ("nom: GEM\n---\nnom: autre\n", "gem-exemple.yaml:2:1: YAML illisible : une seule fiche par fichier"),
    "ScannerError (échappement)": ('nom: "GEM \\q"\n', "YAML illisible : barre oblique inverse « \\ » inconnue"),
    "ParserError (directive)": ("%YAML 2.0\n---\nnom: GEM\n", "YAML illisible : ligne commençant par « % »"),
    "ReaderError": ("nom: GEM\x07\n", "gem-exemple.yaml:1:9: caractère invisible interdit (code 0x0007)"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_error_class_gives_one_french_located_message(tmp_path, loader, case):
    text, expected = CASES[case]
    [message] = messages(tmp_path, text)
    assert LOCATED.match(message), message
    assert expected in message, message
    assert_french(message)


def assert_french(message: str) -> None:
    english = re.compile(r"\b(while|found|expected|could not|not allowed|scanning|parsing|stream)\b")
    assert not english.search(message), f"English words in: {message}"


# A written tag must name what it stands on: PyYAML's constructor met `!!bool peut-être`
# with an English KeyError (a traceback), and `!!str [a]` with a syntax error.
MISFIT_TAGS = {
    "ouvert: !!bool peut-être\n": "gem-exemple.yaml:2:9: ouvert: étiquette YAML « !!bool » non acceptée",
    "commune: !!null Sceaux\n": "gem-exemple.yaml:2:10: commune: étiquette YAML « !!null » non acceptée",
    "publics: !!str [adultes]\n": "gem-exemple.yaml:2:10: publics: étiquette YAML « !!str » non acceptée",
    "adresse: !!map Sceaux\n": "gem-exemple.yaml:2:10: adresse: étiquette YAML « !!map » non acceptée",
    "publics: !!seq {a: b}\n": "gem-exemple.yaml:2:10: publics: étiquette YAML « !!seq » non acceptée",
}


@pytest.mark.parametrize("line", sorted(MISFIT_TAGS))
def test_a_tag_that_does_not_fit_its_value_is_refused_in_french(tmp_path, loader, line):
    [message] = messages(tmp_path, "nom: GEM\n" + line)
    assert message.startswith(MISFIT_TAGS[line]), message


def test_plain_tags_on_what_they_name_are_read(tmp_path, loader):
    path = tmp_path / "gem-exemple.yaml"
    path.write_text(
        "nom: !!str 01000\nouvert: !!bool true\nfin: !!null ~\npublics: !!seq [a]\nadresse: !!map {commune: X}\n", encoding="utf-8"
    )
    document = read_yaml(path)
    assert document.problems == []
    assert document.data == {"nom": "01000", "ouvert": True, "fin": None, "publics": ["a"], "adresse": {"commune": "X"}}


# Every reason libyaml (src/scanner.c, src/parser.c) and PyYAML (scanner.py, parser.py,
# composer.py, constructor.py) can give, as "context problem".
KNOWN_REASONS = [
    "while scanning a simple key could not find expected ':'",
    "while scanning a block scalar found an indentation indicator equal to 0",
    "while scanning an anchor did not find expected alphabetic or numeric character",
    "while scanning an alias expected alphabetic or numeric character, but found '?'",
    "while scanning a tag did not find expected '!'",
    "while parsing a %TAG directive found an incorrect trailing UTF-8 octet",
    "while parsing a tag did not find URI escaped octet",
    "while parsing a tag did not find expected tag URI",
    "mapping values are not allowed in this context",
    "mapping values are not allowed here",
    "mapping keys are not allowed in this context",
    "block sequence entries are not allowed in this context",
    "while scanning for the next token found character that cannot start any token",
    "while scanning for the next token found character '`' that cannot start any token",
    "while scanning a tag did not find the expected '>'",
    "while scanning a quoted scalar found unexpected end of stream",
    "while scanning a quoted scalar found unexpected document indicator",
    "while scanning a plain scalar found unexpected ':'",
    "while scanning a plain scalar found a tab character that violates indentation",
    "while scanning a directive found unknown directive name",
    "while scanning a directive did not find expected comment or line break",
    "while scanning a block scalar found a tab character where an indentation space is expected",
    "while scanning a block scalar did not find expected comment or line break",
    "while scanning a block scalar expected chomping or indentation indicators, but found 'x'",
    "while scanning a block scalar expected indentation indicator in the range 1-9, but found 0",
    "while scanning a %YAML directive found extremely long version number",
    "while parsing a quoted scalar found unknown escape character",
    "while scanning a double-quoted scalar found unknown escape character 'q'",
    "while parsing a quoted scalar found invalid Unicode character escape code",
    "while parsing a quoted scalar did not find expected hexdecimal number",
    "while scanning a double-quoted scalar expected escape sequence of 4 hexadecimal numbers, but found 'z'",
    "did not find expected <document start>",
    "expected '<document start>', but found '<block mapping start>'",
    "found duplicate %TAG directive",
    "found incompatible YAML document",
    "found incompatible YAML document (version 1.* is required)",
    "while parsing a block collection did not find expected '-' indicator",
    "while parsing a block mapping did not find expected key",
    "while parsing a block mapping expected <block end>, but found '<scalar>'",
    "while parsing a flow mapping did not find expected ',' or '}'",
    "while parsing a flow sequence did not find expected ',' or ']'",
    "while parsing a flow sequence expected ',' or ']', but got '<scalar>'",
    "while parsing a node found undefined tag handle",
    "while parsing a block node did not find expected node content",
    "while parsing a flow node expected the node content, but found '<stream end>'",
    "expected a single document in the stream but found another document",
    "found undefined alias 'a'",
    "while composing a mapping found duplicate anchor 'a'; first occurrence",
    "while constructing a mapping found unhashable key",
    "while constructing a mapping found duplicate key",
    "could not determine a constructor for the tag '!x'",
    "found non-specific tag '!'",
]


@pytest.mark.parametrize("reason", KNOWN_REASONS)
def test_every_known_pyyaml_reason_has_its_own_french_words(reason):
    error = yaml.MarkedYAMLError(problem=reason)
    assert explain_syntax(error) in FRENCH_REASONS, reason


def test_an_unknown_reason_is_still_french():
    assert explain_syntax(yaml.MarkedYAMLError(problem="something PyYAML 7 may say")) == SYNTAX_ERROR


# --- Nesting: PyYAML 6.0.3 lets the reader's own limit speak; 6.0.4 stops first ------------

PYYAML_LIMIT = 1000
NESTING_FORMS = {
    "6.0.4": ("while increasing flow level", "exceeded maximum nesting depth"),
    "libyaml": ("while parsing", "Maximum nesting level reached, set with yaml_set_max_nest_level())"),
}


def loader_with_its_own_limit(context: str, problem: str) -> type:
    """PyYAML's Python loader, made to stop as 6.0.4's C reader does: on the first event,
    in English, at the level that passes PyYAML's limit, before any event is seen."""
    base = plain_loader(yaml.SafeLoader)

    class Limited(base):  # type: ignore[misc, valid-type]
        def __init__(self, stream):
            super().__init__(stream)
            self.too_deep = _mark_past(stream, PYYAML_LIMIT)

        def check_event(self, *choices):
            if self.too_deep:
                raise yaml.scanner.ScannerError(context, self.too_deep, problem, self.too_deep)
            return super().check_event(*choices)

    return Limited


def _mark_past(text: str, limit: int):
    events = yaml.SafeLoader(text)
    depth = 0
    try:
        while events.check_event():
            event = events.get_event()
            depth += isinstance(event, yaml.CollectionStartEvent) - isinstance(event, yaml.CollectionEndEvent)
            if depth > limit:
                return event.start_mark
    except yaml.YAMLError:
        return None
    finally:
        events.dispose()
    return None


DEEP = "a: " + "[" * 100_000 + "]" * 100_000 + "\n"
TOO_DEEP = f"gem-exemple.yaml:1:23: trop de niveaux imbriqués (plus de {MAX_DEPTH})"


@pytest.mark.parametrize("form", sorted(NESTING_FORMS))
def test_pyyaml_nesting_limit_gives_the_readers_own_message_and_place(tmp_path, monkeypatch, form):
    monkeypatch.setattr(yamlfile, "_PlainLoader", loader_with_its_own_limit(*NESTING_FORMS[form]))
    assert [message.split(" — ")[0] for message in messages(tmp_path, DEEP)] == [TOO_DEEP]


def test_without_a_pyyaml_limit_the_message_is_the_same(tmp_path, loader):
    assert [message.split(" — ")[0] for message in messages(tmp_path, DEEP)] == [TOO_DEEP]


def test_block_nesting_past_pyyamls_limit_is_reported_at_the_readers_limit(tmp_path, loader):
    text = "a:\n" + "- " * 1500 + "x\n"
    assert [message.split(" — ")[0] for message in messages(tmp_path, text)] == [
        f"gem-exemple.yaml:2:39: trop de niveaux imbriqués (plus de {MAX_DEPTH})"
    ]


def test_validate_prints_one_french_line_for_100000_brackets(tmp_path):
    path = tmp_path / "gem" / "gem-profond.yaml"
    path.parent.mkdir()
    path.write_text("[" * 100_000, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "generator.cli", "validate", "--data", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 1 and result.stdout == ""
    first, total = result.stderr.splitlines()
    assert first.startswith(f"{path}:1:21: trop de niveaux imbriqués (plus de {MAX_DEPTH}) — "), result.stderr
    assert total == "1 problème à corriger."

"""Read one YAML record safely and remember where each value stands in the file.

Records are written by people, not programs, so the reader is strict where YAML
is surprising and lenient where YAML would silently change a value:

* only plain data: no tags (but `!!str`, `!!null`, `!!bool`, `!!map`, `!!seq` on
  what they name), no anchors or aliases (which also rules out "billion laughs"
  bombs), no duplicate keys, at most MAX_DEPTH levels of nesting;
* the file is read in one pass over the parser's events, with no recursion: no
  nesting can overflow a stack (PyYAML's composer is recursive, `[[[[…` would);
* scalars stay text except `null` and `true`/`false`: `code_postal: 01000`
  must not become the octal number 512, nor `telephone: 0130441749` an integer;
  the models convert text to numbers and dates where a field asks for one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.problems import Problem

MAX_BYTES = 256 * 1024
# A record is 3 levels deep (sources → item → titre); more is a typo or an attack.
MAX_DEPTH = 20
Location = tuple[str | int, ...]


def plain_loader(base: type) -> type:
    """A loader on `base` (libyaml's or PyYAML's own) that keeps every scalar as text but null and booleans."""
    loader = type("PlainLoader", (base,), {"yaml_implicit_resolvers": {}})
    loader.add_implicit_resolver("tag:yaml.org,2002:null", yaml.resolver.re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
    loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", yaml.resolver.re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
    )
    return loader


_PlainLoader = plain_loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@dataclass
class YamlDocument:
    path: Path
    data: Any = None
    positions: dict[Location, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def position(self, location: Location) -> tuple[int, int]:
        """Line and column of the value at `location`, or of its nearest enclosing value."""
        for end in range(len(location), -1, -1):
            if location[:end] in self.positions:
                return self.positions[location[:end]]
        return (1, 1)

    def problem(self, location: Location, message: str, hint: str = "") -> Problem:
        line, column = self.position(location)
        return Problem(self.path, line, column, dotted(location), message, hint)


def dotted(location: Location) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def read_yaml(path: Path, record: bool = True, raw: bytes | None = None) -> YamlDocument:
    """Read a data file; a record (`record=True`) must be a mapping of fields, other files (the glossary) may be a list.
    `raw`: the file's bytes when the caller has read them (no larger than MAX_BYTES)."""
    document = YamlDocument(path)
    if raw is not None:
        return _read_bytes(document, raw, record)
    size = path.stat().st_size
    if size > MAX_BYTES:
        document.problems.append(
            Problem(
                path,
                1,
                1,
                "",
                f"fichier trop gros ({size // 1024} Kio, maximum {MAX_BYTES // 1024} Kio)",
                "une fiche tient en quelques lignes : vérifiez le contenu du fichier",
            )
        )
        return document
    return _read_bytes(document, path.read_bytes(), record)


def _read_bytes(document: YamlDocument, raw: bytes, record: bool) -> YamlDocument:
    path = document.path
    try:
        # "-sig": a UTF-8 byte order mark (Windows Notepad writes one) is accepted and dropped.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        document.problems.append(
            Problem(
                path,
                line,
                1,
                "",
                "le fichier n'est pas encodé en UTF-8",
                "enregistrez-le en UTF-8 (dans l'éditeur : « Enregistrer sous… », encodage UTF-8)",
            )
        )
        return document
    if "\t" in text:
        line = text[: text.index("\t")].count("\n") + 1
        document.problems.append(
            Problem(
                path,
                line,
                text.split("\n")[line - 1].index("\t") + 1,
                "",
                "tabulation dans le fichier",
                "YAML n'accepte que des espaces pour l'indentation : remplacez la tabulation par des espaces",
            )
        )
        return document
    found = False
    try:
        reading = _read_refusing_deep(path, text)
        if reading.refusal:
            document.problems.append(reading.refusal)
            return document
        found = reading.found
        document.positions = reading.positions
        document.problems += reading.problems
        if reading.found and not reading.problems:
            document.data = reading.data
    except yaml.MarkedYAMLError as error:
        line, column = syntax_position(error)
        document.problems.append(Problem(path, line, column, "", f"YAML illisible : {explain_syntax(error)}", SYNTAX_HINT))
    except yaml.reader.ReaderError as error:
        line = text[: error.position].count("\n") + 1
        column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
        document.problems.append(
            Problem(
                path,
                line,
                column,
                "",
                f"caractère invisible interdit (code {error.character:#06x})",
                "supprimez-le : il vient souvent d'un copier-coller depuis un traitement de texte ou un PDF",
            )
        )
    except yaml.YAMLError:
        document.problems.append(Problem(path, 1, 1, "", f"YAML illisible : {SYNTAX_ERROR}", SYNTAX_HINT))
    if not found and not document.problems:
        document.problems.append(
            Problem(path, 1, 1, "", "fichier vide", "une fiche contient au moins type, nom, sources et verifie_le" if record else "")
        )
    elif record and document.data is not None and not isinstance(document.data, dict):
        document.problems.append(Problem(path, 1, 1, "", "une fiche doit être une liste de champs « nom: valeur »"))
        document.data = None
    return document


# Every reason PyYAML (and the libyaml it wraps) gives, in words a maintainer can act on.
# The first fragment found in "context + problem" decides; none of PyYAML's English is
# ever shown. Most of these cannot happen in a record, but a person can type anything.
_SYNTAX_REASONS = (
    (("could not find expected ':'",), "il manque « : » après un nom de champ"),
    (("found unexpected ':'", "mapping values are not allowed"), "« : » inattendu : mettez la valeur entre guillemets"),
    (("mapping keys are not allowed",), "« ? » inattendu en début de valeur : mettez la valeur entre guillemets"),
    (
        ("block sequence entries are not allowed",),
        "tiret « - » inattendu : alignez la liste sous son champ, ou mettez la valeur entre guillemets",
    ),
    (("expected '-' indicator",), "élément de liste mal aligné : chaque élément commence par « - » au même retrait"),
    (("did not find expected key", "expected <block end>"), "ligne mal alignée, ou guillemet non fermé plus haut"),
    (("',' or ']'",), "crochet « [ » non fermé"),
    (("',' or '}'",), "accolade « { » non fermée"),
    (("unexpected end of stream",), "guillemet non fermé"),
    (("unexpected document",), "ligne « --- » ou « ... » à l'intérieur d'un texte entre guillemets : décalez-la d'un espace"),
    (("document start", "single document"), "une seule fiche par fichier : retirez la ligne « --- » et ce qui suit"),
    (("directive", "incompatible YAML document"), "ligne commençant par « % » : mettez la valeur entre guillemets"),
    (("tag", "constructor"), "étiquette YAML (« ! ») non acceptée : mettez la valeur entre guillemets"),
    (("anchor", "alias"), "ancres et alias YAML (& et *) non acceptés : écrivez la valeur en entier"),
    (
        ("escape", "hexadecimal", "hexdecimal"),
        "barre oblique inverse « \\ » inconnue dans un texte entre guillemets doubles : doublez-la, ou prenez des guillemets simples",
    ),
    (("tab character",), "tabulation dans le fichier : remplacez-la par des espaces"),
    (("cannot start any token",), "caractère interdit en début de valeur : mettez la valeur entre guillemets"),
    (("block scalar", "indentation indicator"), "après « | » ou « > », le texte commence à la ligne suivante, en retrait"),
    (("duplicate key",), "champ écrit deux fois : gardez-en un seul"),
    (("unhashable key",), "nom de champ invalide : un nom de champ est un mot simple suivi de « : »"),
    (("node content",), "valeur manquante ou caractère inattendu"),
)
SYNTAX_ERROR = "syntaxe incorrecte à cet endroit"
SYNTAX_HINT = "vérifiez l'indentation, les deux-points après chaque nom de champ et les guillemets"
TOO_DEEP = f"trop de niveaux imbriqués (plus de {MAX_DEPTH})"
TOO_DEEP_HINT = "vérifiez les crochets [ ], les accolades { } et les retraits"
# PyYAML 6.0.4's own limit ("while increasing flow level: exceeded maximum nesting depth")
# and libyaml's ("Maximum nesting level reached"): both far above MAX_DEPTH.
_NESTING_LIMITS = ("nesting depth", "nesting level")


def syntax_position(error: yaml.MarkedYAMLError) -> tuple[int, int]:
    """Line and column (from 1) where a syntax error can be fixed."""
    # A quote left open is found at the end of the file: show where it opens instead.
    reached_the_end = "end of stream" in str(error.problem) and error.context_mark
    mark = error.context_mark if reached_the_end else error.problem_mark or error.context_mark
    return (mark.line + 1, mark.column + 1) if mark else (1, 1)


def explain_syntax(error: yaml.MarkedYAMLError) -> str:
    reason = " ".join(filter(None, [error.context, error.problem]))
    return next((french for fragments, french in _SYNTAX_REASONS if any(english in reason for english in fragments)), SYNTAX_ERROR)


def _read_refusing_deep(path: Path, text: str) -> _Reading:
    """`_read`, with the same refusal of deep nesting whatever PyYAML's version.

    PyYAML 6.0.4 and later stop at a nesting limit of their own while reading ahead,
    before the events of the level that passes ours have come: the text is then read
    again up to where PyYAML stopped, so the message and its place do not depend on the version.
    """
    try:
        return _read(path, text)
    except yaml.MarkedYAMLError as error:
        if not any(limit in str(error.problem) for limit in _NESTING_LIMITS):
            raise
        mark = error.problem_mark
        try:
            refusal = _read(path, text[: mark.index]).refusal
        except yaml.YAMLError:
            refusal = None
        return _Reading(refusal=refusal or Problem(path, mark.line + 1, mark.column + 1, "", TOO_DEEP, TOO_DEEP_HINT))


@dataclass
class _Reading:
    """What `_read` found: a refusal (alone), or the document's data with its positions and problems."""

    refusal: Problem | None = None
    found: bool = False  # the stream holds a document
    data: Any = None
    positions: dict[Location, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class _Open:
    """A mapping or a sequence whose events are being read."""

    value: dict[str, Any] | list[Any]
    location: Location
    keys: dict[str, int] = field(default_factory=dict)  # key → its line
    key: str | None = None  # the key whose value comes next, and where it stands
    key_line: int = 0
    key_column: int = 0
    skip_value: bool = False  # the value of a refused key comes next
    items: int = 0


STR, NULL, BOOL = "tag:yaml.org,2002:str", "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool"
# The tags a plain record's values may carry, by the kind of node they fit.
_FITTING_TAGS = {
    yaml.ScalarEvent: {STR, NULL, BOOL},
    yaml.MappingStartEvent: {"tag:yaml.org,2002:map"},
    yaml.SequenceStartEvent: {"tag:yaml.org,2002:seq"},
}
_NODE_KINDS = {yaml.ScalarEvent: yaml.ScalarNode, yaml.MappingStartEvent: yaml.MappingNode, yaml.SequenceStartEvent: yaml.SequenceNode}
_STARTS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_ENDS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
_NODES_AND_ENDS = (*_NODE_KINDS, *_ENDS)
ALIAS_HINT = "écrivez la valeur en entier à chaque endroit"
TAG_HINT = "retirez ce qui commence par « ! » : une fiche ne contient que du texte, des listes et des champs"


def _read(path: Path, text: str) -> _Reading:
    """The file's one document from the parser's events, in one pass: its data, the position of each
    value, and what is refused.

    Events come from a flat state machine, and nothing here is recursive: no nesting
    can overflow a stack, and the depth is checked as the events come. Aliases and
    deep nesting are refused as soon as met (the first one, where it stands); a
    syntax error raises wherever it is. Both come before the problems of the values
    (a tag, a key, a second document), which are only said when the whole file reads.
    """
    loader = _PlainLoader(text)
    try:
        return _EventReader(path, loader).read()
    finally:
        loader.dispose()


class _EventReader:
    """One file's reading: the mappings and sequences open, and how deep a refused value goes."""

    def __init__(self, path: Path, loader: Any):
        self.path, self.loader = path, loader
        self.reading = _Reading()
        self.opened: list[_Open] = []
        self.skipped = 0  # levels of a value read but not kept (under a refused key or tag)

    def read(self) -> _Reading:
        depth = 0
        first = second = None  # where the first and a second document start
        while self.loader.check_event():
            event = self.loader.get_event()
            kind = type(event)
            if kind is yaml.AliasEvent:
                return _Reading(refusal=self.problem(event, "", "ancres et alias YAML (& et *) non acceptés", ALIAS_HINT))
            if kind in _STARTS:
                depth += 1
                if depth > MAX_DEPTH:
                    return _Reading(refusal=self.problem(event, "", TOO_DEEP, TOO_DEEP_HINT))
            elif kind in _ENDS:
                depth -= 1
            elif kind is yaml.DocumentStartEvent:
                if first is None:
                    first = event.start_mark
                elif second is None:
                    second = event.start_mark
            if second is not None or kind not in _NODES_AND_ENDS:
                continue  # a second document is read only for what would be refused in it
            if self.skipped:
                self.skipped += (kind in _STARTS) - (kind in _ENDS)
            elif kind in _ENDS:
                self.opened.pop()
            else:
                self.node(event, kind)
        self.reading.found = first is not None
        if second is not None:
            raise yaml.composer.ComposerError("expected a single document in the stream", first, "but found another document", second)
        return self.reading

    def node(self, event: yaml.NodeEvent, kind: type) -> None:
        """A scalar, or the start of a mapping or a sequence: a key, or a value kept at its place."""
        parent = self.opened[-1] if self.opened else None
        mark = event.start_mark
        if parent is None:
            location: Location = ()
            self.reading.positions[location] = (mark.line + 1, mark.column + 1)
        elif type(parent.value) is list:
            location = (*parent.location, parent.items)
            parent.items += 1
            self.reading.positions[location] = (mark.line + 1, mark.column + 1)
        elif parent.key is None:
            self.key(event, kind, parent)
            return
        else:
            location = (*parent.location, parent.key)
            # A value is placed at its key (where a person looks for the field).
            self.reading.positions[location] = (parent.key_line, parent.key_column)
        tag = _tag(self.loader, event, kind)
        value: Any = None
        if not _fits(self.loader, event, kind, tag):
            written = tag.replace("tag:yaml.org,2002:", "!!")
            self.refuse(event, kind, dotted(location), f"étiquette YAML « {written} » non acceptée", TAG_HINT)
        elif kind is yaml.ScalarEvent:
            value = _scalar(event.value, tag)
        else:
            value = {} if kind is yaml.MappingStartEvent else []
            self.opened.append(_Open(value, location))
        if parent is None:
            self.reading.data = value
        elif type(parent.value) is list:
            parent.value.append(value)
        else:
            parent.value[parent.key] = value
            parent.key = None

    def key(self, event: yaml.NodeEvent, kind: type, mapping: _Open) -> None:
        """A key of `mapping`, or the problem that refuses it: then its value is not read."""
        if mapping.skip_value:  # this is the value of a refused key
            mapping.skip_value = False
            self.skipped = int(kind is not yaml.ScalarEvent)
            return
        mark = event.start_mark
        if kind is not yaml.ScalarEvent or _tag(self.loader, event, kind) != STR:
            self.refuse(event, kind, dotted(mapping.location), "nom de champ invalide", "un nom de champ est un mot simple suivi de « : »")
            mapping.skip_value = True
        elif event.value in mapping.keys:
            field_name = dotted((*mapping.location, event.value))
            self.refuse(
                event, kind, field_name, f"champ écrit deux fois (déjà ligne {mapping.keys[event.value]})", "gardez une seule fois ce champ"
            )
            mapping.skip_value = True
        else:
            mapping.keys[event.value] = mark.line + 1
            mapping.key, mapping.key_line, mapping.key_column = event.value, mark.line + 1, mark.column + 1

    def refuse(self, event: yaml.NodeEvent, kind: type, field_name: str, message: str, hint: str) -> None:
        """A problem with this node, said where it stands; what it holds is not read."""
        self.reading.problems.append(self.problem(event, field_name, message, hint))
        self.skipped = int(kind is not yaml.ScalarEvent)

    def problem(self, event: yaml.Event, field_name: str, message: str, hint: str) -> Problem:
        mark = event.start_mark
        return Problem(self.path, mark.line + 1, mark.column + 1, field_name, message, hint)


def _tag(loader: Any, event: yaml.NodeEvent, kind: type) -> str:
    """The node's tag, written or (none, or « ! ») resolved as the composer would."""
    if event.tag not in (None, "!"):
        return event.tag
    node = _NODE_KINDS[kind]
    return loader.resolve(node, event.value if node is yaml.ScalarNode else None, event.implicit)


def _fits(loader: Any, event: yaml.NodeEvent, kind: type, tag: str) -> bool:
    """A plain tag on the kind of node it names; a written !!null or !!bool only on a value that is one."""
    if tag not in _FITTING_TAGS[kind]:
        return False
    return tag == STR or kind is not yaml.ScalarEvent or loader.resolve(yaml.ScalarNode, event.value, (True, False)) == tag


def _scalar(value: str, tag: str) -> Any:
    if tag == NULL:
        return None
    if tag == BOOL:
        return value.lower() == "true"
    return value

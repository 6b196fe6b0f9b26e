"""Read one YAML record safely and remember where each value stands in the file.

Records are written by people, not programs, so the reader is strict where YAML
is surprising and lenient where YAML would silently change a value:

* only plain data: no tags, anchors or aliases (which also rules out
  "billion laughs" bombs), no duplicate keys, at most MAX_DEPTH levels of
  nesting (composing is recursive: `[[[[…` would overflow the stack);
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

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


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


def read_yaml(path: Path, record: bool = True) -> YamlDocument:
    """Read a data file; a record (`record=True`) must be a mapping of fields, other files (the glossary) may be a list."""
    document = YamlDocument(path)
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
    raw = path.read_bytes()
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
    node = None
    try:
        refusal = _refuse_structure(path, text)
        if refusal:
            document.problems.append(refusal)
            return document
        node = _compose(text, document)
    except yaml.MarkedYAMLError as error:
        # A quote left open is found at the end of the file: show where it opens instead.
        reached_the_end = "end of stream" in str(error.problem) and error.context_mark
        mark = error.context_mark if reached_the_end else error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
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
    if node is None and not document.problems:
        document.problems.append(
            Problem(path, 1, 1, "", "fichier vide", "une fiche contient au moins type, nom, sources et verifie_le" if record else "")
        )
    elif record and document.data is not None and not isinstance(document.data, dict):
        document.problems.append(Problem(path, 1, 1, "", "une fiche doit être une liste de champs « nom: valeur »"))
        document.data = None
    return document


def _compose(text: str, document: YamlDocument) -> yaml.Node | None:
    """The document's node tree, its positions recorded; its data too when nothing was refused."""
    loader = _PlainLoader(text)
    try:
        node = loader.get_single_node()
        if node is not None and _walk(node, (), document):
            document.data = loader.construct_document(node)
        return node
    finally:
        loader.dispose()


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


def explain_syntax(error: yaml.MarkedYAMLError) -> str:
    reason = " ".join(filter(None, [error.context, error.problem]))
    return next((french for fragments, french in _SYNTAX_REASONS if any(english in reason for english in fragments)), SYNTAX_ERROR)


def _refuse_structure(path: Path, text: str) -> Problem | None:
    """Refuse aliases and deep nesting from the event stream, before any (recursive) composing.

    PyYAML 6.0.4 and later stop at a nesting limit of their own while reading ahead,
    before this pass has seen the level that passes ours: the text is then read again
    up to where PyYAML stopped, so the message and its place do not depend on the version.
    """
    try:
        return _first_refusal(path, text)
    except yaml.MarkedYAMLError as error:
        if not any(limit in str(error.problem) for limit in _NESTING_LIMITS):
            raise
        mark = error.problem_mark
        try:
            refusal = _first_refusal(path, text[: mark.index])
        except yaml.YAMLError:
            refusal = None
        return refusal or Problem(path, mark.line + 1, mark.column + 1, "", TOO_DEEP, TOO_DEEP_HINT)


def _first_refusal(path: Path, text: str) -> Problem | None:
    """Events come from a flat state machine, so this pass is safe on any input; the
    first alias is reported once, where it stands, however many follow."""
    loader = _PlainLoader(text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            mark = event.start_mark
            if isinstance(event, yaml.AliasEvent):
                return Problem(
                    path,
                    mark.line + 1,
                    mark.column + 1,
                    "",
                    "ancres et alias YAML (& et *) non acceptés",
                    "écrivez la valeur en entier à chaque endroit",
                )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return Problem(path, mark.line + 1, mark.column + 1, "", TOO_DEEP, TOO_DEEP_HINT)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        loader.dispose()
    return None


def _walk(node: yaml.Node, location: Location, document: YamlDocument) -> bool:
    """Record positions and refuse what plain records never need; False if refused."""
    start = node.start_mark
    document.positions[location] = (start.line + 1, start.column + 1)
    if node.tag not in _PLAIN_TAGS:
        document.problems.append(
            Problem(
                document.path,
                start.line + 1,
                start.column + 1,
                dotted(location),
                f"étiquette YAML « {node.tag} » non acceptée",
                "retirez ce qui commence par « ! » : une fiche ne contient que du texte, des listes et des champs",
            )
        )
        return False
    ok = True
    if isinstance(node, yaml.MappingNode):
        keys: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                document.problems.append(
                    Problem(
                        document.path,
                        key_node.start_mark.line + 1,
                        key_node.start_mark.column + 1,
                        dotted(location),
                        "nom de champ invalide",
                        "un nom de champ est un mot simple suivi de « : »",
                    )
                )
                ok = False
                continue
            key = key_node.value
            if key in keys:
                document.problems.append(
                    Problem(
                        document.path,
                        key_node.start_mark.line + 1,
                        key_node.start_mark.column + 1,
                        dotted((*location, key)),
                        f"champ écrit deux fois (déjà ligne {keys[key]})",
                        "gardez une seule fois ce champ",
                    )
                )
                ok = False
                continue
            keys[key] = key_node.start_mark.line + 1
            ok = _walk(value_node, (*location, key), document) and ok
            document.positions[(*location, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            ok = _walk(item, (*location, index), document) and ok
    return ok

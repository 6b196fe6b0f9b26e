"""Problems found in the data, reported all at once, each where it can be fixed; and the system's refusals, said in French."""

from __future__ import annotations

import errno
from dataclasses import dataclass
from pathlib import Path

# Said after a build that stopped before touching the published site: `passerelle build` writes
# beside it (build/pipeline.py), the MkDocs plugin reads the data before MkDocs empties it.
SITE_UNCHANGED = "Le site n'a pas été modifié."


@dataclass(frozen=True, order=True)
class Problem:
    path: Path
    line: int
    column: int
    field: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        text = f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        return f"{text} — {self.hint}" if self.hint else text


class DataError(Exception):
    """The data cannot be published as it is; `problems` says every reason."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(self.report())

    def report(self) -> str:
        lines = [str(problem) for problem in self.problems]
        count = len(self.problems)
        lines.append(f"{count} problème{'s' if count > 1 else ''} à corriger.")
        return "\n".join(lines)


# What the system says when a file cannot be read or written, in the words of the person
# who typed the command (Python's own are English: « [Errno 2] No such file or directory »).
SYSTEM_REASONS = {
    errno.ENOENT: "introuvable : vérifiez le chemin",
    errno.EACCES: "accès refusé : vérifiez les droits sur ce fichier ou ce dossier",
    errno.EPERM: "accès refusé : vérifiez les droits sur ce fichier ou ce dossier",
    errno.EROFS: "disque en lecture seule",
    errno.ENOSPC: "disque plein : libérez de la place",
    errno.EISDIR: "c'est un dossier, pas un fichier",
    errno.ENOTDIR: "une partie du chemin n'est pas un dossier",
    errno.EEXIST: "un fichier de ce nom existe déjà",
    errno.ELOOP: "liens symboliques en boucle : vérifiez vers quoi mène ce lien",
    errno.EADDRINUSE: "déjà utilisé par un autre programme",
}


def system_reason(error: OSError) -> str:
    """Why the system refused, in French; its own words, with their code, for the rest."""
    return SYSTEM_REASONS.get(error.errno, f"erreur du système ({error.strerror or error})")


def system_problem(error: OSError) -> str:
    """The path the system refused, and why: « /srv/site : accès refusé : … »."""
    return f"{error.filename} : {system_reason(error)}" if error.filename else system_reason(error)

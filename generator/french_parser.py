"""The command line's parser, in French: argparse's own words (« usage: », « error: the following
arguments are required ») are English, and the people who type `passerelle` read French.

argparse asks gettext for each of its sentences through its module's `_`; Python ships no
French catalogue, so `french_messages` answers in its place while a parser is made and used,
and gives argparse back its own `_` afterwards. A sentence not listed stays in English.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

# argparse's sentences (its gettext message ids) → ours. Ids of Python 3.11 to 3.13.
FRENCH = {
    "usage: ": "utilisation : ",
    "positional arguments": "arguments",
    "show this help message and exit": "affiche cette aide",
    "the following arguments are required: %s": "il manque : %s",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix inconnu « %(value)s » (choix possibles : %(choices)s)",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s : %(message)s",
    "expected one argument": "une valeur est attendue après cette option",
    "expected at least one argument": "au moins une valeur est attendue",
    "expected at most one argument": "une seule valeur est attendue",
    "invalid %(type)s value: %(value)r": "valeur invalide « %(value)s » : un nombre est attendu",
    "ambiguous option: %(option)s could match %(matches)s": "option ambiguë : %(option)s peut être %(matches)s",
    "ignored explicit argument %r": "valeur inattendue %r",
}


class FrenchParser(argparse.ArgumentParser):
    """An argument parser whose error says, after what is wrong, where to find help."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog} : {message}\nPour l'aide : {self.prog} --help\n")


@contextmanager
def french_messages() -> Iterator[None]:
    english = argparse._
    argparse._ = lambda text: FRENCH.get(text, text)
    try:
        yield
    finally:
        argparse._ = english

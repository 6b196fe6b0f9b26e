"""What to change in opening hours that OpenStreetMap's syntax cannot read.

The parser's own error is a grammar dump in English. A person writing a record's
hours writes French ones (« Lu-Ve 9h-17h, fermé les jours fériés »): each such
habit is recognised and its fix said in its place; otherwise the general example.
"""

from __future__ import annotations

import re

EXAMPLE = "syntaxe OpenStreetMap, par exemple « Mo-Fr 09:00-17:00; Sa 10:00-12:00 »"

# Each habit and its fix. « Sa » is French and English alike; the others are French only.
_HABITS = (
    (
        re.compile(r"\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lun|mar|mer|jeu|ven|sam|dim|lu|ma|me|je|ve|di)\b", re.I),
        "les jours s'écrivent en anglais, en deux lettres : Mo (lundi), Tu (mardi), We (mercredi), Th (jeudi), "
        "Fr (vendredi), Sa (samedi), Su (dimanche)",
    ),
    (re.compile(r"\d\s*h\b|\d\s*h\s*\d", re.I), "les heures s'écrivent avec deux-points et deux chiffres : 09:30, et non 9h30"),
    (re.compile(r"\d:\d\d\s+\d"), "deux plages d'un même jour se séparent par une virgule : 09:00-12:00,14:00-17:00"),
    (re.compile(r"f[ée]ri[ée]", re.I), "les jours fériés s'écrivent PH : « PH off » s'il est fermé ces jours-là"),
    (re.compile(r"\bferm[ée]", re.I), "un jour fermé s'écrit off : « Sa off »"),
)
# A remark between quotes (`"sur rendez-vous"`) is free text: its words are not hours.
_REMARK = re.compile(r'"[^"]*"')


def hours_advice(text: str) -> str:
    """How to write `text` so that it reads; the general example when no habit is recognised."""
    hours = _REMARK.sub("", text)
    found = [fix for habit, fix in _HABITS if habit.search(hours)]
    return f"{' ; '.join(found)} ({EXAMPLE})" if found else f"utilisez la {EXAMPLE}"

"""The day Passerelle takes as today, asked in one place.

A site is dated: its records' freshness, the closures it still shows and « Informations au … »
depend on the day of the build. `PASSERELLE_TODAY` (AAAA-MM-JJ) sets that day instead of the
machine's, for every command and build: to see what the site will say on a coming date, and so
that a run of the tests that crosses midnight sees one day, not two.
"""

from __future__ import annotations

import os
from datetime import date

TODAY_ENV = "PASSERELLE_TODAY"


def today() -> date:
    """`PASSERELLE_TODAY` when it is set, else the machine's date."""
    fixed = os.environ.get(TODAY_ENV, "").strip()
    if not fixed:
        return date.today()
    try:
        return date.fromisoformat(fixed)
    except ValueError:
        # Read deep inside a build or a command: it stops it before anything is written, in French.
        raise SystemExit(
            f"{TODAY_ENV} : date illisible « {fixed} » — écrivez-la AAAA-MM-JJ (par exemple 2026-12-24), "
            "ou retirez cette variable pour prendre la date du jour."
        ) from None

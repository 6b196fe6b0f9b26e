"""The end of Material for MkDocs, said to the person who builds with it while there is time to change.

Material for MkDocs, the theme this engine lays the pages out with, « reaches end of life on
May 5, 2027. Critical fixes and security updates continue until that date » (its team, in
the notes of release 9.8.1, 7 November 2026:
https://github.com/squidfunk/mkdocs-material/releases/tag/9.8.1); MkDocs 1.x is already
unmaintained. The staff who publish the site are rarely developers: they learn it from
their own builds, with what to do (README, « Les moteurs »).
"""

from __future__ import annotations

from datetime import date

from generator.site.text import date_fr

END_OF_LIFE = date(2027, 5, 5)
# Said from this many days before: a few publications to plan the change, not a year of noise.
WARNING_DAYS = 90
WHAT_TO_DO = (
    "publiez avec Zensical, son successeur, qui garde le même aspect : « passerelle build --engine zensical » (README, « Les moteurs »)."
)


def end_of_life_notice(day: date) -> str | None:
    """What a build with MkDocs says on `day` of Material's end of life, or None when it is far off."""
    left = (END_OF_LIFE - day).days
    if left > WARNING_DAYS:
        return None
    if left > 0:
        return (
            f"ATTENTION : Material for MkDocs, qui met ce site en forme, ne sera plus maintenu après le "
            f"{date_fr(END_OF_LIFE)} (dans {left} jour{'s' if left > 1 else ''}) : ses failles de sécurité ne seront "
            f"plus corrigées. Avant cette date, {WHAT_TO_DO}"
        )
    return (
        f"ATTENTION : Material for MkDocs, qui met ce site en forme, n'est plus maintenu depuis le {date_fr(END_OF_LIFE)} : "
        f"ses failles de sécurité ne sont plus corrigées. Dès maintenant, {WHAT_TO_DO}"
    )

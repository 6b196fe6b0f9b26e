"""What happens to the site once the engine has built it, whichever engine it was.

`finish_site` runs the same steps after `passerelle build`'s engine and in the
MkDocs plugin's `on_post_build` (for `mkdocs serve` and `mkdocs build`):

1. the layout pages of the bulk pages are read and removed;
2. every acronym of the pages the engine wrote is explained (`<abbr>`);
3. the record and territory pages are written from their folder's layout
   (their acronyms explained as they are rendered), and added to the sitemap;
4. the post-build steps run on the finished site, in order;
5. if the site is nearly too big for GitHub Pages, or dated another day than
   today (a preview), the person who builds is told.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

from generator.build import notices
from generator.build.bulk import BulkWriter
from generator.build.search_index import write_search_index
from generator.build.site_files import site_files
from generator.build.sources import Generation
from generator.clock import TODAY_ENV
from generator.site.admin import EDITOR_THEME_FILES
from generator.site.glossary import Glossary
from generator.site.model import SiteModel
from generator.site.text import date_fr

PostBuildStep = Callable[[Path, Generation], None]


def remove_unused_editor(site_dir: Path, generation: Generation) -> None:
    """The records editor's files (Decap CMS, 6.5 MB) are published only with /admin/."""
    if generation.site.settings.repository_url:
        return
    for path in EDITOR_THEME_FILES:
        target = site_dir / path
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()


# Steps that need the finished site, every page written: each is called as
# `step(site_dir, generation)` and may read, add and remove files under `site_dir`.
# The search index comes last: it indexes the final HTML of every page. A
# failing step raises BuildFailed, and the published site stays as it was. A step
# runs again on a finished site when `mkdocs serve` updates pages after an edit
# (generator/build/update.py): it must give the same site as on a fresh one.
POST_BUILD_STEPS: tuple[PostBuildStep, ...] = (remove_unused_editor, write_search_index)

# The theme's main content: what the glossary pass annotates (not the header,
# navigation or footer, which repeat the same acronyms on every page).
_ARTICLE = re.compile(r"(<article\b[^>]*>)(.*)(</article>)", re.S)


def finish_site(site_dir: Path, generation: Generation) -> dict[str, str]:
    """Finish the site the engine built; return the layouts of the bulk pages (a later update may reuse them)."""
    bulk = BulkWriter(generation.bulk, generation.renderer, generation.glossary)
    if generation.bulk:
        bulk.take_layouts(site_dir)
    explain_acronyms(site_dir, generation.glossary)
    if generation.bulk:
        bulk.write(site_dir, sitemap_root(generation.site))
    for step in POST_BUILD_STEPS:
        step(site_dir, generation)
    for notice in (size_notice(site_size(site_dir)), dated_notice(generation.site.today)):
        if notice:
            notices.warning(notice)
    return bulk.layouts


def dated_notice(day: date) -> str | None:
    """A site dated another day than its build's (PASSERELLE_TODAY, for a preview) is not to be published by mistake."""
    if day == date.today():
        return None
    return (
        f"ATTENTION : ce site est daté du {date_fr(day)} ({TODAY_ENV}), pas du jour de sa construction : "
        "c'est un aperçu, ne le publiez pas."
    )


# GitHub Pages limits published sites to 1 GB (docs.github.com, « GitHub Pages limits »);
# past it a deployment is not guaranteed, and past 10 GB not even tried (actions/
# upload-pages-artifact's README). A national directory reaches it near 39,000 records
# (bench/run.py: 1,278 MB at 50,000): the resource centre learns it from its build, in its
# words, not from a failed deployment.
PUBLISHED_SIZE_LIMIT = 1_000_000_000
# Told from this share of the limit on, while there is time to choose.
SIZE_WARNING_SHARE = 0.9


def site_size(site_dir: Path) -> int:
    """Bytes of the files of the site (what a host stores and counts)."""
    return sum(entry.stat(follow_symlinks=False).st_size for _, entry in site_files(site_dir))


def size_notice(size: int) -> str | None:
    limit = PUBLISHED_SIZE_LIMIT
    if size < limit * SIZE_WARNING_SHARE:
        return None
    return (
        f"ATTENTION : le site construit fait {_gigabytes(size)} Go. GitHub Pages limite les sites publiés à "
        f"{_gigabytes(limit)} Go : au-delà, la publication n'est pas garantie. Publiez-le chez un hébergeur sans "
        "cette limite, ou en plusieurs sites, un par région : l'option regions du greffon passerelle (mkdocs.yml) ne "
        "garde que les fiches d'une région (README, « Publier »)."
    )


def _gigabytes(size: int) -> str:
    return f"{size / 1e9:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def sitemap_root(site: SiteModel) -> str:
    """Without a public address, the sitemap's entries start from the site's root."""
    return site.settings.site_url or "/"


def explain_acronyms(site_dir: Path, glossary: Glossary) -> None:
    """Annotate the main content of every HTML page under `site_dir` (before the bulk pages are written)."""
    for path in site_dir.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        annotated = annotate_page(html, glossary)
        if annotated != html:
            path.write_text(annotated, encoding="utf-8")


def annotate_page(html: str, glossary: Glossary) -> str:
    match = _ARTICLE.search(html)
    if match is None:
        return html
    return html[: match.start(2)] + glossary.annotate(match.group(2)) + html[match.end(2) :]

"""Per-page costs added to every record: acronyms (<abbr>), the easy-read page, against the record fragment's rendering.

    python3 -m bench.record_sheet [--records 1000]

Synthetic records (bench/synthetic.py) are loaded like real data and each
record page's fragment is rendered with the real templates; then, per page:
- `Glossary.annotate` on the rendered fragment (what the bulk writer runs on
  every record and territory page);
- `annotate_page` on every page the engine wrote for the shipped site (the
  post-build pass of generator/build/finish.py, which explains the acronyms of
  hand-written and generated pages whatever the engine): the site is built once
  with MkDocs, and each page's <abbr> are taken out again before it is timed;
- for scale, the whole record fragment's rendering (the printed sheet's QR code
  is drawn by the browser, so it costs nothing here);
- the easy-read version of each record (/facile/structures/<id>/, a second bulk
  page per record): its fragment's rendering and its acronyms.
Prints medians and totals for 50,000 records; figures, not assertions.
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from pathlib import Path

from bench.synthetic import write_records
from generator.build.finish import annotate_page
from generator.site.data_folder import load_site
from generator.site.easy_read import easy_read_pages
from generator.site.glossary import Glossary
from generator.site.model import SiteSettings
from generator.site.pages import Renderer, directory_pages
from tests.sitebuild import build_site

ROOT = Path(__file__).resolve().parents[1]
SITE_URL = "https://passerelle.example.org/"


def timed(function, items) -> list[float]:
    """Milliseconds per call, one figure per item."""
    figures = []
    for item in items:
        start = time.perf_counter()
        function(item)
        figures.append((time.perf_counter() - start) * 1000)
    return figures


def report(label: str, figures: list[float]) -> None:
    median = statistics.median(figures)
    print(f"| {label} | {len(figures)} | {median:.3f} | {max(figures):.3f} | {median * 50_000 / 1000:.1f} s |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1000)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        write_records(Path(folder), arguments.records)
        site = load_site(Path(folder), SiteSettings(site_url=SITE_URL))
        renderer = Renderer(ROOT / "site_theme" / "passerelle", site)
        glossary = Glossary(site.glossary, renderer.environment.get_template("abbr.html"))
        records = [page for page in directory_pages(site) if page.bulk]
        fragments = [renderer.render(page) for page in records]
        easy_read = easy_read_pages(site)
        easy_fragments = [renderer.render(page) for page in easy_read]
        engine_pages = [
            _without_abbr(page.read_text(encoding="utf-8")) for page in sorted(build_site(Path(folder) / "site").rglob("*.html"))
        ]

        print(f"{len(records)} synthetic record pages, mean fragment {statistics.mean(map(len, fragments)) / 1024:.1f} KiB\n")
        print("| step | pages | median ms | max ms | for 50,000 pages |")
        print("|---|---|---|---|---|")
        report("render a record fragment", timed(renderer.render, records))
        report("annotate acronyms, record fragment", timed(glossary.annotate, fragments))
        report("annotate acronyms, engine page (post-build pass)", timed(lambda page: annotate_page(page, glossary), engine_pages))
        report("render an easy-read fragment", timed(renderer.render, easy_read))
        report("annotate acronyms, easy-read fragment", timed(glossary.annotate, easy_fragments))


def _without_abbr(html: str) -> str:
    return re.sub(r"<abbr\b[^>]*>|</abbr>", "", html)


if __name__ == "__main__":
    main()

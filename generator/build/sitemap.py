"""The sitemap: the engine's, with the bulk pages added, in files that search engines accept.

A sitemap file lists at most 50,000 addresses (sitemaps.org), and a national
directory has two pages a record: 100,000 at 50,000 records. Past the limit,
`sitemap.xml` becomes an index of `sitemap-1.xml`, `sitemap-2.xml`…, each under
it, as the protocol provides. Pages are added to and dropped from the whole list,
as the engine wrote it or as it was split, which is then written out again.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from markupsafe import escape

SITEMAP = "sitemap.xml"
# sitemaps.org: 50,000 addresses a file (and 50 MB, which 50,000 addresses stay far under).
URLS_PER_FILE = 50_000
INDEX_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'

_URLSET_START = re.compile(r"<urlset\b[^>]*>\n?")
_ENTRY = re.compile(r"<url>.*?</url>", re.S)
_LOC = re.compile(r"<loc>([^<]*)</loc>")


def add_to_sitemap(site_dir: Path, site_url: str, urls: list[str], dropped_urls: list[str]) -> None:
    """Add `urls` to the sitemap and drop `dropped_urls` from it (and from its gzipped copy, if any).

    The dropped URLs are those of the layout pages, or of bulk pages that are no more; an entry is
    dropped when its address ends with one (the engine writes its own, maybe without the site's).
    """
    if not (site_dir / SITEMAP).exists():
        return
    text = (site_dir / SITEMAP).read_text(encoding="utf-8")
    parts = _parts(text)
    head, entries = _read(site_dir, text, parts)
    if not head:  # not a list of pages this module knows how to write: left as the engine wrote it
        return
    dropped = tuple(dropped_urls)
    if dropped:
        entries = [entry for entry in entries if not _address(entry).endswith(dropped)]
    entries += [f"<url>\n         <loc>{escape(site_url + url)}</loc>\n    </url>" for url in urls]
    _write(site_dir, site_url, head, entries, parts)


def sitemap_parts(site_dir: Path) -> list[str]:
    """The files of a split sitemap, in order: `sitemap-1.xml`…; none when it is one file."""
    return _parts((site_dir / SITEMAP).read_text(encoding="utf-8")) if (site_dir / SITEMAP).exists() else []


def _parts(sitemap: str) -> list[str]:
    if "<sitemapindex" not in sitemap:
        return []
    return [address.rsplit("/", 1)[-1] for address in _LOC.findall(sitemap)]


def _read(site_dir: Path, sitemap: str, parts: list[str]) -> tuple[str, list[str]]:
    """The opening of the list (XML declaration, `<urlset …>`) and its entries, from `sitemap` or its parts."""
    texts = [(site_dir / name).read_text(encoding="utf-8") for name in parts] if parts else [sitemap]
    start = _URLSET_START.search(texts[0])
    head = texts[0][: start.end()] if start else ""
    return head, [entry for text in texts for entry in _ENTRY.findall(text)]


def _write(site_dir: Path, site_url: str, head: str, entries: list[str], old_parts: list[str]) -> None:
    for old in old_parts:
        (site_dir / old).unlink(missing_ok=True)
    if len(entries) <= URLS_PER_FILE:
        text = _urlset(head, entries)
    else:
        parts = []
        for number, start in enumerate(range(0, len(entries), URLS_PER_FILE), 1):
            name = f"sitemap-{number}.xml"
            (site_dir / name).write_text(_urlset(head, entries[start : start + URLS_PER_FILE]), encoding="utf-8")
            parts.append(f"    <sitemap>\n         <loc>{escape(site_url + name)}</loc>\n    </sitemap>\n")
        text = INDEX_HEAD + "".join(parts) + "</sitemapindex>"
    (site_dir / SITEMAP).write_text(text, encoding="utf-8")
    compressed = site_dir / (SITEMAP + ".gz")
    if compressed.exists():
        compressed.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))


def _urlset(head: str, entries: list[str]) -> str:
    return head + "".join(f"    {entry}\n" for entry in entries) + "</urlset>"


def _address(entry: str) -> str:
    found = _LOC.search(entry)
    return found.group(1) if found else ""

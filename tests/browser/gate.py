"""Shared by the gate's browser tests: the real site built for a browser, its pages and page types.

Page types are derived from the built site's folders, so a feature that adds a folder
(/observatoire/, /orientation/…) is checked as soon as it lands, without editing a list.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import yaml

from generator.records.vocabulary import Kind
from tests.sitebuild import ROOT, build_site

# Page types every build must have: if one disappears, the checks would silently shrink.
CORE_TYPES = {"accueil", "404", "a-propos", "gem", "regions", "region", "departement", "structure", "guides", "facile", "carte", "trouver"}
_built: dict[str, Path] = {}


ENGINES = ("mkdocs", "zensical")


def browser_site(tmp_path_factory, engine: str = "mkdocs") -> Path:
    """The shipped data built by `passerelle build --engine <engine>`, once per test process, with no
    site_url: served on any port, no absolute URL points at mkdocs.yml's 127.0.0.1:8000."""
    if engine not in _built:
        _built[engine] = build_site(tmp_path_factory.mktemp(engine) / "site", site_url="", engine=engine)
    return _built[engine]


def tile_host() -> str:
    """The one other host a visitor's browser may contact: the map tile server of mkdocs.yml."""
    raw = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    options = next(plugin["passerelle"] for plugin in raw["plugins"] if isinstance(plugin, dict) and "passerelle" in plugin)
    return urlsplit(options["tile_url"]).hostname or ""


# The records editor (Decap CMS) is a page for the maintainers with a policy of its own
# (tests/browser/test_editor.py); every other page is the public's.
EDITOR_DIR = "admin/"


def html_pages(site: Path) -> list[str]:
    """Every public HTML page of the site, as a URL path relative to its root ("" for the home page)."""
    pages = []
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        if relative.startswith(EDITOR_DIR):
            continue
        pages.append(relative.removesuffix("index.html") if relative.endswith("index.html") else relative)
    return pages


def page_types(site: Path) -> dict[str, str]:
    """One representative page per type, name → URL path: each folder's index and first sub-page,
    one région, one département, and one record of each kind (each kind has its own details)."""
    types = {"accueil": "", "404": "404.html"}
    for page in html_pages(site):
        top, _, rest = page.partition("/")
        if page in types.values() or top == "structures":
            continue
        name = {"regions": "region", "departements": "departement"}.get(top, f"{top}/…") if rest else top
        types.setdefault(name, page)
    for kind in Kind:
        record = first_record_link(site / kind.slug / "index.html")
        if record:
            types[f"structure {kind.value}"] = record
    return types


def missing_core_types(types: dict[str, str]) -> set[str]:
    return CORE_TYPES - {name.split(" ")[0] for name in types}


def first_record_link(section_page: Path) -> str | None:
    """The first record page a section page lists (its entries, not the records its notes name), as a URL path of the site."""
    if not section_page.is_file():
        return None
    links = _Links(only_class="pa-entry__name")
    links.feed(section_page.read_text(encoding="utf-8"))
    base = section_page.parent.name + "/"
    for href in links.hrefs:
        target = urljoin(base, href)
        if target.startswith("structures/") and target.count("/") == 2:
            return target
    return None


class _Links(HTMLParser):
    """The links of a page; with `only_class`, those of that class only."""

    def __init__(self, only_class: str | None = None) -> None:
        super().__init__()
        self.only_class = only_class
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if (
            tag == "a"
            and attributes.get("href")
            and (self.only_class is None or self.only_class in (attributes.get("class") or "").split())
        ):
            self.hrefs.append(attributes["href"])

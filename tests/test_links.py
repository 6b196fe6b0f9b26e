"""Every link of the built site leads somewhere: internal links and anchors resolve, external ones are well-formed.

All HTML files of the site are read (a new page type is checked as soon as it exists).
"""

from __future__ import annotations

import itertools
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from generator.site.pages import relative_url

# Attributes that make the browser follow or fetch a URL.
URL_ATTRIBUTES = {
    ("a", "href"),
    ("area", "href"),
    ("link", "href"),
    ("script", "src"),
    ("img", "src"),
    ("source", "src"),
    ("iframe", "src"),
    ("form", "action"),
}
TEL = re.compile(r"tel:\+?[0-9][0-9 .()-]*")
MAILTO = re.compile(r"mailto:[^@\s<>\"']+@[^@\s<>\"']+\.[A-Za-z]{2,}(\?.*)?")


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.urls: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value or "")
            elif (tag, name) in URL_ATTRIBUTES and value is not None:
                self.urls.append((f"<{tag} {name}>", value))


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture(scope="module")
def site_pages(built_site) -> dict[str, _Page]:
    return {path.relative_to(built_site).as_posix(): parse(path) for path in sorted(built_site.rglob("*.html"))}


def site_url(built_site: Path) -> str:
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', (built_site / "index.html").read_text(encoding="utf-8"))
    return canonical.group(1) if canonical else ""


def external_problem(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme in ("http", "https"):
        return None if parts.netloc and not re.search(r"\s", url) else "malformed web address"
    if parts.scheme == "mailto":
        return None if MAILTO.fullmatch(url) else "malformed e-mail link"
    if parts.scheme == "tel":
        return None if TEL.fullmatch(url) else "malformed phone link"
    return f"scheme {parts.scheme!r} is never linked"


def test_the_whole_site_is_checked(site_pages):
    assert len(site_pages) > 30 and "index.html" in site_pages and "404.html" in site_pages


def test_every_link_and_anchor_resolves(built_site, site_pages):
    root_url = site_url(built_site)
    broken = []
    for source, page in site_pages.items():
        for where, url in page.urls:
            if root_url and url.startswith(root_url):
                url = "/" + url.removeprefix(root_url)
            elif urlsplit(url).scheme or url.startswith("//"):
                problem = external_problem(url)
                if problem:
                    broken.append(f"{source}: {where} {url!r}: {problem}")
                continue
            target = urlsplit(urljoin("/" + source, url))
            path = unquote(target.path).lstrip("/")
            file = built_site / path
            if not path or path.endswith("/") or file.is_dir():
                file = file / "index.html"
            if not file.is_file():
                broken.append(f"{source}: {where} {url!r}: no file {file.relative_to(built_site)}")
            elif target.fragment and file.suffix == ".html":
                ids = site_pages[file.relative_to(built_site).as_posix()].ids
                if unquote(target.fragment) not in ids:
                    broken.append(f"{source}: {where} {url!r}: no id {target.fragment!r} in {file.relative_to(built_site)}")
    assert not broken, f"{len(broken)} broken links:\n" + "\n".join(broken[:60])


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://www.psycom.org/", None),
        ("mailto:contact@exemple.fr", None),
        ("tel:+33146611234", None),
        ("https://exemple .fr", "malformed web address"),
        ("https:///chemin", "malformed web address"),
        ("mailto:contact", "malformed e-mail link"),
        ("tel:appelez-nous", "malformed phone link"),
        ("javascript:alert(1)", "scheme 'javascript' is never linked"),
        ("data:text/html,x", "scheme 'data' is never linked"),
    ],
)
def test_external_link_check_tells_good_from_bad(url, problem):
    assert external_problem(url) == problem


def test_relative_urls_are_those_of_posixpath_relpath():
    """The pages' links are computed without posixpath (site/pages.py): the same answer for every pair of site URLs."""
    parts = ["gem", "structures", "x", "index.html", "a.csv"]
    urls = [""] + ["/".join(c) + end for n in (1, 2, 3) for c in itertools.product(parts, repeat=n) for end in ("", "/")]
    for from_url, to_url in itertools.product(urls, urls):
        expected = posixpath.relpath("/" + to_url, "/" + from_url)
        if to_url.endswith("/") and not expected.endswith("/"):
            expected += "/"
        assert relative_url(from_url, to_url) == ("./" if expected in ("./", ".") else expected), (from_url, to_url)

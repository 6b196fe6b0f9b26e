"""Accessibility and privacy of the Passerelle theme (site_theme/) in a real browser.

A tiny throwaway MkDocs-Material site using ``custom_dir: site_theme`` is built
into a temporary directory, served on 127.0.0.1 and checked with axe-core
(every impact level), on a desktop and a 375x740 phone viewport. The site's search
(header box and /recherche/) needs the real site's index: tests/browser/test_search.py.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
THEME_DIR = REPO / "site_theme"

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
PAGES = ["", "structures/", "a-propos/"]
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}
THIRD_PARTY_MARKERS = ("fonts.googleapis.com", "fonts.gstatic.com", "googletagmanager.com")

DOCS = {
    "index.md": """\
        # Accueil

        Bienvenue sur ce site d'essai. Consultez la [liste des structures](structures.md)
        ou la page [à propos](a-propos.md).

        ## Trouver de l'aide

        Un [lien externe](https://www.psycom.org/), du `code` et une liste :

        - [Structures près de chez vous](structures.md)
        - [Qui sommes-nous ?](a-propos.md)

        [Nous contacter](a-propos.md){ .md-button .md-button--primary }
        """,
    "structures.md": """\
        # Structures

        | Nom | Ville | Téléphone |
        |-----|-------|-----------|
        | GEM Les Amis | Lyon | [04 72 00 00 00](tel:+33472000000) |
        | CLSM Nord | Lille | [03 20 00 00 00](tel:+33320000000) |

        !!! note "Bon à savoir"
            En cas d'urgence, appelez le [3114](tel:3114).
        """,
    "a-propos.md": """\
        # À propos

        Texte de présentation. Écrire à [contact@example.org](mailto:contact@example.org).
        """,
}


def _mkdocs_yml(theme_dir: Path | None, font_false: bool = True, analytics: bool = False) -> str:
    theme = ["  name: material", "  language: fr"]
    if theme_dir is not None:
        theme.append(f"  custom_dir: {theme_dir}")
        theme.append("  palette: {scheme: default, primary: custom, accent: custom}")
        theme.append("  features: [navigation.sections, navigation.top]")
    if font_false:
        theme.append("  font: false")
    lines = ["site_name: Essai Passerelle", "theme:", *theme]
    if theme_dir is not None:
        lines.append("extra_css: [assets/stylesheets/passerelle.css]")
    lines += ["markdown_extensions: [admonition, attr_list, tables, toc]", "plugins: []"]
    if analytics:
        lines += ["extra:", "  analytics: {provider: google, property: G-XXXXXXXXXX}"]
    return "\n".join(lines) + "\n"


def build_throwaway_site(root: Path, theme_dir: Path | None = THEME_DIR, **kw) -> Path:
    docs = root / "docs"
    docs.mkdir(parents=True)
    for name, text in DOCS.items():
        (docs / name).write_text(textwrap.dedent(text), encoding="utf-8")
    (root / "mkdocs.yml").write_text(_mkdocs_yml(theme_dir, **kw), encoding="utf-8")
    site = root / "site"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(root / "mkdocs.yml"), "-d", str(site)],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
    )
    assert proc.returncode == 0, f"mkdocs build failed:\n{proc.stdout}\n{proc.stderr}"
    return site


@pytest.fixture(scope="session")
def theme_site(tmp_path_factory) -> Path:
    return build_throwaway_site(tmp_path_factory.mktemp("theme_site"))


@pytest.fixture(scope="session")
def theme_url(theme_site, serve_site) -> str:
    return serve_site(theme_site)


# ---------------------------------------------------------------------------
# Harness self-check: axe really runs and really reports.
# ---------------------------------------------------------------------------
def test_axe_harness_detects_known_violations(page_at, theme_url, axe_violations):
    page = page_at(theme_url)
    page.evaluate(
        """() => {
            const d = document.createElement('div');
            d.setAttribute('role', 'dialog');
            d.innerHTML = '<p>texte trop pâle</p>';
            // Styled through the CSSOM: the Content-Security-Policy refuses style attributes.
            Object.assign(d.firstChild.style, {color: '#aaa', background: '#fff'});
            document.body.appendChild(d);
        }"""
    )
    ids = {v["id"] for v in axe_violations(page)}
    assert {"aria-dialog-name", "color-contrast"} <= ids, ids


# ---------------------------------------------------------------------------
# Accessibility
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("viewport", VIEWPORTS, ids=list(VIEWPORTS))
@pytest.mark.parametrize("path", PAGES, ids=["accueil", "structures", "a-propos"])
def test_axe_no_violations(page_at, theme_url, axe_violations, format_violations, path, viewport):
    page = page_at(theme_url + path, viewport=VIEWPORTS[viewport])
    violations = axe_violations(page)
    assert not violations, format_violations(violations)


@pytest.mark.parametrize("path", PAGES, ids=["accueil", "structures", "a-propos"])
def test_page_language_is_french(page_at, theme_url, path):
    page = page_at(theme_url + path, wait="load")
    assert page.locator("html").get_attribute("lang") == "fr"


def test_phone_tap_targets_are_at_least_44px(page_at, theme_url):
    page = page_at(theme_url, viewport=PHONE)
    selectors = [
        "label.md-header__button[for='__drawer']",
        "button.pa-search-box__button",
        ".md-typeset li > a",
        ".md-typeset a.md-button",
    ]
    page2 = page_at(theme_url + "structures/", viewport=PHONE)
    too_small = []
    for pg, sels in ((page, selectors), (page2, [".md-typeset table a[href^='tel:']", ".md-typeset .admonition a[href^='tel:']"])):
        for sel in sels:
            loc = pg.locator(sel)
            assert loc.count() > 0, f"nothing matches {sel!r}"
            for i in range(loc.count()):
                box = loc.nth(i).bounding_box()
                assert box is not None, f"{sel} #{i} is not rendered"
                if box["width"] < 44 or box["height"] < 44:
                    too_small.append(f"{pg.url} {sel} #{i}: {box['width']:.0f}x{box['height']:.0f}")
    assert not too_small, "tap targets smaller than 44x44 px:\n" + "\n".join(too_small)


# ---------------------------------------------------------------------------
# Privacy: nothing but 127.0.0.1 is ever contacted
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("viewport", VIEWPORTS, ids=list(VIEWPORTS))
def test_no_request_leaves_localhost(page_at, theme_url, external_requests, viewport):
    seen = []
    for path in PAGES:
        page = page_at(theme_url + path, viewport=VIEWPORTS[viewport])
        seen.extend(page.requests)
        assert external_requests(page) == [], external_requests(page)
    assert any(u.startswith(theme_url) for u in seen)
    assert not [u for u in seen if any(m in u for m in THIRD_PARTY_MARKERS)]


_EXTERNAL_RESOURCE = re.compile(
    r"<(?:link|script|img|iframe|source|video|audio|embed|object)\b[^>]*?"
    r"\b(?:src|href|data)\s*=\s*[\"']?(?:https?:)?//(?!127\.0\.0\.1|localhost)",
    re.IGNORECASE,
)


def _third_party_references(site: Path) -> list[str]:
    found = []
    for f in sorted(site.rglob("*")):
        if f.suffix == ".html":
            text = f.read_text(encoding="utf-8")
            found += [f"{f.relative_to(site)}: {m.group(0)[:120]}" for m in _EXTERNAL_RESOURCE.finditer(text)]
        elif f.suffix == ".css":
            text = f.read_text(encoding="utf-8")
            found += [f"{f.relative_to(site)}: {m.group(0)}" for m in re.finditer(r"url\(\s*[\"']?(?:https?:)?//[^)]*\)", text)]
        if f.suffix in (".html", ".css", ".js"):
            text = f.read_text(encoding="utf-8", errors="replace")
            found += [f"{f.relative_to(site)}: mentions {m}" for m in THIRD_PARTY_MARKERS if m in text]
    return found


def test_built_site_references_no_third_party_resource(theme_site):
    assert _third_party_references(theme_site) == []


def test_theme_blocks_google_fonts_and_analytics_even_if_configured(tmp_path, serve_site, page_at, external_requests):
    # No `font: false` and Google Analytics configured: the theme must still
    # load nothing from a third party.
    site = build_throwaway_site(tmp_path, font_false=False, analytics=True)
    assert _third_party_references(site) == []
    page = page_at(serve_site(site))
    assert external_requests(page) == []
    referrer = page.locator("meta[name='referrer']").get_attribute("content")
    assert referrer in {"same-origin", "no-referrer"}


def test_axe_no_violations_with_navigation_drawer_open_on_phone(page_at, theme_url, axe_violations, format_violations):
    page = page_at(theme_url + "structures/", viewport=PHONE)
    page.locator("label.md-header__button[for='__drawer']").click()
    page.locator(".md-nav--primary").first.wait_for(state="visible")
    page.wait_for_timeout(400)  # let the drawer finish sliding in
    violations = axe_violations(page)
    assert not violations, format_violations(violations)


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=list(VIEWPORTS))
def test_axe_no_violations_on_404_page(page_at, theme_url, axe_violations, format_violations, viewport):
    page = page_at(theme_url + "404.html", viewport=VIEWPORTS[viewport])
    violations = axe_violations(page)
    assert not violations, format_violations(violations)

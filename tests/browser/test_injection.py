"""Hostile text in records stays text: on every page, popup, list, search result and export.

A site is built from records whose every free-text field carries HTML, <script>, event
handlers, `javascript:` links and Jinja syntax. Any of them turning into markup would set
`window.__pwned`, open a dialog, trip the Content-Security-Policy or leave a live element.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from generator.site.search import BUNDLE_FOLDER
from tests.browser.gate import html_pages, page_types, tile_host
from tests.sitebuild import build_site

MARK = "window.__pwned=1"
SCRIPT = f"<script>{MARK};alert(1)</script>"
IMG = f'<img src=x onerror="{MARK};alert(1)">'
ATTRIBUTE = f'"\' onmouseover="{MARK}" x=\''
TEMPLATE = "{{ 12345*2 }}{% if true %}JINJA{% endif %}"
# What TEMPLATE would leave if a template engine ran it: the product, or JINJA without its tags.
EVALUATED = re.compile(r"24690|(?<!%\})JINJA")
MARKDOWN = (
    f"[clic](javascript:{MARK}) [clic2]( JaVaScRiPt:alert(1)) [clic3](&#106;avascript:alert(1)) "
    f"<javascript:alert(1)> [donnée](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) "
    f'![image](x" onerror="{MARK}) {SCRIPT} {IMG} {TEMPLATE}'
)
HOSTILE_NAME = f"GEM {SCRIPT} {TEMPLATE}"

RECORDS = {
    "gem/gem-hostile.yaml": {
        "type": "gem",
        "nom": HOSTILE_NAME,
        "description": MARKDOWN,
        "adresse": {"voie": f"1 rue {IMG}", "code_postal": "92260", "commune": "Fontenay-aux-Roses"},
        "site_web": f'https://exemple.fr/"><svg/onload={MARK}>',
        "courriel": "contact@exemple.fr",
        "horaires": f'Mo-Fr 10:00-17:00 "{SCRIPT}"',
        "parrain": ATTRIBUTE,
        "gestionnaire": TEMPLATE,
        "partenaires": ["collectif-hostile"],
        "sources": [{"titre": f"{SCRIPT}{ATTRIBUTE}", "url": f"https://exemple.fr/?q=<script>{MARK}</script>", "date": "2026"}],
        "verifie_le": "2026-01-15",
    },
    "collectif/collectif-hostile.yaml": {
        "type": "collectif",
        "nom": f"Collectif {IMG} {ATTRIBUTE}",
        "description": TEMPLATE,
        "adresse": {"voie": TEMPLATE, "code_postal": "33000", "commune": "Bordeaux"},
        "sources": [{"titre": TEMPLATE, "document": f"{IMG}", "date": "2026"}],
        "verifie_le": "2026-01-15",
    },
    "ressource/ressource-hostile.yaml": {
        "type": "ressource",
        "nom": f"Ressource {ATTRIBUTE}",
        "categorie": "mdph",
        "description": MARKDOWN,
        "territoire": {"national": True},
        "sources": [{"titre": "Source", "document": SCRIPT, "date": "2026"}],
        "verifie_le": "2026-01-15",
    },
}

# Set before any page script: logs what the policy refused and any dialog a payload would open.
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", e => window.__csp.push(`${e.violatedDirective} ${e.sourceFile}:${e.lineNumber}`));
"""
# Live remains of a payload: a handler or script mentioning it, or a link with a dangerous scheme.
LIVE_PAYLOADS = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const value = attr.value.trim().toLowerCase();
      if (attr.name.startsWith('on') && value.includes('__pwned')) found.push(`${el.tagName} ${attr.name}`);
      if (['href', 'src', 'action', 'formaction'].includes(attr.name) && /^(javascript|data|vbscript):/.test(value.replace(/\\s/g, '')))
        found.push(`${el.tagName} ${attr.name}=${attr.value.slice(0, 40)}`);
    }
    if (el.tagName === 'SCRIPT' && el.textContent.includes('__pwned')) found.push('SCRIPT element');
  }
  return found;
}"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    for relative, record in RECORDS.items():
        path = root / "data" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")  # JSON is YAML
    return build_site(root / "site", data_dir=root / "data", site_url="")


def test_hostile_records_are_built_into_every_page_type(hostile_site):
    """The payloads really reach the site: the checks below are not vacuous."""
    pages = html_pages(hostile_site)
    record = (hostile_site / "structures" / "gem-hostile" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;window.__pwned=1" in record and "{{ 12345*2 }}" in record
    for expected in ("structures/gem-hostile/", "gem/", "regions/11/", "departements/92/", "carte/", "trouver/"):
        assert expected in pages


def test_no_page_contains_the_payloads_as_markup(hostile_site):
    raw = [SCRIPT, IMG, f"<svg/onload={MARK}>", 'onmouseover="window.__pwned', 'href="javascript:', 'href="data:']
    found = []
    for path in sorted(hostile_site.rglob("*")):
        if path.suffix in (".html", ".xml", ".svg"):
            text = path.read_text(encoding="utf-8")
            found += [f"{path.relative_to(hostile_site)}: {payload}" for payload in raw if payload in text]
            found += [f"{path.relative_to(hostile_site)}: template evaluated ({match})" for match in EVALUATED.findall(text)]
    assert not found, "\n".join(found)


def test_exports_keep_the_hostile_text_as_data(hostile_site):
    """JSON and CSV exports hold the exact text (escaping is the job of whoever displays it)."""
    exports = [path for path in hostile_site.rglob("*") if path.suffix in (".json", ".geojson", ".csv") and BUNDLE_FOLDER not in path.parts]
    assert exports, "no data file at all?"
    seen_name = False
    for path in exports:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".csv":
            rows = list(csv.DictReader(io.StringIO(text)))
            seen_name |= any(HOSTILE_NAME in row.values() for row in rows)
        else:
            json.loads(text)  # hostile text never breaks the file's syntax
            seen_name |= json.dumps(HOSTILE_NAME, ensure_ascii=False)[1:-1] in text or HOSTILE_NAME in text
        assert not EVALUATED.search(text), f"{path}: template evaluated"
    assert seen_name, "the hostile name is in no export"


def test_every_page_shows_the_payloads_as_inert_text(hostile_site, serve_site, page_at):
    base = serve_site(hostile_site)
    page = page_at("about:blank", allow_hosts={tile_host()})
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
    page.add_init_script(WATCH)
    # Pages drawn by scripts after `load` (maps, finder, records) are given time to settle.
    settle = set(page_types(hostile_site).values()) | {page for page in html_pages(hostile_site) if "hostile" in page}
    problems, popups = [], 0
    for path in html_pages(hostile_site):
        page.goto(base + path, wait_until="networkidle" if path in settle else "load")
        problems += _inert(page, path or "/")
        if page.locator("[data-pa-map]").count():
            page.wait_for_selector("[data-pa-map][data-ready]")
        # From the keyboard: an open popup may cover the next marker, never the keyboard's focus.
        for marker in page.locator(".leaflet-marker-icon.pa-pin").all()[:3]:
            marker.focus()
            page.keyboard.press("Enter")
            popups += page.locator(".leaflet-popup").count()
            problems += _inert(page, f"{path} (popup)")
    assert not dialogs and not problems, "\n".join(dialogs + problems)
    assert popups, "no map popup was opened: are the maps exercised?"


def test_search_results_and_finder_show_the_payloads_as_inert_text(hostile_site, serve_site, page_at):
    base = serve_site(hostile_site)
    page = page_at("about:blank", allow_hosts={tile_host()})
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.add_init_script(WATCH)
    page.goto(base + "recherche/?q=jinja", wait_until="networkidle")
    page.locator("#pa-search-results > li").nth(2).wait_for(state="visible")  # the three hostile records
    problems = _inert(page, "search results")
    page.goto(base + "trouver/", wait_until="networkidle")
    place = page.locator("#pa-finder-place")
    place.fill("92260")
    place.press("Enter")
    page.get_by_text("GEM <script>", exact=False).first.wait_for(state="visible")
    problems += _inert(page, "finder results")
    assert not dialogs and not problems, "\n".join(dialogs + problems)


def _inert(page, where: str) -> list[str]:
    problems = [f"{where}: CSP refused {violation}" for violation in page.evaluate("window.__csp")]
    if page.evaluate("window.__pwned") is not None:
        problems.append(f"{where}: a payload ran")
    problems += [f"{where}: live payload {found}" for found in page.evaluate(LIVE_PAYLOADS)]
    text = page.locator("body").inner_text()
    problems += [f"{where}: template evaluated ({match})" for match in EVALUATED.findall(text)]
    return problems

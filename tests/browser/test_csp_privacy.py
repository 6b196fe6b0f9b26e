"""Content-Security-Policy and privacy of the real site, page by page, in headless Chromium.

Every page carries a policy that lets only the site's own scripts and styles run, and only
the map tile server's images in; the site still works under it (no violation, no script
error, the site's search works), and no page contacts any host but the site and the tile server.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.browser.gate import browser_site, html_pages, page_types, tile_host

# Collects what the policy refused, from the start of the page (set before any script runs).
VIOLATION_LOG = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", e => window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return browser_site(tmp_path_factory)


class _Head(HTMLParser):
    """The CSP meta's position among the resources of a page, and any inline code or style."""

    def __init__(self) -> None:
        super().__init__()
        self.policy: str | None = None
        self.resources_before_policy: list[str] = []
        self.inline: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "content-security-policy":
            self.policy = attributes.get("content")
        elif tag in ("script", "style") or (tag == "link" and attributes.get("rel") == "stylesheet"):
            if self.policy is None:
                self.resources_before_policy.append(tag)
            self._in_inline_script = tag == "script" and "src" not in attributes and attributes.get("type") != "application/json"
            if tag == "style":
                self.inline.append("<style> element")
        if "style" in attributes:
            self.inline.append(f"<{tag} style=…>")
        self.inline += [f"<{tag} {name}=…>" for name, _ in attrs if name.startswith("on")]

    def handle_data(self, data):
        if self._in_inline_script and data.strip():
            self.inline.append(f"inline <script>: {data.strip()[:60]}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False


def directives(policy: str) -> dict[str, list[str]]:
    return {parts[0]: parts[1:] for parts in (d.split() for d in policy.split(";")) if parts}


def test_every_page_carries_the_policy_first_and_nothing_inline(site):
    problems = []
    for page in html_pages(site):
        file = site / (page + "index.html" if page.endswith("/") or not page else page)
        head = _Head()
        head.feed(file.read_text(encoding="utf-8"))
        if head.policy is None:
            problems.append(f"{page or '/'}: no Content-Security-Policy meta")
            continue
        policy = directives(head.policy)
        if policy.get("script-src") != ["'self'"] or policy.get("style-src") != ["'self'"] or policy.get("object-src") != ["'none'"]:
            problems.append(f"{page or '/'}: policy too loose: {head.policy}")
        if policy.get("img-src") != ["'self'", "data:", f"https://{tile_host()}"]:
            problems.append(f"{page or '/'}: img-src is not self + data: + the tile server: {policy.get('img-src')}")
        if head.resources_before_policy:
            problems.append(f"{page or '/'}: {head.resources_before_policy} before the policy")
        problems += [f"{page or '/'}: {inline} (refused by the policy)" for inline in head.inline]
    assert not problems, "\n".join(problems[:40])


def test_every_page_works_under_the_policy_and_contacts_only_the_site_and_tiles(site, serve_site, page_at, external_requests):
    """Every page is visited; each page type's representative also until the network is idle
    (maps fetch their data and tiles after `load`), the others only until `load` (same templates)."""
    base = serve_site(site)
    allowed = {tile_host()}
    settle = set(page_types(site).values())
    page = page_at("about:blank", allow_hosts=allowed)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"script error: {error}"))
    page.on("console", lambda message: errors.append(f"console: {message.text}") if message.type == "error" else None)
    page.add_init_script(VIOLATION_LOG)
    problems: list[str] = []
    for path in html_pages(site):
        errors.clear()
        first_request = len(page.requests)
        page.goto(base + path, wait_until="networkidle" if path in settle else "load")
        problems += [f"{path or '/'}: CSP violation {violation}" for violation in page.evaluate("window.__csp")]
        problems += [f"{path or '/'}: {error}" for error in errors]
        problems += [f"{path or '/'}: request to {url}" for url in external_requests(page, allowed) if url in page.requests[first_request:]]
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:40])
    assert any(tile_host() in url for url in page.requests), "no map tile was requested: are the maps checked at all?"


def test_search_works_under_the_strict_policy(site, serve_site, page_at, external_requests):
    """The site's search is a plain script reading JSON files of the site: no 'unsafe-eval',
    no 'wasm-unsafe-eval', no worker."""
    page = page_at("about:blank")
    page.add_init_script(VIOLATION_LOG)
    page.goto(serve_site(site) + "recherche/?q=entraide", wait_until="networkidle")
    page.locator("#pa-search-results > li").first.wait_for(state="visible")
    assert page.evaluate("window.__csp") == []
    assert external_requests(page) == []


def test_policy_refuses_an_injected_inline_script(site, serve_site, page_at):
    """The policy is really enforced: the test above would pass on a page without one."""
    page = page_at("about:blank")
    page.add_init_script(VIOLATION_LOG)
    page.goto(serve_site(site), wait_until="load")
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1'; document.body.append(s); }""")
    page.wait_for_function("window.__csp.length > 0")
    assert page.evaluate("window.__ran") is None
    assert re.match(r"script-src", page.evaluate("window.__csp")[0])

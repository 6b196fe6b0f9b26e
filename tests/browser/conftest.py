"""Browser-testing harness: headless Debian Chromium driven by Playwright.

Fixtures (all usable from any test under ``tests/browser``):

* ``chromium`` (session) -- a Playwright ``Browser`` launched from
  ``/usr/bin/chromium`` (Playwright's own browser downloads are not used).
* ``serve_site`` (session) -- ``serve_site(site_dir) -> base_url``: serves a
  built static site over ``http.server`` on 127.0.0.1 (free port, background
  thread, shut down at the end of the session).  ``base_url`` ends with ``/``.
* ``page_at`` (function) -- ``page_at(url, viewport=..., allow_hosts=...)``
  opens ``url`` in a new page of a *fresh* browser context and returns the
  page.  Every request URL is appended to ``page.requests``.  Requests to any
  host other than 127.0.0.1/localhost are *aborted* (so the tests never touch
  the network) but still logged; hosts in ``allow_hosts`` (e.g. a map tile
  server) get a stub response (transparent 1x1 PNG) and are logged as well.
* ``axe_violations`` -- ``axe_violations(page, context=None) -> list`` of
  axe-core violation dicts (bundled axe.min.js, no network), and
  ``format_violations(violations) -> str`` for assertion messages.
* ``external_requests`` -- ``external_requests(page, allow_hosts=()) -> list``
  of logged request URLs whose host is neither local nor allowed.
"""

from __future__ import annotations

import base64
import functools
import http.server
import os
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM_PATH = os.environ.get("PASSERELLE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}

_PNG_1X1 = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


# --------------------------------------------------------------------------
# Browser
# --------------------------------------------------------------------------
@pytest.fixture(scope="session")
def chromium():
    if not (os.path.isfile(CHROMIUM_PATH) and os.access(CHROMIUM_PATH, os.X_OK)):
        pytest.fail(
            f"Chromium not found at {CHROMIUM_PATH}: the browser tests need Debian's "
            "Chromium. Install it with `apt-get install -y chromium` "
            "(or set PASSERELLE_CHROMIUM to a Chromium binary).",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# --------------------------------------------------------------------------
# Static server
# --------------------------------------------------------------------------
class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A page closed while it loads drops its requests: the test that closed it does not care, and
        # socketserver's traceback of it, printed mid-run, would read as a failure.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _start_server(site_dir: Path) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = _QuietServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name=f"serve:{site_dir}", daemon=True).start()
    return server


@pytest.fixture(scope="session")
def serve_site() -> Callable[[str | os.PathLike], str]:
    """``serve_site(site_dir) -> "http://127.0.0.1:PORT/"`` (cached per directory)."""
    servers: dict[Path, http.server.ThreadingHTTPServer] = {}

    def _serve(site_dir):
        site_dir = Path(site_dir).resolve()
        if not (site_dir / "index.html").is_file():
            raise FileNotFoundError(f"{site_dir} has no index.html: is it a built site?")
        if site_dir not in servers:
            servers[site_dir] = _start_server(site_dir)
        return f"http://127.0.0.1:{servers[site_dir].server_port}/"

    yield _serve
    for server in servers.values():
        server.shutdown()
        server.server_close()


# --------------------------------------------------------------------------
# Pages with a request log
# --------------------------------------------------------------------------
def _host(url: str) -> str | None:
    return urlsplit(url).hostname


def _is_local(url: str) -> bool:
    scheme = urlsplit(url).scheme
    if scheme in ("data", "blob", "about"):
        return True
    return _host(url) in LOCAL_HOSTS


def external_requests(page, allow_hosts: Iterable[str] = ()) -> list[str]:
    allowed = set(allow_hosts)
    return [u for u in page.requests if not _is_local(u) and _host(u) not in allowed]


@pytest.fixture(name="external_requests")
def external_requests_fixture():
    return external_requests


@pytest.fixture
def page_at(chromium):
    """``page_at(url, viewport=DESKTOP, allow_hosts=(), wait="networkidle") -> Page``."""
    contexts = []

    def _open(url: str, viewport: dict | None = None, allow_hosts: Iterable[str] = (), wait: str = "networkidle"):
        allowed = set(allow_hosts)
        context = chromium.new_context(
            viewport=viewport or DESKTOP,
            locale="fr-FR",
            service_workers="block",
        )
        contexts.append(context)
        context.set_default_timeout(15_000)
        requests: list[str] = []

        def _route(route):
            req_url = route.request.url
            if _is_local(req_url):
                route.continue_()
            elif _host(req_url) in allowed:
                route.fulfill(status=200, content_type="image/png", body=_PNG_1X1)
            else:
                route.abort("blockedbyclient")

        context.route("**/*", _route)
        page = context.new_page()
        page.requests = requests
        page.on("request", lambda r: requests.append(r.url))
        page.goto(url, wait_until="load")
        if wait:
            page.wait_for_load_state(wait)
        return page

    yield _open
    for context in contexts:
        context.close()


# --------------------------------------------------------------------------
# axe-core
# --------------------------------------------------------------------------
def format_violations(violations: list[dict]) -> str:
    """One line per violated rule: ``rule (impact) x N: first target -- help``."""
    if not violations:
        return "no axe violations"
    lines = []
    for v in violations:
        nodes = v.get("nodes") or []
        target = nodes[0].get("target") if nodes else "?"
        summary = ""
        if nodes and nodes[0].get("failureSummary"):
            summary = " | " + " ".join(nodes[0]["failureSummary"].split())[:200]
        lines.append(f"{v['id']} ({v.get('impact')}) x{len(nodes)}: {target} -- {v.get('help')}{summary}")
    return "\n".join(lines)


@functools.lru_cache(maxsize=1)
def _axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()  # reads the axe.min.js bundled in the wheel: no network


def axe_violations(page, context=None, options: dict | None = None) -> list[dict]:
    """Run axe-core on ``page``; returns the list of violations (all impacts)."""
    opts = {"resultTypes": ["violations"]}
    if options:
        opts.update(options)
    results = _axe().run(page, context=context, options=opts)
    return list(results.response["violations"])


@pytest.fixture(name="axe_violations")
def axe_violations_fixture():
    return axe_violations


@pytest.fixture(name="format_violations")
def format_violations_fixture():
    return format_violations

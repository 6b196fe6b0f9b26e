"""`mkdocs serve` for a person editing records: the edited page at once, the site never broken.

MkDocs rebuilds the whole site after any change, and stops answering while a
build fails. A `Preview` session takes over its rebuilds (`server.builder`) and
its answers (the server's WSGI application):

- An edit of records, and nothing else, rewrites first the pages of the edited
  records (their own page and easy-read page, from the site model updated with the
  changed files only); the browsers reload. Then the rest of the site is brought up
  to date in the background: the whole data folder read again, and only the pages
  and data files that differ written (generator/build/update.py; the laid-out pages
  through MkDocs' own page pipeline, `MkDocsLayout`). Until then, a request for
  any other generated file waits: no page is ever served older than the data.
- Any other change (a template, a hand-written page, mkdocs.yml, the glossary)
  rebuilds the whole site with MkDocs, which reads the data before it empties the
  site folder (plugin.py).
- Broken data keeps the last good site served, with the list of problems at the
  top of every page (`file:line:col: field: message — hint`) until it is fixed; if
  the first build finds problems, every page is the list of problems.

MkDocs' live reload script is written inline, which the site's Content-Security-
Policy refuses: the session serves it as a file (`passerelle-apercu/livereload.js`).

This module is bound to MkDocs 1.6's development server (mkdocs/livereload), the
last MkDocs 1.x: it wakes the build loop (`_want_rebuild`) and reads the epoch of
the live reload (`_visible_epoch`) as the server's own watchers and pages do.
tests/browser/test_serve.py drives a real `mkdocs serve` through all of it.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import watchdog.events
import watchdog.observers
from markupsafe import escape
from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.nav import Navigation

from generator.build import notices
from generator.build.project import PLUGIN, SiteSource
from generator.build.sitemap import SITEMAP, sitemap_parts
from generator.build.sources import Generation, generate, page_source, source_path
from generator.build.update import NeedsFullBuild, Stopped, WrittenSite, update, write_bulk_pages
from generator.problems import DataError, Problem
from generator.records.loading import not_a_record
from generator.site.data_folder import GLOSSARY_FILE, load_site, update_site
from generator.site.features import pages_of_records
from generator.site.pages import Page, Renderer, page_url

log = logging.getLogger(f"{PLUGIN}.apercu")

# Files the session serves itself, under the site's mount path.
OWN_FILES = "passerelle-apercu/"
# MkDocs' inline live reload script, as its server writes it before </body>.
_INLINE_LIVERELOAD = re.compile(
    rb"<script>\s*var livereload = function\(epoch, requestId\).*?livereload\((\d+), (\d+)\);\s*</script>", re.S
)
# How long a request for a page being brought up to date may wait (seconds), before it gets the page as it is.
MAX_WAIT = 600


class MkDocsLayout:
    """Lays out one generated page again as the last full build did: same configuration, files, navigation and theme."""

    def __init__(self, config: MkDocsConfig, files: Files, nav: Navigation, env: Any):
        self.config, self.files, self.nav, self.env = config, files, nav, env

    def __call__(self, page: Page, fragment: str) -> None:
        file = self.files.get_file_from_path(source_path(page.path))
        if file is None or file.page is None:
            raise NeedsFullBuild(f"{page.path} n'est pas une page de la dernière construction")
        file.content_string = page_source(page, fragment)
        search = self.config.plugins.get("material/search")
        index = getattr(search, "search_index", None)
        if index is not None:  # Material's search index: this page's entries are made again
            url = file.page.url
            index.entries = [entry for entry in index.entries if entry["location"].split("#")[0] != url]
        _populate_page(file.page, self.config, self.files)
        doc_files = self.files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        _build_page(file.page, self.config, doc_files, self.nav, self.env)
        if index is not None:
            search.on_post_build(config=self.config)


class Preview:
    """One `mkdocs serve` session of a Passerelle site (see the module's documentation)."""

    def __init__(self) -> None:
        self.written: WrittenSite | None = None  # what the last full build wrote, kept up to date
        self.layout: MkDocsLayout | None = None
        self.source: SiteSource | None = None
        self.site = None  # the site model the served pages show (SiteModel)
        self.problems: list[str] = []  # lines shown on every page while the data cannot be published
        self.server: Any = None
        self.changes: set[Path] = set()  # files changed since the last rebuild
        self.changes_lock = threading.Lock()
        self.full_build_wanted = False
        # Whether every generated file is up to date, and if not, the URLs already written for the
        # newest data; a request for another generated file waits on `ready` until then.
        self.settled = True
        self.fresh: frozenset[str] = frozenset()
        self.ready = threading.Condition()
        self.generated: frozenset[str] = frozenset()  # URLs of the files the data makes
        self.completion: threading.Thread | None = None
        self.stop = threading.Event()
        self.observer: Any = None

    @property
    def has_site(self) -> bool:
        return self.written is not None

    # --- What the plugin tells the session -------------------------------------------

    def built(self, written: WrittenSite, layout: MkDocsLayout, source: SiteSource) -> None:
        """A full build succeeded."""
        self.written, self.layout, self.source = written, layout, source
        self.site = written.generation.site
        self.problems = []
        self._list_generated()

    def show_problems(self, problems: list[Problem], root: Path) -> None:
        self.problems = [str(_relative(problem, root)) for problem in problems]

    # --- The server ------------------------------------------------------------------

    def attach(self, server: Any, builder: Callable[[], None], config: MkDocsConfig) -> None:
        """Take over the rebuilds and the answers of MkDocs' development server."""
        self.server = server
        self.full_builder = builder
        self.root = Path(config.config_file_path).parent
        server.builder = self.rebuild
        server.set_app(self.answer)
        source = self.source or _source_of(config)
        self.data_dir = source.data_dir
        self._watch(server, config, own=[source.data_dir, source.templates_dir])

    def close(self) -> None:
        self._stop_completion()
        if self.observer is not None:
            self.observer.stop()

    def rebuild(self) -> None:
        """Called by MkDocs' build loop when watched files changed (instead of a full build)."""
        with self.changes_lock:
            changes, self.changes = self.changes, set()
        self._stop_completion()
        data = {path for path in changes if path.is_relative_to(self.data_dir)}
        if self.full_build_wanted or not self.has_site or not data or data != changes or self._is_glossary(data):
            self._full_build()
            return
        self._write_edited_records(data)
        self._start_completion()

    def _full_build(self) -> None:
        self.full_build_wanted = True
        self.problems = []
        try:
            self.full_builder()
        except Exception as error:  # noqa: BLE001 - whatever stopped MkDocs, the last site stays served
            if not self.problems:  # else the plugin said what is wrong with the data
                self.problems = [f"la construction du site a échoué : {error}"]
            log.error("%s: le site servi reste le dernier construit sans erreur.", PLUGIN)
        else:
            self.full_build_wanted = False
        finally:
            self._settle()

    def _write_edited_records(self, changed: set[Path]) -> None:
        """The pages of the edited records, from the site model updated with their files only."""
        self._unsettle()
        if self.problems or self.written is None:
            return  # the last good site stays as it is until the whole folder is read
        site = update_site(self.site, self.data_dir, sorted(changed))
        if site is None:
            return
        ids = [path.stem for path in changed]
        previous = self.written.generation
        renderer = Renderer(self.source.templates_dir, site)
        pages = pages_of_records(site, ids)
        try:
            write_bulk_pages(self.written, Generation(site, renderer, previous.glossary, [], pages), pages)
        except NeedsFullBuild:
            return
        self.site = site
        with self.ready:
            self.fresh = frozenset(page.url for page in pages)
            self.ready.notify_all()

    def _start_completion(self) -> None:
        self.stop.clear()
        self.completion = threading.Thread(target=self._complete, name="passerelle-apercu", daemon=True)
        self.completion.start()

    def _stop_completion(self) -> None:
        if self.completion is not None:
            self.stop.set()
            self.completion.join()
            self.completion = None

    def _complete(self) -> None:
        """The whole data folder read again, and every page and data file that differs written."""
        settled = True
        try:
            site = load_site(self.source.data_dir, self.source.settings)
            update(self.written, generate(site, self.source.templates_dir), self.layout, stopped=self.stop.is_set)
        except DataError as error:
            self.show_problems(error.problems, self.root)
            notices.error("%s: les données contiennent des erreurs :\n%s", PLUGIN, error.report())
        except NeedsFullBuild as why:
            log.info("%s: reconstruction complète (%s)", PLUGIN, why)
            self.full_build_wanted = True
            settled = False
            self._wake_build_loop()
        except Stopped:
            settled = False  # newer data came: the next rebuild starts again
        except Exception as error:  # noqa: BLE001 - shown in the browser, and the traceback in the terminal
            log.exception("%s: la mise à jour du site a échoué", PLUGIN)
            self.problems = [f"la mise à jour du site a échoué : {error}"]
        else:
            self.site = site
            self.problems = []
            self._list_generated()
        finally:
            if settled:
                self._settle()

    def _settle(self) -> None:
        """Every generated file is up to date, unless files changed meanwhile: then the rebuild they call for settles."""
        # Under both locks: a change recorded after this check unsettles after it (`_record`).
        with self.ready, self.changes_lock:
            pending = bool(self.changes)
            if not pending:
                self.settled, self.fresh = True, frozenset()
                self.ready.notify_all()
        if pending:
            self._wake_build_loop()

    def _unsettle(self) -> None:
        with self.ready:
            self.settled, self.fresh = False, frozenset()

    def _is_glossary(self, changed: set[Path]) -> bool:
        # Acronyms are explained on every page, hand-written ones included: a full build.
        return self.data_dir / GLOSSARY_FILE in changed

    # --- Watching files --------------------------------------------------------------

    def _watch(self, server: Any, config: MkDocsConfig, own: list[Path]) -> None:
        """Record every changed file; watch the data and templates with the system's notifications if it can.

        MkDocs polls what it watches every half second, and a data folder of
        10,000 files takes long to poll; the system tells at once.
        """
        recorder = _Recorder(self._record)
        for path in (config.docs_dir, config.config_file_path):  # watched by MkDocs itself
            if path:
                server.observer.schedule(recorder, os.path.abspath(path), recursive=True)
        try:
            observer = watchdog.observers.Observer()
            waker = _Recorder(self._record, then=self._wake_build_loop)
            for path in own:
                observer.schedule(waker, str(path), recursive=True)
            observer.start()
            self.observer = observer
        except OSError:  # no notifications (a network folder, too many watches): MkDocs polls them
            for path in own:
                server.watch(str(path))
                server.observer.schedule(recorder, os.path.abspath(path), recursive=True)

    def _record(self, paths: Iterable[str]) -> bool:
        """Record the changed files; False when none counts (a file of data/ that is not a record, such as
        the hidden file a record is written through: its renaming into the record is the change)."""
        changed = {Path(path) for path in paths}
        changed = {path for path in changed if not (path.is_relative_to(self.data_dir) and not_a_record(path))}
        if not changed:
            return False
        with self.changes_lock:
            self.changes.update(changed)
        # From now on, no generated file is served before it is brought up to date (or known unchanged).
        self._unsettle()
        return True

    def _wake_build_loop(self) -> None:
        server = self.server
        with server._rebuild_cond:
            server._want_rebuild = True
            server._rebuild_cond.notify_all()

    # --- Answering -------------------------------------------------------------------

    def answer(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        """The server's answer, once the file is up to date, with the problems on top of every page."""
        path = environ.get("PATH_INFO", "")
        mount = self.server.mount_path
        if path.startswith(mount + OWN_FILES):
            return self._own_file(path[len(mount + OWN_FILES) :], start_response)
        if self.written is None and self.problems and _is_page(path):
            return self._problems_page(start_response)
        with self.ready:
            self.ready.wait_for(lambda: self.settled or not self._generated(path[len(mount) :]), MAX_WAIT)
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured.update(status=status, headers=headers)
            return lambda data: None

        body = self.server.serve_request(environ, capture)
        headers = captured.get("headers", [])
        if not any(name.lower() == "content-type" and value.startswith("text/html") for name, value in headers):
            start_response(captured["status"], headers)
            return body
        try:
            html = self._dress(b"".join(body))
        finally:
            getattr(body, "close", lambda: None)()
        headers = [(name, value) for name, value in headers if name.lower() != "content-length"]
        start_response(captured["status"], [*headers, ("Content-Length", str(len(html)))])
        return [html]

    def _list_generated(self) -> None:
        written = self.written
        pages = {page_url(path) for path in (*written.fragments, *written.bulk)}
        sitemaps = [SITEMAP, SITEMAP + ".gz", *sitemap_parts(written.site_dir)]
        self.generated = frozenset({*pages, *written.assets, *sitemaps, "search/search_index.json"})

    def _generated(self, url: str) -> bool:
        """Whether `url` (from the site's root) is a file the data makes, and not yet rewritten for the newest data."""
        page = url.removesuffix("index.html")
        return page not in self.fresh and (url in self.generated or page in self.generated)

    def _dress(self, html: bytes) -> bytes:
        """The live reload script as a file; the problems, if any, at the top of the page."""
        mount = self.server.mount_path
        html = _INLINE_LIVERELOAD.sub(lambda m: _livereload_tag(mount, int(m[1]), int(m[2])).encode(), html)
        if self.problems:
            html = html.replace(b"</head>", _stylesheet_tag(mount).encode() + b"</head>", 1)
            html = re.sub(rb"(<body\b[^>]*>)", lambda m: m[1] + _banner(self.problems).encode("utf-8"), html, count=1)
        return html

    def _problems_page(self, start_response: Callable) -> list[bytes]:
        mount = self.server.mount_path
        page = (
            '<!doctype html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'">\n'
            "<title>Le site ne peut pas être construit — Passerelle</title>\n"
            f"{_stylesheet_tag(mount)}</head>\n<body>\n<main>\n{_banner(self.problems, first=True)}</main>\n"
            f"{_livereload_tag(mount, self.server._visible_epoch, 0)}\n</body>\n</html>\n"
        ).encode()
        start_response("503 Service Unavailable", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(page)))])
        return [page]

    def _own_file(self, name: str, start_response: Callable) -> list[bytes]:
        types = {"livereload.js": "application/javascript", "problemes.css": "text/css"}
        if name not in types:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"404 Not Found"]
        content = resources.files(__package__).joinpath("preview_files", name).read_bytes()
        start_response("200 OK", [("Content-Type", types[name]), ("Content-Length", str(len(content)))])
        return [content]


class _Recorder(watchdog.events.FileSystemEventHandler):
    """Hands on the paths of files created, changed, removed or moved (not those only read)."""

    CHANGES = frozenset({"created", "modified", "deleted", "moved"})

    def __init__(self, record: Callable[[Iterable[str]], bool], then: Callable[[], None] | None = None):
        self.record = record
        self.then = then

    def on_any_event(self, event: watchdog.events.FileSystemEvent) -> None:
        if event.is_directory or event.event_type not in self.CHANGES:
            return
        recorded = self.record([os.fsdecode(path) for path in (event.src_path, getattr(event, "dest_path", "")) if path])
        if recorded and self.then is not None:
            self.then()


def _banner(problems: list[str], first: bool = False) -> str:
    count = len(problems)
    title = f"{count} problème{'s' if count > 1 else ''} dans les données"
    if first:
        said = "Le site ne peut pas être construit tant que ces problèmes ne sont pas corrigés."
    else:
        said = "Le site affiché est la dernière version sans erreur : il ne montre pas encore vos dernières modifications."
    items = "\n".join(f"<li><code>{escape(line)}</code></li>" for line in problems)
    return (
        '<section class="passerelle-problemes" role="alert" aria-labelledby="passerelle-problemes-titre">\n'
        f'<h2 id="passerelle-problemes-titre">{title}</h2>\n<p>{said} Corrigez les fichiers ci-dessous et enregistrez : '
        "la page se met à jour toute seule.</p>\n"
        f'<ul tabindex="0" aria-label="Problèmes à corriger">\n{items}\n</ul>\n</section>\n'
    )


def _stylesheet_tag(mount: str) -> str:
    return f'<link rel="stylesheet" href="{mount}{OWN_FILES}problemes.css">'


def _livereload_tag(mount: str, epoch: int, request: int) -> str:
    return f'<script src="{mount}{OWN_FILES}livereload.js" data-epoch="{epoch}" data-request="{request}"></script>'


def _is_page(path: str) -> bool:
    return path.endswith(("/", ".html"))


def _relative(problem: Problem, root: Path) -> Problem:
    """The problem with its file named from the project's folder, as the person editing sees it."""
    path = Path(problem.path)
    if path.is_absolute() and path.is_relative_to(root):
        return Problem(path.relative_to(root), problem.line, problem.column, problem.field, problem.message, problem.hint)
    return problem


def _source_of(config: MkDocsConfig) -> SiteSource:
    return config.plugins[PLUGIN].source

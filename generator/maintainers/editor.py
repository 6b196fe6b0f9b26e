"""`passerelle edit`: the records editor of /admin/ on the working copy, served from this machine.

Decap CMS talks to a "proxy" backend through a small HTTP API (POST /api/v1 with an
`action`), which its own `decap-server` implements in Node. This module implements
it with the standard library, on 127.0.0.1 only, for the record folders only, and
does three things decap-server does not:

* a saved record is merged into its file (ruamel.yaml round trip): comments, key
  order and quoting stay, the diff is the change; a new record gets the model's order;
* the file is checked as `passerelle validate` would; a record that would not load
  is not written, and the CMS shows the French problems;
* a form is not saved over a change made to its file since its browser tab read it
  (by another tab, a command or a text editor): the CMS says so, nothing is overwritten.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import re
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path, PurePosixPath
from typing import Any

from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError

from generator.catalogue import check_record_file
from generator.geo.gazetteer import Gazetteer
from generator.problems import Problem
from generator.records.models import ID_PATTERN, MODELS
from generator.records.vocabulary import Kind
from generator.records.yamlmerge import node, read, set_value, write_checked, yaml_io
from generator.site.admin import ADMIN_DIR, admin_page, cms_config, config_yaml
from generator.site.model import SiteSettings

API_PATH = "/api/v1"
BACKEND = {"name": "proxy", "proxy_url": API_PATH}
MAX_BODY = 2 * 1024 * 1024
# What the editor page loads from the theme: Decap and the script that drops empty fields.
THEME_FILES = re.compile(r"^/assets/(vendor/decap-cms/[\w.-]+|javascripts/passerelle-(?:admin|edit-tab)\.js)$")


# How a browser tab names itself (passerelle-edit-tab.js).
TAB_HEADER = "X-Passerelle-Tab"

CHANGED_SINCE_READ = (
    "La fiche n'a pas été enregistrée : son fichier a changé depuis que cette page l'a lue (dans un autre onglet de l'éditeur, "
    "avec « passerelle verifie », un import ou un éditeur de texte), et l'enregistrer effacerait ce changement. Copiez ce que "
    "vous avez écrit, rechargez la page pour voir la fiche telle qu'elle est maintenant, puis refaites votre modification."
)


class Refused(Exception):
    """A request the editor does not carry out; the message is shown in the CMS, in French."""


def _empty(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, list | dict) and not value)


def without_empty(value: Any) -> Any:
    """The data with empty texts, lists and groups left out: an empty field is an unknown one."""
    if isinstance(value, dict):
        cleaned = CommentedMap((k, without_empty(v)) for k, v in value.items())
        return CommentedMap((k, v) for k, v in cleaned.items() if not _empty(v))
    if isinstance(value, list):
        return [item for item in map(without_empty, value) if not _empty(item)]
    return value


class RecordStore:
    """The record files of a data folder, as the CMS sees them: `data/<kind>/<id>.yaml`."""

    def __init__(self, data_dir: Path, gazetteer: Gazetteer, prefix: str = "data"):
        self.data_dir = data_dir
        self.gazetteer = gazetteer
        self.prefix = prefix
        self.lock = threading.Lock()
        # Each record file as each browser tab last read or wrote it (its digest): a form is saved only over
        # the version it was made from, never over a change made since by `passerelle verifie`, an import, a
        # text editor or another tab. A tab names itself on every request (passerelle-edit-tab.js).
        self.seen: dict[tuple[str, Path], str] = {}

    def folder(self, folder: str) -> tuple[Kind, Path]:
        parts = PurePosixPath(folder).parts
        kinds = {kind.value: kind for kind in Kind}
        if len(parts) != 2 or parts[0] != self.prefix or parts[1] not in kinds:
            raise Refused(f"dossier inconnu « {folder} » : l'éditeur ne lit que les dossiers des fiches")
        return kinds[parts[1]], self.data_dir / parts[1]

    def file(self, path: str) -> tuple[Kind, Path]:
        pure = PurePosixPath(path)
        kind, folder = self.folder(str(pure.parent))
        if pure.suffix != ".yaml" or not re.fullmatch(ID_PATTERN, pure.stem) or len(pure.stem) > 80:
            raise Refused(
                f"nom de fichier « {pure.name} » invalide : utilisez des minuscules sans accent, des chiffres et des tirets, ex. gem-l-eclaircie.yaml"
            )
        return kind, folder / pure.name

    def entry(self, path: str, tab: str = "") -> dict[str, Any]:
        _, file = self.file(path)
        if not file.is_file():
            return {"data": None, "file": {"path": path, "id": None}}
        content = file.read_bytes()
        self.seen[tab, file] = version = _version(content)
        return {"data": content.decode("utf-8"), "file": {"path": path, "id": version}}

    def entries(self, folder: str, tab: str = "") -> list[dict[str, Any]]:
        _, directory = self.folder(folder)
        files = sorted(directory.glob("*.yaml")) if directory.is_dir() else []
        return [self.entry(f"{folder}/{file.name}", tab) for file in files if not file.name.startswith(".")]

    def save(self, path: str, raw: str, tab: str = "") -> None:
        """Merge the CMS's YAML into the record file, keep it only if it loads."""
        kind, file = self.file(path)
        yaml = yaml_io()
        try:
            incoming = without_empty(yaml.load(StringIO(raw)))
        except YAMLError:
            raise Refused("la fiche envoyée par l'éditeur est illisible") from None
        if not isinstance(incoming, dict):
            raise Refused("la fiche envoyée par l'éditeur est vide")
        order = tuple(name for name in MODELS[kind].model_fields if name != "id")
        with self.lock:
            if file.is_file() and self.seen.get((tab, file)) != _version(file.read_bytes()):
                raise Refused(CHANGED_SINCE_READ)
            document = read(file, yaml) if file.is_file() else None
            if isinstance(document, CommentedMap):
                for key in [k for k in document if k not in incoming]:
                    del document[key]  # emptied in the form
                for key in _in_order(incoming, order):
                    set_value(document, key, incoming[key], order)
            else:
                document = CommentedMap((key, node(incoming[key])) for key in _in_order(incoming, order))
                document.yaml_set_start_comment(f"yaml-language-server: $schema=../../schemas/{kind.value}.schema.json")
            problems = write_checked(file, document, yaml, lambda written: check_record_file(written, kind, self.data_dir, self.gazetteer))
            if problems:
                raise Refused(_report(problems, self.data_dir))
            self.seen[tab, file] = _version(file.read_bytes())


def _version(content: bytes) -> str:
    """A record file's version, as the CMS knows it (Decap's file id)."""
    return hashlib.sha256(content).hexdigest()


def _in_order(keys: dict[str, Any], order: tuple[str, ...]) -> list[str]:
    """The keys in the model's field order, unknown ones last (the check will name them)."""
    return sorted(keys, key=lambda key: order.index(key) if key in order else len(order))


def _report(problems: list[Problem], data_dir: Path) -> str:
    lines = []
    for problem in sorted(problems):
        where = f"ligne {problem.line}"
        text = f"{problem.field} : {problem.message}" if problem.field else problem.message
        lines.append(f"{where}, {text}" + (f" — {problem.hint}" if problem.hint else ""))
    return "La fiche n'a pas été enregistrée : " + " ; ".join(lines)


def handle(store: RecordStore, body: dict[str, Any], tab: str = "") -> Any:
    """One action of Decap's proxy backend API, from the browser tab `tab`."""
    action, params = body.get("action"), body.get("params") or {}
    if action == "info":
        return {"repo": store.data_dir.resolve().parent.name, "publish_modes": ["simple"], "type": "local_fs"}
    if action == "entriesByFolder":
        return store.entries(str(params.get("folder", "")), tab)
    if action == "entriesByFiles":
        return [store.entry(str(item.get("path", "")), tab) for item in params.get("files") or []]
    if action == "getEntry":
        return store.entry(str(params.get("path", "")), tab)
    if action == "persistEntry":
        if params.get("assets"):
            raise Refused("les fiches n'ont pas d'images ni de fichiers joints")
        for data_file in params.get("dataFiles") or [params.get("entry") or {}]:
            if data_file.get("newPath"):
                raise Refused("une fiche ne change pas de nom de fichier : son identifiant est gardé")
            store.save(str(data_file.get("path", "")), str(data_file.get("raw", "")), tab)
        return {"message": "entry persisted"}
    if action == "getMedia":
        return []
    if action == "getDeployPreview":
        return None
    if action in ("persistMedia", "getMediaFile"):
        raise Refused("les fiches n'ont pas d'images ni de fichiers joints")
    if action in ("deleteFile", "deleteFiles"):
        raise Refused("une fiche ne se supprime pas : si la structure a fermé, mettez son statut à « Fermé »")
    raise Refused(f"action inconnue « {action} »")


class EditorServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], store: RecordStore, theme_dir: Path):
        super().__init__(address, EditorHandler)
        self.store = store
        self.theme_dir = theme_dir
        settings = SiteSettings(data_path_in_repository=store.prefix)
        self.page = admin_page("", BACKEND).encode("utf-8")
        self.config = config_yaml(cms_config(settings, BACKEND)).encode("utf-8")

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/{ADMIN_DIR}/"


class EditorHandler(BaseHTTPRequestHandler):
    server: EditorServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the standard library's signature
        pass

    def _local(self) -> bool:
        """Only pages of this server may call it (a web page elsewhere could try, through the browser)."""
        host = self.headers.get("Host", "")
        origin = self.headers.get("Origin")
        port = self.server.server_address[1]
        expected = {f"127.0.0.1:{port}", f"localhost:{port}"}
        return host in expected and (origin is None or origin.removeprefix("http://") in expected)

    def _send(self, status: int, content: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(content)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(content)

    def _json(self, status: int, value: Any) -> None:
        self._send(status, json.dumps(value, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        path = self.path.split("?", 1)[0]
        if not self._local():
            self._send(HTTPStatus.FORBIDDEN, b"", "text/plain")
        elif path in ("/", f"/{ADMIN_DIR}"):
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", f"/{ADMIN_DIR}/")
            self.end_headers()
        elif path in (f"/{ADMIN_DIR}/", f"/{ADMIN_DIR}/index.html"):
            self._send(HTTPStatus.OK, self.server.page, "text/html; charset=utf-8")
        elif path == f"/{ADMIN_DIR}/config.yml":
            self._send(HTTPStatus.OK, self.server.config, "text/yaml; charset=utf-8")
        elif (match := THEME_FILES.match(path)) and (file := self.server.theme_dir / "assets" / match.group(1)).is_file():
            kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            self._send(HTTPStatus.OK, file.read_bytes(), kind)
        else:
            self._send(HTTPStatus.NOT_FOUND, b"Page introuvable", "text/plain; charset=utf-8")

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        if self.path != API_PATH or not self._local() or not (self.headers.get("Content-Type") or "").startswith("application/json"):
            self._json(HTTPStatus.FORBIDDEN, {"error": "requête refusée"})
            return
        if length > MAX_BODY:
            self._json(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": "requête trop grande"})
            return
        try:
            tab = self.headers.get(TAB_HEADER, "")
            self._json(HTTPStatus.OK, handle(self.server.store, json.loads(self.rfile.read(length)), tab))
        except Refused as refusal:
            self._json(HTTPStatus.UNPROCESSABLE_ENTITY, {"error": str(refusal)})
        except (ValueError, AttributeError):
            self._json(HTTPStatus.BAD_REQUEST, {"error": "requête illisible"})


def start_editor(data_dir: Path, theme_dir: Path, host: str = "127.0.0.1", port: int = 8081) -> EditorServer:
    """The editor, serving in a background thread; `server.shutdown()` stops it."""
    server = EditorServer((host, port), RecordStore(data_dir, Gazetteer.load()), theme_dir)
    threading.Thread(target=server.serve_forever, name="passerelle-edit", daemon=True).start()
    return server

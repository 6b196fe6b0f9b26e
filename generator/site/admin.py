"""The records editor at /admin/: Decap CMS, configured from the record models.

One collection per kind of record, `data/<kind>/<id>.yaml`, the file name made from
the record's name; one form field per model field, with its French label, its help
text (the model's description, the vocabulary's descriptions), whether it is
required, and the checks a form can make before saving (patterns with the French
message of `passerelle validate`, bounds, choices). A model change changes the
form: nothing here names a field of a particular kind.

The page has its own Content-Security-Policy: Decap compiles its configuration
schema at run time ('unsafe-eval') and sets styles from script ('unsafe-inline'),
which the public pages never allow. It talks only to this site and to the data
repository's API.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal
from urllib.parse import urlsplit

import annotated_types
import yaml
from pydantic import AfterValidator, BaseModel
from pydantic.fields import FieldInfo

from generator.records.models import MODELS, check_email, check_partial_date, check_web_url
from generator.records.validation import PATTERN_HINTS, PATTERN_MESSAGE
from generator.records.vocabulary import Vocabulary
from generator.site.exports import FIELD_DESCRIPTIONS
from generator.site.model import SiteModel, SiteSettings
from generator.site.pages import Asset

ADMIN_DIR = "admin"
SCRIPTS = ("../assets/vendor/decap-cms/decap-cms.js", "../assets/javascripts/passerelle-admin.js")
# Only under `passerelle edit`, whose local backend must tell the browser's tabs apart (generator/maintainers/editor.py).
LOCAL_BACKEND_SCRIPT = "../assets/javascripts/passerelle-edit-tab.js"
MEDIA_FOLDER = "content/assets/medias"
# The widget of a yes-or-no field a record may leave unsaid (registered by passerelle-admin.js).
YES_NO_UNKNOWN = "oui-non-inconnu"

# Labels of the field names that are not their own French words once "_" is a space.
LABELS = {
    "acces": "Accès",
    "accessibilite": "Accessibilité",
    "acceslibre": "Fiche acceslibre",
    "annee": "Année",
    "lat": "Latitude",
    "lon": "Longitude",
    "capacite": "Capacité",
    "categorie": "Catégorie",
    "code_insee": "Code INSEE",
    "contact_generique": "Contact générique",
    "coordonnees": "Coordonnées",
    "date_creation": "Date de création",
    "date_ouverture": "Date d'ouverture",
    "departements": "Départements",
    "engagements": "Engagements",
    "file_active": "File active",
    "finess": "Numéro FINESS",
    "nombre_adherents": "Nombre d'adhérents",
    "orientation_cdaph": "Admission sur orientation CDAPH",
    "plateforme_emploi_accompagne": "Plateforme d'emploi accompagné",
    "pmr": "Accessible en fauteuil roulant (PMR)",
    "precision": "Précision",
    "regions": "Régions",
    "salaries_etp": "Salariés (ETP)",
    "siret": "Numéro SIRET",
    "site_web": "Site web",
    "telephone": "Téléphone",
    "type_employeur": "Type d'employeur",
    "url": "Adresse web",
    "verifie_le": "Vérifiée le",
}

# Checks written as Python functions, which a form can make with a pattern; the message is
# that of `passerelle validate` without the value it quotes. The others (telephone, opening
# hours, FINESS and SIRET keys) are checked when the record is saved.
VALIDATOR_PATTERNS = {
    check_email: (r"^[^@\s<>\"']+@[^@\s<>\"']+\.[A-Za-z]{2,}$", "adresse de courriel invalide (exemple : contact@exemple.fr)"),
    check_web_url: (r"^https?://[^\s/]+\S*$", "adresse web invalide : elle doit commencer par https:// ou http://"),
    check_partial_date: (r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$", "date invalide : écrivez AAAA, AAAA-MM ou AAAA-MM-JJ"),
}


# Help texts of the form where the models' descriptions speak of the stored value.
HINTS = {
    "telephone": "Numéro de téléphone comme on le compose en France, ex. « 01 23 45 67 89 », outre-mer « 0262 12 34 56 ».",
    "horaires": 'Syntaxe OpenStreetMap, ex. « Mo-Fr 09:00-17:00; Sa 10:00-12:00 » (Mo lundi, Tu mardi, We mercredi, Th jeudi, Fr vendredi, Sa samedi, Su dimanche) ; une remarque entre guillemets est écrite à côté des horaires : « Mo-Fr 09:00-12:00 "sur rendez-vous" ».',
    "verifie_le": "Date où vous avez vérifié la fiche auprès d'une source (citée dans Sources).",
    "fermetures": "Périodes où la structure est fermée (congés, travaux…), du premier au dernier jour compris. Le site cesse de les montrer une fois passées.",
    "horaires_exceptionnels.horaires": "Horaires de la période, même syntaxe que les horaires habituels, ex. « Tu-Th 14:00-18:00 » ; « PH off » : fermé les jours fériés.",
}


def label(name: str) -> str:
    return LABELS.get(name) or name.replace("_", " ").capitalize()


@dataclass(frozen=True)
class _Type:
    """A field's annotation with Optional and Annotated taken off, and what they carried."""

    base: Any
    optional: bool
    metadata: tuple[Any, ...]
    description: str | None


def _unwrap(annotation: Any, metadata: tuple[Any, ...] = (), description: str | None = None) -> _Type:
    optional = False
    while True:
        if typing.get_origin(annotation) is typing.Annotated:
            for item in annotation.__metadata__:
                if isinstance(item, FieldInfo):
                    metadata += tuple(item.metadata)
                    description = description or item.description
                else:
                    metadata += (item,)
            annotation = typing.get_args(annotation)[0]
        elif typing.get_origin(annotation) in (typing.Union, types.UnionType) and type(None) in typing.get_args(annotation):
            optional = True
            (annotation,) = [a for a in typing.get_args(annotation) if a is not type(None)]
        else:
            return _Type(annotation, optional, metadata, description)


def _is(annotation: Any, kind: type) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, kind)


def _checks(metadata: tuple[Any, ...], name: str) -> dict[str, Any]:
    """Decap settings for the constraints of a value: pattern and message, bounds."""
    settings: dict[str, Any] = {}
    for item in metadata:
        pattern = getattr(item, "pattern", None)
        if pattern:
            hint = PATTERN_HINTS.get(name, "")
            settings["pattern"] = [pattern, f"{PATTERN_MESSAGE} — {hint}" if hint else PATTERN_MESSAGE]
        elif isinstance(item, AfterValidator) and item.func in VALIDATOR_PATTERNS:
            settings["pattern"] = list(VALIDATOR_PATTERNS[item.func])
        elif isinstance(item, annotated_types.Ge):
            settings["min"] = item.ge
        elif isinstance(item, annotated_types.Le):
            settings["max"] = item.le
    return settings


def _hint(description: str | None, vocabulary: type[Vocabulary] | None) -> str:
    parts = [description] if description else []
    if vocabulary is not None:
        parts += [f"{member.label} : {member.description}" for member in vocabulary]
    return " ".join(parts)


def form_fields(model: type[BaseModel], prefix: str = "", required_parent: bool = True) -> list[dict[str, Any]]:
    """The Decap fields of a model, in the model's order; `id` is the file name, not a field."""
    return [_field(name, info, prefix, required_parent) for name, info in model.model_fields.items() if name != "id"]


def _field(name: str, info: FieldInfo, prefix: str, required_parent: bool) -> dict[str, Any]:
    unwrapped = _unwrap(info.annotation, tuple(info.metadata), info.description)
    base = unwrapped.base
    field: dict[str, Any] = {"label": label(name), "name": name}
    # Inside an optional object (adresse…), nothing can be required by the form: the object
    # itself may be left out. The check on saving says what an object that is there lacks.
    required = info.is_required() and required_parent
    vocabulary = None
    if typing.get_origin(base) is Literal:
        (value,) = typing.get_args(base)
        return {"label": label(name), "name": name, "widget": "hidden", "default": str(value)}
    if typing.get_origin(base) is list:
        item = _unwrap(typing.get_args(base)[0])
        if _is(item.base, Vocabulary):
            vocabulary = item.base
            field.update(widget="select", multiple=True, options=_options(item.base))
        elif _is(item.base, BaseModel):
            field.update(widget="list", fields=form_fields(item.base, f"{prefix}{name}.", True), collapsed=False)
            titles = [f for f in ("titre", "nom") if f in item.base.model_fields]
            if titles:
                field["summary"] = "{{fields." + titles[0] + "}}"
        else:
            field.update(widget="list", field={"label": label(name), "name": name, "widget": "string", **_checks(item.metadata, name)})
        min_length = next((m.min_length for m in unwrapped.metadata if isinstance(m, annotated_types.MinLen)), 0)
        if min_length:
            field["min"] = min_length
    elif _is(base, Vocabulary):
        vocabulary = base
        field.update(widget="select", options=_options(base))
    elif _is(base, BaseModel):
        field.update(widget="object", fields=form_fields(base, f"{prefix}{name}.", required and not unwrapped.optional), collapsed=False)
    elif base is bool and unwrapped.optional:
        # Decap's toggle has two states: once touched it could only write true or false,
        # and « not known » would become « no ». passerelle-admin.js draws three choices.
        field["widget"] = YES_NO_UNKNOWN
    elif base is bool:
        field["widget"] = "boolean"
    elif base in (int, float):
        field.update(widget="number", value_type="int" if base is int else "float", **_checks(unwrapped.metadata, name))
    elif base is date:
        # Stored as AAAA-MM-JJ, the text the loader reads.
        field.update(widget="datetime", format="YYYY-MM-DD", date_format="DD/MM/YYYY", time_format=False, picker_utc=True)
    elif name == "description":
        field["widget"] = "text"
    else:
        field.update(widget="string", **_checks(unwrapped.metadata, name))
    field["required"] = required
    # A default inside an optional group would fill the group in every new record.
    if required_parent and isinstance(info.default, Vocabulary | bool | int | float | str) and info.default is not False:
        field["default"] = info.default.value if isinstance(info.default, Vocabulary) else info.default
    hint = _hint(HINTS.get(prefix + name) or unwrapped.description or FIELD_DESCRIPTIONS.get(prefix + name), vocabulary)
    if hint:
        field["hint"] = hint
    return field


def _options(vocabulary: type[Vocabulary]) -> list[dict[str, str]]:
    return [{"label": member.label, "value": member.value} for member in vocabulary]


def collections(data_path: str = "data") -> list[dict[str, Any]]:
    return [
        {
            "name": kind.value,
            "label": kind.label,
            "label_singular": kind.label,
            "description": kind.description,
            "folder": f"{data_path}/{kind.value}",
            "extension": "yaml",
            "format": "yaml",
            "create": True,
            # A structure that closes keeps its record (statut: ferme): nothing is deleted here.
            "delete": False,
            "identifier_field": "nom",
            "slug": "{{slug}}",
            "summary": "{{nom}}",
            "sortable_fields": ["nom", "verifie_le"],
            # The preview would be a second, unstyled copy of the form: the site shows the record.
            "editor": {"preview": False},
            "fields": form_fields(model),
        }
        for kind, model in MODELS.items()
    ]


def repository_backend(settings: SiteSettings) -> dict[str, Any]:
    """Decap's backend for the data repository of `repository_url` (GitHub, or any GitLab)."""
    parts = urlsplit(settings.repository_url)
    repo = parts.path.strip("/").removesuffix(".git")
    backend: dict[str, Any] = {"repo": repo, "branch": settings.editor_branch}
    if parts.netloc == "github.com":
        backend["name"] = "github"
    else:
        backend["name"] = "gitlab"
        if parts.netloc != "gitlab.com":
            backend["api_root"] = f"{parts.scheme}://{parts.netloc}/api/v4"
            backend["base_url"] = f"{parts.scheme}://{parts.netloc}"
        if settings.editor_app_id:
            backend.update(auth_type="pkce", app_id=settings.editor_app_id)
    if settings.editor_auth_url:
        backend["base_url"] = settings.editor_auth_url
    return backend


def cms_config(settings: SiteSettings, backend: dict[str, Any]) -> dict[str, Any]:
    config: dict[str, Any] = {
        "backend": backend,
        "locale": "fr",
        "media_folder": MEDIA_FOLDER,
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": collections(settings.data_path_in_repository),
    }
    if backend["name"] != "proxy":
        # Every change is a merge request: the repository's checks validate it before it is published.
        config["publish_mode"] = "editorial_workflow"
    if settings.site_url:
        config["site_url"] = config["display_url"] = settings.site_url
    return config


def policy(backend: dict[str, Any]) -> str:
    """The editor page's Content-Security-Policy: this site, and the repository's API."""
    origins = {"github": "https://api.github.com", "gitlab": backend.get("api_root", "https://gitlab.com")}
    api = origins.get(backend["name"], "")
    api_origin = "{0.scheme}://{0.netloc}".format(urlsplit(api)) if api else ""
    return (
        "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' data: blob:; connect-src 'self' {api_origin}".rstrip()
        + "; font-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'"
    )


def admin_page(site_name: str, backend: dict[str, Any]) -> str:
    sources = (LOCAL_BACKEND_SCRIPT, *SCRIPTS) if backend["name"] == "proxy" else SCRIPTS
    scripts = "\n".join(f'<script src="{src}"></script>' for src in sources)
    title = f"Modifier les fiches — {site_name}" if site_name else "Modifier les fiches"
    return f"""<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{policy(backend)}">
<meta name="referrer" content="same-origin">
<meta name="robots" content="noindex, nofollow">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_escape(title)}</title>
<link href="config.yml" type="text/yaml" rel="cms-config-url">
</head>
<body>
{scripts}
</body>
</html>
"""


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def config_yaml(config: dict[str, Any]) -> str:
    header = "# Écrit par Passerelle à partir des modèles des fiches (generator/site/admin.py) : ne pas modifier à la main.\n"
    return header + yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=4096)


# The editor's own files in the theme (Decap CMS is 6.5 MB): published only with /admin/.
EDITOR_THEME_FILES = ("assets/vendor/decap-cms", "assets/javascripts/passerelle-admin.js")


def admin_assets(site: SiteModel) -> list[Asset]:
    """/admin/, when the site names its data repository (without one, `passerelle edit` is the editor)."""
    if not site.settings.repository_url:
        return []
    backend = repository_backend(site.settings)
    return [
        Asset(f"{ADMIN_DIR}/index.html", admin_page(site.settings.site_name, backend)),
        Asset(f"{ADMIN_DIR}/config.yml", config_yaml(cms_config(site.settings, backend))),
    ]

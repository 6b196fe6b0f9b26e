"""A site's configuration: what a build reads from `mkdocs.yml`.

Both engines read MkDocs' configuration format (Zensical reads `mkdocs.yml` as
it is). Passerelle's own settings are the options of the `passerelle` entry of
`plugins:`; relative paths are relative to the configuration file's folder, the
project root. The configuration is kept as written, tags included (`!ENV`,
`!!python/name:`), so the build tree's copy means the same to the engine.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.build import BuildFailed
from generator.build.lean import easy_read_sections, main_sections
from generator.geo.gazetteer import normalize, read_regions
from generator.problems import system_reason
from generator.records.models import check_phone
from generator.records.yamlfile import SYNTAX_ERROR, SYNTAX_HINT, explain_syntax, syntax_position
from generator.site.model import SiteSettings, no_contact_notice, public_site_url, unpublished_address_notice
from generator.site.pages import FINDER_PAGE
from generator.site.search import EASY_READ_FOLDER, KINDS_BY_FOLDER
from generator.site.text import phone_display

PLUGIN = "passerelle"


@dataclass(frozen=True)
class PasserelleOptions:
    """The options of the `passerelle` plugin entry, with their defaults (the MkDocs plugin declares the same)."""

    data_dir: str = "data"
    templates_dir: str = "site_theme/passerelle"
    contact_email: str = ""
    # The resource centre that publishes the site, offered as a way to reach a structure
    # whose record has no contact details (needs a phone or contact_email).
    centre_name: str = ""
    centre_phone: str = ""
    repository_url: str = ""
    # Where the data folder is in the repository of `repository_url`, for « Modifier cette
    # fiche » links; by default the data folder's path from the configuration's folder.
    data_path_in_repository: str = ""
    # The records editor at /admin/ (Decap CMS), when repository_url is set (README).
    editor_branch: str = SiteSettings.editor_branch
    editor_app_id: str = ""
    editor_auth_url: str = ""
    tile_url: str = SiteSettings.tile_url
    tile_attribution: str = SiteSettings.tile_attribution
    data_licence: str = SiteSettings.data_licence
    # What the finder says when it lists few structures of a kind, and whom it names to ask,
    # by kind (record ids: « gem: [cnigem, ungf] »).
    coverage_note: str = SiteSettings.coverage_note
    coverage_networks: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    # Only the records in or serving these régions (codes or names): one site per région of a
    # national data folder, each under its host's size limit. Empty: the whole folder.
    regions: list[str] = dataclasses.field(default_factory=list)


OPTION_NAMES = [option.name for option in dataclasses.fields(PasserelleOptions)]
# Every option is a text, but these.
OPTION_SHAPES = {
    "coverage_networks": "une liste d'identifiants de fiches par type, ex. « gem: [cnigem] »",
    "regions": 'une liste de régions (code INSEE ou nom), ex. « ["11"] » ou « [Île-de-France] »',
}


@dataclass(frozen=True)
class SiteSource:
    """Where a site's data and templates are, the settings its pages show, and what the person who builds must know."""

    data_dir: Path
    templates_dir: Path
    settings: SiteSettings
    notices: tuple[str, ...] = ()


def site_source(options: PasserelleOptions, root: Path, site_url: str, site_name: str = "") -> SiteSource:
    """Resolve the plugin options against the project root `root`; raise BuildFailed if they cannot work."""
    data_dir = (root / options.data_dir).resolve()
    settings = SiteSettings(
        # A local address (mkdocs.yml's, or the one `mkdocs serve` sets) is never published:
        # not in canonical links, the sitemap, printed sheets nor open data.
        site_url=public_site_url(site_url),
        contact_email=options.contact_email,
        centre_name=options.centre_name,
        centre_phone=_phone_option(options.centre_phone),
        repository_url=options.repository_url,
        data_path_in_repository=_data_path_in_repository(options, data_dir, root),
        site_name=site_name,
        editor_branch=options.editor_branch,
        editor_app_id=options.editor_app_id,
        editor_auth_url=options.editor_auth_url,
        tile_url=options.tile_url,
        tile_attribution=options.tile_attribution,
        data_licence=options.data_licence,
        coverage_note=options.coverage_note,
        coverage_networks={kind: tuple(ids) for kind, ids in options.coverage_networks.items()},
        regions=_regions_option(options.regions),
    )
    notices = (unpublished_address_notice(site_url), no_contact_notice(settings.contact_email, settings.centre_phone))
    return SiteSource(data_dir, (root / options.templates_dir).resolve(), settings, tuple(filter(None, notices)))


def _phone_option(value: str) -> str:
    try:
        return check_phone(value) if value else ""
    except ValueError as error:
        raise BuildFailed(f"{PLUGIN}: centre_phone : {error}") from None


def _regions_option(names: list[str]) -> tuple[str, ...]:
    """The régions' INSEE codes, each given by its code or its name (accents and case aside)."""
    # Not the whole gazetteer: the build reads it while the collector is paused (build/heap.py).
    regions = read_regions()
    by_key = {normalize(key): region.code for region in regions for key in (region.code, region.nom)}
    unknown = [name for name in names if normalize(name) not in by_key]
    if unknown:
        known = ", ".join(f"{region.code} {region.nom}" for region in sorted(regions, key=lambda r: r.code))
        raise BuildFailed(f"{PLUGIN}: regions : région inconnue {', '.join(f'« {n} »' for n in unknown)} — régions possibles : {known}")
    return tuple(dict.fromkeys(by_key[normalize(name)] for name in names))


def _data_path_in_repository(options: PasserelleOptions, data_dir: Path, root: Path) -> str:
    if options.data_path_in_repository:
        return options.data_path_in_repository.strip("/")
    if data_dir.is_relative_to(root.resolve()):
        return data_dir.relative_to(root.resolve()).as_posix()
    if options.repository_url:
        raise BuildFailed(
            f"{PLUGIN}: le dossier de données {data_dir} n'est pas dans le dossier de la configuration ({root}) : "
            "indiquez son chemin dans le dépôt de repository_url avec l'option data_path_in_repository (ex. « data »)."
        )
    return ""


def theme_values(settings: SiteSettings, nav: Any = None) -> dict[str, Any]:
    """What the engine's templates need from Passerelle, set as `extra.passerelle` of the configuration: the map
    tile server's origin (main.html), the resource centre's contact (partials/contact.html), the links of the
    bulk pages' lighter navigation (`sections`, from the configuration's `nav`) and of the easy-read pages'
    (`easy_read_sections`), what a hand-written page is in a search result, by its folder (`search_kinds`), and
    the folder of easy-read pages, from which a search leads to easy-read versions (partials/search.html)."""
    return {
        "tile_origin": _tile_origin(settings.tile_url),
        "contact": {
            "centre": settings.centre_name,
            "email": settings.contact_email,
            "phone": settings.centre_phone,
            "phone_text": phone_display(settings.centre_phone) if settings.centre_phone else "",
        },
        "sections": main_sections(nav),
        "easy_read_sections": easy_read_sections(nav, EASY_READ_FOLDER, FINDER_PAGE),
        "search_kinds": [list(kind) for kind in KINDS_BY_FOLDER],
        "easy_read_folder": EASY_READ_FOLDER,
    }


def _tile_origin(tile_url: str) -> str:
    """The tile server as a Content-Security-Policy source: « https://{s}.tile.x.org/… » → « https://*.tile.x.org »."""
    if not tile_url.startswith(("https://", "http://")):
        return ""
    return "/".join(tile_url.split("/")[:3]).replace("{s}.", "*.")


@dataclass(frozen=True)
class Project:
    """A site to build: its configuration as written, and where everything is."""

    config_file: Path
    config: dict[str, Any]
    docs_dir: Path
    site_dir: Path
    custom_dir: Path | None
    source: SiteSource

    @property
    def root(self) -> Path:
        return self.config_file.parent


def load_project(config_file: Path, site_dir: Path | None = None) -> Project:
    """Read `config_file`; `site_dir` replaces its `site_dir`. Raise BuildFailed when it cannot be used."""
    config_file = Path(config_file).resolve()
    root = config_file.parent
    try:
        config = read_config(config_file)
    except FileNotFoundError:
        raise BuildFailed(
            f"{config_file} : configuration introuvable — lancez la commande dans le dossier du site (celui de mkdocs.yml), "
            "ou indiquez la configuration avec --config-file"
        ) from None
    except OSError as error:
        raise BuildFailed(f"{config_file} : configuration illisible : {system_reason(error)}") from None
    except yaml.MarkedYAMLError as error:
        line, column = syntax_position(error)
        raise BuildFailed(f"{config_file}:{line}:{column}: configuration illisible : {explain_syntax(error)} — {SYNTAX_HINT}") from None
    except yaml.YAMLError:
        raise BuildFailed(f"{config_file} : configuration illisible : {SYNTAX_ERROR} — {SYNTAX_HINT}") from None
    if not isinstance(config, dict):
        raise BuildFailed(f"{config_file} : la configuration doit contenir des champs « nom: valeur »")
    if not config.get("use_directory_urls", True):
        raise BuildFailed(f"{config_file} : use_directory_urls doit rester à true (les liens des pages générées finissent par /)")
    theme = config.get("theme") if isinstance(config.get("theme"), dict) else {}
    custom_dir = theme.get("custom_dir")
    project = Project(
        config_file,
        config,
        docs_dir=root / config.get("docs_dir", "docs"),
        # Resolved: a site folder reached through a link is replaced where it is, the link kept.
        site_dir=(Path(site_dir) if site_dir else root / config.get("site_dir", "site")).resolve(),
        custom_dir=root / custom_dir if isinstance(custom_dir, str) else None,
        source=site_source(plugin_options(config, config_file), root, config.get("site_url") or "", str(config.get("site_name") or "")),
    )
    problem = site_dir_problem(project.site_dir, read_by_build(config_file, project.docs_dir, project.custom_dir, project.source))
    if problem:
        raise BuildFailed(problem)
    return project


def read_by_build(config_file: Path, docs_dir: Path, custom_dir: Path | None, source: SiteSource) -> dict[str, Path | None]:
    """What a build reads, named as the person who builds knows it."""
    return {
        "le fichier de configuration": config_file,
        "les pages écrites à la main (docs_dir)": docs_dir,
        "les fiches (data_dir)": source.data_dir,
        "les gabarits des pages (templates_dir)": source.templates_dir,
        "les gabarits du thème (custom_dir)": custom_dir,
    }


def site_dir_problem(site_dir: Path, sources: dict[str, Path | None]) -> str | None:
    """Why building into `site_dir` would lose something, or None; `sources`: what the build reads, named as the person knows it.

    A build replaces the site folder whole (pipeline.py), and MkDocs empties it: a person who
    types `--site-dir data` would lose every record, `--site-dir .` the whole project.
    """
    site_dir = site_dir.resolve()
    other = (
        "indiquez un autre dossier pour le site (--site-dir, ou site_dir dans la configuration), par exemple « site » à côté de mkdocs.yml"
    )
    if site_dir.exists() and not site_dir.is_dir():
        return f"{site_dir} : c'est un fichier, pas un dossier — {other}"
    for what, source in sources.items():
        if source is None:
            continue
        source = source.resolve()
        if source.is_relative_to(site_dir):
            return (
                f"{site_dir} : ce dossier contient {what} ({source}), que la construction du site effacerait avec tout le dossier — {other}"
            )
        if site_dir.is_relative_to(source):
            return f"{site_dir} : ce dossier est dans {what} ({source}), que la construction suivante lirait avec le site — {other}"
    if site_dir.is_dir() and any(site_dir.iterdir()) and not _is_a_site(site_dir):
        return (
            f"{site_dir} : ce dossier n'est pas vide et ne contient pas de site web ; la construction du site effacerait tout ce "
            f"qu'il contient — videz-le vous-même, ou {other}"
        )
    return None


def _is_a_site(folder: Path) -> bool:
    """What every site MkDocs or Zensical builds has at its root, and a folder of records, pages or documents does not."""
    return (folder / "index.html").is_file() and (folder / "404.html").is_file()


def plugin_options(config: dict[str, Any], config_file: Path) -> PasserelleOptions:
    entries = [p for p in config.get("plugins") or [] if p == PLUGIN or (isinstance(p, dict) and PLUGIN in p)]
    if not entries:
        raise BuildFailed(f"{config_file} : ajoutez « - {PLUGIN} » à la liste plugins (les options des pages générées)")
    options = (entries[0] if isinstance(entries[0], dict) else {}).get(PLUGIN) or {}
    unknown = sorted(set(options) - set(OPTION_NAMES))
    if unknown:
        raise BuildFailed(
            f"{config_file} : option inconnue de {PLUGIN} : {', '.join(unknown)} (options possibles : {', '.join(OPTION_NAMES)})"
        )
    misshapen = [name for name, value in options.items() if not _well_shaped(name, value)]
    if misshapen:
        raise BuildFailed(
            "\n".join(
                f"{config_file} : l'option {name} de {PLUGIN} doit être {OPTION_SHAPES.get(name, 'un texte')}" for name in sorted(misshapen)
            )
        )
    return PasserelleOptions(**options)


def _well_shaped(name: str, value: Any) -> bool:
    if name == "coverage_networks":
        return isinstance(value, dict) and all(_texts(ids) for ids in value.values())
    if name == "regions":
        return _texts(value)
    return isinstance(value, str)


def _texts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


# --- The configuration as written ------------------------------------------------------


@dataclass(frozen=True)
class Tagged:
    """A value with a tag Passerelle does not interpret (`!ENV`, `!!python/name:`): written back as it was."""

    tag: str
    value: Any


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    pass


def _keep_tag(loader: _Loader, suffix: str, node: yaml.Node) -> Tagged:
    if isinstance(node, yaml.MappingNode):
        return Tagged(node.tag, loader.construct_mapping(node, deep=True))
    if isinstance(node, yaml.SequenceNode):
        return Tagged(node.tag, loader.construct_sequence(node, deep=True))
    return Tagged(node.tag, loader.construct_scalar(node))


def _write_tag(dumper: _Dumper, tagged: Tagged) -> yaml.Node:
    if isinstance(tagged.value, dict):
        return dumper.represent_mapping(tagged.tag, tagged.value)
    if isinstance(tagged.value, list):
        return dumper.represent_sequence(tagged.tag, tagged.value)
    return dumper.represent_scalar(tagged.tag, tagged.value)


_Loader.add_multi_constructor("!", _keep_tag)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _keep_tag)
_Dumper.add_representer(Tagged, _write_tag)


def read_config(path: Path) -> Any:
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_Loader)  # noqa: S506 - a SafeLoader that keeps unknown tags as data


def write_config(config: dict[str, Any], path: Path) -> Path:
    path.write_text(yaml.dump(config, Dumper=_Dumper, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path

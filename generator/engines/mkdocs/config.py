"""Settings of the `passerelle` MkDocs plugin (the `plugins:` entry of mkdocs.yml): those of `PasserelleOptions`."""

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from generator.build.project import PasserelleOptions

_DEFAULTS = PasserelleOptions()


class PasserelleConfig(Config):
    data_dir = c.Type(str, default=_DEFAULTS.data_dir)
    templates_dir = c.Type(str, default=_DEFAULTS.templates_dir)
    contact_email = c.Type(str, default=_DEFAULTS.contact_email)
    centre_name = c.Type(str, default=_DEFAULTS.centre_name)
    centre_phone = c.Type(str, default=_DEFAULTS.centre_phone)
    repository_url = c.Type(str, default=_DEFAULTS.repository_url)
    data_path_in_repository = c.Type(str, default=_DEFAULTS.data_path_in_repository)
    editor_branch = c.Type(str, default=_DEFAULTS.editor_branch)
    editor_app_id = c.Type(str, default=_DEFAULTS.editor_app_id)
    editor_auth_url = c.Type(str, default=_DEFAULTS.editor_auth_url)
    tile_url = c.Type(str, default=_DEFAULTS.tile_url)
    tile_attribution = c.Type(str, default=_DEFAULTS.tile_attribution)
    data_licence = c.Type(str, default=_DEFAULTS.data_licence)
    coverage_note = c.Type(str, default=_DEFAULTS.coverage_note)
    coverage_networks = c.DictOfItems(c.ListOfItems(c.Type(str)), default={})
    regions = c.ListOfItems(c.Type(str), default=[])

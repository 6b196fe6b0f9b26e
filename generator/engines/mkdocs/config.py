"""Settings of the `passerelle` MkDocs plugin (the `plugins:` entry of mkdocs.yml)."""

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from generator.site.model import SiteSettings


class PasserelleConfig(Config):
    data_dir = c.Type(str, default="data")
    templates_dir = c.Type(str, default="site_theme/passerelle")
    contact_email = c.Type(str, default="")
    centre_name = c.Type(str, default="")
    centre_phone = c.Type(str, default="")
    repository_url = c.Type(str, default="")
    tile_url = c.Type(str, default=SiteSettings.tile_url)
    tile_attribution = c.Type(str, default=SiteSettings.tile_attribution)
    data_licence = c.Type(str, default=SiteSettings.data_licence)
    coverage_note = c.Type(str, default=SiteSettings.coverage_note)
    coverage_networks = c.DictOfItems(c.ListOfItems(c.Type(str)), default={})

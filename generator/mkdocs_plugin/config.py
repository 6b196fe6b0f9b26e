"""Settings of the `passerelle` MkDocs plugin (the `plugins:` entry of mkdocs.yml)."""

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class PasserelleConfig(Config):
    data_dir = c.Type(str, default="data")
    templates_dir = c.Type(str, default="site_theme/passerelle")
    contact_email = c.Type(str, default="")
    repository_url = c.Type(str, default="")

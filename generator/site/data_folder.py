"""Everything a site is built from, read from one data folder.

The data folder holds the records (`<kind>/<id>.yaml`), the geocoding cache
(`geo/geocodage.yaml`) and, when a resource centre adapts them, its own glossary
(`glossaire.yaml`) and decision tree (`orientation.yaml`); without them the site
uses the ones shipped with Passerelle (`defaults/`). The gazetteer of French
communes ships with the package. Every problem of every file is reported at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from generator.catalogue import load_catalogue, update_catalogue
from generator.geo.gazetteer import Gazetteer
from generator.problems import DataError, Problem
from generator.site.glossary import DEFAULT_GLOSSARY, load_terms
from generator.site.model import SiteModel, SiteSettings
from generator.site.orientation import DEFAULT_TREE, load_tree

GLOSSARY_FILE = "glossaire.yaml"
ORIENTATION_FILE = "orientation.yaml"

T = TypeVar("T")


def load_site(root: Path, settings: SiteSettings, gazetteer: Gazetteer | None = None) -> SiteModel:
    """The site model of the data folder `root`; raise DataError listing every problem of every file."""
    gazetteer = gazetteer or Gazetteer.load()
    problems: list[Problem] = []
    catalogue = _collect(problems, lambda: load_catalogue(root, gazetteer))
    orientation = _collect(problems, lambda: load_tree(own_or_shipped(root, ORIENTATION_FILE, DEFAULT_TREE)))
    glossary = _collect(problems, lambda: load_terms(own_or_shipped(root, GLOSSARY_FILE, DEFAULT_GLOSSARY)))
    if problems:
        raise DataError(problems)
    return SiteModel(catalogue, gazetteer, settings, orientation=orientation, glossary=glossary)


def update_site(site: SiteModel, root: Path, changed: Iterable[Path]) -> SiteModel | None:
    """The site model of `root` after the record files `changed` were edited or added, from `site`, the model before.

    None when only reading the whole folder can tell (see `update_catalogue`).
    """
    changed = list(changed)
    catalogue = update_catalogue(site.catalogue, root, changed, site.gazetteer)
    if catalogue is None:
        return None
    return site.updated(catalogue, [path.stem for path in changed])


def own_or_shipped(root: Path, name: str, shipped: Path) -> Path:
    """The data folder's file `name` if it has one, else the one shipped with Passerelle."""
    own = root / name
    return own if own.is_file() else shipped


def _collect(problems: list[Problem], load: Callable[[], T]) -> T | None:
    try:
        return load()
    except DataError as error:
        problems.extend(error.problems)
        return None

"""The engines that turn generated pages into a site: one adapter package each.

Only the modules of this package import an engine (MkDocs, Zensical); the rest of
the generator knows pages, assets and templates, not the engine that lays them out.
"""


class BuildFailed(Exception):
    """The engine could not build the site; the message says why, in French where it is ours."""

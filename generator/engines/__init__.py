"""The engines that lay out the site's pages: one adapter package each.

Only the modules of this package import an engine (MkDocs, Zensical), and each
adapter imports only its own (import-linter contracts in pyproject.toml); the
rest of the generator knows pages, assets and templates, not the engine that
lays them out. An adapter implements `generator.build.pipeline.Engine`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.build import BuildFailed

if TYPE_CHECKING:
    from generator.build.pipeline import Engine

ENGINES = ("mkdocs", "zensical")
DEFAULT_ENGINE = "mkdocs"


def engine_named(name: str) -> Engine:
    """The adapter of engine `name` (one of ENGINES), imported only when it is asked for."""
    if name == "mkdocs":
        from generator.engines.mkdocs.engine import MkDocsEngine

        return MkDocsEngine()
    if name == "zensical":
        try:
            from generator.engines.zensical.engine import ZensicalEngine
        except ImportError:
            raise BuildFailed(
                "Zensical n'est pas installé ; installez-le avec : python3 -m pip install -c requirements.lock -e '.[zensical]'"
            ) from None
        return ZensicalEngine()
    raise BuildFailed(f"moteur inconnu « {name} » (moteurs possibles : {', '.join(ENGINES)})")

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sitebuild import ROOT, build_site


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once per test session from the shipped data."""
    return build_site(tmp_path_factory.mktemp("site") / "site")

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from generator.records.cache import CACHE_ENV
from tests.sitebuild import ROOT, build_site

# The tests' caches of validated records stay out of the person's own (~/.cache/passerelle).
os.environ[CACHE_ENV] = tempfile.mkdtemp(prefix="passerelle-test-cache-")
atexit.register(shutil.rmtree, os.environ[CACHE_ENV], ignore_errors=True)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once per test session from the shipped data."""
    return build_site(tmp_path_factory.mktemp("site") / "site")

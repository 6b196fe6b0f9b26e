from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from datetime import date
from pathlib import Path

import pytest

from generator.clock import TODAY_ENV
from generator.records.cache import CACHE_ENV
from tests.sitebuild import ROOT, build_site

# The tests' caches of validated records stay out of the person's own (~/.cache/passerelle).
os.environ[CACHE_ENV] = tempfile.mkdtemp(prefix="passerelle-test-cache-")
atexit.register(shutil.rmtree, os.environ[CACHE_ENV], ignore_errors=True)

# One day for the whole run: the tests compute their expected dates when they start, the builds and
# commands they run take theirs later, and a run that crosses midnight would compare two days. Set
# here, before the workers start, so that they and every command they run inherit it.
os.environ.setdefault(TODAY_ENV, date.today().isoformat())


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once per test session from the shipped data."""
    return build_site(tmp_path_factory.mktemp("site") / "site")

"""The lock (`requirements.lock`) agrees with `pyproject.toml`, and the suite runs what it locks.

`pyproject.toml` keeps ranges (Passerelle is a library too); the lock gives the exact
versions the suite is run with, on every machine. A fresh install goes through it
(`pip install -c requirements.lock …`, as the README says), so a version that moved
on the package registry cannot change a result unnoticed.
"""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
INSTALL = "python3 -m pip install -c requirements.lock -e '.[test]'"


def locked() -> list[Requirement]:
    lines = (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
    return [Requirement(line) for line in lines if line.strip() and not line.lstrip().startswith("#")]


def declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project.get("optional-dependencies", {})
    requirements = [Requirement(text) for text in project["dependencies"] + [text for group in extras.values() for text in group]]
    # « passerelle[zensical] » in an extra names another extra of the project, whose own requirements are listed.
    return [r for r in requirements if canonicalize_name(r.name) != canonicalize_name(project["name"])]


def pinned_here() -> dict[str, str]:
    """Name → exact version, for the lock's lines that apply to this Python and platform."""
    pins = {}
    for requirement in locked():
        if requirement.marker is None or requirement.marker.evaluate():
            [specifier] = requirement.specifier
            assert specifier.operator == "==", f"{requirement}: a lock pins exact versions"
            pins[canonicalize_name(requirement.name)] = specifier.version
    return pins


def test_every_declared_dependency_is_locked_within_its_range():
    pins = pinned_here()
    for requirement in declared():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is in pyproject.toml but not in requirements.lock: refresh the lock (README)"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"requirements.lock pins {name}=={pins[name]}, outside pyproject.toml's {requirement}: refresh the lock"
        )


def test_the_suite_runs_the_locked_versions():
    pins = pinned_here()
    wrong = []
    for name, version in sorted(pins.items()):
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = "absent"
        if installed != version:
            wrong.append(f"{name}: {installed} installed, {version} locked")
    assert not wrong, f"this environment is not the locked one; install with: {INSTALL}\n" + "\n".join(wrong)

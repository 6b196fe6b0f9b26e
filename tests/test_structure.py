"""The code keeps the shape a newcomer is shown: layers, engine adapters, one format.

The layers and the engine rule are import-linter contracts in pyproject.toml; the
test runs them on the real package, and once on a copy where a module outside the
adapters imports MkDocs, to show that the rule bites.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    # import-linter finds the package through sys.path: the checked copy comes first.
    return subprocess.run(
        [str(BIN / "lint-imports"), str(root / "pyproject.toml"), "--no-cache"],
        capture_output=True,
        text=True,
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": str(BIN)},
    )


def test_import_contracts_hold():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        ("generator/site/pages.py", "import mkdocs.config\n", "Only the MkDocs adapter imports MkDocs"),
        ("generator/build/pipeline.py", "from material import templates\n", "Only the MkDocs adapter imports MkDocs"),
        ("generator/engines/zensical/engine.py", "import mkdocs\n", "Only the MkDocs adapter imports MkDocs"),
        ("generator/build/pipeline.py", "import zensical\n", "Only the Zensical adapter imports Zensical"),
        ("generator/engines/mkdocs/engine.py", "import zensical\n", "Only the Zensical adapter imports Zensical"),
        ("generator/engines/mkdocs/plugin.py", "import generator.engines.zensical.engine\n", "Each engine adapter stands alone"),
        ("generator/records/models.py", "import generator.site.model\n", "Data flows one way"),
        ("generator/site/model.py", "import generator.build.pipeline\n", "Data flows one way"),
    ],
)
def test_import_contracts_fail_when_broken(tmp_path, module, line, broken):
    copy = tmp_path / "repo"
    copy.mkdir()
    shutil.copytree(ROOT / "generator", copy / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    target = copy / module
    target.write_text(line + target.read_text(encoding="utf-8"), encoding="utf-8")
    result = lint_imports(copy)
    assert result.returncode != 0
    assert f"{broken}" in result.stdout and "BROKEN" in result.stdout


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["ruff check", "ruff format"])
def test_ruff(command):
    result = subprocess.run([str(BIN / "ruff"), *command, "."], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr

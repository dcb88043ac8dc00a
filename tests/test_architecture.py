"""Imports point one way, as pyproject.toml's import-linter contracts declare: api >
casework > ingest > (ocr | extraction | storage), synth beside them using extraction only,
and only api reads configuration. `lint-imports` checks the contracts; these tests run it
so that pytest alone also checks, and break the rules on purpose to show it would notice.
The README's picture of the imports is drawn from the same contracts and must match them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("api", "casework", "synth", "ingest", "ocr", "extraction", "storage", "identity",
            "reconcile")
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` over the packages under `root`, with `root` first on the path."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--config", "pyproject.toml"],
                          cwd=root, env=env, capture_output=True, text=True, timeout=300)


def test_the_import_contracts_hold() -> None:
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(("module", "line", "contract"), [
    ("storage", "import api.cli", "Imports point down"),
    ("ingest", "from casework import cases", "Imports point down"),
    ("ocr", "import extraction.fields", "Imports point down"),
    ("synth", "import ingest.errors", "The sample generator uses extraction"),
    ("extraction", "import synth.truth", "Only api runs the sample generator"),
    ("api", "from ocr import steps", "api reads pages through ingest and casework"),
    ("storage", "import pydantic_settings", "Only api reads configuration"),
    ("reconcile", "import storage.index", "Reconciliation never imports"),
    ("ingest", "import reconcile.run", "Imports point down"),
])
def test_a_forbidden_import_fails(tmp_path: Path, module: str, line: str,
                                  contract: str) -> None:
    for package in PACKAGES:
        shutil.copytree(REPO / package, tmp_path / package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path)
    (tmp_path / module / "_forbidden.py").write_text(line + "\n")

    result = lint_imports(tmp_path)

    assert result.returncode != 0
    broken = [line for line in result.stdout.splitlines() if line.endswith(" BROKEN")]
    assert any(line.startswith(contract) for line in broken), result.stdout


@pytest.mark.parametrize("package", ["ingest", "ocr", "extraction", "storage"])
def test_only_api_reads_the_environment(package: str) -> None:
    files = sorted((REPO / package).rglob("*.py"))
    assert files
    for path in files:
        text = path.read_text()
        assert "os.environ[" not in text and "getenv" not in text, path


def draw(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "scripts" / "architecture.py"), *args],
                          capture_output=True, text=True, timeout=60)


def test_the_readme_draws_the_contracts() -> None:
    result = draw("--check")
    assert result.returncode == 0, result.stderr
    readme = (REPO / "README.md").read_text()
    assert draw().stdout.strip() in readme
    assert "synth: imports extraction only; imported by api only" in readme


def test_a_changed_contract_makes_the_readme_picture_stale(tmp_path: Path) -> None:
    shutil.copy(REPO / "README.md", tmp_path)
    pyproject = (REPO / "pyproject.toml").read_text()
    layers = next(line for line in pyproject.splitlines() if line.startswith("layers = "))
    (tmp_path / "pyproject.toml").write_text(
        pyproject.replace(layers, 'layers = ["api", "ingest", "casework", "ocr | storage"]'))

    result = draw("--check", "--root", str(tmp_path))

    assert result.returncode == 1
    assert "stale" in result.stderr

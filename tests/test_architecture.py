"""Imports point one way: api -> ingest -> (ocr, extraction, storage); the stages never
import each other, and only api reads configuration."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ALLOWED = {
    "api": {"api", "casework", "ingest", "storage", "extraction", "synth"},
    "casework": {"casework", "ingest", "ocr", "extraction", "storage"},
    "synth": {"synth", "extraction"},
    "ingest": {"ingest", "ocr", "extraction", "storage"},
    "ocr": {"ocr"},
    "extraction": {"extraction"},
    "storage": {"storage"},
}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names & set(ALLOWED)


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_imports_point_one_way(package: str) -> None:
    files = sorted((REPO / package).rglob("*.py"))
    assert files
    for path in files:
        wrong = imported_packages(path) - ALLOWED[package]
        assert not wrong, f"{path.relative_to(REPO)} imports {sorted(wrong)}"


@pytest.mark.parametrize("package", ["ingest", "ocr", "extraction", "storage"])
def test_only_api_reads_configuration(package: str) -> None:
    for path in sorted((REPO / package).rglob("*.py")):
        text = path.read_text()
        assert "os.environ[" not in text and "getenv" not in text, path
        assert "pydantic_settings" not in text, path

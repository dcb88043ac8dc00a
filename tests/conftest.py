"""Shared fixtures: generated degraded case files with known truth, and one CLI ingest
of them per test session (OCR is the slow part, so it runs once and many tests read it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from services import PG_ADMIN_URL, create_pg_database, drop_pg_database, pg_available

from synth import CaseTruth, generate_case_file

REPO = Path(__file__).resolve().parent.parent
CASESCAN = [sys.executable, "-m", "api.cli"]


@dataclass(frozen=True)
class CaseFile:
    path: Path
    truth: CaseTruth


# name -> (seed, format, degradation, layout, pages): every layout, every format, two levels.
CASES = {
    "inline": (11, "png", "moderate", "inline", 1),
    "stacked": (12, "png", "moderate", "stacked", 1),
    "table": (13, "png", "moderate", "table", 1),
    "photocopy": (14, "jpeg", "moderate", None, 1),
    "scan": (15, "pdf", "clean", "inline", 2),
    "bundle": (16, "tiff", "clean", "stacked", 2),
}


@pytest.fixture(scope="session")
def case_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CaseFile]:
    out = tmp_path_factory.mktemp("cases")
    files = {}
    for name, (seed, fmt, level, layout, pages) in CASES.items():
        # the train split: the generator's held-out material is the benchmark's, never a
        # test's (its wordings, layouts, fonts and damage stay unseen while tuning)
        truth = generate_case_file(out, seed, fmt=fmt, degradation=level, layout=layout,
                                   pages=pages, stem=name, split="train")
        files[name] = CaseFile(out / truth.file, truth)
    return files


def run_cli(args: list[str], data_dir: Path, *, input_text: str | None = None,
            **env: str) -> subprocess.CompletedProcess[str]:
    """Run the real `casescan` command with its data in `data_dir` (and `input_text` on
    its standard input)."""
    environ = {**os.environ, "CASESCAN_DATA_DIR": str(data_dir), "CASESCAN_WORKERS": "2", **env}
    return subprocess.run([*CASESCAN, *args], capture_output=True, text=True, env=environ,
                          cwd=REPO, timeout=900, check=False, input=input_text)


@pytest.fixture(scope="session")
def ingested(case_files: dict[str, CaseFile], tmp_path_factory: pytest.TempPathFactory
             ) -> tuple[Path, dict[str, dict]]:
    """Every case file ingested once through `casescan ingest --json`: (data dir, name -> JSON)."""
    data_dir = tmp_path_factory.mktemp("data")
    paths = [str(f.path) for f in case_files.values()]
    result = run_cli(["ingest", *paths, "--batch", "session", "--json"], data_dir)
    assert result.returncode == 0, result.stderr
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    by_source = {doc["source"]: doc for doc in docs}
    return data_dir, {name: by_source[str(f.path)] for name, f in case_files.items()}


@pytest.fixture(scope="session")
def seaweed(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A real SeaweedFS S3 server on free loopback ports for the whole session."""
    from services import start_seaweed

    server = start_seaweed(tmp_path_factory.mktemp("seaweed"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A PostgreSQL database of this test run's own, dropped at the end."""
    if not pg_available():
        pytest.fail(f"PostgreSQL is not reachable at {PG_ADMIN_URL}; scripts/test.sh starts it")
    url = create_pg_database()
    yield url
    drop_pg_database(url)

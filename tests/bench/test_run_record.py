"""A benchmark's figures land in a tracked folder with the command, commit and date of the
run, so the README's tables can be traced to the run that made them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from run_record import FIGURES, REPO, default_out


def test_figures_go_to_a_folder_git_tracks() -> None:
    assert default_out("pipeline") == FIGURES / "pipeline.json"
    ignored = subprocess.run(["git", "-C", str(REPO), "check-ignore", "-q",
                              str(default_out("pipeline"))], check=False)
    assert ignored.returncode == 1  # 1: not ignored


def test_a_benchmark_run_records_its_command_commit_and_date(tmp_path: Path) -> None:
    out = tmp_path / "extraction_quality.json"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "bench/extraction_quality.py", "--files", "0",
                    "--funsd", "0", "--out", str(out)],
                   cwd=REPO, env=env, check=True, capture_output=True, timeout=300)

    run = json.loads(out.read_text())["run"]

    assert run["command"] == ("python bench/extraction_quality.py --files 0 --funsd 0 "
                              f"--out {out}")
    head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"],
                          capture_output=True, text=True, check=True).stdout.strip()
    assert run["commit"] == head
    assert isinstance(run["uncommitted_changes"], bool)
    assert abs(datetime.now(UTC) - datetime.fromisoformat(run["date"])) < timedelta(minutes=5)

"""Where a benchmark's figures go, and the record of the run that made them.

The README quotes benchmark figures; each must be traceable to a run. So every benchmark
writes its JSON under bench/figures/ (tracked by git, unlike bench/results/, which only
holds caches) with the command that ran, the commit it ran on (and whether the tree had
uncommitted changes) and the date. Commit the JSON with the README text that quotes it.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
FIGURES = REPO / "bench" / "figures"


def default_out(name: str) -> Path:
    """The tracked file a benchmark writes unless told otherwise: bench/figures/NAME.json."""
    return FIGURES / f"{name}.json"


def git(*args: str) -> str | None:
    """One git command's output in the repository, or None where there is no git."""
    try:
        done = subprocess.run(["git", "-C", str(REPO), *args], capture_output=True,
                              text=True, timeout=30, check=False)
    except OSError:
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def run_record(argv: list[str] | None = None) -> dict[str, Any]:
    """The command (as run from the repository root), commit and date of this run."""
    argv = sys.argv if argv is None else argv
    script = Path(argv[0]).resolve()
    shown = script.relative_to(REPO) if script.is_relative_to(REPO) else script
    status = git("status", "--porcelain", "--untracked-files=no")
    return {"command": shlex.join(["python", str(shown), *argv[1:]]),
            "commit": git("rev-parse", "HEAD"),
            "uncommitted_changes": bool(status) if status is not None else None,
            "date": datetime.now(UTC).isoformat(timespec="seconds")}


def write_figures(out: Path, figures: dict[str, Any]) -> Path:
    """`figures` as JSON at `out`, with the run's record under "run" at the top."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"run": run_record(), **figures}, indent=1, default=str) + "\n")
    return out


def ratio(part: int, whole: int) -> float | None:
    """part / whole, or None where there is nothing to divide: a precision over no confirmed
    value is unknown, not perfect."""
    return part / whole if whole else None


def shown(value: float | None, spec: str) -> str:
    """A figure for a table: formatted with `spec`, or a dash where it is unknown."""
    return "—" if value is None else format(value, spec)

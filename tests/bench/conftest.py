"""The benchmarks are scripts in bench/, not a package: their folder goes on the path so
that the tests import them as the scripts import each other."""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

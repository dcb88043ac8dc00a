"""Temporary folders: removed on the way out whatever happens, a dead run's swept at the
next start, a live run's never touched."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingest.scratch import LOCK_NAME, UNLOCKED_AGE_S, scratch_dir, sweep_leftovers


def test_removed_even_when_the_run_fails(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), scratch_dir(root=tmp_path) as folder:
        (folder / "copy.pdf").write_bytes(b"%PDF")
        raise RuntimeError("a file broke the run")
    assert list(tmp_path.iterdir()) == []


def test_dead_runs_swept_live_runs_kept(tmp_path: Path) -> None:
    killed = subprocess.run(  # a run that dies holding its folder: the kernel drops the lock
        [sys.executable, "-c", "import os, sys; sys.path.insert(0, os.getcwd()); "
         "from ingest.scratch import scratch_dir\n"
         f"with scratch_dir(root={str(tmp_path)!r}) as f:\n"
         "    (f / 'copy.pdf').write_bytes(b'%PDF'); os._exit(9)"],
        cwd=Path(__file__).resolve().parents[2], timeout=60, check=False)
    assert killed.returncode == 9
    [dead] = list(tmp_path.iterdir())
    old = tmp_path / "casescan-batch-old"  # from before the lock, long ago
    old.mkdir()
    past = time.time() - UNLOCKED_AGE_S - 60
    os.utime(old, (past, past))
    young = tmp_path / "casescan-upload-young"  # being made right now
    young.mkdir()
    mine = tmp_path / "notes"
    mine.mkdir()
    with scratch_dir(root=tmp_path) as live:  # a new run sweeps first
        assert (live / LOCK_NAME).exists()
        assert not dead.exists() and not old.exists()
        assert sweep_leftovers(tmp_path) == []  # another start meanwhile: the live run stays
        assert live.exists() and young.exists() and mine.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["casescan-upload-young", "notes"]

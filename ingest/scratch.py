"""Temporary folders for a run's working copies, and the sweep of those a killed run left.

Each folder holds an exclusive lock (flock) for as long as its run lives; the kernel drops
the lock when the process dies, however it dies. So the next run can tell a dead run's
folder (lock free) from a live one's (lock held) and remove only the dead ones, without
trusting process ids, which the system reuses.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Final

PREFIXES: Final = ("casescan-batch-", "casescan-upload-")
LOCK_NAME: Final = ".owner.lock"
# A folder without a lock file is from a version before the lock (or is being made right
# now): it is only swept once it is this old.
UNLOCKED_AGE_S: Final = 3600.0


@contextlib.contextmanager
def scratch_dir(prefix: str = PREFIXES[0], root: Path | None = None) -> Iterator[Path]:
    """A locked temporary folder, removed on the way out whatever happens; dead runs'
    folders are swept first."""
    if prefix not in PREFIXES:
        raise ValueError(f"scratch prefix must be one of {PREFIXES}")
    sweep_leftovers(root)
    with tempfile.TemporaryDirectory(prefix=prefix, dir=root) as name:
        folder = Path(name)
        fd = os.open(folder / LOCK_NAME, os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            yield folder
        finally:
            os.close(fd)


def sweep_leftovers(root: Path | None = None) -> list[Path]:
    """Remove the scratch folders of runs that are no longer alive; return them."""
    base = Path(root or tempfile.gettempdir())
    swept = []
    for folder in base.iterdir() if base.is_dir() else ():
        if folder.name.startswith(PREFIXES) and _abandoned(folder):
            shutil.rmtree(folder, ignore_errors=True)
            swept.append(folder)
    return swept


def _abandoned(folder: Path) -> bool:
    """True for a real folder of ours whose run is gone."""
    try:
        info = folder.lstat()
    except OSError:
        return False
    if not folder.is_dir() or folder.is_symlink() or info.st_uid != os.getuid():
        return False
    lock = folder / LOCK_NAME
    if not lock.exists():
        return time.time() - info.st_mtime > UNLOCKED_AGE_S
    try:
        fd = os.open(lock, os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # held: its run is alive
    finally:
        os.close(fd)
    return True

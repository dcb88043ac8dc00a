"""Temporary folders for a run's working copies (a batch's, an upload's, a worker's copies
of originals), and the sweep of those a killed run left.

Each folder holds an exclusive lock (flock) for as long as its run lives; the kernel drops
the lock when the process dies, however it dies. So the next run can tell a dead run's
folder (lock free) from a live one's (lock held) and remove only the dead ones, without
trusting process ids, which the system reuses.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Final

# A worker's copies of originals (`ingest.units.OriginalCache`) live as long as its process.
WORKER_PREFIX: Final = "casescan-worker-"
PREFIXES: Final = ("casescan-batch-", "casescan-upload-", WORKER_PREFIX)
LOCK_NAME: Final = ".owner.lock"
# A folder without a lock file is from a version before the lock (or is being made right
# now): it is only swept once it is this old.
UNLOCKED_AGE_S: Final = 3600.0


@contextlib.contextmanager
def scratch_dir(prefix: str = PREFIXES[0], root: Path | None = None) -> Iterator[Path]:
    """A locked temporary folder, removed on the way out whatever happens; dead runs'
    folders are swept first."""
    _check_prefix(prefix)
    sweep_leftovers(root)
    with tempfile.TemporaryDirectory(prefix=prefix, dir=root) as name:
        fd = _lock(Path(name))
        try:
            yield Path(name)
        finally:
            os.close(fd)


def process_dir(prefix: str, root: Path | None = None) -> Path:
    """A locked temporary folder for the rest of this process's life (a worker's copies
    of originals), removed at exit. A process that ends without exit handlers (a pool
    process, a killed one) drops the lock with its life, so the next start sweeps it."""
    _check_prefix(prefix)
    sweep_leftovers(root)
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=root))
    _lock(folder)  # held (never closed) until the process ends
    atexit.register(shutil.rmtree, folder, True)
    return folder


def _check_prefix(prefix: str) -> None:
    if prefix not in PREFIXES:
        raise ValueError(f"scratch prefix must be one of {PREFIXES}")


def _lock(folder: Path) -> int:
    """Take the folder's lock; the descriptor holds it until closed or the process ends."""
    fd = os.open(folder / LOCK_NAME, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise
    return fd


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

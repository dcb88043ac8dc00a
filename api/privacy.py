"""Files readable by the service's user only: the index, its -wal/-shm journal files and
every stored object. The process's umask makes everything it creates from here on 0600
(files) and 0700 (folders); files an older version left readable are narrowed once."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

PRIVATE_UMASK: Final = 0o077
INDEX_FILES: Final = ("index.sqlite3", "index.sqlite3-wal", "index.sqlite3-shm")


def keep_private(data_dir: Path) -> None:
    """Set the umask and narrow casescan's own files in `data_dir` (never the folder
    itself, which may be shared; a folder casescan creates is 0700 by the umask)."""
    os.umask(PRIVATE_UMASK)
    data_dir.mkdir(parents=True, exist_ok=True)
    for name in INDEX_FILES:
        _narrow(data_dir / name, 0o600)
    _narrow(data_dir / "objects", 0o700)


def _narrow(path: Path, mode: int) -> None:
    try:
        if path.exists() and path.stat().st_mode & 0o777 != mode:
            path.chmod(mode)
    except OSError:
        pass  # not ours to change (another owner): the umask still covers new files

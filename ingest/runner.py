"""Which process runs a batch, so a batch whose process died shows as stalled at once
instead of running until its rows go quiet.

A runner is `host:pid:start`, the start being the process's start time in clock ticks
since boot (from /proc), so a reused process id is not mistaken for the dead run.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path


def runner_id(pid: int | None = None) -> str:
    """This process (or `pid`) as a runner."""
    pid = os.getpid() if pid is None else pid
    return f"{socket.gethostname()}:{pid}:{_start_ticks(pid) or 0}"


def runner_alive(runner: str | None) -> bool | None:
    """True or False for a runner on this machine; None when it cannot be told (another
    machine, no /proc, or no runner recorded)."""
    if not runner or runner.count(":") < 2:
        return None
    host, pid_text, start = runner.rsplit(":", 2)
    if host != socket.gethostname() or not pid_text.isdigit() or not Path("/proc").is_dir():
        return None
    ticks = _start_ticks(int(pid_text))
    return ticks is not None and str(ticks) == start


def _start_ticks(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()  # the name may hold spaces and brackets
    return int(fields[19])  # field 22 of stat: starttime

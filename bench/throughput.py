"""Throughput of casescan's workers against bare Tesseract, on the same pages, in one run.

For a generated batch of single-page case files, pages a minute with 1 and 2 processes:
- bare: `tesseract PAGE stdout` (one thread each, OMP_THREAD_LIMIT=1), N at a time;
- workers: `casescan worker --concurrency N` over a Redis broker of the run's own, fed by
  `casescan ingest` (upload, page reads, extraction, verification, indexing: searchable
  at the end), timed from the ingest starting to its last outcome, after a warm-up;
- local: `casescan ingest --workers N` without a broker (the embedded pool), for scale.
And the latency from upload to searchable: each document's time from the ingest starting
to its index row (median and worst over the batch), and one file ingested alone on idle
workers (the CLI's wall time, start-up included).

    .venv/bin/python bench/throughput.py --pages 12     # writes bench/figures/throughput.json

The machine may be shared: the figures are only comparable within one run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run_record import REPO, default_out, shown, write_figures  # noqa: E402

from synth import generate_batch  # noqa: E402

CASESCAN = [sys.executable, "-m", "api.cli"]
TOOL_ENV = {"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def bare(pages: list[Path], procs: int) -> float:
    """Pages a minute of plain `tesseract` over the pages, `procs` at a time."""
    def one(page: Path) -> None:
        subprocess.run(["tesseract", str(page), "stdout"], env=TOOL_ENV, check=True,
                       capture_output=True)

    start = time.perf_counter()
    with ThreadPoolExecutor(procs) as pool:
        list(pool.map(one, pages))
    return 60 * len(pages) / (time.perf_counter() - start)


class Redis:
    """A redis-server of this run's own (no persistence), so nothing shared is touched."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [shutil.which("redis-server") or "/usr/bin/redis-server", "--port",
             str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(folder), "--maxmemory-policy", "noeviction"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.0)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(30)


def ingest(files: list[Path], env: dict[str, str], *args: str) -> float:
    """Run `casescan ingest` over the files; its wall time in seconds."""
    start = time.perf_counter()
    done = subprocess.run([*CASESCAN, "ingest", *map(str, files), *args], env=env, cwd=REPO,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"ingest failed: {done.stderr[-2000:]}")
    return time.perf_counter() - start


def indexed_at(data: Path) -> dict[str, datetime]:
    with sqlite3.connect(data / "index.sqlite3") as db:
        rows = db.execute("SELECT source, created_at FROM documents").fetchall()
    return {source: _utc(datetime.fromisoformat(at)) for source, at in rows}


def workers_run(pages: list[Path], warm: list[Path], alone: list[Path], procs: int,
                root: Path) -> dict[str, float]:
    """Pages a minute through `casescan worker` processes, and the latencies."""
    folder = root / f"workers-{procs}"
    folder.mkdir()
    redis = Redis(folder)
    env = {**os.environ, "CASESCAN_DATA_DIR": str(folder / "data"),
           "CASESCAN_BROKER_URL": redis.url, "CASESCAN_QUEUE": f"bench-{procs}",
           "PYTHONPATH": str(REPO)}
    log = (folder / "worker.log").open("wb")
    worker = subprocess.Popen([*CASESCAN, "worker", "--concurrency", str(procs)], env=env,
                              cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    try:
        ready(folder / "worker.log")  # it has migrated the index: ingest may open it now
        ingest(warm, env, "--batch", "warm-up")  # each pool process opens its context
        started = datetime.now(UTC)
        seconds = ingest(pages, env, "--batch", "timed")
        at = indexed_at(folder / "data")
        waits = [(at[str(p)] - started).total_seconds() for p in pages]
        single = [ingest([page], env, "--batch", "alone") for page in alone]
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(60)
        redis.stop()
    return {"pages_per_minute": 60 * len(pages) / seconds,
            "latency_median_s": statistics.median(waits), "latency_max_s": max(waits),
            "latency_alone_s": statistics.median(single)}


def ready(log: Path, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while b" ready." not in log.read_bytes():
        if time.monotonic() > deadline:
            raise RuntimeError(f"worker not ready: {log}")
        time.sleep(0.5)


def local_run(pages: list[Path], procs: int, root: Path) -> float:
    env = {**os.environ, "CASESCAN_DATA_DIR": str(root / f"local-{procs}" / "data"),
           "PYTHONPATH": str(REPO)}
    env.pop("CASESCAN_BROKER_URL", None)
    return 60 * len(pages) / ingest(pages, env, "--batch", "local", "--workers", str(procs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=12)
    parser.add_argument("--no-local", action="store_true", help="skip the embedded pool")
    parser.add_argument("--out", type=Path, default=default_out("throughput"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="casescan-bench-") as tmp:
        root = Path(tmp)
        total = args.pages + 2 + 2
        generate_batch(root / "in", total, seed=4242, degradation="moderate")
        files = sorted((root / "in").glob("case-*.png"))
        pages, warm, alone = files[:args.pages], files[args.pages:-2], files[-2:]
        rows = {}
        for procs in (1, 2):
            row: dict[str, float | None] = {"bare_tesseract": bare(pages, procs)}
            run = workers_run(pages, warm, alone, procs, root)
            row.update({"workers": run["pages_per_minute"],
                        "latency_median_s": run["latency_median_s"],
                        "latency_max_s": run["latency_max_s"],
                        "latency_alone_s": run["latency_alone_s"]})
            row["local_pool"] = None if args.no_local else local_run(pages, procs, root)
            rows[procs] = row
    two, one = rows[2], rows[1]
    ratios = {"workers2_vs_bare2": _div(two["workers"], two["bare_tesseract"]),
              "workers2_vs_workers1": _div(two["workers"], one["workers"]),
              "bare2_vs_bare1": _div(two["bare_tesseract"], one["bare_tesseract"])}
    print(f"{'procs':>5} {'bare tess':>10} {'workers':>9} {'local':>8} "
          f"{'lat med s':>10} {'lat max s':>10} {'alone s':>8}   (pages a minute)")
    for procs, row in rows.items():
        print(f"{procs:>5} {shown(row['bare_tesseract'], '.1f'):>10} "
              f"{shown(row['workers'], '.1f'):>9} {shown(row['local_pool'], '.1f'):>8} "
              f"{shown(row['latency_median_s'], '.1f'):>10} "
              f"{shown(row['latency_max_s'], '.1f'):>10} "
              f"{shown(row['latency_alone_s'], '.1f'):>8}")
    for name, value in ratios.items():
        print(f"{name}: {shown(value, '.2f')}")
    out = write_figures(args.out, {"pages": args.pages, "cpus": os.cpu_count(),
                                   "by_processes": rows, "ratios": ratios,
                                   "targets": {"workers2_vs_bare2": 0.8,
                                               "workers2_vs_workers1": 1.8}})
    print(f"figures: {out}")


def _div(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def _utc(moment: datetime) -> datetime:
    """SQLite gives the stored UTC time back without its zone."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


if __name__ == "__main__":
    main()

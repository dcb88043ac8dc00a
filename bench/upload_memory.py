"""Server memory while large files are uploaded at once: `POST /batches` (each file
streamed to the object store in chunks, digitised after the reply in another process)
against the old `POST /documents` (each file read whole, digitised inside the request),
on the same server, with the same files, in one run.

The server's peak resident memory (VmHWM, reset before each round through
/proc/PID/clear_refs) minus its idle resident memory after a warm-up request. The files
are PDF headers followed by random bytes: accepted at the door, they fail later as
corrupt, so the figures measure the upload path, not OCR.

    .venv/bin/python bench/upload_memory.py            # 4 x 200 MB, 3 rounds
    .venv/bin/python bench/upload_memory.py --size-mb 20 --repeat 1   # quick look
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run_record import REPO, default_out, write_figures  # noqa: E402

TARGET_MB = 300
ROUTES = {"streamed (POST /batches)": "/batches",
          "baseline: read whole (POST /documents)": "/documents"}


def kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def start_server(data: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "CASESCAN_DATA_DIR": str(data), "CASESCAN_WORKERS": "1",
           "PYTHONPATH": str(REPO)}
    server = subprocess.Popen([sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
                              cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
            return server
        except httpx.TransportError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("server did not start in 120 s")


def write_files(folder: Path, count: int, size: int, tag: str) -> list[Path]:
    """`count` distinct files of `size` bytes: a PDF header, a tag, random bytes."""
    paths = []
    block = os.urandom(1024 * 1024)
    for n in range(count):
        path = folder / f"box-{tag}-{n}.pdf"
        with path.open("wb") as out:
            head = f"%PDF-1.4\n% {tag} {n}\n".encode()
            out.write(head)
            left = size - len(head)
            while left > 0:
                chunk = block[: min(left, len(block))]
                out.write(chunk)
                left -= len(chunk)
        paths.append(path)
    return paths


def upload(url: str, path: Path) -> float:
    started = time.perf_counter()
    with path.open("rb") as handle:
        reply = httpx.post(url, files=[("files", (path.name, handle, "application/pdf"))],
                           data={"batch": path.stem}, timeout=600)
    if reply.status_code >= 400:
        raise SystemExit(f"{url}: {reply.status_code} {reply.text[:300]}")
    return time.perf_counter() - started


def round_peak(pid: int, base: str, route: str, files: list[Path]) -> tuple[int, float]:
    """Peak resident KiB while the files are uploaded at once, and the slowest reply (s)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # reset VmHWM to the current RSS
    with ThreadPoolExecutor(len(files)) as pool:
        times = list(pool.map(lambda p: upload(base + route, p), files))
    return kib(pid, "VmHWM"), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--size-mb", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--port", type=int, default=18931)
    parser.add_argument("--out", type=Path, default=default_out("upload_memory"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="upload-bench-") as tmp:
        folder = Path(tmp)
        server = start_server(folder / "data", args.port)
        base = f"http://127.0.0.1:{args.port}"
        try:
            warm = write_files(folder, 1, 10_000, "warm")
            upload(base + "/batches", warm[0])
            time.sleep(2)
            idle = kib(server.pid, "VmRSS")
            rows: dict[str, list[tuple[int, float]]] = {name: [] for name in ROUTES}
            for r in range(args.repeat):
                for name, route in ROUTES.items():
                    files = write_files(folder, args.files, args.size_mb * 1_000_000,
                                        f"{route.strip('/')}{r}")
                    rows[name].append(round_peak(server.pid, base, route, files))
                    for f in files:
                        f.unlink()
        finally:
            server.kill()
            server.wait(timeout=30)
    report(args, idle, rows)


def report(args: argparse.Namespace, idle: int,
           rows: dict[str, list[tuple[int, float]]]) -> None:
    figures = {}
    print(f"{args.files} uploads of {args.size_mb} MB at once, {args.repeat} round(s); "
          f"server idle {idle / 1024:.0f} MB")
    print(f"{'route':42} {'above idle (MB, median)':>24} {'slowest reply (s)':>18}")
    for name, got in rows.items():
        above = statistics.median((peak - idle) / 1024 for peak, _ in got)
        slow = statistics.median(t for _, t in got)
        figures[name] = {"above_idle_mb_median": round(above, 1),
                         "above_idle_mb_each": [round((p - idle) / 1024, 1) for p, _ in got],
                         "slowest_reply_s_median": round(slow, 2)}
        print(f"{name:42} {above:>24.0f} {slow:>18.1f}")
    streamed, whole = (figures[n]["above_idle_mb_median"] for n in ROUTES)
    print(f"ratio streamed / baseline: {streamed / whole:.2f}; target under {TARGET_MB} MB "
          f"above idle: {'met' if streamed < TARGET_MB else 'NOT met'}")
    write_figures(args.out, {"files": args.files, "size_mb": args.size_mb,
                             "repeat": args.repeat, "idle_mb": round(idle / 1024, 1),
                             "target_mb": TARGET_MB, "routes": figures,
                             "ratio_streamed_to_baseline": round(streamed / whole, 3)})


if __name__ == "__main__":
    main()

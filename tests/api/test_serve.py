"""`casescan serve` starts a real HTTP server on loopback."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

import httpx
from conftest import CASESCAN, REPO


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_answers_health_and_search(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "CASESCAN_DATA_DIR": str(tmp_path)}
    server = subprocess.Popen([*CASESCAN, "serve", "--port", str(port)], cwd=REPO, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                reply = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stderr.read().decode()  # type: ignore[union-attr]
                assert time.monotonic() < deadline, "server did not start in 60 s"
                time.sleep(0.3)
        assert reply.status_code == 200 and reply.json()["status"] == "ok"
        hits = httpx.get(f"http://127.0.0.1:{port}/search", params={"q": "nobody"}, timeout=5)
        assert hits.status_code == 200 and hits.json() == []
        assert (tmp_path / "index.sqlite3").exists()
    finally:
        server.kill()
        server.wait(timeout=10)

"""`casescan serve` starts a real HTTP server on loopback: sign-in first, a plain log
without query strings, and files only the service's user can read."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import time
from pathlib import Path

import httpx
from conftest import CASESCAN, REPO, run_cli
from signin import PASSWORD, bearer


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_serve_answers_health_and_signed_in_search_and_logs_no_query(tmp_path: Path) -> None:
    port = free_port()
    data = tmp_path / "data"
    added = run_cli(["user", "add", "case.one", "--role", "caseworker"], data,
                    input_text=PASSWORD + "\n")  # the index is made by casescan itself
    assert added.returncode == 0, added.stderr
    env = {**os.environ, "CASESCAN_DATA_DIR": str(data)}
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen([*CASESCAN, "serve", "--port", str(port)], cwd=REPO, env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                reply = httpx.get(f"{url}/health", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None, (tmp_path / "server.log").read_text()
                assert time.monotonic() < deadline, "server did not start in 60 s"
                time.sleep(0.3)
        assert reply.status_code == 200 and reply.json()["status"] == "ok"
        query = {"surname": "Okonkwo-Marlowe", "dob": "1985-03-02"}
        assert httpx.get(f"{url}/api/search", params=query, timeout=5).status_code == 401
        hits = httpx.get(f"{url}/api/search", params=query, headers=bearer(url, "case.one"),
                         timeout=5)
        assert hits.status_code == 200 and hits.json() == []
    finally:
        server.kill()
        server.wait(timeout=10)
        log.close()
    logged = (tmp_path / "server.log").read_text()
    assert "GET /api/search HTTP/1.1" in logged  # the access line is there ...
    assert "Okonkwo" not in logged and "1985" not in logged  # ... without its query string
    for name in ("index.sqlite3", "index.sqlite3-wal", "index.sqlite3-shm"):
        if (data / name).exists():
            assert mode(data / name) == 0o600, name
    assert mode(data / "index.sqlite3") == 0o600 and mode(data / "objects") == 0o700

"""Crash safety for real, on both brokers: a batch run by two `casescan worker`
processes; mid-batch one is killed with SIGKILL, the database's connections are cut
and the broker restarts; a third worker is started. Every page ends done exactly once
in the index, none is lost, and running the same ingest again adds nothing.

Redis: a server of the test's own (started and restarted here, empty: the restart
loses every queued message, which the waiting ingest sends again). RabbitMQ: the
machine's server, on a queue of the test's own, with `rabbitmqctl stop_app/start_app`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from conftest import CASESCAN, REPO
from services import create_pg_database, drop_pg_database, free_port, pg_available

from synth import generate_case_file

TIMEOUT_S = 900


def wait_until(check, what: str, timeout: float = TIMEOUT_S) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.5)


class OwnRedis:
    """A redis-server of this test's own, without persistence, restartable at will."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.port = folder, free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder),
             "--maxmemory-policy", "noeviction"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        import redis

        client = redis.Redis(port=self.port)

        def up() -> bool:
            try:
                return bool(client.ping())
            except redis.RedisError:
                return False

        wait_until(up, "redis to start", 30)

    def restart_empty(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait(30)
        self.start()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(30)


class Broker:
    def __init__(self, kind: str, folder: Path) -> None:
        self.kind = kind
        self.queue = f"casescan-test-{uuid.uuid4().hex[:10]}"
        self.redis = OwnRedis(folder) if kind == "redis" else None

    @property
    def url(self) -> str:
        if self.redis:
            return f"redis://127.0.0.1:{self.redis.port}/0"
        return "amqp://guest:guest@127.0.0.1:5672//"

    def restart(self) -> None:
        if self.redis:
            self.redis.restart_empty()
            return
        for step in ("stop_app", "start_app"):
            subprocess.run(["rabbitmqctl", step], check=True, capture_output=True, timeout=120)
        subprocess.run(["rabbitmqctl", "await_startup"], check=True, capture_output=True,
                       timeout=120)


@pytest.fixture(params=["redis", "amqp"])
def broker(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Broker]:
    made = Broker(request.param, tmp_path)
    if made.redis:
        made.redis.start()
    yield made
    if made.redis:
        made.redis.stop()
    else:
        for queue in (made.queue, f"{made.queue}.commit"):
            subprocess.run(["rabbitmqctl", "delete_queue", queue], capture_output=True,
                           timeout=60, check=False)


@pytest.fixture
def own_pg() -> Iterator[str]:
    if not pg_available():
        pytest.fail("PostgreSQL is not reachable; scripts/test.sh starts it")
    url = create_pg_database()
    yield url
    drop_pg_database(url)


def psql(url: str) -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"),
                           autocommit=True)


def cut_connections(url: str) -> int:
    """What a database restart does to a worker: every other connection is dropped."""
    name = url.rsplit("/", 1)[1]
    with psql(url) as conn:
        rows = conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE datname = %s AND pid <> pg_backend_pid()", (name,)).fetchall()
    return len(rows)


def children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


@pytest.fixture(scope="module")
def crash_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """One generated batch for the crash test on both brokers (each run reads it afresh
    into a database and store of its own): eight single-page files and a three-page one,
    eleven pages."""
    folder = tmp_path_factory.mktemp("crash-in")
    files = []
    for seed in range(8):
        truth = generate_case_file(folder, 300 + seed, fmt="png", degradation="moderate",
                                   pages=1, stem=f"case-{seed}")
        files.append(folder / truth.file)
    truth = generate_case_file(folder, 399, fmt="tiff", degradation="clean", pages=3,
                               stem="bundle")
    return [*files, folder / truth.file]


def test_a_batch_survives_a_killed_worker_a_cut_database_and_a_broker_restart(
        broker: Broker, own_pg: str, crash_files: list[Path], tmp_path: Path) -> None:
    files = crash_files
    env = {**os.environ, "CASESCAN_DATA_DIR": str(tmp_path / "data"),
           "CASESCAN_DATABASE_URL": own_pg, "CASESCAN_BROKER_URL": broker.url,
           "CASESCAN_QUEUE": broker.queue, "CASESCAN_VISIBILITY_TIMEOUT": "20",
           "CASESCAN_MAX_TRIES": "8", "CASESCAN_WORKERS": "1"}
    logs: list[Path] = []

    def start_worker() -> subprocess.Popen[bytes]:
        log = tmp_path / f"worker-{len(logs)}.log"
        logs.append(log)
        return subprocess.Popen([*CASESCAN, "worker"], cwd=REPO, env=env,
                                stdout=log.open("wb"), stderr=subprocess.STDOUT,
                                start_new_session=True)

    def units(where: str = "TRUE") -> list[tuple[object, ...]]:
        with psql(own_pg) as conn:
            try:
                return conn.execute(f"SELECT key, state, worker, tries, redeliveries "
                                    f"FROM work_units WHERE {where}").fetchall()
            except psycopg.errors.UndefinedTable:
                return []

    workers = [start_worker(), start_worker()]
    ingest = subprocess.Popen([*CASESCAN, "ingest", *map(str, files), "--batch", "crash",
                               "--json"], cwd=REPO, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        # Kill the first worker while it is reading a page, once some page is done.
        doomed = workers[0]

        def doomed_busy() -> bool:
            pids = {f"{os.uname().nodename}:{pid}" for pid in children(doomed.pid)}
            running = units("state = 'running'")
            return bool(units("state = 'done'")) and any(r[2] in pids for r in running)

        wait_until(doomed_busy, "the first worker to be reading a page")
        os.killpg(doomed.pid, signal.SIGKILL)
        doomed.wait(30)
        assert cut_connections(own_pg) >= 1
        broker.restart()
        workers.append(start_worker())
        out, err = ingest.communicate(timeout=TIMEOUT_S)
    finally:
        for worker in workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait(30)
        if ingest.poll() is None:
            ingest.kill()
    tail = "\n".join(log.read_text()[-3000:] for log in logs)
    assert ingest.returncode == 0, err + tail
    docs = [json.loads(line) for line in out.splitlines()]
    assert [d["source"] for d in docs] == [str(f) for f in files]
    assert all(d["status"] == "done" and not d["duplicate"] for d in docs), docs

    with psql(own_pg) as conn:
        indexed = conn.execute("SELECT count(*) FROM documents").fetchone()
        pages = conn.execute("SELECT document_id, number, count(*) FROM pages "
                             "GROUP BY document_id, number").fetchall()
    assert indexed == (len(files),)
    assert len(pages) == 11 and all(n == 1 for *_, n in pages)  # every page, once
    assert {r[1] for r in units()} == {"done"}
    assert sum(int(r[4]) for r in units()) >= 1  # the killed worker's page, redelivered

    again = subprocess.run([*CASESCAN, "ingest", *map(str, files), "--batch", "crash",
                            "--json"], cwd=REPO, env=env, capture_output=True, text=True,
                           timeout=TIMEOUT_S, check=False)
    assert again.returncode == 0, again.stderr
    assert all(json.loads(line)["duplicate"] for line in again.stdout.splitlines())
    with psql(own_pg) as conn:
        assert conn.execute("SELECT count(*) FROM documents").fetchone() == (len(files),)


def test_no_wait_then_quarantine_retry_and_the_same_ingest_waits(tmp_path: Path) -> None:
    """`ingest --no-wait` returns at once with the work recorded; a unit that kept losing
    its worker is listed with its reason by `retry` and queued again by `retry --all`;
    the same ingest run again waits for the batch and prints the outcome once."""
    truth = generate_case_file(tmp_path / "in", 501, fmt="png", degradation="clean",
                               pages=1, stem="one")
    path = tmp_path / "in" / truth.file
    env = {**os.environ, "CASESCAN_DATA_DIR": str(tmp_path / "data"),
           "CASESCAN_BROKER_URL": "redis://127.0.0.1:6379/11",
           "CASESCAN_QUEUE": f"casescan-test-{uuid.uuid4().hex[:10]}",
           "CASESCAN_MAX_TRIES": "2", "CASESCAN_WORKERS": "1"}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*CASESCAN, *args], cwd=REPO, env=env, capture_output=True,
                              text=True, timeout=TIMEOUT_S, check=False)

    sent = cli("ingest", str(path), "--batch", "later", "--no-wait", "--json")
    assert sent.returncode == 0 and sent.stdout == "", sent.stderr
    assert "1 file(s) sent to the workers" in sent.stderr
    from casework import open_context

    ctx = open_context(str(tmp_path / "data" / "objects"),
                       f"sqlite:///{tmp_path / 'data' / 'index.sqlite3'}")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    [page] = [u for u in ctx.index.units.of_documents([sha], "1") if u.stage == "page"]
    for _ in range(2):  # two workers died reading it (their leases ran out)
        ctx.index.units.claim(page.key, "lost-worker", 2, lease=timedelta(0))
    assert ctx.index.units.claim(page.key, "next", 2, lease=timedelta(0)).claim == "quarantined"
    listed = cli("retry", "--json")
    [unit] = [json.loads(line) for line in listed.stdout.splitlines()]
    assert unit["key"] == page.key and unit["state"] == "quarantined"
    assert "worker lost-worker was lost" in unit["last_error"]

    worker = subprocess.Popen([*CASESCAN, "worker"], cwd=REPO, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        retried = cli("retry", "--all", "--json")
        assert [json.loads(line)["key"] for line in retried.stdout.splitlines()] == [page.key]
        waited = cli("ingest", str(path), "--batch", "later", "--json")
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(30)
    assert waited.returncode == 0, waited.stderr
    [doc] = [json.loads(line) for line in waited.stdout.splitlines()]
    assert doc["status"] == "done" and doc["source"] == str(path)
    assert cli("retry", "--json").stdout == ""


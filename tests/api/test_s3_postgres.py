"""The scale set-up end to end: S3 (a real SeaweedFS) and PostgreSQL, and what happens when
either is down: a clear error, and never a document indexed without its objects."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from conftest import CaseFile, run_cli
from minio import Minio
from services import (
    ACCESS_KEY,
    PG_ADMIN_URL,
    SECRET_KEY,
    Seaweed,
    create_pg_database,
    drop_pg_database,
    free_port,
    start_seaweed,
)

from casework import open_context, search
from ingest.batch import run_batch
from ingest.outcome import DocumentOutcome
from storage.errors import StorageError, StoreUnavailable
from storage.index.records import SearchFilters


@pytest.fixture
def fresh_db() -> Iterator[str]:
    url = create_pg_database()
    yield url
    drop_pg_database(url)


def test_ingest_search_and_show_on_s3_and_postgres(
        seaweed: Seaweed, fresh_db: str, case_files: dict[str, CaseFile], tmp_path: Path) -> None:
    env = {"CASESCAN_OBJECT_STORE": seaweed.spec("scale-e2e"),
           "CASESCAN_DATABASE_URL": fresh_db}
    case = case_files["inline"]
    result = run_cli(["ingest", str(case.path), "--json"], tmp_path, **env)
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["status"] == "done"
    client = Minio(f"127.0.0.1:{seaweed.s3_port}", ACCESS_KEY, SECRET_KEY, secure=False)
    keys = {o.object_name for o in client.list_objects("scale-e2e", recursive=True)}
    sha = doc["sha256"]
    assert any(k.startswith(f"originals/{sha[:2]}/{sha}/original") for k in keys)
    assert f"derivatives/{sha[:2]}/{sha}/page-0001.png" in keys
    assert not (tmp_path / "objects").exists()  # nothing went to the local default
    surname = doc["fields"]["surname"]["value"]
    found = run_cli(["search", "--surname", surname[:-1] + "q", "--json"], tmp_path, **env)
    assert json.loads(found.stdout.splitlines()[0])["document_id"] == doc["document_id"]
    shown = run_cli(["show", doc["document_id"], "--json"], tmp_path, **env)
    assert json.loads(shown.stdout)["fields"] == doc["fields"]
    again = run_cli(["ingest", str(case.path), "--json"], tmp_path, **env)
    assert json.loads(again.stdout)["duplicate"] is True


def test_store_going_down_leaves_nothing_indexed(
        fresh_db: str, case_files: dict[str, CaseFile], tmp_path: Path) -> None:
    server = start_seaweed(tmp_path / "doomed")
    ctx = open_context(server.spec("doomed"), fresh_db)
    server.stop()  # a real server, really stopped, after the store was opened
    outcome = run_batch([case_files["stacked"].path], "during outage", ctx).outcomes[0]
    assert outcome.status == "failed"
    assert "original not stored" in (outcome.error or "")
    assert "s3cret" not in (outcome.error or "") and "cannot" in (outcome.error or "")
    assert ctx.index.get_document(outcome.sha256 or "x" * 64) is None
    assert search(ctx, filters=SearchFilters(surname=case_files["stacked"].truth.fields[
        "surname"] or "x")) == []
    batch = ctx.index.list_batches()[0]
    assert batch.name == "during outage" and batch.files[0].status == "failed"
    ctx.index.close()


def test_store_down_at_start_is_one_clear_line(tmp_path: Path) -> None:
    spec = f"s3://{ACCESS_KEY}:pass%2Fword@127.0.0.1:{free_port()}/nothing?secure=false"
    result = run_cli(["search", "x"], tmp_path, CASESCAN_OBJECT_STORE=spec)
    assert result.returncode == 2 and "cannot open bucket" in result.stderr
    assert "pass" not in result.stderr and ACCESS_KEY not in result.stderr
    assert "Traceback" not in result.stderr
    unencoded = run_cli(["search", "x"], tmp_path,
                        CASESCAN_OBJECT_STORE=f"s3://{ACCESS_KEY}:a/b@host:9000/bucket")
    assert unencoded.returncode == 2 and ACCESS_KEY not in unencoded.stderr


def test_database_down_is_one_clear_line(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://postgres:pw@127.0.0.1:{free_port()}/casescan"
    result = run_cli(["search", "x"], tmp_path, CASESCAN_DATABASE_URL=url)
    assert result.returncode == 2 and "cannot open index" in result.stderr
    assert ":pw@" not in result.stderr and "Traceback" not in result.stderr


def test_database_gone_before_a_batch_stores_nothing(
        case_files: dict[str, CaseFile], tmp_path: Path) -> None:
    url = create_pg_database()
    ctx = open_context(str(tmp_path / "objects"), url)
    drop_pg_database(url)  # the database disappears under a running service
    with pytest.raises(StorageError, match="index .* failed"):  # no batch can be opened
        run_batch([case_files["table"].path], "db gone", ctx)
    assert not (tmp_path / "objects" / "originals").exists()  # and nothing was stored
    ctx.index.close()


def set_connections(url: str, allowed: bool) -> None:
    """Let the database take connections, or refuse them and cut the open ones."""
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(allowed).lower()}')
        if not allowed:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         "WHERE datname = %s", (name,))


def test_database_failing_mid_batch_keeps_what_was_stored(
        fresh_db: str, case_files: dict[str, CaseFile], tmp_path: Path) -> None:
    """The database refuses connections once the first file is indexed: the batch stops with
    one clear error naming the index and the reason; the first document, its objects and its
    batch record stay; the files after it are not indexed, and a rerun completes the batch."""
    files = [case_files[name].path for name in ("stacked", "table", "inline")]
    ctx = open_context(str(tmp_path / "objects"), fresh_db)
    done: list[DocumentOutcome] = []

    def cut_after_first(outcome: DocumentOutcome) -> None:
        done.append(outcome)
        set_connections(fresh_db, allowed=False)

    try:
        with pytest.raises(StoreUnavailable, match="index .* failed: .*not currently accepting"):
            run_batch(files, "cut", ctx, progress=cut_after_first)
    finally:
        set_connections(fresh_db, allowed=True)
    ctx.index.close()
    assert [(o.source, o.status) for o in done] == [(str(files[0]), "done")]
    first = done[0].sha256 or ""
    ctx = open_context(str(tmp_path / "objects"), fresh_db)
    assert ctx.index.get_document(first) is not None
    assert ctx.store.get(f"derivatives/{first[:2]}/{first}/page-0001.png")
    batch = ctx.index.list_batches()[0]
    # every file given is in the batch record; those the cut stopped are shown unfinished
    assert [f.source for f in batch.files] == [str(f) for f in files]
    assert batch.files[0].status == "done"
    assert all(f.status in ("queued", "processing") for f in batch.files[1:])
    hits = search(ctx, filters=SearchFilters(surname=case_files["stacked"].truth.fields[
        "surname"] or "x"))
    assert [h.document_id for h in hits] == [first]
    rest = [hashlib.sha256(path.read_bytes()).hexdigest() for path in files[1:]]
    assert [ctx.index.get_document(sha) for sha in rest] == [None, None]
    again = run_batch(files, "rerun", ctx).outcomes
    assert [(o.status, o.duplicate) for o in again] == [("done", True), ("done", False),
                                                         ("done", False)]
    assert all(ctx.index.get_document(o.sha256 or "") for o in again)
    ctx.index.close()

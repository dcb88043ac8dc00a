"""The audit log on both backends: entries chain by hash, the database itself refuses to
change or delete them, and `verify` finds a row edited behind the triggers' back."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from services import create_pg_database, drop_pg_database
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from casework.context import case_columns
from storage.index import Index
from storage.index.audit import GENESIS, AuditEntry, AuditFilter

COLUMNS = case_columns()


def entry(actor: str = "ann", **values: object) -> AuditEntry:
    base: dict[str, object] = {"at": datetime.now(UTC), "actor": actor, "role": "caseworker",
                               "action": "document", "method": "GET",
                               "path": "/api/documents/abc", "status": 200,
                               "address": "127.0.0.1", "document_id": "abc"}
    return AuditEntry(**{**base, **values})  # type: ignore[arg-type]


def raw(index: Index):  # type: ignore[no-untyped-def]
    return create_engine(index.url.replace("***", ""))


def test_entries_chain_and_filter(index: Index) -> None:
    log = index.audit
    start = log.count(AuditFilter())
    first = log.append(entry("ann"))
    second = log.append(entry("bob", document_id="def", path="/api/documents/def"))
    assert second.prev_hash == first.hash and first.hash != second.hash
    assert start > 0 or first.prev_hash == GENESIS
    assert [r.entry.actor for r in log.entries(AuditFilter(document_id="def"))] == ["bob"]
    assert log.count(AuditFilter(actor="ann", since=first.entry.at - timedelta(seconds=1))) >= 1
    assert log.verify().first_bad is None


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET actor = 'mallory'",
                                       "DELETE FROM audit_log"])
def test_the_database_refuses_to_change_or_delete_entries(index: Index, statement: str) -> None:
    index.audit.append(entry())
    before = index.audit.count(AuditFilter())
    engine = raw(index)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text(statement))
    engine.dispose()
    assert index.audit.count(AuditFilter()) == before
    assert index.audit.count(AuditFilter(actor="mallory")) == 0


def test_postgresql_refuses_truncate_too(index: Index) -> None:
    if not index.url.startswith("postgresql"):
        pytest.skip("TRUNCATE is PostgreSQL's")
    index.audit.append(entry())
    engine = raw(index)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text("TRUNCATE audit_log"))
    engine.dispose()


@pytest.fixture
def own_index(index: Index, tmp_path: Path) -> Iterator[Index]:
    """An index of this test's own on the same backend (it is spoilt on purpose)."""
    if index.url.startswith("sqlite"):
        yield Index(f"sqlite:///{tmp_path / 'own.db'}", case_columns=COLUMNS)
        return
    url = create_pg_database()
    spoilt = Index(url, case_columns=COLUMNS)
    yield spoilt
    spoilt.close()
    drop_pg_database(url)


def test_verify_finds_an_entry_edited_behind_the_triggers(own_index: Index) -> None:
    index = own_index
    for n in range(3):
        index.audit.append(entry(f"user{n}"))
    target = index.audit.entries(AuditFilter(actor="user1"))[0].id
    engine = raw(index)
    with engine.begin() as conn:  # an attacker with the schema owner's rights
        trigger = "audit_log_no_update" if engine.dialect.name == "sqlite" else None
        if trigger:
            conn.execute(text(f"DROP TRIGGER {trigger}"))
        else:
            conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change"))
        conn.execute(text("UPDATE audit_log SET actor = 'nobody' WHERE id = :id"),
                     {"id": target})
    engine.dispose()
    check = index.audit.verify()
    assert check.first_bad == target and "hash" in (check.reason or "")


def test_concurrent_writers_never_fork_the_chain(index: Index) -> None:
    def write(n: int) -> None:
        for i in range(10):
            index.audit.append(entry(f"w{n}-{i}"))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert index.audit.count(AuditFilter(action="document")) >= 40
    assert index.audit.verify().first_bad is None

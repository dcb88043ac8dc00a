"""Bring an index database to the current schema with the Alembic migrations.

Both dialects run the same migration scripts (storage/index/migrations); opening an index
upgrades it, so a new release never meets an old schema. Two processes opening a new
index at once (a worker and an ingest) must not both create its tables: the migrations
run in one transaction that first takes the database's write lock (an advisory lock on
PostgreSQL, BEGIN IMMEDIATE on SQLite), and the second process, once it has the lock,
finds the schema current and does nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import IntegrityError, OperationalError

from storage.index.case_rows import CaseColumn
from storage.index.legacy import adopt, is_legacy

MIGRATIONS: Final = Path(__file__).parent / "migrations"
SQLITE_ONLY_TABLES: Final = ("page_fts",)
_PG_LOCK: Final = 0x63617365  # 'case'


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, columns: Sequence[CaseColumn]) -> None:
    """Run every migration the database lacks, in one transaction (an index made before
    migrations gets its case rows filled into `columns`)."""
    with engine.connect() as probe:
        if current(probe) == head():
            return
    try:
        with engine.begin() as conn:
            _write_lock(conn)
            if current(conn) is None and is_legacy(conn):
                adopt(conn, columns)  # made before migrations: extend it, then mark it as migrated
                command.stamp(alembic_config(conn), "0001")
            if current(conn) != head():
                command.upgrade(alembic_config(conn), "head")
    except (OperationalError, IntegrityError):
        with engine.connect() as probe:  # another process migrated it meanwhile (SQLite)
            if current(probe) != head():
                raise


def _write_lock(conn: Connection) -> None:
    """Hold the database's write lock until the transaction ends; another process waits.

    Python's sqlite3 opens no transaction before DDL, so without BEGIN IMMEDIATE each
    CREATE would commit alone and two processes would interleave their migrations."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
    elif conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # waits out the busy timeout for the lock


def include_name(name: str | None, type_: str, _parent: Any) -> bool:
    """Leave out FTS5's virtual table and shadow tables: they are not ORM models."""
    return not (type_ == "table" and name is not None and name.startswith(SQLITE_ONLY_TABLES))


def include_object_for(dialect: str) -> Any:
    """A filter that skips indexes meant for another dialect (`ddl_if(dialect=...)`)."""

    def include_object(obj: Any, _name: str | None, type_: str, _reflected: bool,
                       _compare_to: Any) -> bool:
        if type_ != "index":
            return True
        wanted = getattr(getattr(obj, "_ddl_if", None), "dialect", None)
        return wanted is None or wanted == dialect

    return include_object

"""Many rows at once, at the driver's own speed.

Bulk indexing writes tens of rows a document; SQLAlchemy's per-row parameter handling
then costs more than the database's own work. So, measured on the bench
(bench/search_scale.py):
- PostgreSQL takes plain rows by COPY (psycopg's copy), about twice the rate of a
  multi-row INSERT; rows that need an ON CONFLICT clause or a column computed in SQL
  (a page's tsvector) go as one INSERT ... SELECT FROM unnest(arrays), one array a
  column, so the chunk still travels in one statement.
- SQLite takes one executemany of plain tuples through the sqlite3 driver, values
  converted by the column types' own bind processors (dates, booleans) exactly as an
  ORM insert would store them.
Every path runs in the caller's transaction: a chunk is written whole or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, insert


def insert_many(conn: Connection, table: Any, rows: Sequence[dict[str, Any]], *,
                conflict: str = "", computed: dict[str, str] | None = None) -> None:
    """Insert `rows` (dicts with the same keys) into `table`.

    `conflict` is an ON CONFLICT clause (PostgreSQL and SQLite share its syntax);
    `computed` maps further columns to SQL over the unnested columns (e.g. a tsvector
    of `u.text`) and is for PostgreSQL only. Every column without a default must be
    in the rows: plain SQL fills in no Python-side default (SQLite falls back to
    SQLAlchemy's insert when one is left out).
    """
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        if computed:
            raise ValueError(f"computed columns {sorted(computed)} are for PostgreSQL only")
        if _defaults_missing(table, rows[0]) and not conflict:  # SQLAlchemy fills those in
            conn.execute(insert(table), list(rows))
        else:
            _sqlite_many(conn, table, rows, conflict)
    elif conflict or computed:
        _pg_unnest(conn, table, rows, conflict, computed or {})
    else:
        _pg_copy(conn, table, rows)


def _defaults_missing(table: Any, row: dict[str, Any]) -> bool:
    """Whether a column with a Python-side default is left out of `row`."""
    return any(column.default is not None and column.name not in row
               for column in table.columns)


def _sqlite_many(conn: Connection, table: Any, rows: Sequence[dict[str, Any]],
                 conflict: str) -> None:
    """One executemany of tuples, each value as the column type would bind it."""
    columns = list(rows[0])
    fixes = [(i, fix) for i, name in enumerate(columns)
             if (fix := table.c[name].type.bind_processor(conn.dialect)) is not None]
    take = itemgetter(*columns)
    values = [take(row) for row in rows] if len(columns) > 1 else [(take(row),) for row in rows]
    if fixes:
        values = [_fixed(value, fixes) for value in values]
    marks = ", ".join("?" for _ in columns)
    names = ", ".join(f'"{name}"' for name in columns)
    conn.exec_driver_sql(
        f'INSERT INTO "{table.name}" ({names}) VALUES ({marks}) {conflict}', values)


def _fixed(value: tuple[Any, ...], fixes: list[tuple[int, Callable[[Any], Any]]]
           ) -> tuple[Any, ...]:
    out = list(value)
    for i, fix in fixes:
        if out[i] is not None:
            out[i] = fix(out[i])
    return tuple(out)


def _pg_copy(conn: Connection, table: Any, rows: Sequence[dict[str, Any]]) -> None:
    """COPY the rows in on the session's own connection (so in its transaction)."""
    columns = list(rows[0])
    names = ", ".join(f'"{name}"' for name in columns)
    driver = conn.connection.driver_connection
    assert driver is not None  # a live connection inside the caller's transaction
    with driver.cursor() as cursor, cursor.copy(
            f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(tuple(row[name] for name in columns))


def _pg_unnest(conn: Connection, table: Any, rows: Sequence[dict[str, Any]], conflict: str,
               computed: dict[str, str]) -> None:
    """INSERT ... SELECT FROM unnest(one array a column) [ON CONFLICT ...]."""
    columns = list(rows[0])
    types = [table.c[name].type.compile(dialect=conn.dialect) for name in columns]
    arrays = tuple([row[name] for row in rows] for name in columns)
    unnest = ", ".join(f"%b::{kind}[]" for kind in types)
    quoted = [f'"{name}"' for name in columns]
    targets = ", ".join(quoted + [f'"{name}"' for name in computed])
    values = ", ".join([f"u.{q}" for q in quoted] + list(computed.values()))
    sql = (f'INSERT INTO "{table.name}" ({targets}) SELECT {values} '
           f"FROM unnest({unnest}) AS u({', '.join(quoted)}) {conflict}")
    conn.exec_driver_sql(sql, arrays)

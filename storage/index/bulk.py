"""Many rows in one statement on PostgreSQL: INSERT ... SELECT FROM unnest(arrays).

psycopg's executemany sends a statement per row; binding one array per column instead
sends the whole chunk at once, which is what makes bulk indexing fast. Other dialects
(SQLite) use SQLAlchemy's executemany, which is already in-process and quick.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, insert


def insert_many(conn: Connection, table: Any, rows: Sequence[dict[str, Any]], *,
                conflict: str = "", computed: dict[str, str] | None = None) -> None:
    """Insert `rows` (dicts with the same keys) into `table`.

    On PostgreSQL `conflict` is an ON CONFLICT clause and `computed` maps further
    columns to SQL over the unnested columns (e.g. a tsvector of `u.text`); other
    dialects get neither, so callers pass them only for PostgreSQL.
    """
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        conn.execute(insert(table), list(rows))
        return
    columns = list(rows[0])
    types = [table.c[name].type.compile(dialect=conn.dialect) for name in columns]
    arrays = tuple([row[name] for row in rows] for name in columns)
    unnest = ", ".join(f"%b::{kind}[]" for kind in types)
    quoted = [f'"{name}"' for name in columns]
    extra = computed or {}
    targets = ", ".join(quoted + [f'"{name}"' for name in extra])
    values = ", ".join([f"u.{q}" for q in quoted] + list(extra.values()))
    sql = (f'INSERT INTO "{table.name}" ({targets}) SELECT {values} '
           f"FROM unnest({unnest}) AS u({', '.join(quoted)}) {conflict}")
    conn.exec_driver_sql(sql, arrays)

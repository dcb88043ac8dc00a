"""Read a case-database export that is a table in PostgreSQL (or any SQLAlchemy
database) through the same mapping and checks as a CSV file.

The rows are streamed with a server-side cursor, a chunk at a time; each value becomes
the text a CSV export would hold (dates as ISO, None as empty), so every cell goes
through the same reader and the same errors name its row and column.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any, Final

from sqlalchemy import MetaData, Table, create_engine, select
from sqlalchemy.exc import NoSuchTableError, SQLAlchemyError

from reconcile.errors import ExportError
from reconcile.export import Item, read_cells
from reconcile.mapping import Mapping

FETCH: Final = 2000  # rows a round trip


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def read_table(url: str, table: str, mapping: Mapping, *,
               today: date | None = None) -> Iterator[Item]:
    """Each row of `table` (optionally `schema.table`) at `url`, checked as CSV rows are."""
    schema, _, name = table.rpartition(".")
    engine = create_engine(url)
    try:
        try:
            found = Table(name, MetaData(), schema=schema or None, autoload_with=engine)
        except NoSuchTableError as exc:
            raise ExportError(f"no table {table!r} in the database") from exc
        header = [c.name for c in found.columns]
        with engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=FETCH).execute(
                select(found))
            cells = ([_text(v) for v in row] for row in result)
            yield from read_cells(header, cells, mapping, today=today)
    except SQLAlchemyError as exc:
        raise ExportError(f"cannot read table {table!r}: {exc.__class__.__name__}: "
                          f"{str(exc).splitlines()[0]}") from exc
    finally:
        engine.dispose()

"""Read a case-database export (CSV) row by row through the declared mapping.

The file is streamed: bytes are decoded a line at a time and the csv module reads the
lines, so an export of millions of rows is never whole in memory. Bad input is reported
cell by cell (`RowError` with row and column) and the rest of the row and of the file is
still read: an undecodable cell, an impossible date or an unknown code is dropped (missing
beats wrong); a row without a key or with a key seen before is refused whole.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import BinaryIO, Final

from extraction.fields import NORMALISERS
from extraction.normalise import alpha_3
from reconcile.errors import ExportError
from reconcile.mapping import Mapping
from reconcile.records import DATE_FIELDS, ExportRow, RowError

BAD_BYTES: Final = "\ufffd"  # what an undecodable byte becomes
EARLIEST: Final = date(1900, 1, 1)
MAX_CELL: Final = 100_000  # characters in one cell (a notes column may be long)

Item = ExportRow | RowError


def _lines(handle: BinaryIO, encoding: str) -> Iterator[str]:
    """Lines decoded one at a time; undecodable bytes become U+FFFD (and then an error
    naming the cell), so one bad byte does not stop the file."""
    for raw in handle:
        yield raw.decode(encoding, errors="replace")


def read(handle: BinaryIO, mapping: Mapping, *, today: date | None = None) -> Iterator[Item]:
    """Each row of a CSV export as an `ExportRow`, each problem as a `RowError`, in order."""
    csv.field_size_limit(MAX_CELL)
    reader = csv.reader(_lines(handle, mapping.encoding))
    header = next(reader, None)
    if header is None:
        raise ExportError("the export is empty: no header row")
    return read_cells([h.strip().lstrip("\ufeff") for h in header], reader, mapping,
                      today=today)


def read_cells(header: list[str], cells: Iterable[list[str]], mapping: Mapping, *,
               today: date | None = None) -> Iterator[Item]:
    """Rows given as text cells under `header` (a CSV file's, a database table's).
    A missing key column refuses the export before anything is read (ExportError)."""
    if mapping.key not in header:
        raise ExportError(f"header: the key column {mapping.key!r} is missing "
                          f"(columns: {', '.join(header[:20])})")
    return _checked(header, cells, mapping, today or date.today())


def _checked(header: list[str], cells: Iterable[list[str]], mapping: Mapping,
             today: date) -> Iterator[Item]:
    for column in mapping.required():
        if column not in header:
            yield RowError(0, column, "column missing from the header; the field is "
                                      "left empty for every row")
    at = {c: i for i, c in enumerate(header)}
    yield from _rows(cells, at, mapping, today)


def _rows(reader: Iterable[list[str]], at: dict[str, int], mapping: Mapping,
          today: date) -> Iterator[Item]:
    seen: dict[str, int] = {}
    for number, cells in enumerate(reader, start=1):
        if not any(c.strip() for c in cells):
            continue
        key = _cell(cells, at.get(mapping.key)).strip()
        if not key or BAD_BYTES in key:
            yield RowError(number, mapping.key, "no readable key: row not imported")
            continue
        if key in seen:
            yield RowError(number, mapping.key, f"duplicate key {key!r} (first at row "
                                                f"{seen[key]}): row not imported")
            continue
        seen[key] = number
        values: list[tuple[str, str]] = []
        for field, column in mapping.columns:
            raw = _cell(cells, at.get(column)).strip()
            if not raw:
                continue
            value, why = _value(field, raw, mapping, today)
            if why:
                yield RowError(number, column, why)
            elif value is not None:
                values.append((field, value))
        notes = []
        for column in mapping.notes:
            text = _cell(cells, at.get(column)).strip()
            if BAD_BYTES in text:
                yield RowError(number, column, "undecodable bytes in the notes; the "
                                               "readable text is kept")
                text = text.replace(BAD_BYTES, " ")
            if text:
                notes.append((column, text))
        yield ExportRow(number, key, tuple(values), tuple(notes))


def _cell(cells: list[str], i: int | None) -> str:
    return cells[i] if i is not None and i < len(cells) else ""


def _value(field: str, raw: str, mapping: Mapping, today: date) -> tuple[str | None, str | None]:
    """The case value of one cell, or the reason it cannot be one."""
    if BAD_BYTES in raw:
        return None, f"undecodable bytes (not {mapping.encoding}): value not imported"
    coded = mapping.code(field, raw)
    if coded is not None:
        raw = coded
    if field in DATE_FIELDS:
        return _date(field, raw, mapping, today)
    if field == "reference":
        return re.sub(r"[^A-Z0-9/]", "", raw.upper()) or None, None
    if field in ("surname", "given_names"):
        return re.sub(r"\s+", " ", raw), None
    if field == "nationality":
        found = alpha_3(raw) or _normalised(field, raw)
        return (str(found), None) if found else (None, f"unknown nationality {raw!r}")
    value = _normalised(field, raw)
    if value is None:
        return None, f"unknown {field.replace('_', ' ')} {raw!r}"
    if isinstance(value, bool):
        return ("true" if value else "false"), None
    return str(value), None


def _normalised(field: str, raw: str) -> object | None:
    found = NORMALISERS[field](raw)
    return None if found is None else found.value


def _date(field: str, raw: str, mapping: Mapping, today: date) -> tuple[str | None, str | None]:
    for fmt in mapping.date_formats:
        try:
            day = datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
        if day > today:
            return None, f"{field.replace('_', ' ')} {raw!r} is in the future"
        if day < EARLIEST:
            return None, f"{field.replace('_', ' ')} {raw!r} is before {EARLIEST.year}"
        return day.isoformat(), None
    return None, (f"impossible {field.replace('_', ' ')} {raw!r} (formats: "
                  f"{', '.join(mapping.date_formats)})")

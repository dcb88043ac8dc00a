"""The declared mapping of an export's columns onto case fields (a small TOML file).

    key = "case_id"                      # the column that names a record (unique)
    encoding = "utf-8"
    date_formats = ["%d/%m/%Y", "%Y-%m-%d"]
    notes = ["case_notes"]               # free-text columns read for events
    [columns]                            # case field = column
    reference = "ho_ref"
    surname = "family_name"
    [values.decision]                    # optional: database codes onto decision keys
    GRT = "granted"

The mapping is checked once, at the edge, into one frozen record the reader trusts.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reconcile.errors import MappingError
from reconcile.records import ROW_FIELDS

DEFAULT_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


@dataclass(frozen=True)
class Mapping:
    key: str
    columns: tuple[tuple[str, str], ...]  # (case field, column)
    notes: tuple[str, ...] = ()
    date_formats: tuple[str, ...] = DEFAULT_DATE_FORMATS
    encoding: str = "utf-8"
    values: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()  # field -> code map

    def column(self, field: str) -> str | None:
        return next((c for f, c in self.columns if f == field), None)

    def code(self, field: str, raw: str) -> str | None:
        """The case value a declared database code stands for, or None."""
        for f, table in self.values:
            if f == field:
                return next((v for k, v in table if k.casefold() == raw.casefold()), None)
        return None

    def required(self) -> tuple[str, ...]:
        """Every column the export must have."""
        return (self.key, *(c for _, c in self.columns), *self.notes)


def load(path: Path) -> Mapping:
    """Read and check a mapping file (MappingError naming the file and the problem)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise MappingError(f"{path}: cannot read the mapping: {exc}") from exc
    return parse(data, str(path))


def parse(data: dict[str, Any], name: str = "mapping") -> Mapping:
    key = data.get("key")
    columns = data.get("columns")
    if not isinstance(key, str) or not key:
        raise MappingError(f"{name}: `key` (the column naming each record) is required")
    if not isinstance(columns, dict) or not columns:
        raise MappingError(f"{name}: `[columns]` must map case fields onto columns")
    unknown = sorted(set(columns) - set(ROW_FIELDS))
    if unknown:
        raise MappingError(f"{name}: unknown case field(s) {', '.join(unknown)}; "
                           f"known: {', '.join(ROW_FIELDS)}")
    values = data.get("values", {})
    if not isinstance(values, dict):
        raise MappingError(f"{name}: `[values]` must be tables of codes")
    encoding = str(data.get("encoding", "utf-8"))
    try:
        "".encode(encoding)
    except LookupError as exc:
        raise MappingError(f"{name}: unknown encoding {encoding!r}") from exc
    return Mapping(
        key=key, columns=tuple((str(f), str(c)) for f, c in columns.items()),
        notes=tuple(str(c) for c in data.get("notes", ())),
        date_formats=tuple(str(f) for f in data.get("date_formats", DEFAULT_DATE_FORMATS)),
        encoding=encoding,
        values=tuple((str(f), tuple((str(k), str(v)) for k, v in t.items()))
                     for f, t in values.items()))

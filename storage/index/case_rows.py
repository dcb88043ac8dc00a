"""The searchable case row of a document, derived from its field rows in one place.

`case_row_from_fields` is the single function that decides which field values a case
is searched and counted by: confirmed values, overridden by a person's latest correction.
A value awaiting review is never searched or counted as if it were right. Which field
fills which column is not storage's to know: the caller declares it (`CaseColumn`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from typing import Any, Final, Literal

from storage.index.records import CorrectionRow, FieldRow

MAX_NAME_EDITS: Final = 2
SHORT_NAME: Final = 4  # names this short get one deletion only: two would match anything
_NOT_LETTER = re.compile(r"[^A-Z]")
_REFERENCE_JUNK = re.compile(r"[^0-9A-Z]")


# How a column keeps a field's value: text as given, upper-case (a country code), a
# reference (letters and digits only), an ISO date, a boolean; anything else is None.
ColumnKind = Literal["text", "upper", "reference", "date", "boolean"]


@dataclass(frozen=True)
class CaseColumn:
    """The case-row column a field's value is kept in, and how."""

    field: str
    column: str
    kind: ColumnKind = "text"


@dataclass(frozen=True)
class CaseRow:
    """A document's case fields, normalised for search and counting."""

    surname: str | None = None
    given_names: str | None = None
    date_of_birth: date | None = None
    nationality: str | None = None
    reference: str | None = None
    application_type: str | None = None
    decision: str | None = None
    decision_date: date | None = None
    permission_to_work: bool | None = None

    @property
    def surname_key(self) -> str | None:
        return name_key(self.surname)

    @property
    def given_key(self) -> str | None:
        """The first given name's key: people are searched by the name they go by."""
        if not self.given_names or not self.given_names.split():
            return None
        return name_key(self.given_names.split()[0])

    @property
    def decision_year(self) -> int | None:
        return self.decision_date.year if self.decision_date else None

    def count_key(self) -> tuple[str, str, int, str]:
        """The `case_counts` row this case adds one to ('' and 0 for unknown)."""
        work = {True: "yes", False: "no", None: ""}[self.permission_to_work]
        return (self.application_type or "", self.decision or "", self.decision_year or 0, work)


def check_columns(columns: Sequence[CaseColumn]) -> tuple[CaseColumn, ...]:
    """The columns, once each is known to be a column of the case row; ValueError if not."""
    known = set(CaseRow.__dataclass_fields__)
    for col in columns:
        if col.column not in known:
            raise ValueError(f"the case row has no column {col.column!r} (for field "
                             f"{col.field!r}); its columns are {', '.join(sorted(known))}")
    return tuple(columns)


def case_row_from_fields(fields: Sequence[FieldRow], corrections: Sequence[CorrectionRow],
                         columns: Sequence[CaseColumn]) -> CaseRow:
    """The case row of a document with these field rows (values already normalised) and
    corrections (oldest first: the latest correction of a field wins), each value in
    the column `columns` name for its field."""
    values = {f.name: f.value for f in fields if f.status == "confirmed"}
    values |= {c.name: c.value for c in corrections}
    row: dict[str, Any] = {c.column: column_value(c.kind, values.get(c.field)) for c in columns}
    return CaseRow(**row)


def column_value(kind: ColumnKind, value: object) -> str | date | bool | None:
    """A field's value as a column of this kind keeps it (None for anything unfit)."""
    if kind == "boolean":
        return value if isinstance(value, bool) else None
    text = value.strip() or None if isinstance(value, str) else None
    if kind == "upper":
        return (text or "").upper() or None
    if kind == "reference":
        return normal_reference(text)
    if kind == "date":
        return parse_date(text)
    return text


def parse_date(value: str | None) -> date | None:
    """An ISO date, or None for anything else (never a guess)."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def normal_reference(value: str | None) -> str | None:
    """References compare upper-case, letters and digits only: 'ho 123' finds 'HO-123'."""
    if not value:
        return None
    return _REFERENCE_JUNK.sub("", value.upper()) or None


def name_key(name: str | None) -> str | None:
    """The matching form of a name: accents folded, upper-case letters only."""
    if not name:
        return None
    folded = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch)).upper()
    return _NOT_LETTER.sub("", plain) or None


def deletion_variants(key: str) -> set[str]:
    """Every string made by deleting up to MAX_NAME_EDITS letters of `key`, and `key`.

    Two names within edit distance two share a variant, so a typo is found by
    looking up the query's own variants (then checked with a real edit distance).
    """
    edits = 1 if len(key) <= SHORT_NAME else MAX_NAME_EDITS
    found = {key}
    for n in range(1, edits + 1):
        for drop in combinations(range(len(key)), n):
            variant = "".join(ch for i, ch in enumerate(key) if i not in drop)
            if variant:
                found.add(variant)
    return found

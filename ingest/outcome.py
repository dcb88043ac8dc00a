"""The per-file outcome record: what became of one file, and each field's value stored
as right (a confirmed extraction, or a person's latest correction beside what was read).

Its JSON form, one line of `casescan ingest --json`, is built in `api.models`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, cast

from extraction.eventrecord import Event, EventStatus
from extraction.fields import CASE_FIELDS, FieldResult, FieldScalar, FieldValue, Status
from extraction.pairs import Pair
from storage.index.records import CorrectionRow, DocumentRow, EventRow, FieldRow, PageRow, PairRow

__all__ = ["DocumentOutcome", "Effective", "failed", "field_rows", "flagged", "from_row",
           "pair_rows"]

Outcome = Literal["done", "failed"]


@dataclass(frozen=True)
class DocumentOutcome:
    """What became of one file given to ingest."""

    source: str
    status: Outcome
    document_id: str | None = None
    sha256: str | None = None
    pages: int = 0
    error: str | None = None
    text: str = ""
    fields: dict[str, FieldValue | None] = field(default_factory=dict)
    duplicate: bool = False
    page_errors: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    results: dict[str, FieldResult] = field(default_factory=dict)
    corrections: tuple[CorrectionRow, ...] = ()
    # Pages OCR read poorly even after every retry: a person should check them.
    flagged_pages: tuple[int, ...] = ()
    # Every key-value pair of its form pages (issue 10), as stored.
    pairs: tuple[PairRow, ...] = ()
    # Decisions read from letters, minutes and notes, refused candidates included (issue 11).
    events: tuple[Event, ...] = ()

    def latest_correction(self, name: str) -> CorrectionRow | None:
        mine = [c for c in self.corrections if c.name == name]
        return mine[-1] if mine else None

    def effective(self, name: str) -> Effective | None:
        """The value stored as right for one field: the latest correction, else the
        confirmed extraction, else None."""
        extracted = self.fields.get(name)
        correction = self.latest_correction(name)
        if correction is None:
            return Effective(extracted.value, extracted) if extracted else None
        return Effective(correction.value, extracted, correction)

    def field_names(self) -> tuple[str, ...]:
        """The case fields, then any other field this document was read for."""
        return tuple(dict.fromkeys([*CASE_FIELDS, *self.fields, *self.results]))


@dataclass(frozen=True)
class Effective:
    """One field's value stored as right. `extracted` is the confirmed value read from a
    page (None if none was); `correction` the person's correction that overrides it."""

    value: FieldScalar | None
    extracted: FieldValue | None
    correction: CorrectionRow | None = None

    @property
    def status(self) -> str:
        """Corrected by a person, else the extracted value's own status (confirmed)."""
        if self.correction is not None or self.extracted is None:
            return "corrected"
        return self.extracted.status


def failed(source: str, error: str, sha256: str | None = None) -> DocumentOutcome:
    """A failed file; the error is folded onto one line (tool output can span several)."""
    return DocumentOutcome(source=source, status="failed", error=" ".join(error.split()),
                           sha256=sha256,
                           fields=dict.fromkeys(CASE_FIELDS))


def field_rows(results: dict[str, FieldResult]) -> tuple[FieldRow, ...]:
    """Every field's status for the index: one row per kept value, one per missing field."""
    rows: list[FieldRow] = []
    for name, result in results.items():
        if not result.values:
            rows.append(FieldRow(name, None, "", 0.0, None, None, result.status, result.reason))
        for i, v in enumerate(result.values):
            rows.append(FieldRow(name, v.value, v.text, v.confidence, v.page, v.bbox,
                                 result.status, v.reason, i))
    return tuple(rows)


def results_of(rows: tuple[FieldRow, ...]) -> dict[str, FieldResult]:
    """Field results back from index rows (documents indexed before statuses existed
    have confirmed rows only)."""
    results = {}
    for name in dict.fromkeys([*CASE_FIELDS, *(r.name for r in rows)]):
        mine = sorted((r for r in rows if r.name == name), key=lambda r: r.candidate)
        if not mine:
            results[name] = FieldResult(name, "missing", (), "not recorded")
            continue
        status = cast(Status, mine[0].status)
        values = tuple(FieldValue(r.value, r.text, r.confidence, r.page, r.bbox,
                                  cast(Status, r.status),
                                  r.reason)
                       for r in mine if r.value is not None and r.page is not None
                       and r.bbox is not None)
        results[name] = FieldResult(name, status, values, mine[0].reason)
    return results


def from_row(row: DocumentRow, source: str, *, duplicate: bool,
             flag_below: float) -> DocumentOutcome:
    """The outcome of a document already in the index (a re-ingest, or `show`); pages
    whose quality stayed below `flag_below` (the configured OCR threshold) are flagged."""
    results = results_of(row.fields)
    fields: dict[str, FieldValue | None] = {n: r.confirmed for n, r in results.items()}
    problems = tuple(f"{n}: {r.reason}" for n, r in results.items()
                     if r.status == "needs_review")
    return DocumentOutcome(
        source=source, status="done" if row.status == "done" else "failed",
        document_id=row.document_id, sha256=row.sha256, pages=len(row.pages), error=row.error,
        text=row.text, fields=fields, duplicate=duplicate,
        page_errors=tuple(p.error for p in row.pages if p.error), problems=problems,
        results=results, corrections=row.corrections,
        flagged_pages=flagged(row.pages, flag_below), pairs=row.pairs,
        events=tuple(events_of(row.events)),
    )


def flagged(pages: Sequence[PageRow], below: float) -> tuple[int, ...]:
    """OCR'd pages read without error whose best reading stayed below `below`."""
    return tuple(p.number for p in pages
                 if p.source == "ocr" and not p.error and p.quality < below)


def pair_rows(pairs: Sequence[Pair]) -> tuple[PairRow, ...]:
    """Extraction's key-value pairs as the index keeps them."""
    return tuple(PairRow(p.page, p.key.text, p.key.bbox, p.value.text, p.value.bbox,
                         p.value.confidence) for p in pairs)


def event_rows(events: Sequence[Event]) -> tuple[EventRow, ...]:
    """Events for the index, refused candidates (with their reason) included."""
    return tuple(EventRow(e.kind, e.outcome, e.date, e.text, e.page, e.bbox, e.confidence,
                          e.status, e.reason) for e in events)


def events_of(rows: Sequence[EventRow]) -> list[Event]:
    return [Event(r.kind, r.outcome, r.date, r.text, r.page, r.bbox, r.confidence,
                  cast(EventStatus, r.status), r.reason) for r in rows]

"""The per-file outcome record and its JSON form: the contract other tools rely on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from extraction.fields import CASE_FIELDS, FieldValue
from ocr.pipeline import FLAG_BELOW
from storage.records import DocumentRow, PageRow

__all__ = ["CASE_FIELDS", "DocumentOutcome", "failed", "from_row"]

Status = Literal["done", "failed"]


@dataclass(frozen=True)
class DocumentOutcome:
    """What became of one file given to ingest."""

    source: str
    status: Status
    document_id: str | None = None
    sha256: str | None = None
    pages: int = 0
    error: str | None = None
    text: str = ""
    fields: dict[str, FieldValue | None] = field(default_factory=dict)
    duplicate: bool = False
    page_errors: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    # Pages OCR read poorly even after every retry: a person should check them.
    flagged_pages: tuple[int, ...] = ()

    def as_json(self) -> dict[str, object]:
        """One line of `casescan ingest --json`; keys are stable, new ones only added."""
        return {
            "document_id": self.document_id,
            "source": self.source,
            "sha256": self.sha256,
            "pages": self.pages,
            "status": self.status,
            "error": self.error,
            "text": self.text,
            "fields": {
                name: (v.as_json() if (v := self.fields.get(name)) else None)
                for name in CASE_FIELDS
            },
            "duplicate": self.duplicate,
            "page_errors": list(self.page_errors),
            "problems": list(self.problems),
            "flagged_pages": list(self.flagged_pages),
        }


def failed(source: str, error: str, sha256: str | None = None) -> DocumentOutcome:
    """A failed file; the error is folded onto one line (tool output can span several)."""
    return DocumentOutcome(source=source, status="failed", error=" ".join(error.split()),
                           sha256=sha256,
                           fields=dict.fromkeys(CASE_FIELDS))


def from_row(row: DocumentRow, source: str, *, duplicate: bool) -> DocumentOutcome:
    """The outcome of a document already in the index (a re-ingest, or `show`)."""
    fields: dict[str, FieldValue | None] = dict.fromkeys(CASE_FIELDS)
    for f in row.fields:
        if f.value is not None:
            fields[f.name] = FieldValue(f.value, f.text, f.confidence, f.page, f.bbox)
    return DocumentOutcome(
        source=source, status="done" if row.status == "done" else "failed",
        document_id=row.document_id, sha256=row.sha256, pages=len(row.pages), error=row.error,
        text=row.text, fields=fields, duplicate=duplicate,
        page_errors=tuple(p.error for p in row.pages if p.error),
        flagged_pages=flagged(row.pages, FLAG_BELOW),
    )


def flagged(pages: Sequence[PageRow], below: float) -> tuple[int, ...]:
    """OCR'd pages read without error whose best reading stayed below `below`."""
    return tuple(p.number for p in pages
                 if p.source == "ocr" and not p.error and p.quality < below)

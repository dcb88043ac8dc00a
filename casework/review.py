"""Review and corrections: fields awaiting a person, a person's correction appended (never
overwriting), and the entities found in free text."""

from __future__ import annotations

from datetime import UTC, datetime

from casework.documents import outcome_of
from extraction.fields import spec_of, typed_value
from extraction.values import FieldScalar
from ingest.chain import IngestContext
from storage.index.records import CorrectionRow, EntityHit, PairHit, ReviewItem

UNREADABLE = "unreadable on the scan"


def correct(ctx: IngestContext, document_id: str, name: str, typed: str, by: str,
            note: str | None = None) -> CorrectionRow:
    """Record a person's correction of one field; nothing extracted is overwritten.

    The typed value is checked and normalised like a value read from a page
    (ValueError if it is not valid for the field); an unknown document is a ValueError.
    """
    spec_of(name, ctx.extract.fields)  # an unknown field is refused before any lookup
    return _append(ctx, document_id, name, typed_value(name, typed, ctx.extract.fields),
                   by, note)


def mark_unreadable(ctx: IngestContext, document_id: str, name: str, by: str) -> CorrectionRow:
    """A reviewer's word that a field cannot be read from the scan. Missing beats wrong:
    it is kept as a correction with no value, so the field leaves the review queue, search
    and reports see no value, and what was extracted stays beside who said so."""
    spec_of(name, ctx.extract.fields)
    return _append(ctx, document_id, name, None, by, UNREADABLE)


def _append(ctx: IngestContext, document_id: str, name: str, value: FieldScalar | None,
            by: str, note: str | None) -> CorrectionRow:
    row = ctx.index.get_document(document_id)
    if row is None:
        raise LookupError(f"no document {document_id!r}")
    extracted = outcome_of(ctx, row).fields.get(name)
    return ctx.index.add_correction(CorrectionRow(
        document_id=row.document_id, name=name, value=value,
        extracted=extracted.value if extracted else None, by=by.strip(),
        at=datetime.now(UTC), note=note))


def review(ctx: IngestContext, *, limit: int = 50, offset: int = 0,
           document_id: str | None = None) -> list[ReviewItem]:
    """Fields awaiting a person's review, oldest document first."""
    if document_id is not None:
        row = ctx.index.get_document(document_id)
        if row is None:
            raise LookupError(f"no document {document_id!r}")
        document_id = row.document_id
    return ctx.index.review_queue(limit=limit, offset=offset, document_id=document_id)


def pairs(ctx: IngestContext, query: str, *, limit: int = 50,
          offset: int = 0) -> list[PairHit]:
    """Stored key-value pairs of form pages matching "key: value" ("place of birth:
    Kabul"; either part may be left out), with their documents."""
    return ctx.index.find_pairs(query, limit=limit, offset=offset)


def entities(ctx: IngestContext, *, label: str | None = None, text: str | None = None,
             limit: int = 50, offset: int = 0) -> list[EntityHit]:
    """Stored entities (people, places, dates, reference numbers, postcodes...) found in
    free text, by label and/or text."""
    return ctx.index.find_entities(label=label, text=text, limit=limit, offset=offset)

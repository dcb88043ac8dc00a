"""Read-side operations the CLI and HTTP routes share: search, show, batches, page images."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from extraction.extract import ExtractOptions
from extraction.fields import CASE_FIELDS
from extraction.normalise import typed_value
from ingest.chain import IngestContext, searchable_pdf_key
from ingest.errors import SetupError
from ingest.limits import Limits
from ingest.outcome import DocumentOutcome, from_row
from ocr.pipeline import OcrOptions
from storage.errors import StorageError
from storage.index import Index
from storage.objects import open_object_store
from storage.records import (
    BatchRow,
    CorrectionRow,
    DocumentRow,
    EntityHit,
    FieldRow,
    ReviewItem,
    SearchHit,
)

__all__ = ["BatchRow", "CorrectionRow", "DocumentRow", "EntityHit", "FieldRow", "ReviewItem",
           "SearchHit", "correct", "entities", "open_context", "page_image", "review", "search",
           "searchable_pdf", "show"]


def open_context(store_spec: str, index_url: str, *, ocr: OcrOptions | None = None,
                 extract: ExtractOptions | None = None, limits: Limits | None = None,
                 lang: str | None = None,
                 min_confidence: float | None = None) -> IngestContext:
    """Open (creating if new) the object store and index an ingest or a query works on.

    `lang` and `min_confidence` are shorthands for the callers (the API layer) that
    hold plain settings rather than stage options.
    """
    ocr = ocr or OcrOptions()
    extract = extract or ExtractOptions()
    if lang is not None:
        ocr = replace(ocr, lang=lang)
    if min_confidence is not None:
        extract = replace(extract, min_confidence=min_confidence)
    try:
        store = open_object_store(store_spec)
        index = Index(index_url)
    except (StorageError, ValueError) as exc:
        raise SetupError(str(exc)) from exc
    return IngestContext(store=store, index=index, ocr=ocr, extract=extract,
                         limits=limits or Limits())


def search(ctx: IngestContext, query: str, *, limit: int = 20, offset: int = 0) -> list[SearchHit]:
    return ctx.index.search(query, limit=limit, offset=offset)


def document(ctx: IngestContext, document_id: str) -> DocumentRow | None:
    return ctx.index.get_document(document_id)


def show(ctx: IngestContext, document_id: str) -> DocumentOutcome | None:
    row = ctx.index.get_document(document_id)
    return None if row is None else outcome_of(row)


def outcome_of(row: DocumentRow) -> DocumentOutcome:
    """A stored document in the shape `ingest --json` prints."""
    return from_row(row, row.source, duplicate=False)


def page_image(ctx: IngestContext, document_id: str, page: int) -> bytes | None:
    row = ctx.index.get_document(document_id)
    if row is None:
        return None
    for p in row.pages:
        if p.number == page and p.image_key:
            return ctx.store.get(p.image_key)
    return None


def searchable_pdf(ctx: IngestContext, document_id: str) -> bytes | None:
    """The document's searchable PDF (page images with an invisible text layer), or None
    for an unknown document or one indexed before searchable PDFs were made."""
    row = ctx.index.get_document(document_id)
    if row is None:
        return None
    key = searchable_pdf_key(row.sha256)
    return ctx.store.get(key) if ctx.store.exists(key) else None


def batches(ctx: IngestContext, limit: int = 50) -> list[BatchRow]:
    return ctx.index.list_batches(limit)


def tesseract_version() -> str:
    from ocr.tesseract import tesseract_version as version

    return version()


def correct(ctx: IngestContext, document_id: str, name: str, typed: str, by: str,
            note: str | None = None) -> CorrectionRow:
    """Record a person's correction of one field; nothing extracted is overwritten.

    The typed value is checked and normalised like a value read from a page
    (ValueError if it is not valid for the field); an unknown document is a ValueError.
    """
    if name not in CASE_FIELDS:
        raise ValueError(f"no case field {name!r}; fields are {', '.join(CASE_FIELDS)}")
    row = ctx.index.get_document(document_id)
    if row is None:
        raise LookupError(f"no document {document_id!r}")
    value = typed_value(name, typed)
    extracted = outcome_of(row).fields.get(name)
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


def entities(ctx: IngestContext, *, label: str | None = None, text: str | None = None,
             limit: int = 50, offset: int = 0) -> list[EntityHit]:
    """Stored entities (people, places, dates, reference numbers, postcodes...) found in
    free text, by label and/or text."""
    return ctx.index.find_entities(label=label, text=text, limit=limit, offset=offset)

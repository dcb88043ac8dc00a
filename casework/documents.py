"""One stored document: its record, its outcome as `ingest --json` prints it, page images,
the searchable PDF; and the batches."""

from __future__ import annotations

from ingest.chain import IngestContext
from ingest.outcome import DocumentOutcome, from_row
from storage.index.records import BatchRow, DocumentRow
from storage.objects.artefacts import searchable_pdf_key


def document(ctx: IngestContext, document_id: str) -> DocumentRow | None:
    return ctx.index.get_document(document_id)


def show(ctx: IngestContext, document_id: str) -> DocumentOutcome | None:
    row = ctx.index.get_document(document_id)
    return None if row is None else outcome_of(ctx, row)


def outcome_of(ctx: IngestContext, row: DocumentRow) -> DocumentOutcome:
    """A stored document in the shape `ingest --json` prints; pages are flagged by the
    configured threshold, the one ingest used, so `show` and `ingest` agree."""
    return from_row(row, row.source, duplicate=False, flag_below=ctx.ocr.flag_below)


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


def batches(ctx: IngestContext, limit: int = 50, *, owner: str | None = None
            ) -> list[BatchRow]:
    """The newest batches (with `owner`, only that user's)."""
    return ctx.index.list_batches(limit, owner=owner)


def tesseract_version() -> str:
    from ocr.tesseract import tesseract_version as version

    return version()

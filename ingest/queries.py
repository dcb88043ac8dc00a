"""Read-side operations the CLI and HTTP routes share: search, reports, show, batches,
page images."""

from __future__ import annotations

import contextlib
import json
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
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
from storage.objects import content_key, open_object_store
from storage.records import (
    BatchRow,
    BBox,
    CorrectionRow,
    DocumentRow,
    EntityHit,
    FieldRow,
    ReviewItem,
    SearchFilters,
    SearchHit,
)

__all__ = ["BatchRow", "CorrectionRow", "DocumentRow", "EntityHit", "FieldRow", "ReviewItem",
           "SearchFilters", "SearchHit", "correct", "counts", "data_quality", "entities",
           "open_context", "page_image", "permission_to_work", "Report", "review", "search",
           "searchable_pdf", "show"]

SUPPRESSED = "<{n}"


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


def search(ctx: IngestContext, query: str = "", *, filters: SearchFilters | None = None,
           limit: int = 20, offset: int = 0, max_query_chars: int | None = None,
           boxes: bool = True) -> list[SearchHit]:
    """Ranked hits for free text and fielded filters; each names its page and, where the
    page's stored words allow, the box of the first matched word.

    Raises ValueError (a clear message) for a query over `max_query_chars`.
    """
    for text in (query, *(getattr(filters, n, None) or "" for n in _TEXT_FILTERS)):
        if max_query_chars is not None and len(text) > max_query_chars:
            raise ValueError(f"search text is {len(text)} characters; the limit is "
                             f"{max_query_chars}")
    with unavailable_as_setup_error():
        hits = ctx.index.search(query, filters=filters, limit=limit, offset=offset)
    if not boxes or not query.strip():
        return hits
    return [hit if hit.bbox else replace(hit, bbox=_word_box(ctx, hit, query)) for hit in hits]


@contextlib.contextmanager
def unavailable_as_setup_error() -> Iterator[None]:
    """A database that went away mid-query is the same clear error as one that never came."""
    try:
        yield
    except StorageError as exc:
        raise SetupError(str(exc)) from exc


_TEXT_FILTERS = ("surname", "given_names", "reference", "nationality", "application_type",
                 "decision")


def _word_box(ctx: IngestContext, hit: SearchHit, query: str) -> BBox | None:
    """The box of the first word on the hit's page that is one of the query's words."""
    wanted = {_fold(w) for w in query.split()} - {""}
    key = content_key("derivatives", hit.document_id, f"page-{hit.page:04d}.words.json")
    try:
        words = json.loads(ctx.store.get(key)).get("words", [])
    except (StorageError, ValueError):
        return None  # no stored words (a text-layer or bulk-loaded page): page only
    for word in words:
        if _fold(word.get("text", "")) in wanted:
            x0, y0, x1, y1 = (int(v) for v in word["bbox"])
            return (x0, y0, x1, y1)
    return None


def _fold(word: str) -> str:
    plain = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in plain if ch.isalnum()).casefold()


@dataclass(frozen=True)
class Report:
    """A report table: column names and rows; small counts already suppressed."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]

    def as_dicts(self) -> list[dict[str, object]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def suppress(count: int, min_count: int) -> int | str:
    """Counts from 1 to min_count-1 are shown as "<min_count", as official statistics do:
    a small cell can identify a person. Zero is shown as zero."""
    return SUPPRESSED.format(n=min_count) if 0 < count < min_count else count


def counts(ctx: IngestContext, group_by: Sequence[str], *, min_count: int,
           application_type: str | None = None, decision: str | None = None,
           year: int | None = None, permission_to_work: bool | None = None) -> Report:
    """Cases by any of application_type, decision, year and permission_to_work."""
    with unavailable_as_setup_error():
        rows = ctx.index.counts(group_by, application_type=application_type,
                                decision=decision, year=year,
                                permission_to_work=permission_to_work)
    return Report("cases", (*group_by, "cases"),
                  tuple((*row.group, suppress(row.cases, min_count)) for row in rows))


def permission_to_work(ctx: IngestContext, year: int, *, min_count: int,
                       application_type: str = "asylum") -> Report:
    """How many `application_type` applicants decided in `year` were granted permission
    to work, beside how many were decided in all (and how many the papers do not say)."""
    with unavailable_as_setup_error():
        rows = ctx.index.counts(["permission_to_work"], application_type=application_type,
                                year=year)
    by = {row.group[0]: row.cases for row in rows}
    decided = sum(by.values())
    return Report(
        f"{application_type} applicants decided in {year}: permission to work",
        ("application_type", "year", "granted_permission_to_work", "refused_permission",
         "not_recorded", "decided"),
        ((application_type, year, suppress(by.get("yes", 0), min_count),
          suppress(by.get("no", 0), min_count), suppress(by.get(None, 0), min_count),
          suppress(decided, min_count)),))


def data_quality(ctx: IngestContext, *, min_count: int,
                 batch_id: int | None = None) -> Report:
    """Per batch and case field: documents, values present, missing, to review."""
    with unavailable_as_setup_error():
        rows = ctx.index.data_quality(CASE_FIELDS, batch_id=batch_id)
    return Report("data quality", ("batch_id", "batch", "field", "documents", "present",
                                   "missing", "needs_review"),
                  tuple((r.batch_id, r.batch, r.field, *(suppress(n, min_count) for n in (
                      r.documents, r.present, r.missing, r.needs_review))) for r in rows))


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

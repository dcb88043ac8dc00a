"""The ingest chain for one file: read -> hash -> dedupe -> detect -> keep original ->
(read each page, in a worker) -> store its derivatives -> extract -> verify -> index.
`ingest.batch` drives the steps; this module holds the ones that touch storage.

The original is stored before anything else can fail, so nothing given to
casescan is lost; the document is indexed only after every derivative is
stored and verified, so the index never points at a missing object.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from extraction.extract import Extraction, ExtractOptions
from ingest.errors import CasescanError, EmptyFile, StoreFailed, TooLarge, UnreadableFile
from ingest.limits import Limits
from ingest.outcome import DocumentOutcome, event_rows, field_rows, flagged, from_row, pair_rows
from ingest.read import PageArtifacts, reading_of, words_file
from ingest.sources import EXTENSIONS, count_pages, detect_media_type
from ocr.pipeline import OcrOptions
from ocr.searchable import PdfPage, searchable_pdf
from storage.errors import StorageError
from storage.index import Index
from storage.index.records import DocumentRow, EntityRow, PageRow
from storage.objects import ObjectStore, artefacts
from storage.objects.artefacts import PageWordsFile
from storage.verified import index_verified


@dataclass(frozen=True)
class IngestContext:
    """Everything the chain needs, built once by the caller (the API layer)."""

    store: ObjectStore
    index: Index
    ocr: OcrOptions = OcrOptions()
    extract: ExtractOptions = ExtractOptions()
    limits: Limits = Limits()


@dataclass(frozen=True)
class Prepared:
    """A file read, recognised and safely kept, ready for the page work."""

    source: str
    data: bytes
    sha256: str
    media_type: str
    pages: int
    original_key: str


def read_bytes(path: Path, source: str, limits: Limits) -> bytes:
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise TooLarge(source, f"{size} bytes, over the limit of {limits.max_file_bytes}")
        data = path.read_bytes()
    except IsADirectoryError as exc:
        raise UnreadableFile(source, "is a directory") from exc
    except OSError as exc:
        raise UnreadableFile(source, f"cannot be read ({exc.strerror or exc})") from exc
    if not data:
        raise EmptyFile(source, "file is empty (0 bytes)")
    return data


def prepare(data: bytes, source: str, ctx: IngestContext) -> Prepared | DocumentOutcome:
    """Hash, dedupe, recognise and keep the original; an indexed file returns its outcome."""
    sha = hashlib.sha256(data).hexdigest()
    try:
        return recognise_and_keep(data, sha, source, ctx)
    except CasescanError as exc:
        exc.sha256 = sha  # the batch record names the exact bytes that failed
        raise


def recognise_and_keep(data: bytes, sha: str, source: str,
                       ctx: IngestContext) -> Prepared | DocumentOutcome:
    try:
        existing = ctx.index.get_document(sha)
    except StorageError as exc:
        raise StoreFailed(source, f"index not available: {exc}") from exc
    if existing is not None:
        return from_row(existing, source, duplicate=True, flag_below=ctx.ocr.flag_below)
    media_type = detect_media_type(data, source)
    original_key = artefacts.original_key(sha, EXTENSIONS[media_type])
    try:
        ctx.store.put(original_key, data, media_type)
    except StorageError as exc:
        raise StoreFailed(source, f"original not stored: {exc}") from exc
    pages = count_pages(data, media_type, source, ctx.limits)
    return Prepared(source, data, sha, media_type, pages, original_key)


def store_page(sha: str, page: PageArtifacts, store: ObjectStore) -> PageRow:
    """Store one page's image, cleaned image and words, and describe them for the index.

    Pages are stored as they are read, so a long document never holds all its page
    images in memory; a document that fails later leaves only content-addressed
    derivatives behind, which a retry reuses.
    """
    r = page.reading
    image_key = None
    if page.page_png is not None:
        image_key = store.put(artefacts.page_image_key(sha, r.number), page.page_png,
                              artefacts.PNG).key
    if page.cleaned_png is not None:
        store.put(artefacts.cleaned_image_key(sha, r.number), page.cleaned_png, artefacts.PNG)
    words_key = store.put(artefacts.page_words_key(sha, r.number), words_file(r).dump(),
                          artefacts.JSON).key
    return PageRow(r.number, r.width, r.height, r.source, r.quality, r.text,
                   image_key, words_key, r.error)


def store_searchable_pdf(sha: str, pages: tuple[PageRow, ...], ctx: IngestContext) -> str:
    """Build the searchable PDF from the stored page images and words (the words casescan
    read, so nothing is OCR'd twice) and store it; returns its key."""
    parts = []
    for row in pages:
        if not row.words_key:
            continue
        reading = reading_of(PageWordsFile.load(ctx.store.get(row.words_key)))
        image = ctx.store.get(row.image_key) if row.image_key else None
        parts.append(PdfPage(image, reading, ctx.limits.dpi))
    data = searchable_pdf(parts)
    return ctx.store.put(artefacts.searchable_pdf_key(sha), data, artefacts.PDF).key


def commit(prepared: Prepared, pages: tuple[PageRow, ...], extraction: Extraction,
           ctx: IngestContext) -> DocumentOutcome:
    """Index the document, its stored pages and its fields in one transaction, once its
    objects are verified."""
    sha = prepared.sha256
    fields = extraction.fields
    row = DocumentRow(
        document_id=sha, sha256=sha, source=prepared.source,
        media_type=prepared.media_type, original_key=prepared.original_key,
        status="done", error=None, pages=pages,
        fields=field_rows(extraction.results),
        entities=tuple(EntityRow(e.label, e.text, e.page, e.start, e.end)
                       for e in extraction.entities),
        pairs=pair_rows(extraction.pairs),
        events=event_rows(extraction.events),
    )
    try:
        store_searchable_pdf(sha, pages, ctx)
    except StorageError as exc:
        raise StoreFailed(prepared.source, f"searchable PDF not stored: {exc}") from exc
    try:
        added = index_verified(ctx.index, ctx.store, row)
        existing = None if added else ctx.index.get_document(sha)
    except StorageError as exc:
        raise StoreFailed(prepared.source, f"not indexed: {exc}") from exc
    if existing is not None:  # another process indexed the same bytes first
        return from_row(existing, prepared.source, duplicate=True,
                        flag_below=ctx.ocr.flag_below)
    return DocumentOutcome(
        source=prepared.source, status="done", document_id=sha, sha256=sha,
        pages=len(pages), text=row.text, fields=dict(fields),
        page_errors=tuple(p.error for p in pages if p.error), problems=extraction.problems,
        results=dict(extraction.results),
        flagged_pages=flagged(pages, ctx.ocr.flag_below),
        pairs=row.pairs,
        events=extraction.events,
    )

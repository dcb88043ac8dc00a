"""Read pages (OCR or text layer) and turn a document's pages into fields.

Reading a page is the CPU-heavy work and touches no storage, so each page is
a task a worker process can run on its own; a bad page fails alone. The
caller gathers a document's pages, extracts its fields, stores and indexes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, cast

import cv2
import numpy as np

from extraction.extract import Extraction, ExtractOptions, extract
from extraction.rereading import Rereader
from ingest.errors import CasescanError, CorruptFile
from ingest.limits import Limits
from ingest.sources import SourcePage, page_at
from ocr.errors import BLANK_PAGE, OcrError
from ocr.pipeline import OcrOptions, read_page
from ocr.records import PageReading, Word
from storage.objects.artefacts import PageWordsFile, StoredWord


@dataclass(frozen=True)
class PageArtifacts:
    """A page's reading and the images to keep for it (PNG bytes)."""

    reading: PageReading
    page_png: bytes | None
    cleaned_png: bytes | None


def words_file(reading: PageReading) -> PageWordsFile:
    """A page's reading in the form it is stored in."""
    words = tuple(StoredWord(w.text, w.conf, w.bbox, w.line) for w in reading.words)
    return PageWordsFile(reading.number, reading.width, reading.height, reading.source,
                         reading.chain, reading.quality, reading.flagged, reading.error, words)


def reading_of(stored: PageWordsFile) -> PageReading:
    """A page's reading back from its stored words file."""
    words = tuple(Word(w.text, w.conf, w.bbox, w.line) for w in stored.words)
    source = cast(Literal["ocr", "text-layer"], stored.source)  # only these are written
    return PageReading(stored.page, stored.width, stored.height, words, source,
                       stored.chain, stored.quality, stored.error, stored.flagged)


def png(image: np.ndarray) -> bytes:
    ok, buf = cv2.imencode(".png", image, [cv2.IMWRITE_PNG_COMPRESSION, 3])
    if not ok:
        raise ValueError("PNG encoding failed")
    return buf.tobytes()


def read_source_page(page: SourcePage, ocr: OcrOptions) -> PageArtifacts:
    """One decoded page: its text layer when it has one, otherwise OCR."""
    h, w = page.image.shape[:2]
    if page.text_words is not None:
        reading = PageReading(page.number, w, h, tuple(page.text_words), "text-layer",
                              chain=("text-layer",), quality=1.0)
        return PageArtifacts(reading, png(page.image), None)
    try:
        result = read_page(page.image, page.number, ocr)
    except OcrError as exc:
        reading = PageReading(page.number, w, h, (), "ocr", quality=0.0, error=str(exc))
        return PageArtifacts(reading, png(page.image), None)
    return PageArtifacts(result.reading, png(result.page_image), png(result.cleaned_image))


def read_page_of(path: Path, media_type: str, source: str, number: int, ocr: OcrOptions,
                 limits: Limits) -> PageArtifacts:
    """Page `number` of a file, read; a page that cannot be decoded is an error on that page."""
    try:
        page = page_at(path, media_type, source, number, limits)
    except CasescanError as exc:
        reading = PageReading(number, 0, 0, (), "ocr", quality=0.0,
                              error=f"page {number}: {exc.reason}")
        return PageArtifacts(reading, None, None)
    return read_source_page(page, ocr)


def extract_document(pages: Sequence[PageReading], source: str,
                     options: ExtractOptions, reread: Rereader | None = None) -> Extraction:
    """Fields and entities from the readable pages; a file with none of them fails.
    `reread` (ingest/rereading.py) reads a refused value's box again from the page image."""
    readable = [p for p in pages if not p.error]
    if pages and all(p.error and p.error.endswith(BLANK_PAGE) for p in pages):
        return extract([], options)  # a file of blank pages is done, with no text
    if not readable:
        reasons = "; ".join(p.error or "" for p in pages)
        raise CorruptFile(source, f"no page could be read ({reasons})")
    return extract(readable, options, reread)

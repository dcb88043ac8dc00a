"""Read a whole document: every page through OCR or its text layer, then extraction.

This is the CPU-heavy half of ingest and touches no storage, so it can run
in a worker process; the caller stores and indexes what it returns.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from extraction.extract import Extraction, ExtractOptions, extract
from ingest.errors import CorruptFile
from ingest.limits import Limits
from ingest.sources import SourcePage, iter_pages
from ocr.errors import PageUnreadable
from ocr.pipeline import OcrOptions, read_page
from ocr.records import PageReading


@dataclass(frozen=True)
class PageArtifacts:
    """A page's reading and the images to keep for it (PNG bytes)."""

    reading: PageReading
    page_png: bytes | None
    cleaned_png: bytes | None


@dataclass(frozen=True)
class DocumentReading:
    pages: tuple[PageArtifacts, ...]
    extraction: Extraction

    @property
    def failed_pages(self) -> list[PageReading]:
        return [p.reading for p in self.pages if p.reading.error]


def png(image: np.ndarray) -> bytes:
    ok, buf = cv2.imencode(".png", image, [cv2.IMWRITE_PNG_COMPRESSION, 3])
    if not ok:
        raise ValueError("PNG encoding failed")
    return buf.tobytes()


def read_source_page(page: SourcePage, ocr: OcrOptions) -> PageArtifacts:
    """One page: its text layer when it has one, otherwise OCR; a bad page fails alone."""
    h, w = page.image.shape[:2]
    if page.text_words is not None:
        reading = PageReading(page.number, w, h, tuple(page.text_words), "text-layer",
                              chain=("text-layer",), quality=1.0)
        return PageArtifacts(reading, png(page.image), None)
    try:
        result = read_page(page.image, page.number, ocr)
    except PageUnreadable as exc:
        reading = PageReading(page.number, w, h, (), "ocr", quality=0.0, error=str(exc))
        return PageArtifacts(reading, png(page.image), None)
    return PageArtifacts(result.reading, png(result.page_image), png(result.cleaned_image))


def read_document(data: bytes, media_type: str, source: str, ocr: OcrOptions,
                  extract_options: ExtractOptions, limits: Limits) -> DocumentReading:
    """All pages of one file, read and extracted. Raises CasescanError for file-level faults."""
    pages = tuple(read_source_page(p, ocr) for p in iter_pages(data, media_type, source, limits))
    readable = [p.reading for p in pages if not p.reading.error]
    if not readable:
        reasons = "; ".join(p.reading.error or "" for p in pages)
        raise CorruptFile(source, f"no page could be read ({reasons})")
    return DocumentReading(pages=pages, extraction=extract(readable, extract_options))

"""PDF pages: rasterise with pdfium, or read a real text layer with pdfplumber.

A page whose text layer holds real words is read, not OCR'd: it is exact and
costs nothing. Scanned pages, and pages whose 'text' is only invisible junk,
are rasterised at the requested resolution and go through OCR.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pdfplumber
import pypdfium2 as pdfium

from ocr.errors import PdfEncrypted, PdfUnreadable
from ocr.records import Word

POINTS_PER_INCH = 72.0
# Fewer real characters than this and the page counts as scanned.
MIN_TEXT_LAYER_CHARS = 20


def open_pdf(data: bytes | Path) -> pdfium.PdfDocument:
    """Open a PDF (bytes, or a path read lazily), telling encrypted files from broken ones."""
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise PdfEncrypted("PDF is encrypted (needs a password)") from exc
        raise PdfUnreadable(f"not a readable PDF ({exc})") from exc


def page_sizes_pt(doc: pdfium.PdfDocument) -> list[tuple[float, float]]:
    """Width and height of each page in PDF points, without rendering."""
    return [doc.get_page_size(i) for i in range(len(doc))]


def render_page(doc: pdfium.PdfDocument, index: int, dpi: int) -> np.ndarray:
    """Rasterise one page to a grayscale image at `dpi`."""
    page = doc[index]
    try:
        bitmap = page.render(scale=dpi / POINTS_PER_INCH, grayscale=True)
        return np.array(bitmap.to_pil().convert("L"))
    finally:
        page.close()


def text_layer_words(data: bytes | Path, index: int, dpi: int) -> list[Word] | None:
    """Words of a page's real text layer, boxed in pixels at `dpi`; None if it has none."""
    scale = dpi / POINTS_PER_INCH
    with pdfplumber.open(io.BytesIO(data) if isinstance(data, bytes) else data) as pdf:
        page = pdf.pages[index]
        raw = page.extract_words(keep_blank_chars=False, use_text_flow=False)
    if sum(len(w["text"]) for w in raw) < MIN_TEXT_LAYER_CHARS:
        return None
    words: list[Word] = []
    line = -1
    last_top: float | None = None
    for w in sorted(raw, key=lambda w: (round(w["top"]), w["x0"])):
        if last_top is None or abs(w["top"] - last_top) > 2.0:
            line += 1
            last_top = w["top"]
        box = (w["x0"] * scale, w["top"] * scale, w["x1"] * scale, w["bottom"] * scale)
        bbox = (int(box[0]), int(box[1]), int(round(box[2])), int(round(box[3])))
        words.append(Word(text=w["text"], conf=1.0, bbox=bbox, line=line))
    return words

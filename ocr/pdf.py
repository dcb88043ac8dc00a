"""PDF pages: rasterise with pdfium, or read a real text layer with pdfplumber.

A page whose text layer holds real words is read, not OCR'd: it is exact and
costs nothing. Scanned pages, and pages whose 'text' is only invisible junk,
are rasterised at the resolution of the scan they hold (a 200 dpi scan is not enlarged
to 300 and back), fitted inside the pixel limit, and go through OCR.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ocr.errors import PdfEncrypted, PdfUnreadable
from ocr.records import Word

POINTS_PER_INCH = 72.0
# Fewer real characters than this and the page counts as scanned.
MIN_TEXT_LAYER_CHARS = 20
# A scan is rasterised at its own resolution, within these bounds: below MIN_SCAN_DPI
# text is too small to read, so such a scan is enlarged; above MAX_SCAN_DPI nothing is
# gained. An image covering less than this share of the page is not the page's scan.
MIN_SCAN_DPI, MAX_SCAN_DPI = 150.0, 600.0
SCAN_COVERS = 0.5


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


def scan_dpi(doc: pdfium.PdfDocument, index: int) -> float | None:
    """The resolution of the scan a page holds: the pixels of its largest image over the
    inches it is drawn on, when it covers most of the page; None for a page with no such
    image (a born-digital page)."""
    page = doc[index]
    try:
        width_pt, height_pt = page.get_size()
        best: tuple[float, float] | None = None  # (area in points, dpi)
        for image in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2):
            left, bottom, right, top = image.get_bounds()
            px_w, px_h = image.get_px_size()
            w_in, h_in = (right - left) / POINTS_PER_INCH, (top - bottom) / POINTS_PER_INCH
            if w_in <= 0 or h_in <= 0 or px_w <= 0 or px_h <= 0:
                continue
            area = (right - left) * (top - bottom)
            if best is None or area > best[0]:
                best = (area, math.sqrt((px_w / w_in) * (px_h / h_in)))
    finally:
        page.close()
    if best is None or best[0] < SCAN_COVERS * width_pt * height_pt:
        return None
    return best[1]


def page_dpi(doc: pdfium.PdfDocument, index: int, default: float, max_pixels: int) -> float:
    """The resolution to rasterise a page at: its scan's own (within MIN/MAX_SCAN_DPI),
    else `default`; lowered so the page fits in `max_pixels` (a poster or an engineering
    sheet is read smaller, not refused)."""
    own = scan_dpi(doc, index)
    dpi = default if own is None else min(MAX_SCAN_DPI, max(MIN_SCAN_DPI, own))
    width_pt, height_pt = doc.get_page_size(index)
    square_in = (width_pt / POINTS_PER_INCH) * (height_pt / POINTS_PER_INCH)
    if square_in > 0 and dpi * dpi * square_in > max_pixels:
        dpi = math.sqrt(max_pixels / square_in) * 0.999
    return dpi


def render_page(doc: pdfium.PdfDocument, index: int, dpi: float) -> np.ndarray:
    """Rasterise one page to a grayscale image at `dpi`."""
    page = doc[index]
    try:
        bitmap = page.render(scale=dpi / POINTS_PER_INCH, grayscale=True)
        return np.array(bitmap.to_pil().convert("L"))
    finally:
        page.close()


def text_layer_words(data: bytes | Path, index: int, dpi: float) -> list[Word] | None:
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

"""A searchable PDF: each page image with casescan's own words as an invisible text layer.

The words are the ones already read (no second OCR pass); each is drawn in text
render mode 3 (invisible) over its box, stretched to the box's width, so selecting,
searching and copying in any PDF viewer find the word where it is on the scan.
Pages without an image (a page that could not be decoded) get a blank page that
says so, so the page numbers of the PDF match the document's.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass

import cv2
import numpy as np
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from ocr.records import PageReading

FONT = "Helvetica"
POINTS_PER_INCH = 72.0
A4_PT = (595.0, 842.0)
# Page images go in as JPEG: a noisy grey scan is ~10x smaller than as lossless Flate,
# and the original file stays in the store untouched.
JPEG_QUALITY = 80


@dataclass(frozen=True)
class PdfPage:
    """One page to write: its image (PNG or JPEG bytes; None if it has none), its reading,
    and the resolution the image was read at."""

    image: bytes | None
    reading: PageReading
    dpi: int


def searchable_pdf(pages: Iterable[PdfPage]) -> bytes:
    """The PDF's bytes; pages in the order given."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pageCompression=1, invariant=1)
    pdf.setTitle("casescan searchable copy")
    for page in pages:
        add_page(pdf, page)
    pdf.save()
    return out.getvalue()


def as_jpeg(image: bytes) -> bytes:
    if image[:3] == b"\xff\xd8\xff":
        return image
    pixels = cv2.imdecode(np.frombuffer(image, np.uint8), cv2.IMREAD_UNCHANGED)
    if pixels is None:
        raise ValueError("page image could not be decoded for the PDF")
    ok, buf = cv2.imencode(".jpg", pixels, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    if not ok:
        raise ValueError("page image could not be encoded for the PDF")
    return buf.tobytes()


def add_page(pdf: canvas.Canvas, page: PdfPage) -> None:
    r = page.reading
    if page.image is None or not r.width or not r.height:
        pdf.setPageSize(A4_PT)
        pdf.setFont(FONT, 12)
        pdf.drawString(72, A4_PT[1] - 72, f"page {r.number}: {r.error or 'no image'}")
        pdf.showPage()
        return
    scale = POINTS_PER_INCH / page.dpi
    width, height = r.width * scale, r.height * scale
    pdf.setPageSize((width, height))
    pdf.drawImage(ImageReader(io.BytesIO(as_jpeg(page.image))), 0, 0, width, height)
    for word in r.words:
        x0, y0, x1, y1 = (v * scale for v in word.bbox)
        size = max(1.0, (y1 - y0) * 0.9)
        # The standard font covers Latin-1; anything else is written as "?", still selectable.
        shown = word.text.encode("latin-1", "replace").decode("latin-1")
        natural = stringWidth(shown, FONT, size)
        if natural <= 0:
            continue
        text = pdf.beginText()
        text.setTextRenderMode(3)  # invisible: found by search and selection, never drawn
        text.setFont(FONT, size)
        text.setHorizScale(100.0 * (x1 - x0) / natural)
        text.setTextOrigin(x0, height - y1 + (y1 - y0) * 0.2)
        text.textOut(shown)
        pdf.drawText(text)
    pdf.showPage()

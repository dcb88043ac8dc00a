"""Recognise a file's format and yield its pages, one at a time.

Formats are recognised by their first bytes, never by the file name. Pages are
yielded lazily so a 500-page TIFF never sits in memory whole, and each page's
size is checked before it is decoded.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageOps, UnidentifiedImageError

from ingest.errors import CorruptFile, EncryptedFile, TooLarge, UnsupportedFile
from ingest.limits import Limits
from ocr.errors import PdfEncrypted, PdfUnreadable
from ocr.pdf import open_pdf, page_dpi, render_page, text_layer_words
from ocr.records import Word

MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
EXTENSIONS = {"application/pdf": ".pdf", "image/tiff": ".tiff", "image/png": ".png",
              "image/jpeg": ".jpg"}


@dataclass(frozen=True)
class SourcePage:
    """A page ready to read: an image to OCR, and for PDFs maybe its text-layer words."""

    number: int
    image: np.ndarray
    text_words: list[Word] | None = None


def detect_media_type(data: bytes, source: str) -> str:
    if b"%PDF-" in data[:1024]:  # PDF readers accept leading junk before the header
        return "application/pdf"
    for magic, media_type in MAGIC:
        if data.startswith(magic):
            return media_type
    raise UnsupportedFile(source, "unsupported file type (casescan reads PDF, TIFF, PNG, JPEG)")


def count_pages(data: bytes, media_type: str, source: str, limits: Limits) -> int:
    """Open the file far enough to count its pages and refuse it early if it is bad."""
    if media_type == "application/pdf":
        doc = _open_pdf(data, source)
        try:
            n = len(doc)
        finally:
            doc.close()
    else:
        with _open_image(data, source) as image:
            n = getattr(image, "n_frames", 1)
    if n == 0:
        raise CorruptFile(source, "file has no pages")
    if n > limits.max_pages:
        raise TooLarge(source, f"{n} pages, over the limit of {limits.max_pages}")
    return n


def page_at(path: Path, media_type: str, source: str, number: int,
            limits: Limits) -> SourcePage:
    """Page `number` (1-based) of a file on disk, decoded on its own.

    Each page opens the file afresh so that pages can be read in separate
    processes, and only that page's pixels are ever decoded; its size is
    checked before decoding.
    """
    if media_type == "application/pdf":
        return _pdf_page(path, source, number, limits)
    return _image_page(path, source, number, limits)


def _open_pdf(data: bytes | Path, source: str) -> pdfium.PdfDocument:
    try:
        return open_pdf(data)
    except PdfEncrypted as exc:
        raise EncryptedFile(source, str(exc)) from exc
    except PdfUnreadable as exc:
        raise CorruptFile(source, str(exc)) from exc


def _open_image(data: bytes | Path, source: str) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data) if isinstance(data, bytes) else data)
        image.size  # noqa: B018 - forces the header to be parsed
        return image
    except Image.DecompressionBombError as exc:
        raise TooLarge(source, f"image is too large to decode safely ({exc})") from exc
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise CorruptFile(source, f"image cannot be decoded ({exc})") from exc


def _check_pixels(width: float, height: float, number: int, source: str, limits: Limits) -> None:
    if width * height > limits.max_page_pixels:
        raise TooLarge(source, f"page {number} is {int(width)}x{int(height)} px, over the limit "
                               f"of {limits.max_page_pixels} pixels")


def _image_page(path: Path, source: str, number: int, limits: Limits) -> SourcePage:
    with _open_image(path, source) as image:
        try:
            image.seek(number - 1)
        except EOFError as exc:
            raise CorruptFile(source, f"page {number} is missing") from exc
        _check_pixels(image.width, image.height, number, source, limits)
        try:
            upright = ImageOps.exif_transpose(image) or image
            pixels = np.array(upright.convert("L"))
        except (OSError, ValueError, SyntaxError) as exc:
            raise CorruptFile(source, f"page {number} cannot be decoded ({exc})") from exc
    return SourcePage(number=number, image=pixels)


def _pdf_page(path: Path, source: str, number: int, limits: Limits) -> SourcePage:
    doc = _open_pdf(path, source)
    try:
        # at the resolution of the scan it holds, fitted inside the pixel limit (ocr/pdf.py)
        dpi = page_dpi(doc, number - 1, limits.dpi, limits.max_page_pixels)
        image = render_page(doc, number - 1, dpi)
    finally:
        doc.close()
    return SourcePage(number, image, text_layer_words(path, number - 1, dpi))

"""PDF pages: real text layers are read exactly, scanned pages are not mistaken for text."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdfs import RECORD_LINES, write_pdf
from PIL import Image

from ocr.errors import PdfEncrypted, PdfUnreadable
from ocr.pdf import open_pdf, render_page, text_layer_words


def test_text_layer_words_are_exact_and_boxed_in_pixels(tmp_path: Path) -> None:
    data = write_pdf(tmp_path / "born-digital.pdf", [RECORD_LINES]).read_bytes()
    words = text_layer_words(data, 0, dpi=300)
    assert words is not None
    texts = [w.text for w in words]
    assert "MENSAH" in texts and "B1234567" in texts
    mensah = words[texts.index("MENSAH")]
    # 72 pt from the left edge at 300 dpi is 300 px; the word sits right of "Surname:"
    assert 300 < mensah.bbox[0] < 900 and mensah.conf == 1.0
    image = render_page(open_pdf(data), 0, 300)
    assert abs(image.shape[0] - 3508) <= 1 and abs(image.shape[1] - 2480) <= 1
    x0, y0, x1, y1 = mensah.bbox
    assert (image[y0:y1, x0:x1] < 128).any()


def test_scanned_page_has_no_text_layer(tmp_path: Path) -> None:
    scan = Image.new("L", (1240, 1754), 255)
    data = write_pdf(tmp_path / "scan.pdf", [scan]).read_bytes()
    assert text_layer_words(data, 0, dpi=300) is None


def test_encrypted_and_broken_pdfs_are_told_apart(tmp_path: Path) -> None:
    locked = write_pdf(tmp_path / "locked.pdf", [RECORD_LINES], password="secret").read_bytes()
    with pytest.raises(PdfEncrypted):
        open_pdf(locked)
    with pytest.raises(PdfUnreadable):
        open_pdf(b"%PDF-1.7\n" + b"\x00garbage" * 100)


def scan_pdf(path: Path, size: tuple[int, int], dpi: float) -> bytes:
    """A PDF page holding one grey scan of `size` pixels drawn at `dpi`."""
    Image.new("L", size, 230).save(path, "PDF", resolution=dpi)
    return path.read_bytes()


def test_a_scan_is_rasterised_at_its_own_resolution(tmp_path: Path) -> None:
    from ocr.pdf import page_dpi, scan_dpi
    doc = open_pdf(scan_pdf(tmp_path / "a4-200.pdf", (1654, 2339), 200))
    assert scan_dpi(doc, 0) == pytest.approx(200, abs=1)
    dpi = page_dpi(doc, 0, 300, 100_000_000)
    image = render_page(doc, 0, dpi)
    assert abs(image.shape[1] - 1654) <= 2 and abs(image.shape[0] - 2339) <= 2  # not 2480


def test_a_born_digital_page_is_rasterised_at_the_default(tmp_path: Path) -> None:
    from ocr.pdf import page_dpi, scan_dpi
    doc = open_pdf(write_pdf(tmp_path / "born-digital.pdf", [RECORD_LINES]).read_bytes())
    assert scan_dpi(doc, 0) is None and page_dpi(doc, 0, 300, 100_000_000) == 300


def test_a_huge_page_is_fitted_inside_the_pixel_limit_not_refused(tmp_path: Path) -> None:
    from ocr.pdf import page_dpi
    doc = open_pdf(scan_pdf(tmp_path / "poster.pdf", (3000, 2000), 10))  # 300 x 200 inches
    dpi = page_dpi(doc, 0, 300, 4_000_000)
    image = render_page(doc, 0, dpi)
    assert image.shape[0] * image.shape[1] <= 4_000_000
    assert image.shape[0] * image.shape[1] > 0.9 * 4_000_000

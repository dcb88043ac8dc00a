"""Pages of box scans for tests: case pages, printed separator sheets, blank sheets."""

from __future__ import annotations

import numpy as np
import zxingcpp
from pdfs import RECORD_LINES
from PIL import Image

A4_150DPI = (1240, 1754)


def case_lines(surname: str) -> list[str]:
    return [line.replace("MENSAH", surname) for line in RECORD_LINES]


def separator_sheet(text: str = "SEPARATOR-0001") -> Image.Image:
    """A printed separator sheet: a Code 128 barcode on an empty page, with scanner dust."""
    page = np.full((A4_150DPI[1], A4_150DPI[0]), 255, np.uint8)
    code = np.array(zxingcpp.write_barcode_to_image(
        zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.Code128), scale=3))
    page[300:300 + code.shape[0], 200:200 + code.shape[1]] = code
    specks = np.random.default_rng(3).integers(0, page.size, 200)
    page.flat[specks] = 0
    return Image.fromarray(page)


def blank_sheet() -> Image.Image:
    page = np.full((A4_150DPI[1], A4_150DPI[0]), 250, np.uint8)
    specks = np.random.default_rng(4).integers(0, page.size, 400)
    page.flat[specks] = 0  # dust: single dark pixels
    page[:, :20] = 0  # the scanner's dark edge, in the margin
    return Image.fromarray(page)

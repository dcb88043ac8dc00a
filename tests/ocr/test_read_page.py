"""Reading whole pages: words with boxes and confidences, refusals for unreadable pages."""

from __future__ import annotations

import numpy as np
import pytest

from ingest.synth import render_case
from ocr import steps
from ocr.errors import PageUnreadable
from ocr.pipeline import OcrOptions, read_page


@pytest.fixture(scope="module")
def page_and_truth() -> tuple[np.ndarray, dict[str, str | None]]:
    images, truth = render_case(31, layout="inline")
    return steps.to_gray(images[0]), truth.printed


def test_words_carry_boxes_and_confidences(page_and_truth) -> None:  # type: ignore[no-untyped-def]
    image, printed = page_and_truth
    result = read_page(image, 1, OcrOptions())
    words = result.reading.words
    assert result.reading.source == "ocr" and result.reading.quality > 0.8
    surname = next(w for w in words if w.text.strip(":") == printed["surname"])
    x0, y0, x1, y1 = surname.bbox
    assert 0 <= x0 < x1 <= image.shape[1] and 0 <= y0 < y1 <= image.shape[0]
    assert 0.5 < surname.conf <= 1.0
    # the box really holds ink: the word is where Tesseract says it is
    assert (image[y0:y1, x0:x1] < 128).mean() > 0.05


def test_upside_down_page_is_turned_and_read(page_and_truth) -> None:  # type: ignore[no-untyped-def]
    image, printed = page_and_truth
    result = read_page(steps.rotate_quarter(image, 180), 1, OcrOptions())
    assert "rotate_180" in result.reading.chain
    assert printed["surname"] in result.reading.text


def test_low_resolution_scan_boxes_stay_in_page_pixels(page_and_truth) -> None:  # type: ignore[no-untyped-def]
    image, printed = page_and_truth
    small = steps.upsample(image, 1.0)[::2, ::2]  # a 150 dpi scan
    result = read_page(small, 1, OcrOptions())
    assert printed["home_office_reference"] in result.reading.text
    assert all(w.bbox[2] <= small.shape[1] and w.bbox[3] <= small.shape[0]
               for w in result.reading.words)


@pytest.mark.parametrize(("image", "reason"), [
    (np.full((3508, 2480), 255, np.uint8), "blank page"),
    (np.zeros((3508, 2480), np.uint8), "all black"),
    (np.full((40, 60), 128, np.uint8), "too small"),
])
def test_unreadable_pages_are_refused_with_a_reason(image: np.ndarray, reason: str) -> None:
    with pytest.raises(PageUnreadable, match=reason):
        read_page(image, 3, OcrOptions())

"""Reading whole pages: words with boxes and confidences, refusals for unreadable pages."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pages import scrawl
from PIL import Image

from ocr import steps
from ocr.errors import PageUnreadable
from ocr.pipeline import OcrOptions, read_page
from synth import generate_case_file, render_case


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


def heavy_page(tmp_path: Path, seed: int, layout: str) -> tuple[np.ndarray, list[str]]:
    """A heavily degraded generated page and the values printed on it."""
    truth = generate_case_file(tmp_path, seed, fmt="png", degradation="heavy", layout=layout)
    image = np.array(Image.open(tmp_path / truth.file).convert("L"))
    return image, [v for v in truth.printed.values() if v]


def test_a_heavy_photocopy_is_read_and_its_chain_and_quality_recorded(tmp_path: Path) -> None:
    image, printed = heavy_page(tmp_path, 41, "table")
    result = read_page(image, 1, OcrOptions())
    r = result.reading
    text = " ".join(r.text.split())
    missed = [v for v in printed if v not in text]
    assert len(printed) == 9 and missed == [], r.text  # README: 0.96 of values in text
    assert r.chain[0] == "deskew" and "normalise_illumination" in r.chain
    assert any(c.startswith("tesseract_psm") or c == "rapidocr" for c in r.chain)
    assert 0.0 < r.quality <= 1.0 and r.flagged is (r.quality < OcrOptions().flag_below)
    assert result.cleaned_image.shape == result.page_image.shape


@pytest.mark.parametrize(("seed", "layout", "lost"), [(42, "table", "C9426153/3"),
                                                      (45, "inline", "Iraqi")])
def test_the_second_engine_recovers_what_tesseract_misread(tmp_path: Path, seed: int,
                                                            layout: str, lost: str) -> None:
    """On these heavy pages Tesseract alone misreads a value; RapidOCR's re-reading of the
    doubtful words brings it back. Fails when the second engine is switched off."""
    image, printed = heavy_page(tmp_path, seed, layout)
    alone = read_page(image, 1, OcrOptions(second_engine=False)).reading
    assert lost not in " ".join(alone.text.split())  # what Tesseract alone gets wrong
    both = read_page(image, 1, OcrOptions()).reading
    assert "recheck_words_rapidocr" in both.chain
    text = " ".join(both.text.split())
    assert all(v in text for v in printed) and both.quality > alone.quality


def test_a_page_of_ink_without_text_is_flagged_not_passed_on() -> None:
    r = read_page(scrawl(), 2, OcrOptions()).reading
    assert r.flagged and r.quality < OcrOptions().flag_below
    assert r.error is None and r.number == 2


def test_quality_prefers_words_to_noise() -> None:
    from ocr.pipeline import quality
    from ocr.records import Word

    words = [Word(t, 0.9, (0, 0, 10, 10), 0) for t in ("Surname", "PATEL", "12.03.1980")]
    noise = [Word(t, 0.9, (0, 0, 10, 10), 0) for t in ("ii|l", "Zx;q", "wrkkk")]
    assert quality(words) > 0.85 > quality(noise)
    assert quality(words[:2]) == 0.0  # too few words to judge: poor

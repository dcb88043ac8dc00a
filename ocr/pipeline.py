"""Read one page: geometric correction, cleanup chain, Tesseract, quality score.

Reading the file top to bottom tells what happens to a page. The page image
that word boxes refer to is the original after rotation and deskew only, so a
caseworker sees the real scan, not the cleaned one, with boxes that line up.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ocr import steps, tesseract
from ocr.errors import PageUnreadable
from ocr.records import PageReading, Word

# Measured with bench/pipeline.py: flattening the page and erasing rules, then leaving
# binarisation to Tesseract's Sauvola, reads best at every level; a median filter or a
# contrast stretch on top lost words (they stay available as steps for other chains).
DEFAULT_CHAIN: tuple[str, ...] = ("normalise_illumination", "remove_rules")
MIN_SIDE_PX = 200
# Below this width a full page was scanned at under ~200 dpi; upsample for Tesseract.
LOW_RES_WIDTH_PX = 1700


@dataclass(frozen=True)
class OcrOptions:
    """How to read pages; built once at the edge and trusted here."""

    lang: str = "eng"
    psm: int = 3
    chain: tuple[str, ...] = DEFAULT_CHAIN
    deskew: bool = True
    orientation: bool = True
    # A reading below this quality triggers the orientation check.
    retry_below: float = 0.55


@dataclass(frozen=True)
class PageResult:
    """A page's reading and the images it produced (both kept as derivatives)."""

    reading: PageReading
    page_image: np.ndarray
    cleaned_image: np.ndarray


def quality(words: list[Word]) -> float:
    """A 0..1 score of how trustworthy a reading looks: mean confidence of real words.

    Fragments of one character and punctuation are left out because noise
    produces many of them at high confidence.
    """
    real = [w for w in words if sum(c.isalnum() for c in w.text) >= 2]
    if len(real) < 3:
        return 0.0
    return float(np.mean([w.conf for w in real]))


def check_page(gray: np.ndarray, number: int) -> None:
    """Refuse pages that cannot hold text, with a reason a person understands."""
    h, w = gray.shape[:2]
    if min(h, w) < MIN_SIDE_PX:
        raise PageUnreadable(f"page {number}: too small to read ({w}x{h} px)")
    if float(gray.std()) < 2.0:
        tone = "blank" if gray.mean() > 127 else "all black"
        raise PageUnreadable(f"page {number}: {tone} page, nothing to read")


def clean(gray: np.ndarray, chain: tuple[str, ...]) -> np.ndarray:
    for name in chain:
        gray = steps.PHOTOMETRIC_STEPS[name](gray)
    return gray


def ocr_image(cleaned: np.ndarray, options: OcrOptions) -> list[Word]:
    """OCR at ~300 dpi glyph sizes and map boxes back to the page's own pixels."""
    factor = LOW_RES_WIDTH_PX * 1.5 / cleaned.shape[1] if cleaned.shape[1] < LOW_RES_WIDTH_PX else 1
    words = tesseract.read_words(steps.upsample(cleaned, factor), lang=options.lang,
                                 psm=options.psm)
    if factor == 1:
        return words
    return [
        Word(w.text, w.conf, tuple(int(round(v / factor)) for v in w.bbox), w.line)  # type: ignore[arg-type]
        for w in words
    ]


def read_oriented(
    gray: np.ndarray, options: OcrOptions
) -> tuple[np.ndarray, np.ndarray, list[Word]]:
    page = steps.deskew(gray) if options.deskew else gray
    cleaned = clean(page, options.chain)
    return page, cleaned, ocr_image(cleaned, options)


def read_page(image: np.ndarray, number: int, options: OcrOptions) -> PageResult:
    """Read one page image; retry upside-down or sideways pages Tesseract's OSD spots."""
    gray = steps.to_gray(image)
    check_page(gray, number)
    chain = list(options.chain)
    page, cleaned, words = read_oriented(gray, options)
    score = quality(words)
    if options.orientation and score < options.retry_below:
        rotation = tesseract.detect_rotation(cleaned)
        if rotation:
            turned = steps.rotate_quarter(gray, rotation)
            t_page, t_cleaned, t_words = read_oriented(turned, options)
            t_score = quality(t_words)
            if t_score > score:
                page, cleaned, words, score = t_page, t_cleaned, t_words, t_score
                chain.insert(0, f"rotate_{rotation}")
    if options.deskew:
        chain.insert(0, "deskew")
    reading = PageReading(
        number=number, width=page.shape[1], height=page.shape[0], words=tuple(words),
        source="ocr", chain=tuple(chain), quality=round(score, 3),
    )
    return PageResult(reading=reading, page_image=page, cleaned_image=cleaned)

"""Read one page: geometry, cleanup chain, Tesseract, quality check, retries, second engine.

Reading the file top to bottom tells what happens to a page:

1. refuse pages that cannot hold text (blank, all black, tiny);
2. flatten the lighting once (`normalise_illumination`), measure the skew on it and
   level both the page and the flattened copy;
3. clean the flattened page with the chain (borders, punch holes, table rules) and
   read it with Tesseract (Sauvola thresholding, one thread);
4. score the reading (`quality`); a poor one is checked for orientation (Tesseract
   OSD), then retried with other chains (stronger denoising and another
   binarisation; upsampling with sparse-text segmentation); the best reading is kept;
5. words Tesseract was unsure of are re-read by the second engine (RapidOCR), one
   crop per word, and replaced where it is surer;
6. a page still poor is read whole by the second engine; if that is no better
   either, the page is flagged for a person.

The page image that word boxes refer to is the original after rotation and deskew
only, so a caseworker sees the real scan, not the cleaned one, with boxes that line up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import cv2
import numpy as np

from ocr import rapid, steps, tesseract
from ocr.boxes import scaled, share_width
from ocr.errors import BLANK_PAGE, PageUnreadable
from ocr.records import BBox, PageReading, Word

# Measured with bench/ocr_quality.py: after flattening, painting out borders, punch holes
# and table rules and leaving binarisation to Tesseract's Sauvola reads best on most
# pages; the other chains are retries for the pages where it reads poorly.
DEFAULT_CHAIN: tuple[str, ...] = (
    "normalise_illumination", "remove_borders", "remove_punch_holes", "remove_rules")
MIN_SIDE_PX = 200
# Below this width a full page was scanned at under ~200 dpi; upsample for Tesseract.
LOW_RES_WIDTH_PX = 1700
# A page whose best reading stays below this quality is flagged for a person.
FLAG_BELOW = 0.5
# Words less certain than this are re-read by the second engine.
RECHECK_BELOW = 0.9
# At most this many skipped regions of a page are read by the second engine.
MAX_UNREAD_REGIONS = 40
# Margin either side of a word's crop, in word heights.
CROP_SIDE_MARGIN = 0.5
UNREAD_MIN_ASPECT = 1.5


@dataclass(frozen=True)
class Attempt:
    """One way of reading a page: a cleanup chain and a Tesseract segmentation mode."""

    chain: tuple[str, ...]
    psm: int


# Retries for a poor reading, cheapest first: (1) average away grain, binarise on the
# flattened page and drop lone specks, read as one uniform block (forms); (2) double the
# size and read sparse text (small print, scattered form fields).
RETRIES: tuple[Attempt, ...] = (
    Attempt(("normalise_illumination", "remove_borders", "remove_punch_holes", "smooth",
             "binarise_otsu", "despeckle", "remove_rules"), 6),
    Attempt(("normalise_illumination", "remove_borders", "remove_punch_holes", "remove_rules",
             "upsample_2x"), 11),
)


@dataclass(frozen=True)
class OcrOptions:
    """How to read pages; built once at the edge and trusted here."""

    lang: str = "eng"
    psm: int = 3
    chain: tuple[str, ...] = DEFAULT_CHAIN
    deskew: bool = True
    orientation: bool = True
    # A reading below this quality is checked for orientation and retried.
    retry_below: float = 0.6
    retries: tuple[Attempt, ...] = RETRIES
    # Re-read doubtful words, and poor pages, with the second engine (RapidOCR).
    second_engine: bool = True
    # A page whose best reading stays below this is flagged for a person.
    flag_below: float = FLAG_BELOW


@dataclass(frozen=True)
class PageResult:
    """A page's reading and the images it produced (both kept as derivatives)."""

    reading: PageReading
    page_image: np.ndarray
    cleaned_image: np.ndarray


@dataclass(frozen=True)
class Candidate:
    """One reading of a page, with what produced it and its score."""

    words: list[Word]
    cleaned: np.ndarray
    chain: tuple[str, ...]
    score: float


WORD_SHAPE = re.compile(
    r"^(?:[A-Za-z]*[AEIOUYaeiouy][A-Za-z]*(?:['-][A-Za-z]+)*"  # words with a vowel
    r"|[A-Z]{1,5}"                                           # abbreviations: HO, DOB
    r"|[A-Za-z]{0,3}\d+(?:[./:-]\d+)*(?:/\d+)?[A-Za-z]?"     # numbers, dates, references
    r"|\d{1,2}(?:st|nd|rd|th)"                               # 6th
    r"|\d{1,2}-[A-Za-z]{3}-\d{2,4})$"                        # 12-JAN-2003
)


def real_word(text: str) -> bool:
    """Whether a token counts as a word at all: one-character fragments and punctuation
    do not (noise produces many of them, often at high confidence)."""
    return sum(c.isalnum() for c in text) >= 2


def plausible(text: str) -> bool:
    """Whether a token looks like a word, number, date or reference, not OCR noise."""
    return bool(WORD_SHAPE.match(text.strip(".,:;()[]\"'!?*")))


def quality(words: list[Word]) -> float:
    """A 0..1 score of how trustworthy a reading looks.

    The mean confidence of real words (fragments of one character and punctuation
    are left out: noise produces many of them at high confidence), scaled by the
    share of words that look like words, numbers or dates rather than noise. A
    reading with fewer than three real words scores 0.
    """
    real = [w for w in words if real_word(w.text)]
    if len(real) < 3:
        return 0.0
    shaped = sum(plausible(w.text) for w in real) / len(real)
    return float(np.mean([w.conf for w in real])) * (0.4 + 0.6 * shaped)


def check_page(gray: np.ndarray, number: int) -> None:
    """Refuse pages that cannot hold text, with a reason a person understands."""
    h, w = gray.shape[:2]
    if min(h, w) < MIN_SIDE_PX:
        raise PageUnreadable(f"page {number}: too small to read ({w}x{h} px)")
    if float(gray.std()) < 2.0:
        if gray.mean() > 127:
            raise PageUnreadable(f"page {number}: {BLANK_PAGE}")
        raise PageUnreadable(f"page {number}: all black page, nothing to read")


def level(gray: np.ndarray, options: OcrOptions) -> tuple[np.ndarray, np.ndarray]:
    """The page levelled, and its flattened copy: lighting is normalised once per page
    and serves both the skew estimate and every cleanup chain."""
    flat = steps.normalise_illumination(gray)
    angle = steps.estimate_skew_flat(flat) if options.deskew else 0.0
    return steps.rotate_small(gray, angle), steps.rotate_small(flat, angle)


def clean(page: np.ndarray, flat: np.ndarray, chain: tuple[str, ...]) -> np.ndarray:
    image = page
    for i, name in enumerate(chain):
        if name == "normalise_illumination" and i == 0:
            image = flat
        else:
            image = steps.PHOTOMETRIC_STEPS[name](image)
    return image


def ocr_image(cleaned: np.ndarray, scale: float, psm: int, options: OcrOptions) -> list[Word]:
    """OCR at ~300 dpi glyph sizes and map boxes back to the page's own pixels.

    `scale` is how much the chain already enlarged the page."""
    width = cleaned.shape[1] / scale
    factor = LOW_RES_WIDTH_PX * 1.5 / width if width < LOW_RES_WIDTH_PX else 1.0
    extra = max(1.0, factor / scale)
    words = tesseract.read_words(steps.upsample(cleaned, extra), lang=options.lang, psm=psm)
    total = scale * extra
    if total == 1.0:
        return words
    return [Word(w.text, w.conf, scaled(w.bbox, total), w.line) for w in words]


def attempt(page: np.ndarray, flat: np.ndarray, how: Attempt,
            options: OcrOptions) -> Candidate:
    cleaned = clean(page, flat, how.chain)
    scale = float(np.prod([steps.SCALING_STEPS.get(n, 1.0) for n in how.chain]))
    words = ocr_image(cleaned, scale, how.psm, options)
    return Candidate(words, cleaned, (*how.chain, f"tesseract_psm{how.psm}"), quality(words))


def oriented(gray: np.ndarray, options: OcrOptions
             ) -> tuple[np.ndarray, np.ndarray, Candidate]:
    """The first reading, turned by Tesseract's OSD when it is poor and OSD says so."""
    first = Attempt(options.chain, options.psm)
    page, flat = level(gray, options)
    turned_first = options.orientation and steps.looks_upside_down(flat)
    if turned_first:  # a cheap hint from the ink profile saves reading the page twice
        page, flat = steps.rotate_quarter(page, 180), steps.rotate_quarter(flat, 180)
    best = attempt(page, flat, first, options)
    if turned_first:
        best = replace(best, chain=("rotate_180", *best.chain))
    if not options.orientation or best.score >= options.retry_below:
        return page, flat, best
    # Upside down is how pages are most often fed wrongly; try it when OSD is unsure.
    rotation = tesseract.detect_rotation(best.cleaned) or 180
    base = steps.rotate_quarter(gray, 180) if turned_first else gray
    t_page, t_flat = level(steps.rotate_quarter(base, rotation), options)
    turned = attempt(t_page, t_flat, first, options)
    if turned.score <= best.score:
        return page, flat, best
    total = (rotation + (180 if turned_first else 0)) % 360
    chain = (f"rotate_{total}", *turned.chain) if total else turned.chain
    return t_page, t_flat, replace(turned, chain=chain)


def retried(page: np.ndarray, flat: np.ndarray, best: Candidate,
            options: OcrOptions) -> Candidate:
    """Other chains for a poor reading; the best-scoring reading wins."""
    for how in options.retries:
        if best.score >= options.retry_below:
            break
        other = attempt(page, flat, how, options)
        if other.score > best.score:
            best = replace(other, chain=(*rotation_of(best), *other.chain))
    return best


def rotation_of(candidate: Candidate) -> tuple[str, ...]:
    return tuple(c for c in candidate.chain if c.startswith("rotate_"))


def crop(flat: np.ndarray, bbox: BBox) -> np.ndarray:
    """A word's crop with a margin above and below (the recogniser wants some paper
    round the glyphs) but little to the sides, so neighbours stay out."""
    x0, y0, x1, y1 = bbox
    pad_y, pad_x = max(4, (y1 - y0) // 3), max(2, int((y1 - y0) * CROP_SIDE_MARGIN))
    return flat[max(0, y0 - pad_y):y1 + pad_y, max(0, x0 - pad_x):x1 + pad_x]


def better_text(old: Word, text: str, score: float) -> bool:
    """Whether the second engine's reading should replace Tesseract's: it must be surer,
    plain text without spaces, and not turn a word-shaped reading into a misshapen one
    (28-NOV-2000 into 28-N0V-2000)."""
    if not text or not text.isascii() or " " in text or score <= old.conf:
        return False
    return plausible(text) or not plausible(old.text)


def recheck_words(words: list[Word], flat: np.ndarray) -> tuple[list[Word], int]:
    """Re-read doubtful words with the second engine, one crop per word."""
    doubtful = [i for i, w in enumerate(words)
                if w.conf < RECHECK_BELOW and real_word(w.text)]
    results = rapid.recognise([crop(flat, words[i].bbox) for i in doubtful])
    out, changed = list(words), 0
    for i, (text, score) in zip(doubtful, results, strict=True):
        if better_text(words[i], text, score):
            out[i] = Word(text, round(score, 4), words[i].bbox, words[i].line)
            changed += text != words[i].text
    return out, changed


def unread_ink(flat: np.ndarray, words: list[Word]) -> list[BBox]:
    """Boxes of text-like ink that no word covers: lines Tesseract's layout skipped."""
    heights = [w.bbox[3] - w.bbox[1] for w in words if real_word(w.text)]
    if len(heights) < 3:
        return []
    # Found at half resolution: regions are whole words, so that is plenty.
    half = steps.downsample(flat, 0.5)
    line_h = float(np.median(heights)) / 2
    ink = steps.despeckle(steps.binarise_otsu(half)) < 128
    for x0, y0, x1, y1 in (w.bbox for w in words):
        ink[max(0, y0 // 2 - 2):y1 // 2 + 2, max(0, x0 // 2 - 2):x1 // 2 + 2] = False
    joined = cv2.dilate(ink.astype(np.uint8), cv2.getStructuringElement(
        cv2.MORPH_RECT, (max(3, int(line_h * 0.8)), 1)))
    _count, _labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    boxes = []
    for x, y, w, h, area in stats[1:]:
        if 0.6 * line_h <= h <= 1.8 * line_h and w >= UNREAD_MIN_ASPECT * h and area >= 0.3 * w * h:
            boxes.append((int(x) * 2, int(y) * 2, int(x + w) * 2, int(y + h) * 2))
    return boxes[:MAX_UNREAD_REGIONS]


def read_unread_ink(words: list[Word], flat: np.ndarray) -> tuple[list[Word], int]:
    """Read what Tesseract skipped with the second engine, one crop per region."""
    boxes = unread_ink(flat, words)
    read = zip(boxes, rapid.recognise([crop(flat, b) for b in boxes]), strict=True)
    regions = [(box, text, score) for box, (text, score) in read
               if score >= 0.85 and text.isascii() and real_word(text)]
    if not regions:
        return words, 0
    merged = slot_in(words, regions)
    return merged, len(merged) - len(words)


def slot_in(words: list[Word], regions: list[tuple[BBox, str, float]]) -> list[Word]:
    """Words read in regions (box, text, score) joined to a page's words: a region's words
    join the line they sit on, or a new one between two, in left-to-right order; the
    lines are numbered 0, 1, 2... again."""
    slots = [line_of(words, box) for box, _text, _score in regions]
    number = {slot: i for i, slot in enumerate(sorted({*(w.line for w in words), *slots}))}
    found = [Word(token, round(score, 4), word_box, number[slot])
             for (box, text, score), slot in zip(regions, slots, strict=True)
             for token, word_box in zip(text.split(), share_width(text.split(), box),
                                        strict=True)]
    kept = [replace(w, line=number[w.line]) for w in words]
    return sorted([*kept, *found], key=lambda w: (w.line, w.bbox[0]))


def line_of(words: list[Word], box: BBox) -> float:
    """The slot of the line a box sits on: that line's number (the line whose words
    overlap it most vertically), or a number halfway between the lines above and below."""
    middle = (box[1] + box[3]) / 2
    for w in words:
        if w.bbox[1] <= middle <= w.bbox[3]:
            return float(w.line)
    above = [w.line for w in words if w.bbox[3] < middle]
    return (max(above) if above else -1) + 0.5


def second_opinion(page: np.ndarray, flat: np.ndarray, best: Candidate,
                   options: OcrOptions) -> Candidate:
    """Doubtful words re-read; a page still poor read whole by the second engine."""
    if not options.second_engine or not rapid.available():
        return best
    words, _changed = recheck_words(best.words, flat)
    words, _added = read_unread_ink(words, flat)
    best = replace(best, words=words, score=quality(words),
                   chain=(*best.chain, "recheck_words_rapidocr", "unread_ink_rapidocr"))
    if best.score >= options.flag_below:
        return best
    whole = rapid.read_words(flat)
    score = quality(whole)
    if score <= best.score:
        return best
    return Candidate(whole, flat, (*rotation_of(best), "normalise_illumination", "rapidocr"),
                     score)


def read_page(image: np.ndarray, number: int, options: OcrOptions) -> PageResult:
    """Read one page image: the best reading any chain gives, flagged when still poor."""
    gray = steps.to_gray(image)
    check_page(gray, number)
    page, flat, best = oriented(gray, options)
    best = retried(page, flat, best, options)
    best = second_opinion(page, flat, best, options)
    chain = ("deskew", *best.chain) if options.deskew else best.chain
    flagged = best.score < options.flag_below
    reading = PageReading(
        number=number, width=page.shape[1], height=page.shape[0], words=tuple(best.words),
        source="ocr", chain=chain, quality=round(best.score, 3), flagged=flagged,
    )
    cleaned = best.cleaned
    if cleaned.shape != page.shape:  # an enlarging chain: keep the derivative page-sized
        cleaned = steps.downsample(cleaned, page.shape[1] / cleaned.shape[1])
    return PageResult(reading=reading, page_image=page, cleaned_image=cleaned)

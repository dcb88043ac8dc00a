"""Re-read one value's box with a reader set for its field (issue 10).

Extraction finds a value that fails its field's check, or one it is unsure of; ingest
crops that box from the page image (the image word boxes refer to) and asks here for
fresh readings. Each reading is one line of Tesseract (page segmentation 7) on a cleaned
crop, limited to the characters the field can hold: digits and separators for a date,
capitals, digits and separators for a reference. Nothing here knows what the value
should be: extraction checks each reading with the field's normaliser and decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from ocr import steps, tesseract
from ocr.records import BBox

# The characters each kind of value can hold. A date may be printed with a month name
# ("12 MAR 1987"), so it keeps letters; a reference is capitals, digits and separators.
DIGITS: Final = "0123456789"
UPPER: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
WHITELISTS: Final[dict[str, str | None]] = {
    "date": DIGITS + "/.- " + UPPER + UPPER.lower(),
    "date-numeric": DIGITS + "/.-",
    "reference": UPPER + DIGITS + "/-",
    "text": None,
}
# Margin around the box, in box heights: a value's box is its words' tight union, and
# Tesseract reads a line better with some white around it.
MARGIN_X, MARGIN_Y = 0.6, 0.35
# Glyphs this small are upscaled so their height is about this many pixels.
LINE_HEIGHT_PX = 40
MAX_UPSCALE = 4.0


@dataclass(frozen=True)
class Reread:
    """One fresh reading of a box, and how it was read."""

    text: str
    how: str  # e.g. "tesseract psm 7, date characters"


def crop(image: np.ndarray, bbox: BBox) -> np.ndarray | None:
    """The box with a margin, or None when it lies outside the image or is empty."""
    x0, y0, x1, y1 = bbox
    height = max(1, y1 - y0)
    mx, my = int(MARGIN_X * height), int(MARGIN_Y * height)
    h, w = image.shape[:2]
    a, b = max(0, x0 - mx), max(0, y0 - my)
    c, d = min(w, x1 + mx), min(h, y1 + my)
    if c - a < 2 or d - b < 2:
        return None
    return image[b:d, a:c]


def prepared(piece: np.ndarray, height: int) -> np.ndarray:
    """The crop flattened and scaled so its text is about LINE_HEIGHT_PX tall."""
    gray = steps.to_gray(piece)
    factor = min(MAX_UPSCALE, LINE_HEIGHT_PX / max(1, height))
    if factor > 1.2:
        gray = steps.upsample(gray, factor)
    return steps.normalise_illumination(gray)


def reread(image: np.ndarray, bbox: BBox, kinds: tuple[str, ...]) -> tuple[Reread, ...]:
    """Fresh readings of the box, one per character set in `kinds` (keys of WHITELISTS),
    in that order; readings that came back empty are left out."""
    piece = crop(image, bbox)
    if piece is None:
        return ()
    line = prepared(piece, bbox[3] - bbox[1])
    out: list[Reread] = []
    for kind in kinds:
        if kind not in WHITELISTS:
            continue
        # a ruled box's edge inside the margin reads as "|": a rule, not text
        text = tesseract.read_line(line, whitelist=WHITELISTS[kind]).strip("| ")
        if text:
            out.append(Reread(text, f"tesseract psm 7, {kind} characters"))
    return tuple(out)

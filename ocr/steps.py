"""Page cleanup steps: each one a small function from a grayscale uint8 image to another.

Geometric steps (rotate, deskew) change where things are, so they run first and
define the page image that word boxes refer to; photometric steps only change
pixel values and can be switched on or off freely.
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

Step = Callable[[np.ndarray], np.ndarray]


def to_gray(image: np.ndarray) -> np.ndarray:
    """Collapse colour to one channel; OCR and every later step work on gray."""
    if image.ndim == 2:
        return image
    if image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_RGBA2GRAY)
    return cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)


def rotate_quarter(image: np.ndarray, clockwise_degrees: int) -> np.ndarray:
    """Rotate by a multiple of 90 degrees, losslessly."""
    turns = {0: None, 90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180,
             270: cv2.ROTATE_90_COUNTERCLOCKWISE}[clockwise_degrees % 360]
    return image if turns is None else cv2.rotate(image, turns)


def estimate_skew(gray: np.ndarray, max_degrees: float = 15.0) -> float:
    """Angle (degrees, counter-clockwise positive) that makes text lines horizontal.

    Uses the projection-profile method on a downscaled ink mask: the angle at
    which row sums are most peaked is the one where lines are level. The page
    is flattened first, or the edge of grey paper on a white platen would be
    taken for ink and its tilt measured instead of the text's.
    """
    scale = 800.0 / max(gray.shape)
    small = cv2.resize(normalise_illumination(gray), None, fx=scale, fy=scale,
                       interpolation=cv2.INTER_AREA)
    ink = glyph_mask(cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1])
    if ink.mean() < 0.002:
        return 0.0

    def score(angle: float) -> float:
        h, w = ink.shape
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        rotated = cv2.warpAffine(ink, matrix, (w, h), flags=cv2.INTER_NEAREST)
        return float(np.var(rotated.sum(axis=1)))

    coarse = [float(a) for a in np.arange(-max_degrees, max_degrees + 0.01, 1.0)]
    best = max(coarse, key=score)
    fine = [float(a) for a in np.arange(best - 1.0, best + 1.01, 0.1) if abs(a) <= max_degrees]
    level: float = max(fine, key=score)
    return round(level, 2)


def glyph_mask(ink: np.ndarray) -> np.ndarray:
    """Keep only glyph-sized blobs of a 0/1 ink mask, as float32.

    Page edges, copier borders, rules and shadows are long or large, and they
    would pull the projection profile towards their own angle (often 0, the
    scanner's frame) instead of the text's.
    """
    _count, labels, stats, _ = cv2.connectedComponentsWithStats(
        ink.astype(np.uint8), connectivity=8)
    h, w = ink.shape
    width, height = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    keep = (height <= h * 0.03) & (width <= w * 0.05) & (stats[:, cv2.CC_STAT_AREA] >= 2)
    keep[0] = False  # the background
    return keep[labels].astype(np.float32)


def rotate_small(gray: np.ndarray, angle: float) -> np.ndarray:
    """Rotate by a small angle about the centre, filling with white paper."""
    if abs(angle) < 0.05:
        return gray
    h, w = gray.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, matrix, (w, h), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=255)


def deskew(gray: np.ndarray) -> np.ndarray:
    """Level the text lines (up to +/-15 degrees)."""
    return rotate_small(gray, estimate_skew(gray))


def normalise_illumination(gray: np.ndarray) -> np.ndarray:
    """Divide by the estimated paper background: lifts grey paper, shadows and dark borders.

    The background is a morphological closing with a kernel wider than text
    strokes, so the ink disappears from it and only lighting, borders and
    holes remain; dividing them out leaves dark text on white.
    """
    scale = 0.25
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (15, 15))
    background = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel)
    background = cv2.GaussianBlur(background, (0, 0), 3)
    background = cv2.resize(background, (gray.shape[1], gray.shape[0]),
                            interpolation=cv2.INTER_LINEAR)
    ratio = gray.astype(np.float32) / np.maximum(background.astype(np.float32), 1.0)
    return np.clip(ratio * 255.0, 0, 255).astype(np.uint8)


def stretch_contrast(gray: np.ndarray) -> np.ndarray:
    """Map the 1st..99.5th percentile to full range: restores faded toner."""
    low, high = np.percentile(gray, (1.0, 99.5))
    if high - low < 10:
        return gray
    out = (gray.astype(np.float32) - low) * (255.0 / (high - low))
    return np.clip(out, 0, 255).astype(np.uint8)


def denoise(gray: np.ndarray) -> np.ndarray:
    """Median filter: removes photocopy speckle and JPEG noise, keeps stroke edges."""
    return cv2.medianBlur(gray, 3)


def remove_rules(gray: np.ndarray) -> np.ndarray:
    """Paint table rules and box edges white.

    Tesseract's layout analysis takes a ruled table for a picture and skips
    its text; lines much longer than any glyph are found by morphological
    opening with long thin kernels and erased, leaving the cell text.
    """
    ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1]
    h, w = gray.shape
    rules = np.zeros_like(ink)
    for size in ((max(w // 25, 40), 1), (1, max(h // 35, 40))):
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, size)
        rules = cv2.bitwise_or(rules, cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel))
    if not rules.any():
        return gray
    rules = cv2.dilate(rules, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    out = gray.copy()
    out[rules > 0] = 255
    return out


def upsample(gray: np.ndarray, factor: float) -> np.ndarray:
    """Enlarge a low-resolution scan so Tesseract sees ~300 dpi glyph sizes."""
    if factor <= 1.0:
        return gray
    return cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)


PHOTOMETRIC_STEPS: dict[str, Step] = {
    "normalise_illumination": normalise_illumination,
    "stretch_contrast": stretch_contrast,
    "denoise": denoise,
    "remove_rules": remove_rules,
}

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
    """Angle (degrees, counter-clockwise positive) that makes text lines horizontal."""
    return estimate_skew_flat(normalise_illumination(gray), max_degrees)


def estimate_skew_flat(flat: np.ndarray, max_degrees: float = 15.0) -> float:
    """The skew of an already flattened page (see `normalise_illumination`).

    Uses the projection-profile method on a downscaled ink mask: the angle at
    which row sums are most peaked is the one where lines are level. The page
    is flattened first, or the edge of grey paper on a white platen would be
    taken for ink and its tilt measured instead of the text's.
    """
    scale = 800.0 / max(flat.shape)
    small = cv2.resize(flat, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
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


def looks_upside_down(flat: np.ndarray) -> bool:
    """Whether the text of a levelled, flattened page seems to stand on its head.

    In Latin script far more ink rises above the x-height band (capitals, b d f h k
    l t, the dots of i and j) than hangs below the baseline (g j p q y); on an
    upside-down page it is the other way round. Measured line by line on the row
    profile of glyph-sized ink; the reading's quality still has the last word.
    """
    scale = 1600.0 / max(flat.shape)
    small = cv2.resize(flat, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ink = glyph_mask(cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1])
    profile = ink.sum(axis=1)
    on = profile > max(float(profile.max()) * 0.05, 2.0)
    above = below = 0.0
    edges = np.flatnonzero(np.diff(np.concatenate(([0], on.astype(np.int8), [0]))))
    for start, end in zip(edges[::2], edges[1::2], strict=True):
        line = profile[start:end]
        if len(line) < 4:
            continue
        core = np.flatnonzero(line >= 0.5 * line.max())
        above += float(line[:core[0]].sum())
        below += float(line[core[-1] + 1:].sum())
    return below > 2.0 * above and below > 100


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
    small: np.ndarray = keep[labels].astype(np.float32)
    return small


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


def coarse_ink(gray: np.ndarray, factor: float = 0.25) -> tuple[np.ndarray, float]:
    """An Otsu ink mask of the page shrunk by `factor`: borders and holes are large, so
    they are found at a quarter of the resolution for a sixteenth of the work."""
    small = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    return cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1], factor


def paint_white(gray: np.ndarray, small_mask: np.ndarray, grow: int) -> np.ndarray:
    """Paint white where a coarse mask is set, enlarged to the page and grown a little."""
    mask = cv2.dilate(small_mask.astype(np.uint8), cv2.getStructuringElement(
        cv2.MORPH_RECT, (grow, grow)))
    mask = cv2.resize(mask, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_NEAREST)
    out = gray.copy()
    out[mask > 0] = 255
    return out


def remove_borders(gray: np.ndarray) -> np.ndarray:
    """Paint white the dark bands where the copier saw past the paper's edge.

    A border is ink connected to the image edge and far larger than any glyph;
    text never touches the edge of a scan, so nothing readable is lost.
    """
    ink, _factor = coarse_ink(gray)
    _count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    h, w = ink.shape
    x, y = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_TOP]
    bw, bh = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    touches = (x == 0) | (y == 0) | (x + bw >= w) | (y + bh >= h)
    border = touches & ((bw > w * 0.15) | (bh > h * 0.15))
    border[0] = False
    if not border.any():
        return gray
    return paint_white(gray, border[labels], 3)


def remove_punch_holes(gray: np.ndarray) -> np.ndarray:
    """Paint white filing holes: solid round blobs, 4-10 mm across, in the page margins.

    Sizes are relative to the page width (an A4 page is 210 mm wide), so the step
    works at any resolution; no glyph is a solid disc that large.
    """
    ink, _factor = coarse_ink(gray)
    _count, labels, stats, centroids = cv2.connectedComponentsWithStats(ink, connectivity=8)
    h, w = ink.shape
    lo, hi = w * 4 / 210, w * 10 / 210
    bw, bh = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    fill = stats[:, cv2.CC_STAT_AREA] / np.maximum(bw * bh, 1)
    cx, cy = centroids[:, 0], centroids[:, 1]
    margin = (np.minimum(cx, w - cx) < w * 0.15) | (np.minimum(cy, h - cy) < h * 0.12)
    hole = ((bw >= lo) & (bw <= hi) & (bh >= lo) & (bh <= hi) & (abs(bw - bh) < 0.25 * bw)
            & (fill > 0.6) & margin)
    hole[0] = False
    if not hole.any():
        return gray
    return paint_white(gray, hole[labels], 5)


def stretch_contrast(gray: np.ndarray) -> np.ndarray:
    """Map the 1st..99.5th percentile to full range: restores faded toner."""
    low, high = np.percentile(gray, (1.0, 99.5))
    if high - low < 10:
        return gray
    out = (gray.astype(np.float32) - low) * (255.0 / (high - low))
    stretched: np.ndarray = np.clip(out, 0, 255).astype(np.uint8)
    return stretched


def denoise(gray: np.ndarray) -> np.ndarray:
    """Median filter: removes photocopy speckle and JPEG noise, keeps stroke edges."""
    return cv2.medianBlur(gray, 3)


def smooth(gray: np.ndarray) -> np.ndarray:
    """Gaussian blur of about a stroke's width: averages away heavy grain and JPEG blocks
    so the binarisation that follows sees strokes, not noise."""
    return cv2.GaussianBlur(gray, (0, 0), 1.2)


def binarise_otsu(gray: np.ndarray) -> np.ndarray:
    """One global threshold: right once the background has been divided out."""
    return cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)[1]


def binarise_sauvola(gray: np.ndarray, k: float = 0.2) -> np.ndarray:
    """Sauvola's local threshold (mean and deviation in a window about a text line high):
    copes with faded toner and shadows a global threshold cannot."""
    window = max(15, (gray.shape[1] // 80) | 1)
    g = gray.astype(np.float32)
    mean = cv2.boxFilter(g, -1, (window, window))
    sq = cv2.boxFilter(g * g, -1, (window, window))
    std = np.sqrt(np.maximum(sq - mean * mean, 0))
    threshold = mean * (1 + k * (std / 128.0 - 1))
    return np.where(g > threshold, 255, 0).astype(np.uint8)


def despeckle(binary: np.ndarray) -> np.ndarray:
    """Erase isolated dots of a black-on-white image; dots beside text (full stops in
    dates, the dots of i and j) are kept because they sit next to bigger ink."""
    ink = (binary < 128).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    unit = max(binary.shape[1] / 2480, 0.25)  # pixels per 1/300 inch
    small = stats[:, cv2.CC_STAT_AREA] < 40 * unit * unit
    small[0] = False
    if not small.any():
        return binary
    big = (~small)[labels] & (ink > 0)
    reach = max(5, int(30 * unit)) | 1  # 1/10 inch: dots of i and j, full stops
    near = cv2.dilate(big.astype(np.uint8), cv2.getStructuringElement(cv2.MORPH_RECT,
                                                                      (reach, reach)))
    lonely = small[labels] & (near == 0)
    out = binary.copy()
    out[lonely] = 255
    return out


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


def downsample(gray: np.ndarray, factor: float) -> np.ndarray:
    """Shrink by area averaging, which also averages away grain."""
    if factor >= 1.0:
        return gray
    return cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)


def upsample_2x(gray: np.ndarray) -> np.ndarray:
    """Double the size: small or thin print reads better with bigger glyphs."""
    return upsample(gray, 2.0)


# Steps that change the image size (the pipeline maps word boxes back).
SCALING_STEPS: dict[str, float] = {"upsample_2x": 2.0}

PHOTOMETRIC_STEPS: dict[str, Step] = {
    "upsample_2x": upsample_2x,
    "normalise_illumination": normalise_illumination,
    "remove_borders": remove_borders,
    "remove_punch_holes": remove_punch_holes,
    "smooth": smooth,
    "binarise_otsu": binarise_otsu,
    "binarise_sauvola": binarise_sauvola,
    "despeckle": despeckle,
    "stretch_contrast": stretch_contrast,
    "denoise": denoise,
    "remove_rules": remove_rules,
}

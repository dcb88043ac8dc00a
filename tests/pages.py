"""Page images for tests that need a page OCR cannot read: ink everywhere, no letters."""

from __future__ import annotations

import cv2
import numpy as np


def scrawl(seed: int = 5) -> np.ndarray:
    """An A4 page at 150 dpi of random pen strokes and blots, not a letter among them."""
    rng = np.random.default_rng(seed)
    page = np.full((1754, 1240), 255, np.uint8)
    for _ in range(400):
        x, y = rng.integers(0, 1240), rng.integers(0, 1754)
        dx, dy = rng.integers(-200, 200, 2)
        cv2.line(page, (int(x), int(y)), (int(x + dx), int(y + dy)), 0, int(rng.integers(2, 9)))
    return page

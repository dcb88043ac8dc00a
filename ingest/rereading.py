"""The seam between extraction's re-reading and OCR's crop reader (issue 10).

Extraction and OCR never import each other; ingest, which holds both a document's page
images and its readings, hands extraction a `Rereader` that crops a box from the page
image (the image word boxes refer to: the scan after rotation and deskew) and reads it
again with `ocr.reread`. Pages read from a text layer have no image and are not re-read.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

import cv2
import numpy as np

from extraction.rereading import Rereader
from extraction.values import BBox
from ocr.errors import OcrError
from ocr.reread import reread


def page_rereader(images: Mapping[int, bytes | np.ndarray]) -> Rereader:
    """A re-reader over the document's page images (PNG bytes or decoded gray arrays),
    by page number; a page it has no image of gives no reading."""

    @cache
    def gray(page: int) -> np.ndarray | None:
        image = images.get(page)
        if image is None or isinstance(image, np.ndarray):
            return image
        decoded = cv2.imdecode(np.frombuffer(image, np.uint8), cv2.IMREAD_GRAYSCALE)
        return decoded if decoded is not None and decoded.size else None

    def read_again(page: int, bbox: BBox, kinds: tuple[str, ...]
                   ) -> tuple[tuple[str, str], ...]:
        image = gray(page)
        if image is None:
            return ()
        try:
            return tuple((r.text, r.how) for r in reread(image, bbox, kinds))
        except OcrError:
            return ()

    return read_again

"""The only caller of RapidOCR, casescan's second engine (PP-OCRv4 models as ONNX
files inside the `rapidocr-onnxruntime` wheel; nothing is downloaded).

Tesseract stays the first engine: it is cheaper, gives word boxes and keeps the
spaces between words. RapidOCR's recogniser re-reads the words Tesseract was
unsure of (a crop per word, so the spaces question never arises), and its
detector plus recogniser read whole pages that stay poor after every cleanup
chain. Models load lazily, once per worker process, on one thread each, since
casescan parallelises across pages in processes.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import cv2
import numpy as np

from ocr.boxes import enclosing, share_width
from ocr.records import Word

THREADS = {"intra_op_num_threads": 1, "inter_op_num_threads": 1}


@cache
def available() -> bool:
    """Whether the second engine is installed (it is a declared dependency, but a
    trimmed install still reads pages with Tesseract alone)."""
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


@cache
def _engine() -> Any:
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR(**THREADS)


def _bgr(image: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR) if image.ndim == 2 else image


def recognise(crops: list[np.ndarray]) -> list[tuple[str, float]]:
    """Text and confidence (0..1) of each crop, each holding one word or a short run."""
    if not crops:
        return []
    results, _elapsed = _engine().text_rec([_bgr(c) for c in crops])
    return [(str(text).strip(), float(score)) for text, score in results]


def read_words(image: np.ndarray) -> list[Word]:
    """Read a whole page: detected lines split into words at the spaces RapidOCR reads,
    each word boxed by its own characters (so a box still points at the word)."""
    result, _elapsed = _engine()(_bgr(image), return_word_box=True)
    words: list[Word] = []
    for line, item in enumerate(sorted(result or [], key=lambda r: (r[0][0][1], r[0][0][0]))):
        quad, text, score = item[0], str(item[1]), float(item[2])
        boxes = item[3] if len(item) > 3 else None
        words.extend(_split_line(quad, text, score, boxes, line))
    return words


def _split_line(quad: Any, text: str, score: float, boxes: Any, line: int) -> list[Word]:
    tokens = text.split()
    if boxes and len(boxes) == len(tokens):
        return [Word(token, score, enclosing(box), line)
                for token, box in zip(tokens, boxes, strict=True)]
    # No per-word boxes: share the line's width among its words by their length.
    return [Word(token, score, box, line)
            for token, box in zip(tokens, share_width(tokens, enclosing(quad)), strict=True)]

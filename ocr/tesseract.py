"""The only caller of Tesseract: version check, arguments, result parsing.

Tesseract runs single-threaded (OMP_THREAD_LIMIT=1) because casescan
parallelises across pages in processes, which scales better on few cores.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

import cv2
import numpy as np
import pytesseract

from ocr.errors import TesseractMissing
from ocr.records import Word

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

# Sauvola thresholding copes with uneven photocopies far better than Otsu.
BASE_CONFIG = "-c thresholding_method=2 -c preserve_interword_spaces=1"


@cache
def tesseract_version() -> str:
    """Return the Tesseract version, or raise a clear error when it is absent."""
    try:
        return str(pytesseract.get_tesseract_version())
    except (pytesseract.TesseractNotFoundError, OSError) as exc:
        raise TesseractMissing(
            "tesseract is not installed or not on PATH (apt-get install tesseract-ocr)"
        ) from exc


@contextmanager
def image_file(image: np.ndarray) -> Iterator[str]:
    """The image as an uncompressed PGM file for Tesseract to read.

    Handing pytesseract an array makes it write a compressed PNG first, which
    costs more CPU than the OCR of a clean page; a PGM costs almost nothing.
    """
    with tempfile.NamedTemporaryFile(suffix=".pgm", prefix="casescan-") as handle:
        if not cv2.imwrite(handle.name, image):
            raise ValueError("could not write the page image for Tesseract")
        yield handle.name


def read_words(image: np.ndarray, *, lang: str = "eng", psm: int = 3) -> list[Word]:
    """Run Tesseract on a grayscale or binary image and return its words in reading order."""
    tesseract_version()
    with image_file(image) as path:
        data = pytesseract.image_to_data(
            path, lang=lang, config=f"--psm {psm} {BASE_CONFIG}",
            output_type=pytesseract.Output.DICT,
        )
    words: list[Word] = []
    line_ids: dict[tuple[int, int, int], int] = {}
    for i, text in enumerate(data["text"]):
        text = text.strip()
        conf = float(data["conf"][i])
        if not text or conf < 0:
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        line = line_ids.setdefault(key, len(line_ids))
        x, y, w, h = (int(data[k][i]) for k in ("left", "top", "width", "height"))
        words.append(Word(text=text, conf=conf / 100.0, bbox=(x, y, x + w, y + h), line=line))
    return words


def detect_rotation(image: np.ndarray) -> int:
    """Clockwise rotation (0/90/180/270) Tesseract's OSD says the page needs, 0 if unsure."""
    tesseract_version()
    try:
        with image_file(image) as path:
            osd = pytesseract.image_to_osd(path, config="--psm 0 -c min_characters_to_try=20")
    except pytesseract.TesseractError:
        return 0
    fields = dict(line.split(":", 1) for line in osd.splitlines() if ":" in line)
    try:
        angle = int(fields.get("Rotate", "0").strip())
        confidence = float(fields.get("Orientation confidence", "0").strip())
    except ValueError:
        return 0
    # The caller keeps whichever reading scores better, so a weak hint is still worth a try.
    return angle if confidence >= 1.0 else 0


def read_line(image: np.ndarray, *, whitelist: str | None = None, lang: str = "eng") -> str:
    """One line of text (page segmentation 7), optionally limited to `whitelist`'s
    characters: a crop re-read for a field whose characters are known (a date, a
    reference). Returns the text as read, "" when Tesseract finds none."""
    tesseract_version()
    config = f"--psm 7 {BASE_CONFIG}"
    if whitelist:
        config += f" -c tessedit_char_whitelist={_quoted(whitelist)}"
    with image_file(image) as path:
        try:
            text = pytesseract.image_to_string(path, lang=lang, config=config)
        except pytesseract.TesseractError:
            return ""
    return " ".join(text.split())


def _quoted(chars: str) -> str:
    """Characters for a `-c` value: pytesseract splits the config with shlex, so a
    space or quote in the whitelist is escaped."""
    return "".join("\\" + c if not c.isalnum() else c for c in chars)

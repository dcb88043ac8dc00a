"""Pages of word boxes laid out as a typist would: lines of words, blank lines between
paragraphs. The words are what OCR gives (text, confidence, box), with no OCR errors, so
tests of the readers above OCR can state exactly what a page says."""

from __future__ import annotations

from collections.abc import Sequence

from ocr.records import PageReading, Word

CHAR_W = 22
LINE_H = 40
PITCH = 60
COLUMN = 900  # where a labelled line's value starts


def page(number: int, lines: Sequence[str], conf: float = 0.95) -> PageReading:
    """Each string a line; "" a paragraph gap; "Label:|value" a label and its value in two
    cells (value at COLUMN)."""
    words: list[Word] = []
    y = 100
    for n, line in enumerate(lines):
        if not line:
            y += PITCH
            continue
        parts = line.split("|")
        for part, x in zip(parts, (100, COLUMN), strict=False):
            for token in part.split():
                w = CHAR_W * len(token)
                words.append(Word(token, conf, (x, y, x + w, y + LINE_H), n))
                x += w + CHAR_W
        y += PITCH
    return PageReading(number, 2480, 3508, tuple(words), "ocr")

"""Records the OCR stage hands on: words with boxes and confidences, per page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

BBox = tuple[int, int, int, int]


@dataclass(frozen=True)
class Word:
    """A word as read, with `conf` in 0..1 and `bbox` [x0, y0, x1, y1] in page pixels.

    `line` numbers the word's line on its page in reading order, so that
    consumers can rebuild lines without re-deriving geometry.
    """

    text: str
    conf: float
    bbox: BBox
    line: int


@dataclass(frozen=True)
class PageReading:
    """The reading of one page: its words, where they came from and how good it looks."""

    number: int
    width: int
    height: int
    words: tuple[Word, ...]
    source: Literal["ocr", "text-layer"]
    chain: tuple[str, ...] = ()
    quality: float = 0.0
    error: str | None = None
    # The best reading stayed poor: a person should look at this page.
    flagged: bool = False

    @property
    def text(self) -> str:
        """The page text in reading order, one line per OCR line."""
        lines: dict[int, list[str]] = {}
        for word in self.words:
            lines.setdefault(word.line, []).append(word.text)
        return "\n".join(" ".join(ws) for _, ws in sorted(lines.items()))

"""Rebuild lines and cells from word boxes.

OCR engines and PDF text layers number lines differently, and Tesseract may
join two form columns into one line; geometry alone is common to both, so
extraction groups words itself: words that share a baseline band form a
line, and a wide horizontal gap splits a line into cells.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import median
from typing import Protocol

from extraction.values import BBox

JOINERS = frozenset({"-", "–", "/", "'"})
# Tick-box glyphs carry an answer ("☒ Yes ☐ No") though they hold no letter.
BOXES = frozenset("☐☑☒□■✓✔")


def has_content(text: str) -> bool:
    return any(c.isalnum() for c in text)


class WordLike(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def conf(self) -> float: ...
    @property
    def bbox(self) -> BBox: ...


class PageLike(Protocol):
    @property
    def number(self) -> int: ...
    @property
    def words(self) -> Sequence[WordLike]: ...
    @property
    def text(self) -> str: ...


@dataclass(frozen=True)
class Token:
    text: str
    conf: float
    bbox: BBox


@dataclass(frozen=True)
class Cell:
    """Words of one line that sit together, with no wide gap between them."""

    tokens: tuple[Token, ...]
    line: int

    @property
    def bbox(self) -> BBox:
        return union(t.bbox for t in self.tokens)

    @property
    def text(self) -> str:
        return " ".join(t.text for t in self.tokens)


def union(boxes: Iterable[BBox]) -> BBox:
    """The smallest box holding all of `boxes`."""
    xs0, ys0, xs1, ys1 = zip(*boxes, strict=True)
    return (min(xs0), min(ys0), max(xs1), max(ys1))


def group_lines(words: Sequence[WordLike]) -> list[list[Token]]:
    """Words sorted into lines top to bottom, each line left to right."""
    return sorted_lines(content_tokens(words))


def content_tokens(words: Sequence[WordLike]) -> list[Token]:
    """The words that can carry content: no table rules, box edges or specks."""
    # Tokens with no letter or digit are table rules, box edges and specks, never content,
    # except joiners: a typewriter prints "AL - HASSAN" for a hyphenated name.
    tokens = [Token(w.text, w.conf, w.bbox) for w in words
              if any(c.isalnum() for c in w.text) or w.text.strip() in JOINERS
              or (w.text.strip() and set(w.text.strip()) <= BOXES)]
    if not tokens:
        return []
    # A "word" far shorter than the page's text is a speck read as a character; a hyphen
    # is short too, but long and thin where a speck is round.
    typical = median(t.bbox[3] - t.bbox[1] for t in tokens)
    return [t for t in tokens if t.bbox[3] - t.bbox[1] >= 0.35 * typical or is_dash(t)]


def is_dash(token: Token) -> bool:
    x0, y0, x1, y1 = token.bbox
    return token.text.strip() in {"-", "–"} and (x1 - x0) >= 2 * max(1, y1 - y0)


def sorted_lines(tokens: list[Token]) -> list[list[Token]]:
    tokens = sorted(tokens, key=lambda t: (t.bbox[1] + t.bbox[3]) / 2)
    lines: list[list[Token]] = []
    for token in tokens:
        centre = (token.bbox[1] + token.bbox[3]) / 2
        for line in reversed(lines[-3:]):
            top = median(t.bbox[1] for t in line)
            bottom = median(t.bbox[3] for t in line)
            if top <= centre <= bottom:
                line.append(token)
                break
        else:
            lines.append([token])
    return [sorted(line, key=lambda t: t.bbox[0]) for line in lines]


def split_cells(line: list[Token], line_no: int, gap_factor: float = 1.6) -> list[Cell]:
    """Split a line where the gap between words is much wider than the text is tall."""
    height = median(t.bbox[3] - t.bbox[1] for t in line)
    cells: list[list[Token]] = [[line[0]]]
    for prev, token in zip(line, line[1:], strict=False):
        if token.bbox[0] - prev.bbox[2] > gap_factor * height:
            cells.append([token])
        else:
            cells[-1].append(token)
    return [Cell(tuple(c), line_no) for c in cells]


def page_cells(words: Sequence[WordLike]) -> list[list[Cell]]:
    """Lines of cells for one page."""
    return [split_cells(line, i) for i, line in enumerate(group_lines(words)) if line]

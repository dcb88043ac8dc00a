"""Every key-value pair of a form page, not only the case fields.

What cloud form extractors call key-value pairs: "Place of birth: Kabul" is a pair whether
or not casescan has a case field for it. A key is a case-field label (found tolerantly,
extraction/labels.py) or any short text closed by a colon or a question mark at the start
of a cell; its value is where a form prints one (the rest of the cell, the next cell, the
cell below: `pairing.value_options`), continued over the lines under it that line up
with it (a wrapped answer). A key with no value keeps an empty one. Nothing is
normalised here: a pair is what the page says, with its boxes and the OCR confidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from extraction.labels import LabelTable, label_table
from extraction.layout import Cell, PageLike, Token, has_content, page_cells, union
from extraction.pairing import LABEL_ENDINGS, closing, match_label, split_lines, value_options
from extraction.values import BBox

# A key closed by a colon is at most this many words ("Date of the applicant's first
# arrival in the United Kingdom:"); longer, it is a sentence that happens to hold one.
MAX_KEY_WORDS = 10
# A wrapped value's next line starts this close (in text heights) to its first line's
# left edge, and no further below than this.
WRAP_ALIGN, WRAP_GAP = 1.5, 1.0


@dataclass(frozen=True)
class PairKey:
    text: str
    bbox: BBox


@dataclass(frozen=True)
class PairValue:
    """The value as printed ("" and no box where the key has none); `confidence` is the
    OCR confidence of its least certain word."""

    text: str
    bbox: BBox | None
    confidence: float


@dataclass(frozen=True)
class Pair:
    page: int
    key: PairKey
    value: PairValue

    def as_json(self) -> dict[str, object]:
        """The shape of `ingest --json` "pairs" items."""
        return {"page": self.page,
                "key": {"text": self.key.text, "bbox": list(self.key.bbox)},
                "value": {"text": self.value.text,
                          "bbox": list(self.value.bbox) if self.value.bbox else None,
                          "confidence": round(self.value.confidence, 3)}}


def key_words(cell: Cell, table: LabelTable) -> int:
    """How many tokens at the start of `cell` form a key (0: it holds none)."""
    match = match_label(cell, table)
    if match is not None:
        return match.words
    closed = closing(cell.tokens)
    if closed is None or closed > MAX_KEY_WORDS:
        return 0
    key = cell.tokens[:closed]
    if not any(c.isalpha() for t in key for c in t.text):
        return 0  # "12:30" or "1." is not a key
    return closed


def is_row_key(line: list[Cell], j: int) -> bool:
    """A cell of words only (no digit, not a sentence) with another cell to its right on
    its line: a form row "Key   value" printed without a colon."""
    cell = line[j]
    if j + 1 >= len(line) or len(cell.tokens) > MAX_KEY_WORDS:
        return False
    text = cell.text
    return (not any(c.isdigit() for c in text) and sum(c.isalpha() for c in text) >= 2
            and not text.rstrip().endswith(".") and text[:1].isupper())


def wrapped(cells: list[list[Cell]], line: int, first: Cell,
            keys: dict[tuple[int, int], int]) -> list[Token]:
    """The value's own tokens plus the lines under it that continue it: starting where it
    starts, close below, on a line with no key (a line with one is the form's next row)."""
    tokens = list(first.tokens)
    x0, _, _, y1 = first.bbox
    height = first.bbox[3] - first.bbox[1]
    for i in range(line + 1, len(cells)):
        nxt = next(((j, c) for j, c in enumerate(cells[i])
                    if abs(c.bbox[0] - x0) <= WRAP_ALIGN * height), None)
        if (nxt is None or nxt[1].bbox[1] - y1 > WRAP_GAP * height
                or any(keys[(i, j)] for j in range(len(cells[i])))):
            break
        tokens += nxt[1].tokens
        y1 = nxt[1].bbox[3]
    return tokens


def page_pairs(page: PageLike, table: LabelTable | None = None) -> list[Pair]:
    """Every key on the page with its value (empty where it has none), in reading order."""
    table = table or label_table()
    cells = split_lines(page_cells(page.words), table)
    keys = {(i, j): key_words(c, table) for i, line in enumerate(cells)
            for j, c in enumerate(line)}
    for (i, j), k in list(keys.items()):
        if not k and is_row_key(cells[i], j) and not keys[(i, j + 1)]:
            keys[(i, j)] = len(cells[i][j].tokens)
    pairs = []
    for (i, j), k in keys.items():
        if not k:
            continue
        cell = cells[i][j]
        key = cell.tokens[:k]
        options = value_options(cells, i, j, k, lambda a, b: keys[(a, b)] > 0)
        pairs.append(Pair(page.number, PairKey(key_text(key), union(t.bbox for t in key)),
                          value_of(cells, i, j, k, options, keys)))
    return pairs


def key_text(tokens: Sequence[Token]) -> str:
    return " ".join(t.text for t in tokens).rstrip("".join(LABEL_ENDINGS) + " ")


def value_of(cells: list[list[Cell]], i: int, j: int, k: int,
             options: list[tuple[tuple[Token, ...], str]],
             keys: dict[tuple[int, int], int]) -> PairValue:
    if not options:
        return PairValue("", None, 0.0)
    tokens = options[0][0]
    if tokens != cells[i][j].tokens[k:]:  # a cell of its own: it may wrap over lines
        where = next(((a, c) for a, line in enumerate(cells) for c in line
                      if c.tokens and c.tokens[-1] == tokens[-1]), None)
        if where is not None:
            tokens = tuple(wrapped(cells, where[0], where[1], keys))
    tokens = tuple(t for t in tokens if has_content(t.text) or t.text.strip())
    return PairValue(" ".join(t.text for t in tokens), union(t.bbox for t in tokens),
                     min(t.conf for t in tokens))


def file_pairs(pages: Sequence[PageLike], table: LabelTable | None = None) -> tuple[Pair, ...]:
    return tuple(p for page in pages for p in page_pairs(page, table))

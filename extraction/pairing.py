"""Pair labels with their values using word boxes.

A form prints a value to the right of its label, in the next table cell, or
under it. Labels are found tolerantly (synonyms, case, punctuation, OCR slips)
and only at the start of a cell, so a sentence in the notes that happens to
contain 'decision' is not taken for a label.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz

from extraction.labels import (
    HINT_CLOSE,
    HINT_OPEN,
    QUALIFIER_WORDS,
    LabelTable,
    canonical,
    label_table,
    merged,
)
from extraction.layout import BOXES, Cell, Token, has_content, union
from extraction.normalise import squash
from extraction.values import BBox

MIN_LABEL_SCORE = 88.0
LONGER_LABEL_MARGIN = 3.0
LABEL_OCR_FIXES = str.maketrans({"0": "o", "1": "l", "5": "s", "8": "b"})
# A neighbouring cell is taken for a label (not a value) only when it is one beyond
# doubt: a value such as "Work permit" resembles the label "work permitted".
SURE_LABEL_SCORE = 0.95
# A value that ends like a question or a label ("ALLOWED?", "IN FULL:") is label text.
LABEL_ENDINGS = (":", "?")
# A label that asks a question or names an act is long ("Has the applicant been granted
# permission to work"): prefixes this long are tried, not only the longest wording's.
LONG_LABEL_WORDS = 10
# A bracketed hint after a label ("(as on passport)", "(Y/N)") is at most this many words.
MAX_HINT_WORDS = 8
# Words between a matched label and the colon closing it are label text, if this few.
MAX_LABEL_TAIL = 4


@dataclass(frozen=True)
class LabelMatch:
    field: str
    score: float  # 0..1
    words: int  # how many tokens of the cell the label takes
    # how many tokens after those may be label too ("granted" of "Permission to work
    # granted"), or the value ("Decision Granted"): the field decides (extract.py)
    extra: int = 0


@dataclass(frozen=True)
class Candidate:
    """A stretch of text that sits where a field's value should be."""

    field: str
    tokens: tuple[Token, ...]
    label_score: float
    place: str = "right"  # where it sits from its label: "right" (same line) or "below"
    qualifiers: tuple[str, ...] = ()  # words after the label taken as label, not value

    @property
    def text(self) -> str:
        return " ".join(t.text for t in self.tokens)

    @property
    def bbox(self) -> BBox:
        return union([t.bbox for t in self.tokens])

    @property
    def ocr_conf(self) -> float:
        """A value is as trustworthy as its least certain word."""
        return min(t.conf for t in self.tokens)


def best_match(variants: set[str], wordings: tuple[tuple[str, str], ...]
               ) -> tuple[str, float] | None:
    best: tuple[str, float] | None = None
    for wording, field in wordings:
        for candidate in variants:
            if len(wording) <= 4 or len(candidate) <= 4:
                score = 100.0 if candidate == wording else 0.0
            else:
                score = fuzz.ratio(candidate, wording)
            if score >= MIN_LABEL_SCORE and (best is None or score > best[1]):
                best = (field, score)
    return best


def score_label(text: str, table: LabelTable) -> tuple[str, float] | None:
    plain = squash(text)
    variants = {plain, squash(text.translate(LABEL_OCR_FIXES))}
    variants |= {merged(v) for v in variants}
    best = best_match(variants, table.wordings)
    if best is not None and best[1] == 100.0:
        return best
    gists = {g for v in (text, text.translate(LABEL_OCR_FIXES)) if (g := canonical(v))}
    gists |= {merged(g) for g in gists}
    gist = best_match(gists, table.gists)
    if gist is not None and (best is None or gist[1] > best[1]):
        return gist[0], gist[1] * 0.98  # a looser match than the wording itself
    return best


def bare(token: Token) -> str:
    return squash(token.text)


def is_qualifier(token: Token) -> bool:
    return bare(token) in QUALIFIER_WORDS


def after_hint(tokens: tuple[Token, ...], k: int) -> int:
    """`k` moved past a bracketed hint that starts at token k ("(as on passport)")."""
    if k >= len(tokens) or not tokens[k].text.startswith(tuple(HINT_OPEN)):
        return k
    for end in range(k, min(len(tokens), k + MAX_HINT_WORDS)):
        if tokens[end].text.rstrip(":?.").endswith(tuple(HINT_CLOSE)):
            return end + 1
    return k


def closing(tokens: tuple[Token, ...]) -> int | None:
    """How many tokens the label takes when a colon or question mark closes it."""
    for i, token in enumerate(tokens[:LONG_LABEL_WORDS]):
        if token.text.endswith(LABEL_ENDINGS):
            return i + 1
    return None


def core_match(tokens: tuple[Token, ...], limit: int, table: LabelTable) -> LabelMatch | None:
    """The longest label wording or gist at the start of `tokens`; it may end in a word
    that also reads as an answer only when it is a wording, exactly."""
    best: LabelMatch | None = None
    for k in range(limit, 0, -1):
        found = score_label(" ".join(t.text for t in tokens[:k]), table)
        if found and is_qualifier(tokens[k - 1]) and found[1] < 100.0:
            continue  # "Decision Granted": the answer is not part of the label's gist
        # a shorter label wins only when clearly better: "SURNAME (BLOCK CAPITALS)" is one
        # label, and its hint must not be left behind as the value
        if found and (best is None or found[1] > best.score * 100 + LONGER_LABEL_MARGIN):
            best = LabelMatch(found[0], found[1] / 100.0, k)
    return best


def match_label(cell: Cell, table: LabelTable) -> LabelMatch | None:
    """The longest label at the start of a cell, with its bracketed hint, if any.

    A colon or question mark closes a label: the few words between the wording and it are
    label too ("Permission to work granted:"). Without one, words after the wording that
    also read as an answer are counted in `extra`, for the field to decide.
    """
    tokens = cell.tokens
    closed = closing(tokens)
    limit = closed or min(max(table.max_words, LONG_LABEL_WORDS), len(tokens))
    best = core_match(tokens, limit, table)
    if best is None:
        return None
    k = after_hint(tokens, best.words)
    tail = tokens[k:closed] if closed else ()
    if closed and k < closed and len(tail) <= MAX_LABEL_TAIL and not any(
            c.isdigit() for t in tail for c in t.text):
        return LabelMatch(best.field, best.score, closed)
    extra = 0
    while k + extra < len(tokens) and is_qualifier(tokens[k + extra]):
        extra += 1
    if extra:
        extra = after_hint(tokens, k + extra) - k
    return LabelMatch(best.field, best.score, k, extra)


def value_tokens(tokens: tuple[Token, ...]) -> tuple[Token, ...]:
    """Drop the separators that sit between a label and its value."""
    kept = list(tokens)
    while kept and not carries_value(kept[0].text):
        kept.pop(0)
    while kept and not carries_value(kept[-1].text):
        kept.pop()
    return tuple(kept)


def carries_value(text: str) -> bool:
    """A letter or digit of any script, or a tick box; not a colon or a rule."""
    return has_content(text) or bool(set(text.strip()) & BOXES)


def below(cells: list[list[Cell]], line: int, anchor: Cell) -> tuple[int, Cell] | None:
    """The first cell under `anchor` that starts within the label's span, close below it."""
    x0, y0, x1, y1 = anchor.bbox
    height = y1 - y0
    for i in range(line + 1, len(cells)):
        for cell in cells[i]:
            if not has_content(cell.text):
                continue
            cx0, cy0, _, _ = cell.bbox
            if cy0 - y1 > 2.5 * height:
                return None
            if x0 - 2 * height <= cx0 <= max(x1, x0 + 4 * height):
                return i, cell
    return None


def is_sure_label(match: LabelMatch | None, cell: Cell) -> bool:
    if match is None:
        return False
    return (match.score >= SURE_LABEL_SCORE
            or cell.tokens[match.words - 1].text.endswith(LABEL_ENDINGS))


def split_at_labels(cell: Cell, table: LabelTable) -> list[Cell]:
    """Split a cell after a whole label-value pair, before a colon-closed label.

    "Surname: OKONKWO Given names: CHIDI" printed with ordinary spaces is one
    cell by geometry, but two label-value pairs by content. Only a pair that
    is complete before the split counts, so "HO ref no.:" or "Port ref: X" are
    never cut into a stray word and a shorter label.
    """
    tokens = cell.tokens
    start, parts = 0, []
    for k in range(1, len(tokens)):
        if not any(t.text.endswith(":") for t in tokens[k:k + table.max_words]):
            continue  # no colon ahead, so no colon-closed label starts here
        before = match_label(Cell(tokens[start:k], cell.line), table)
        if before is None or start + before.words >= k:
            continue  # what precedes is not a label with its value
        match = match_label(Cell(tokens[k:], cell.line), table)
        if match and tokens[k + match.words - 1].text.endswith(":"):
            parts.append(Cell(tokens[start:k], cell.line))
            start = k
    return [*parts, Cell(tokens[start:], cell.line)]


def value_options(cells: list[list[Cell]], i: int, j: int, taken: int,
                  is_label: Callable[[int, int], bool]) -> list[tuple[tuple[Token, ...], str]]:
    """Where the value of the label that takes the first `taken` tokens of cell (i, j) sits,
    in order of preference: the rest of its cell, else the next cell of its line, and
    the cell under it. A neighbour for which `is_label` holds is another label, never
    a value. Layout only: it knows nothing of which label this is.
    """
    cell = cells[i][j]
    rest = value_tokens(cell.tokens[taken:])
    if rest and closes_hint(rest):  # "Appeal (Allowed / | Dismissed)": still the label's hint
        rest = past_hint(rest)
    if rest and not opens_hint(rest):
        return [(rest, "right")]
    options: list[tuple[tuple[Token, ...], str]] = []
    if j + 1 < len(cells[i]) and not is_label(i, j + 1):
        options.append((past_hint(cells[i][j + 1].tokens), "right"))
    under = below(cells, i, cell)
    if under is not None and opens_hint(cell.tokens) and closes_hint(under[1].tokens):
        # the label's hint wraps onto the next line ("Appeal (Allowed /" over
        # "Dismissed)"): that line is label, and the value is past it
        leftover = past_hint(under[1].tokens)
        under = (under[0], under[1]) if leftover else below(cells, under[0], under[1])
    if under is not None and not is_label(under[0], cells[under[0]].index(under[1])):
        options.append((past_hint(under[1].tokens), "below"))
    return [(tokens, place) for tokens, place in options if tokens]


def opens_hint(tokens: tuple[Token, ...]) -> bool:
    """Whether the tokens open a bracket they never close: a label's hint cut by the line's
    end ("(Allowed /"), not a value."""
    return _depth(tokens)[0] > 0


def closes_hint(tokens: tuple[Token, ...]) -> bool:
    """Whether the tokens close a bracket they never opened: the end of a hint wrapped from
    the line above ("Dismissed)"), not a value."""
    return _depth(tokens)[1] is not None


def past_hint(tokens: tuple[Token, ...]) -> tuple[Token, ...]:
    """The value tokens after the end of a wrapped hint (all of them when none ends here)."""
    _, closed_at = _depth(tokens)
    return value_tokens(tokens if closed_at is None else tokens[closed_at + 1:])


def _depth(tokens: tuple[Token, ...]) -> tuple[int, int | None]:
    """Brackets left open at the end, and the token that closes one never opened."""
    depth, unopened = 0, None
    for n, token in enumerate(tokens):
        for ch in token.text:
            if ch in HINT_OPEN:
                depth += 1
            elif ch in HINT_CLOSE:
                if depth == 0 and unopened is None:
                    unopened = n
                depth = max(0, depth - 1)
    return depth, unopened


def split_lines(cells: list[list[Cell]], table: LabelTable | None = None
                ) -> list[list[Cell]]:
    """Cells split wherever a whole label-value pair runs into the next label (of the
    case fields, unless another `table` is given)."""
    table = table or label_table()
    return [[part for cell in line for part in split_at_labels(cell, table)]
            for line in cells]


def candidates(cells: list[list[Cell]], table: LabelTable
               ) -> Iterator[tuple[Candidate, list[Candidate]]]:
    """Each label of `table` found, with its value candidates in order of preference."""
    cells = split_lines(cells, table)
    labels = {(i, j): match_label(c, table)
              for i, line in enumerate(cells) for j, c in enumerate(line)}
    sure = {key: is_sure_label(m, cells[key[0]][key[1]]) for key, m in labels.items()}
    for (i, j), match in labels.items():
        if match is None:
            continue
        cell = cells[i][j]

        def is_label(a: int, b: int) -> bool:
            return sure[(a, b)]

        options = value_options(cells, i, j, match.words, is_label)
        found = [Candidate(match.field, t, match.score, place) for t, place in options]
        words = tuple(t.text for t in cell.tokens[match.words:match.words + match.extra])
        if words:  # the same label with its qualifiers: extract.py orders the two
            found = [Candidate(match.field, t, match.score, place, words) for t, place in
                     value_options(cells, i, j, match.words + match.extra, is_label)] + found
        label = Candidate(match.field, cell.tokens[: match.words], match.score,
                          qualifiers=words)
        yield label, found

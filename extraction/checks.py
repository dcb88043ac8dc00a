"""Reasons to doubt a value that its normaliser accepted.

A date, a code or a vocabulary word has a shape to check; a name has none,
and OCR misreads names at high confidence ("Anmad" for Ahmad, "AMALHODAN"
for AMAL HODAN). The rest of the file is the only other witness: a name
printed elsewhere in the file with one letter different, or split where the
value is joined, means one of the two readings is wrong, so the value goes
to review rather than being confirmed.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from rapidfuzz.distance import Levenshtein

from extraction.fields import FieldSpec
from extraction.layout import PageLike
from extraction.values import BBox, FieldValue

# A name part this short is too often one letter away from an ordinary word.
MIN_PART = 4


def letters(text: str) -> str:
    return re.sub(r"[^\w]|[\d_]", "", text).casefold()


def overlaps(a: BBox, b: BBox) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


Taken = Collection[tuple[int, BBox]]  # (page, box) of every value read from the form


def words_elsewhere(taken: Taken, pages: Sequence[PageLike]) -> list[list[str]]:
    """The words of the file outside every value the form gave (this one, and the other
    fields': a surname Tesfay beside given names Tesfaye is no contradiction), line by
    line in reading order: the notes, letters and headings that can witness a name."""
    lines: list[list[str]] = []
    for page in pages:
        boxes = [box for number, box in taken if number == page.number]
        current: list[str] = []
        last_line = None
        for word in page.words:
            if any(overlaps(word.bbox, box) for box in boxes):
                continue
            line = getattr(word, "line", None)
            if line != last_line and current:
                lines.append(current)
                current = []
            last_line = line
            current.append(word.text)
        if current:
            lines.append(current)
    return lines


def close(a: str, b: str) -> bool:
    """One edit apart (two for long names): a misreading, not another name."""
    return a != b and Levenshtein.distance(a, b) <= (1 if len(a) < 8 else 2)


def name_doubts(text: str, taken: Taken, pages: Sequence[PageLike]) -> list[str]:
    lines = words_elsewhere(taken, pages)
    capitalised = [[w for w in line if w[:1].isupper()] for line in lines]
    seen = {letters(w) for line in capitalised for w in line}
    pairs = {letters(a) + letters(b): f"{a} {b}"
             for line in capitalised for a, b in zip(line, line[1:], strict=False)}
    reasons = []
    for part in (letters(p) for p in text.split()):
        if len(part) < MIN_PART or part in seen:
            continue
        near = sorted(w for w in seen if len(w) >= MIN_PART and close(part, w))
        if near:
            reasons.append(f"{part!r} is printed elsewhere in the file as {near[0]!r}")
        elif part in pairs:
            reasons.append(f"{part!r} is printed elsewhere in the file as {pairs[part]!r}")
    return reasons


# A name read the same, letter for letter, elsewhere in the file is vouched for as much.
CORROBORATED = 0.6


def evidence(ocr_conf: float, vouched: float) -> float:
    """OCR confidence raised by independent evidence: 1 - (1 - ocr) * (1 - vouched)."""
    return 1.0 - (1.0 - ocr_conf) * (1.0 - vouched)


def vouched(spec: FieldSpec, text: str, factor: float) -> float:
    """How far the normaliser's exact match vouches for `text` (0 when repaired or short;
    a yes/no answer must be spelt out)."""
    if factor < 1.0:
        return 0.0
    if spec.search.how == "boolean":
        return spec.vouched if letters(text) in ("yes", "no") else 0.0
    return spec.vouched if len(letters(text)) >= MIN_PART else 0.0


def corroborated(text: str, taken: Taken, pages: Sequence[PageLike]) -> bool:
    """Every name part long enough to tell is printed, identically, elsewhere in the file."""
    parts = [p for p in (letters(w) for w in text.split()) if len(p) >= MIN_PART]
    if not parts:
        return False
    seen = {letters(w) for line in words_elsewhere(taken, pages) for w in line
            if w[:1].isupper()}
    return all(p in seen for p in parts)


def doubts(spec: FieldSpec, value: FieldValue, taken: Taken,
           pages: Sequence[PageLike]) -> list[str]:
    """Why this accepted value should still be checked by a person (empty: no doubt)."""
    if spec.is_name:
        return name_doubts(value.text, taken, pages)
    return []

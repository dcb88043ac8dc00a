"""Field-aware re-reading of a value its field's check refused (issue 10).

When the text where a value should be fails the field's normaliser ("13O6I981",
"N0RTH"), the page may still hold a readable value that OCR misread. Extraction asks a
`Rereader` (given by ingest, which crops the page image and reads the box again with a
reader set for the field: ocr/reread.py) for fresh readings of the box. A reading is
accepted only when it passes the same normaliser and could be what the first reading
misread (the same characters up to OCR's usual confusions); it is marked repaired, with the
reading chain in `repair`, and carries less confidence. Two readings that pass and
differ are both kept, so the field goes to review with both. A value that passed its
check is never re-read here, so a confident value is never changed. Extraction and OCR
never import each other: the re-reader is a plain callable.
"""

from __future__ import annotations

from typing import Final, Protocol

from rapidfuzz.distance import Levenshtein

from extraction.fields import FieldSpec
from extraction.normalise import REPAIRED, Normalised
from extraction.values import BBox

# What a field's value is made of, for the reader: keys ocr/reread.py knows.
READER_KINDS: Final[dict[str, tuple[str, ...]]] = {
    "date": ("date-numeric", "date"),
    "reference": ("reference",),
}
DEFAULT_READER: Final = ("text",)
# Characters OCR confuses, folded to one class each, so that "13O6I981" and "13061981"
# or "Nigerla" and "Nigeria" compare equal: a re-reading must be the first reading with
# such confusions undone and at most a character or so more (a speck, a lost letter).
CONFUSED: Final = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "|": "1",
                                 "!": "1", "S": "5", "B": "8", "Z": "2", "G": "6"})
EXTRA_PER_CHARS: Final = 8  # one more differing character allowed per this many


def folded(text: str) -> str:
    return "".join(c for c in text.upper().translate(CONFUSED) if c.isalnum())


def consistent(printed: str, again: str) -> bool:
    """Whether a re-reading could be what the first reading misread: the same characters
    up to OCR's usual confusions and a difference or two. A re-reading that is another
    value altogether is no repair but a guess."""
    a, b = folded(printed), folded(again)
    if not a or not b:
        return False
    return Levenshtein.distance(a, b) <= 1 + len(b) // EXTRA_PER_CHARS


class Rereader(Protocol):
    """Fresh readings of `bbox` on page `page`, one per character set in `kinds`, each as
    (text, how it was read)."""

    def __call__(self, page: int, bbox: BBox, kinds: tuple[str, ...]
                 ) -> tuple[tuple[str, str], ...]: ...


def reader_kinds(spec: FieldSpec) -> tuple[str, ...]:
    return READER_KINDS.get(spec.column_kind, DEFAULT_READER)


def reread_values(spec: FieldSpec, page: int, bbox: BBox, printed: str,
                  reread: Rereader) -> list[tuple[str, Normalised]]:
    """Each distinct value the box's fresh readings give that passes the field's check,
    marked repaired: [] when none passes (the field stays missing, with its reason).
    Names are never re-read: a name has no shape to check a reading against."""
    if spec.is_name:
        return []
    found: dict[object, tuple[str, Normalised]] = {}
    for text, how in reread(page, bbox, reader_kinds(spec)):
        normalised = spec.normalise(text)
        if normalised is None or normalised.value in found or not consistent(printed, text):
            continue
        repair = f"re-read ({how}): {printed!r} read as {text!r}"
        if normalised.repair:
            repair += f"; {normalised.repair}"
        found[normalised.value] = (text, Normalised(
            normalised.value, normalised.factor * REPAIRED, repair))
    return list(found.values())

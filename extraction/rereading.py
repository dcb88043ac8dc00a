"""Field-aware re-reading of a value its field's check refused (issue 10).

When the text where a value should be fails the field's normaliser ("13O6I981",
"N0RTH"), the page may still hold a readable value that OCR misread. Extraction asks a
`Rereader` (given by ingest, which crops the page image and reads the box again with a
reader set for the field: ocr/reread.py) for fresh readings of the box. A reading is
accepted only when it passes the same normaliser; it is marked repaired, with the
reading chain in `repair`, and carries less confidence. Two readings that pass and
differ are both kept, so the field goes to review with both. A value that passed its
check is never re-read here, so a confident value is never changed. Extraction and OCR
never import each other: the re-reader is a plain callable.
"""

from __future__ import annotations

from typing import Final, Protocol

from extraction.fields import FieldSpec
from extraction.normalise import REPAIRED, Normalised
from extraction.values import BBox

# What a field's value is made of, for the reader: keys ocr/reread.py knows.
READER_KINDS: Final[dict[str, tuple[str, ...]]] = {
    "date": ("date-numeric", "date"),
    "reference": ("reference",),
}
DEFAULT_READER: Final = ("text",)


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
        if normalised is None or normalised.value in found:
            continue
        repair = f"re-read ({how}): {printed!r} read as {text!r}"
        if normalised.repair:
            repair += f"; {normalised.repair}"
        found[normalised.value] = (text, Normalised(
            normalised.value, normalised.factor * REPAIRED, repair))
    return list(found.values())

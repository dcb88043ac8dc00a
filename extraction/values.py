"""The value records extraction gives: one value with its evidence, one field's result.

They live apart from the field registry so that layout, normalisers and the registry
can all use them without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal, get_args

BBox = tuple[int, int, int, int]
FieldScalar = str | bool
# confirmed: stored as right; needs_review: kept but a person must check it (too uncertain,
# or one of two different values for the field); missing: no usable value, with the reason.
Status = Literal["confirmed", "needs_review", "missing"]
STATUSES: Final[tuple[Status, ...]] = get_args(Status)


@dataclass(frozen=True)
class FieldValue:
    """One extracted value with the evidence a caseworker needs to check it.

    `value` is normalised (ISO dates, ISO 3166-1 alpha-3, booleans); `text` is
    what was printed on the page; `bbox` is [x0, y0, x1, y1] in page pixels.
    `status` is "confirmed" or "needs_review"; `reason` says why a value needs review.
    """

    value: FieldScalar
    text: str
    confidence: float
    page: int
    bbox: BBox
    status: Status = "confirmed"
    reason: str | None = None
    repair: str | None = None  # what the printed text needed to be read ("date separators
    # restored"); such a value carries less confidence. None: read as printed.


@dataclass(frozen=True)
class FieldResult:
    """What a document gives for one field: its status, every value kept, and why.

    A confirmed field has one value. A field needing review keeps every value found
    (two different values are both kept, neither chosen). A missing field has none,
    and `reason` says what was (not) found: no label, a label with no value, or a
    value its normaliser refused.
    """

    name: str
    status: Status
    values: tuple[FieldValue, ...] = ()
    reason: str | None = None

    @property
    def confirmed(self) -> FieldValue | None:
        return self.values[0] if self.status == "confirmed" and self.values else None


def missing(name: str, reason: str) -> FieldResult:
    return FieldResult(name, "missing", (), reason)

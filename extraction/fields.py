"""The case fields: the one place that names them and their value records.

Every other module (generator, index, API) imports this list rather than
spelling field names again, so adding a field is one edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

CASE_FIELDS: Final[tuple[str, ...]] = (
    "home_office_reference",
    "surname",
    "given_names",
    "date_of_birth",
    "nationality",
    "application_type",
    "decision",
    "decision_date",
    "permission_to_work",
)

BBox = tuple[int, int, int, int]
FieldScalar = str | bool


@dataclass(frozen=True)
class FieldValue:
    """One extracted value with the evidence a caseworker needs to check it.

    `value` is normalised (ISO dates, ISO 3166-1 alpha-3, booleans); `text` is
    what was printed on the page; `bbox` is [x0, y0, x1, y1] in page pixels.
    """

    value: FieldScalar
    text: str
    confidence: float
    page: int
    bbox: BBox

    def as_json(self) -> dict[str, object]:
        return {
            "value": self.value,
            "text": self.text,
            "confidence": round(self.confidence, 3),
            "page": self.page,
            "bbox": list(self.bbox),
        }

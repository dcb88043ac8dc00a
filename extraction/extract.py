"""Case fields from the words of a document's pages.

Every value must be traceable to its page and box and checked by a
normaliser; when a file gives two different values for one field, neither is
chosen and the conflict is reported, because a wrong value is worse than none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from extraction.entities import Entity, find_entities
from extraction.fields import CASE_FIELDS, FieldValue
from extraction.layout import PageLike, page_cells
from extraction.normalise import NORMALISERS
from extraction.pairing import candidates


@dataclass(frozen=True)
class ExtractOptions:
    # Values less certain than this are left out rather than risked.
    min_confidence: float = 0.6
    entities: bool = True


@dataclass(frozen=True)
class Extraction:
    fields: dict[str, FieldValue | None]
    entities: tuple[Entity, ...] = ()
    problems: tuple[str, ...] = field(default=())


def page_values(page: PageLike) -> list[tuple[str, FieldValue]]:
    """Every (field, value) a page offers, each from the first candidate that normalises."""
    found: list[tuple[str, FieldValue]] = []
    for _label, options in candidates(page_cells(page.words)):
        for option in options:
            normalised = NORMALISERS[option.field](option.text)
            if normalised is None:
                continue
            confidence = option.ocr_conf * option.label_score * normalised.factor
            found.append((option.field, FieldValue(
                value=normalised.value, text=option.text, confidence=confidence,
                page=page.number, bbox=option.bbox,
            )))
            break
    return found


def resolve(name: str, values: list[FieldValue], problems: list[str]) -> FieldValue | None:
    distinct = {v.value for v in values}
    if len(distinct) > 1:
        shown = ", ".join(sorted(repr(v) for v in distinct))
        problems.append(f"{name}: conflicting values {shown}; none kept")
        return None
    return max(values, key=lambda v: v.confidence) if values else None


def extract(pages: Sequence[PageLike], options: ExtractOptions | None = None) -> Extraction:
    """The case fields and entities of one document."""
    options = options or ExtractOptions()
    by_field: dict[str, list[FieldValue]] = {name: [] for name in CASE_FIELDS}
    problems: list[str] = []
    for page in pages:
        for name, value in page_values(page):
            if value.confidence >= options.min_confidence:
                by_field[name].append(value)
            else:
                problems.append(f"{name}: {value.text!r} on page {value.page} "
                                f"below confidence {options.min_confidence}")
    fields = {name: resolve(name, vals, problems) for name, vals in by_field.items()}
    entities = find_entities([(p.number, p.text) for p in pages]) if options.entities else []
    return Extraction(fields=fields, entities=tuple(entities), problems=tuple(problems))

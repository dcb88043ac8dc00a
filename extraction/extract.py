"""Case fields from the words of a document's pages.

Every value must be traceable to its page and box and checked by a
normaliser; when a file gives two different values for one field, neither is
chosen and the conflict is reported, because a wrong value is worse than none.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from extraction.entities import Entity, find_entities
from extraction.fields import CASE_FIELDS, FieldValue
from extraction.labels import LABEL_WORDS
from extraction.layout import PageLike, page_cells
from extraction.normalise import NORMALISERS, Normalised, squash
from extraction.pairing import Candidate, candidates


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


# Fields whose normaliser accepts only a narrow shape (a date, a code, a vocabulary word),
# so trailing specks can be dropped and the rest retried without risking a partial value.
# Names are not among them: dropping a word from a name gives a wrong name.
NAME_FIELDS = frozenset({"surname", "given_names"})
STRICT_FIELDS = frozenset(CASE_FIELDS) - NAME_FIELDS


def trimmed(option: Candidate) -> Candidate | None:
    """The candidate without trailing one-character tokens ("24-MAY-1976 i"), if any."""
    tokens = list(option.tokens)
    while len(tokens) > 1 and sum(c.isalnum() for c in tokens[-1].text) <= 1:
        tokens.pop()
    if len(tokens) == len(option.tokens):
        return None
    return replace(option, tokens=tuple(tokens))  # keeps its field, label score and place


def is_label_fragment(text: str) -> bool:
    words = squash(text).split()
    return bool(words) and all(w in LABEL_WORDS for w in words)


def normalised_option(option: Candidate) -> tuple[Candidate, Normalised] | None:
    if option.field in NAME_FIELDS and is_label_fragment(option.text):
        return None  # names have no shape to check, so label debris must be kept out here
    normalise = NORMALISERS[option.field]
    found = normalise(option.text)
    if found is not None:
        return option, found
    shorter = trimmed(option) if option.field in STRICT_FIELDS else None
    if shorter is not None and (found := normalise(shorter.text)) is not None:
        return shorter, found
    return None


def page_values(page: PageLike) -> list[tuple[str, FieldValue]]:
    """Every (field, value) a page offers, each from the first candidate that normalises.

    A form puts its values either beside or under their labels, not both; when a label's
    own value is unreadable, the line under it usually holds another field's value. So
    the page votes: where values beside labels clearly prevail, none is taken from below,
    and the other way round.
    """
    readings = [[r for c in options if (r := normalised_option(c))]
                for _label, options in candidates(page_cells(page.words))]
    votes = Counter(option.place for found in readings for option, _ in found[:1])
    allowed = {"right", "below"}
    for place, other in (("right", "below"), ("below", "right")):
        if votes[place] >= 2 and votes[place] > 2 * votes[other]:
            allowed.discard(other)
    found: list[tuple[str, FieldValue]] = []
    for results in readings:
        for option, normalised in results:
            if option.place not in allowed:
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

"""Case fields from the words of a document's pages, each with a status.

Every value must be traceable to its page and box and checked by a
normaliser. A value is `confirmed` only when nothing speaks against it; a
value that is too uncertain, that the rest of the file contradicts, or that
differs from another value found for the same field is kept as
`needs_review` (all of them, none chosen); a field with no usable value is
`missing`, with the reason. A wrong value is worse than none.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from extraction.checks import (
    CORROBORATED,
    Taken,
    corroborated,
    doubts,
    evidence,
    vouched,
)
from extraction.entities import Entity, find_entities
from extraction.fields import CASE_FIELDS, FieldResult, FieldValue, missing
from extraction.labels import LABEL_WORDS
from extraction.layout import PageLike, page_cells
from extraction.normalise import NORMALISERS, Normalised, squash
from extraction.pairing import LABEL_ENDINGS, Candidate, candidates


@dataclass(frozen=True)
class ExtractOptions:
    # Values less certain than this are kept for review rather than confirmed.
    min_confidence: float = 0.6
    entities: bool = True


@dataclass(frozen=True)
class Extraction:
    """The fields of one document. `fields` holds the confirmed values only (None
    otherwise); `results` holds every field's status, values and reason."""

    fields: dict[str, FieldValue | None]
    entities: tuple[Entity, ...] = ()
    problems: tuple[str, ...] = field(default=())
    results: dict[str, FieldResult] = field(default_factory=dict)


# Fields whose normaliser accepts only a narrow shape (a date, a code, a vocabulary word),
# so trailing specks can be dropped and the rest retried without risking a partial value.
# Names are not among them: dropping a word from a name gives a wrong name.
NAME_FIELDS = frozenset({"surname", "given_names"})
STRICT_FIELDS = frozenset(CASE_FIELDS) - NAME_FIELDS
KINDS = {"home_office_reference": "reference of a known shape", "surname": "name",
         "given_names": "name", "date_of_birth": "whole day-first date",
         "nationality": "country or nationality", "application_type": "known application type",
         "decision": "known decision", "decision_date": "whole day-first date",
         "permission_to_work": "yes/no answer"}


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
    if option.text.rstrip().endswith(LABEL_ENDINGS):
        return None  # "ALLOWED?" or "IN FULL:" ends like a label: it is label text, not a value
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


@dataclass(frozen=True)
class PageFindings:
    values: list[tuple[str, FieldValue]]
    gaps: list[tuple[str, str]]  # (field, why a label of it gave no value)


def page_values(page: PageLike) -> PageFindings:
    """Every (field, value) a page offers, each from the first candidate that normalises,
    and for each label that gave nothing, the reason.

    A form puts its values either beside or under their labels, not both; when a label's
    own value is unreadable, the line under it usually holds another field's value. So
    the page votes: where values beside labels clearly prevail, none is taken from below,
    and the other way round.
    """
    found_labels = list(candidates(page_cells(page.words)))
    readings = [[r for c in options if (r := normalised_option(c))]
                for _label, options in found_labels]
    votes = Counter(option.place for found in readings for option, _ in found[:1])
    allowed = {"right", "below"}
    for place, other in (("right", "below"), ("below", "right")):
        if votes[place] >= 2 and votes[place] > 2 * votes[other]:
            allowed.discard(other)
    values: list[tuple[str, FieldValue]] = []
    gaps: list[tuple[str, str]] = []
    for (label, options), results in zip(found_labels, readings, strict=True):
        usable = [(o, n) for o, n in results if o.place in allowed]
        if usable:
            option, normalised = usable[0]
            ocr = evidence(option.ocr_conf, vouched(option.field, option.text, normalised.factor))
            confidence = ocr * option.label_score * normalised.factor
            values.append((option.field, FieldValue(
                value=normalised.value, text=option.text, confidence=confidence,
                page=page.number, bbox=option.bbox,
            )))
            continue
        where = f"label {label.text!r} on page {page.number}"
        if not options:
            gaps.append((label.field, f"{where} has no value beside or below it"))
        else:
            shown = " / ".join(repr(o.text) for o in options)
            gaps.append((label.field,
                         f"{where}: {shown} is not a {KINDS[label.field]}"))
    return PageFindings(values, gaps)


def resolve(name: str, values: list[FieldValue], gaps: list[str], taken: Taken,
            pages: Sequence[PageLike], options: ExtractOptions) -> FieldResult:
    """One field's status from every value and gap the pages gave for it."""
    if not values:
        reason = "; ".join(dict.fromkeys(gaps)) if gaps else "no label for this field found"
        return missing(name, reason)
    distinct = list(dict.fromkeys(v.value for v in values))
    if len(distinct) > 1:
        shown = ", ".join(repr(v) for v in distinct)
        reason = f"different values found in one file: {shown}; a person must choose"
        kept = tuple(replace(max((v for v in values if v.value == d), key=lambda v: v.confidence),
                             status="needs_review", reason=reason) for d in distinct)
        return FieldResult(name, "needs_review", kept, reason)
    best = max(values, key=lambda v: v.confidence)
    if name in NAME_FIELDS and corroborated(best.text, taken, pages):
        best = replace(best, confidence=evidence(best.confidence, CORROBORATED))
    reasons: list[str] = []
    if best.confidence < options.min_confidence:
        reasons.append(f"confidence {best.confidence:.2f} is below {options.min_confidence}")
    reasons += doubts(name, best, taken, pages)
    if reasons:
        reason = "; ".join(reasons)
        return FieldResult(name, "needs_review", (replace(best, status="needs_review",
                                                          reason=reason),), reason)
    return FieldResult(name, "confirmed", (best,))


def extract(pages: Sequence[PageLike], options: ExtractOptions | None = None) -> Extraction:
    """The case fields and entities of one document."""
    options = options or ExtractOptions()
    by_field: dict[str, list[FieldValue]] = {name: [] for name in CASE_FIELDS}
    gaps: dict[str, list[str]] = {name: [] for name in CASE_FIELDS}
    for page in pages:
        findings = page_values(page)
        for name, value in findings.values:
            by_field[name].append(value)
        for name, why in findings.gaps:
            gaps[name].append(why)
    taken = {(v.page, v.bbox) for vals in by_field.values() for v in vals}
    results = {name: resolve(name, by_field[name], gaps[name], taken, pages, options)
               for name in CASE_FIELDS}
    problems = tuple(f"{name}: {r.reason}" for name, r in results.items()
                     if r.status == "needs_review")
    entities = find_entities([(p.number, p.text) for p in pages]) if options.entities else []
    return Extraction(fields={n: r.confirmed for n, r in results.items()},
                      entities=tuple(entities), problems=problems, results=results)

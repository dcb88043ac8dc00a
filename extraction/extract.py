"""Case fields from the words of a document's pages, each with a status.

Every value must be traceable to its page and box and checked by a
normaliser. A value is `confirmed` only when nothing speaks against it; a
value that is too uncertain, that the rest of the file contradicts, or that
differs from another value found for the same field is kept as
`needs_review` (all of them, none chosen); a field with no usable value is
`missing`, with the reason. A wrong value is worse than none.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from extraction.casefile import whole_file
from extraction.checks import (
    CORROBORATED,
    Taken,
    corroborated,
    doubts,
    evidence,
    vouched,
)
from extraction.entities import Entity, find_entities
from extraction.eventrecord import Event
from extraction.fields import FIELDS, FieldSpec
from extraction.labels import LabelTable, label_table
from extraction.layout import PageLike, page_cells
from extraction.meaning import meaning_values
from extraction.normalise import REPAIRED, Normalised, squash
from extraction.pagekind import PageKindOf
from extraction.pairing import LABEL_ENDINGS, Candidate, candidates
from extraction.pairs import Pair, file_pairs
from extraction.rereading import Rereader, reread_values
from extraction.values import FieldResult, FieldValue, missing


@dataclass(frozen=True)
class ExtractOptions:
    # Values less certain than this are kept for review rather than confirmed.
    min_confidence: float = 0.6
    entities: bool = True
    # The fields to find: the case fields, unless a caller declares others.
    fields: tuple[FieldSpec, ...] = FIELDS
    pairs: bool = True  # every key-value pair, not only the fields
    # A field no wording finds is taken from a pair whose key means it, beyond doubt
    # (extraction/meaning.py).
    meaning: bool = True
    # Read the file as a whole (issue 11): page kinds, events in running text, and what
    # they do to the fields (extraction.casefile).
    whole_file: bool = True


@dataclass(frozen=True)
class Extraction:
    """The fields of one document. `fields` holds the confirmed values only (None
    otherwise); `results` holds every field's status, values and reason."""

    fields: dict[str, FieldValue | None]
    entities: tuple[Entity, ...] = ()
    problems: tuple[str, ...] = field(default=())
    results: dict[str, FieldResult] = field(default_factory=dict)
    # every key-value pair of the form pages (issue 10), case field or not
    pairs: tuple[Pair, ...] = ()
    # issue 11: decisions read from running text, and what kind each page is
    events: tuple[Event, ...] = ()
    page_kinds: tuple[PageKindOf, ...] = ()


def trimmed(option: Candidate) -> Candidate | None:
    """The candidate without trailing one-character tokens ("24-MAY-1976 i"), if any."""
    tokens = list(option.tokens)
    while len(tokens) > 1 and sum(c.isalnum() for c in tokens[-1].text) <= 1:
        tokens.pop()
    if len(tokens) == len(option.tokens):
        return None
    return replace(option, tokens=tuple(tokens))  # keeps its field, label score and place


def leading_specks(option: Candidate) -> Candidate | None:
    """The candidate without leading specks read as letters ("oe 10/07/2009"), if any."""
    tokens = list(option.tokens)
    while len(tokens) > 1 and len(tokens[0].text) <= SPECK_LETTERS and not any(
            c.isdigit() for c in tokens[0].text):
        tokens.pop(0)
    if len(tokens) == len(option.tokens):
        return None
    return replace(option, tokens=tuple(tokens))


def is_label_fragment(text: str, table: LabelTable) -> bool:
    words = squash(text).split()
    return bool(words) and all(w in table.words for w in words)


def normalised_option(option: Candidate, spec: FieldSpec,
                      table: LabelTable) -> tuple[Candidate, Normalised] | None:
    """The option and its normalised value, or None if the field's normaliser refuses it.

    A field whose normaliser accepts only a narrow shape (a date, a code, a vocabulary
    word) may drop trailing specks and retry without risking a partial value; a name
    may not: dropping a word from a name gives a wrong name.
    """
    if option.text.rstrip().endswith(LABEL_ENDINGS):
        return None  # "ALLOWED?" or "IN FULL:" ends like a label: it is label text, not a value
    if spec.is_name and is_label_fragment(option.text, table):
        return None  # names have no shape to check, so label debris must be kept out here
    normalise = spec.normalise
    found = normalise(option.text)
    if found is not None:
        return option, found
    shorter = trimmed(option) if not spec.is_name else None
    if shorter is not None and (found := normalise(shorter.text)) is not None:
        return shorter, found
    # a date or a reference has a shape no speck fits, so specks before it can go
    later = leading_specks(option) if spec.column_kind in SHAPED else None
    if later is not None and (found := normalise(later.text)) is not None:
        return later, replace(found, factor=found.factor * REPAIRED,
                              repair=found.repair or "specks before the value dropped")
    return None


def label_words(spec: FieldSpec) -> frozenset[str]:
    return frozenset(w for label in spec.labels for w in squash(label).split())


def ordered(label: Candidate, options: list[Candidate], spec: FieldSpec) -> list[Candidate]:
    """A label's value options with and without the words after it that also read as an
    answer ("Permission to work granted Yes", "Decision Granted"): those words are the
    value where the field takes them as one and its own labels do not use them (a
    decision); otherwise they are label, and the value read with them is kept only as a
    doubtful last resort."""
    if not label.qualifiers:
        return options
    qualified = [o for o in options if o.qualifiers]
    plain = [o for o in options if not o.qualifiers]
    words = " ".join(label.qualifiers)
    if spec.normalise(words) is not None and not set(squash(words).split()) & label_words(spec):
        return plain + qualified
    return qualified + [replace(o, label_score=o.label_score * DOUBTFUL) for o in plain]


def unknown_category(options: list[Candidate], spec: FieldSpec,
                     table: LabelTable) -> Candidate | None:
    """A printed entry of a closed vocabulary that is none of its entries ("Leave to
    enter"): words only, not label text. It is kept for review, never forced."""
    for option in options:
        words = option.text.split()
        if (1 <= len(words) <= MAX_CATEGORY_WORDS and CATEGORY.fullmatch(option.text)
                and not option.text.rstrip().endswith(LABEL_ENDINGS)
                and not is_label_fragment(option.text, table)
                and sum(c.isalpha() for c in option.text) >= MIN_CATEGORY_LETTERS):
            return option
    return None


# Specks read as letters before a value: at most this many characters and no digit.
SPECK_LETTERS = 2
SHAPED = frozenset({"date", "reference"})
# A value read as a label's answer where the label's own words may be that answer.
DOUBTFUL = 0.5
CATEGORY = re.compile(r"[^\W\d_]+(?:[\s/'\-]+[^\W\d_]+)*")
MAX_CATEGORY_WORDS = 6
MIN_CATEGORY_LETTERS = 4


@dataclass(frozen=True)
class PageFindings:
    values: list[tuple[str, FieldValue]]
    gaps: list[tuple[str, str]]  # (field, why a label of it gave no value)


def page_values(page: PageLike, fields: tuple[FieldSpec, ...] = FIELDS,
                reread: Rereader | None = None) -> PageFindings:
    """Every (field, value) a page offers, each from the first candidate that normalises,
    and for each label that gave nothing, the reason.

    A form puts its values either beside or under their labels, not both; when a label's
    own value is unreadable, the line under it usually holds another field's value. So
    the page votes: where values beside labels clearly prevail, none is taken from below,
    and the other way round.
    """
    table = label_table(fields)
    specs = {f.name: f for f in fields}
    found_labels = [(label, ordered(label, options, specs[label.field]))
                    for label, options in candidates(page_cells(page.words), table)]
    readings = [[r for c in options if (r := normalised_option(c, specs[c.field], table))]
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
        spec = specs[label.field]
        where = f"label {label.text!r} on page {page.number}"
        if usable:
            option, normalised = usable[0]
            ocr = evidence(option.ocr_conf, vouched(spec, option.text, normalised.factor))
            confidence = ocr * option.label_score * normalised.factor
            values.append((option.field, FieldValue(
                value=normalised.value, text=option.text, confidence=confidence,
                page=page.number, bbox=option.bbox, repair=normalised.repair,
            )))
            continue
        placed = [o for o in options if o.place in allowed]
        if reread is not None and placed and (again := reread_values(
                spec, page.number, placed[0].bbox, placed[0].text, reread)):
            first = placed[0]
            for text, normalised in again:
                values.append((label.field, FieldValue(
                    value=normalised.value, text=text, page=page.number, bbox=first.bbox,
                    confidence=first.ocr_conf * first.label_score * normalised.factor,
                    repair=normalised.repair)))
            continue
        unknown = unknown_category(placed, spec, table)
        if spec.open_review and unknown is not None:
            reason = (f"{where}: {unknown.text!r} is not a {spec.kind}; kept as printed for "
                      "a person to classify")
            values.append((label.field, FieldValue(
                value=unknown.text, text=unknown.text,
                confidence=unknown.ocr_conf * unknown.label_score, page=page.number,
                bbox=unknown.bbox, status="needs_review", reason=reason)))
            continue
        if not options:
            gaps.append((label.field, f"{where} has no value beside or below it"))
        else:
            shown = " / ".join(repr(o.text) for o in options)
            gaps.append((label.field,
                         f"{where}: {shown} is not a {specs[label.field].kind}"))
    return PageFindings(values, gaps)


def resolve(spec: FieldSpec, values: list[FieldValue], gaps: list[str], taken: Taken,
            pages: Sequence[PageLike], options: ExtractOptions) -> FieldResult:
    """One field's status from every value and gap the pages gave for it."""
    name = spec.name
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
    if best.status == "needs_review":  # kept as printed, outside the field's vocabulary
        return FieldResult(name, "needs_review", (best,), best.reason)
    if spec.is_name and corroborated(best.text, taken, pages):
        best = replace(best, confidence=evidence(best.confidence, CORROBORATED))
    reasons: list[str] = []
    if best.confidence < options.min_confidence:
        reasons.append(f"confidence {best.confidence:.2f} is below {options.min_confidence}")
    reasons += doubts(spec, best, taken, pages)
    if reasons:
        reason = "; ".join(reasons)
        return FieldResult(name, "needs_review", (replace(best, status="needs_review",
                                                          reason=reason),), reason)
    return FieldResult(name, "confirmed", (best,))


def extract(pages: Sequence[PageLike], options: ExtractOptions | None = None,
            reread: Rereader | None = None) -> Extraction:
    """The case fields and entities of one document. With `reread` (ingest's crop reader),
    a value its field's check refuses is read again from the page image."""
    options = options or ExtractOptions()
    by_field: dict[str, list[FieldValue]] = {f.name: [] for f in options.fields}
    gaps: dict[str, list[str]] = {f.name: [] for f in options.fields}
    for page in pages:
        findings = page_values(page, options.fields, reread)
        for name, value in findings.values:
            by_field[name].append(value)
        for name, why in findings.gaps:
            gaps[name].append(why)
    taken = {(v.page, v.bbox) for vals in by_field.values() for v in vals}
    table = label_table(options.fields)
    pairs = file_pairs(pages, table) if options.pairs or options.meaning else ()
    if options.meaning:  # fields no wording found, from labels read by what they mean
        labelled = {name for name, values in by_field.items() if values}
        for name, value in meaning_values(pairs, options.fields, table, taken):
            if name not in labelled:
                by_field[name].append(value)
    results = {f.name: resolve(f, by_field[f.name], gaps[f.name], taken, pages, options)
               for f in options.fields}
    # issue 11: the whole file read as one (page kinds, events, decisions, names) -- begin
    events: tuple[Event, ...] = ()
    kinds: tuple[PageKindOf, ...] = ()
    if options.whole_file:
        whole = whole_file(results, pages, options.min_confidence)
        results, events, kinds = whole.results, whole.events, whole.page_kinds
    # issue 11 -- end
    problems = tuple(f"{name}: {r.reason}" for name, r in results.items()
                     if r.status == "needs_review")
    entities = find_entities([(p.number, p.text) for p in pages]) if options.entities else []
    return Extraction(fields={n: r.confirmed for n, r in results.items()},
                      entities=tuple(entities), problems=problems, results=results,
                      pairs=pairs if options.pairs else (), events=events, page_kinds=kinds)

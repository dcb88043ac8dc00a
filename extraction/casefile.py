"""The whole case file read as one: page kinds, events, and what they do to the fields.

After the form reader has resolved each field page by page:
- each page is classified (extraction.pagekind) and running text is read for events
  (letters, minutes and notes whole; forms and decision notices without their labelled
  lines, which the form reader has read);
- a decision notice outranks a form for the decision and its date: where a notice states
  them, values read from other pages for those fields are set aside (named in the reason);
- confirmed events fill `decision`, `decision_date` (claim decisions) and
  `permission_to_work` where no page's fields state them; an event that agrees with a
  field raises its confidence; one that disagrees sends the field to review with both;
- a name is not confirmed when another printing of it in the file splits its letters into
  words differently ("AMALHODAN" here, "Amal Hodan" there): OCR spacing is a known source
  of wrong names, and a person must say which is right.
Appeals are events and timeline entries; they change no case field.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from extraction.checks import evidence
from extraction.eventrecord import Event, EventOptions, may_state_event
from extraction.fields import FieldScalar
from extraction.layout import PageLike, page_cells
from extraction.pagekind import PageKindOf, classify
from extraction.timeline import contradictions
from extraction.values import FieldResult, FieldValue

DECISION_FIELDS = ("decision", "decision_date")
NAME_FIELDS = ("surname", "given_names")
PROSE_KINDS = frozenset({"letter", "minute", "notes"})
LABELLED_KINDS = frozenset({"form", "decision_notice"})
HEADER_WORDS = 5  # a letter's labelled header line ("Our ref: C1234567/2") is this short


@dataclass(frozen=True)
class WholeFile:
    results: dict[str, FieldResult]
    events: tuple[Event, ...]
    page_kinds: tuple[PageKindOf, ...]


def event_values(event: Event) -> dict[str, FieldScalar]:
    """The case fields one confirmed event states."""
    if event.kind == "permission_to_work":
        return {"permission_to_work": event.outcome == "granted"}
    if event.kind == "claim_decision" and event.date:
        return {"decision": event.outcome, "decision_date": event.date}
    return {}


def prose_words(page: PageLike, kind: PageKindOf) -> list[object]:
    """The words to read as running text: all of a prose page, the unlabelled lines of a
    form or notice, none of a blank or identity page."""
    if kind.kind in PROSE_KINDS:
        return list(page.words)
    if kind.kind in LABELLED_KINDS:
        return [t for i, cells in enumerate(page_cells(page.words)) if i not in kind.label_lines
                for c in cells for t in c.tokens]
    return []


def line_words(page: PageLike, bbox: tuple[int, int, int, int]) -> int:
    """How many words the line holding `bbox` has (0: no line holds it)."""
    middle = (bbox[1] + bbox[3]) / 2
    for cells in page_cells(page.words):
        tokens = [t for c in cells for t in c.tokens]
        if min(t.bbox[1] for t in tokens) <= middle <= max(t.bbox[3] for t in tokens):
            return len(tokens)
    return 0


def off_prose(result: FieldResult, prose: dict[int, PageLike],
              min_confidence: float) -> FieldResult:
    """A field without the values the form reader took from running text (a letter's
    "Permission to work was refused on..." is a sentence, not a label and its value); a
    short labelled line of a letter ("Our ref: C1234567") is kept."""
    kept = [v for v in result.values if v.page not in prose
            or line_words(prose[v.page], v.bbox) <= HEADER_WORDS]
    if len(kept) == len(result.values):
        return result
    if not kept:
        pages = sorted({v.page for v in result.values})
        return FieldResult(result.name, "missing", (), f"read only from running text on "
                                                       f"page(s) {pages}, not from a form")
    distinct = {v.value for v in kept}
    disagreed = (result.reason or "").startswith("different values found")
    best = max(kept, key=lambda v: v.confidence)
    if len(distinct) == 1 and disagreed and best.confidence >= min_confidence:
        return FieldResult(result.name, "confirmed", (replace(best, status="confirmed",
                                                              reason=None),))
    return replace(result, values=tuple(kept))


def outrank(result: FieldResult, notices: set[int], min_confidence: float) -> FieldResult:
    """A decision field: the notice's values only, when a notice states the field."""
    mine = [v for v in result.values if v.page in notices]
    others = [v for v in result.values if v.page not in notices]
    if not mine or not others:
        return result
    distinct = list(dict.fromkeys(v.value for v in mine))
    set_aside = ", ".join(f"{v.value!r} on page {v.page}" for v in others)
    if len(distinct) > 1:
        reason = f"the decision notice gives {distinct}; a person must choose"
        return FieldResult(result.name, "needs_review",
                           tuple(replace(v, status="needs_review", reason=reason) for v in mine),
                           reason)
    best = max(mine, key=lambda v: v.confidence)
    if best.confidence < min_confidence:
        reason = f"confidence {best.confidence:.2f} is below {min_confidence}"
        return FieldResult(result.name, "needs_review",
                           (replace(best, status="needs_review", reason=reason),), reason)
    note = f"the decision notice outranks {set_aside}"
    return FieldResult(result.name, "confirmed", (replace(best, status="confirmed",
                                                          reason=note),), None)


def from_events(name: str, result: FieldResult, found: list[FieldValue],
                min_confidence: float) -> FieldResult:
    """A field's result once the events that state it are weighed in."""
    if not found:
        return result
    if result.status == "confirmed" and result.values:
        current = result.values[0]
        if current.value == "pending" and all(v.value in ("granted", "refused") for v in found):
            result = FieldResult(name, "missing", (), "the form says pending")  # superseded
            return from_events(name, result, found, min_confidence)
        against = [v for v in found if v.value != current.value]
        if not against:
            raised = evidence(current.confidence, max(v.confidence for v in found))
            return FieldResult(name, "confirmed", (replace(current, confidence=raised),))
        return _review(name, [current, *against], "a letter or minute disagrees with the form")
    if result.status == "needs_review":
        known = {v.value for v in result.values}
        extra = [v for v in found if v.value not in known]
        return replace(result, values=result.values + tuple(
            replace(v, status="needs_review", reason=result.reason) for v in extra))
    distinct = list(dict.fromkeys(v.value for v in found))
    if len(distinct) > 1:
        return _review(name, found, "letters or minutes state different values")
    best = max(found, key=lambda v: v.confidence)
    if best.confidence < min_confidence:
        return _review(name, [best], f"confidence {best.confidence:.2f} is below "
                                     f"{min_confidence}")
    return FieldResult(name, "confirmed", (replace(best, status="confirmed", reason=None),))


def _review(name: str, values: list[FieldValue], why: str) -> FieldResult:
    shown = ", ".join(dict.fromkeys(f"{v.value!r} (page {v.page})" for v in values))
    reason = f"{why}: {shown}; a person must choose"
    kept: dict[FieldScalar, FieldValue] = {}
    for v in values:
        kept.setdefault(v.value, replace(v, status="needs_review", reason=reason))
    return FieldResult(name, "needs_review", tuple(kept.values()), reason)


def _letters(text: str) -> str:
    return re.sub(r"[^\w]|\d|_", "", text).casefold()


def breaks(text: str) -> frozenset[int]:
    """Where the name's letters are split into words (a space or a hyphen between them):
    'AL-HASSAN', 'Al - Hassan' -> {2}; 'AMALHODAN' -> {}; 'Amal Hodan' -> {4}."""
    found, at = set(), 0
    for part in re.split(r"[\s\-–]+", text):
        letters = _letters(part)
        if letters:
            found.add(at)
            at += len(letters)
    return frozenset(found - {0})


def split_differently(value: FieldValue, pages: Sequence[PageLike]) -> str | None:
    """Where the file prints the same letters as `value` split into other words."""
    target, split = _letters(value.text), breaks(value.text)
    if len(target) < 4:
        return None
    for page in pages:
        for cells in page_cells(page.words):
            tokens = [t for c in cells for t in c.tokens]
            for i in range(len(tokens)):
                run = ""
                for j in range(i, min(i + 4, len(tokens))):
                    run += _letters(tokens[j].text)
                    if not target.startswith(run):
                        break
                    here = (page.number, tokens[i].bbox) == (value.page, value.bbox)
                    shown = " ".join(t.text for t in tokens[i:j + 1])
                    if run == target and breaks(shown) != split and not here:
                        return f"printed as {shown!r} on page {page.number}"
    return None


def check_names(results: dict[str, FieldResult], pages: Sequence[PageLike]) -> None:
    for name in NAME_FIELDS:
        result = results.get(name)
        if result is None or result.status != "confirmed" or not result.values:
            continue
        value = result.values[0]
        if (where := split_differently(value, pages)) is not None:
            reason = f"{value.text!r} is {where}: OCR spacing may have split or joined the name"
            results[name] = FieldResult(name, "needs_review",
                                        (replace(value, status="needs_review", reason=reason),),
                                        reason)


def whole_file(results: dict[str, FieldResult], pages: Sequence[PageLike],
               min_confidence: float) -> WholeFile:
    """The fields once the whole file has been read as one, its events and page kinds."""
    kinds = tuple(classify(p.number, p.words) for p in pages)
    prose_pages = [(p.number, words) for p, k in zip(pages, kinds, strict=True)
                   if may_state_event(words := prose_words(p, k))]
    events: list[Event] = []
    if prose_pages:  # spaCy is loaded only when a file has running text to read
        from extraction.events import find_events
        events = find_events(prose_pages, EventOptions(min_confidence=min_confidence))
    events = contradictions(events)
    prose = {p.number: p for p, k in zip(pages, kinds, strict=True) if k.kind in PROSE_KINDS}
    out = {name: off_prose(r, prose, min_confidence) for name, r in results.items()}
    notices = {k.page for k in kinds if k.kind == "decision_notice"}
    for name in DECISION_FIELDS:
        if name in out:
            out[name] = outrank(out[name], notices, min_confidence)
    stated: dict[str, list[FieldValue]] = {}
    for e in events:
        if e.status != "confirmed":
            continue
        for name, value in event_values(e).items():
            stated.setdefault(name, []).append(FieldValue(value, e.text, e.confidence, e.page,
                                                          e.bbox))
    for name, found in stated.items():
        if name in out:
            out[name] = from_events(name, out[name], found, min_confidence)
    check_names(out, pages)
    return WholeFile(out, tuple(events), kinds)

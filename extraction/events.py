"""Decisions stated in running text (letters, minute sheets, notes) as typed events.

A sentence states an event when it names what was decided (a subject: permission to
work, an appeal, a claim), how (an outcome word: granted, refused, allowed, dismissed)
and when (a date spaCy or the casework rules recognise). The patterns are data
(extraction/patterns/events.json) for spaCy's Matcher. A sentence with a subject and an
outcome that is hedged (a condition, a possibility, advice, a request not yet decided,
a negation, another person), or whose date is missing or impossible, gives a *refused*
candidate with its reason, never an event: a missing event beats an invented one.

Appeals map onto the same two outcomes: "allowed" is `granted`, "dismissed" is
`refused` (the appellant won or lost); the sentence keeps the words used.

Sentences are built from the OCR words of a page: lines grouped into blocks at wide
vertical gaps (paragraphs, minute entries), each block's text run through spaCy, and a
sentence's box is the union of its words' boxes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from statistics import mean, median
from typing import Any, Final

import dateparser
from spacy.matcher import Matcher
from spacy.tokens import Span, Token

from extraction.entities import nlp
from extraction.eventrecord import (  # the records, re-exported for the reader's callers
    KINDS,
    OUTCOMES,
    PATTERNS,
    Event,
    EventOptions,
    EventStatus,
)
from extraction.layout import Token as Word
from extraction.layout import group_lines, union
from extraction.values import BBox

# A paragraph or minute entry ends where the gap to the next line is wider than this
# many word heights (lines inside a paragraph sit about half a word height apart).
BLOCK_GAP: Final = 1.3
# An outcome word this many tokens or more from every subject states nothing about it.
MAX_REACH: Final = 12
# A verbless stretch this short is a fragment of the next sentence, not one of its own.
MAX_FRAGMENT: Final = 8
TITLES: Final = frozenset({"mr", "mrs", "ms", "miss", "dr"})
SENTENCE_ENDS: Final = frozenset({".", "!", "?", ";"})
__all__ = ["KINDS", "OUTCOMES", "Event", "EventOptions", "EventStatus", "find_events"]

DATE_SETTINGS: Final[dict[str, Any]] = {
    "DATE_ORDER": "DMY", "STRICT_PARSING": True, "PREFER_DATES_FROM": "past",
    "REQUIRE_PARTS": ["day", "month", "year"]}


@dataclass(frozen=True)
class Sentence:
    text: str
    page: int
    words: tuple[Word, ...]

    @property
    def bbox(self) -> BBox:
        return union(w.bbox for w in self.words)


def _plain(token: Token) -> str:
    return token.lower_.replace(".", "")


@cache
def matcher() -> tuple[Any, Matcher]:
    """The spaCy pipeline and a Matcher holding every pattern in events.json, each under
    the label 'group:name' (e.g. 'subjects:appeal')."""
    if not Token.has_extension("plain"):
        Token.set_extension("plain", getter=_plain)
    pipeline = nlp()
    found = Matcher(pipeline.vocab)
    data = json.loads(PATTERNS.read_text("utf-8"))
    for group in ("subjects", "outcomes", "hedges", "sentence_start", "dates"):
        for name, patterns in data[group].items():
            found.add(f"{group}:{name}", patterns)
    return pipeline, found


def turned(words: Sequence[Any]) -> bool:
    """Boxes in a turned frame (a page fed sideways): most long words taller than wide.
    Lines rebuilt from such boxes would cross the text, so the OCR's own order is used."""
    long = [w for w in words if len(w.text) >= 4]
    tall = sum(w.bbox[3] - w.bbox[1] > w.bbox[2] - w.bbox[0] for w in long)
    return bool(long) and tall > len(long) / 2


def blocks(page: int, words: Sequence[Any]) -> list[tuple[int, tuple[Word, ...]]]:
    """The page's words in reading order, cut into blocks at wide vertical gaps."""
    if turned(words):
        return [(page, tuple(Word(w.text, w.conf, w.bbox) for w in words))]
    lines = group_lines(words)
    if not lines:
        return []
    height = median(t.bbox[3] - t.bbox[1] for line in lines for t in line)
    out: list[list[Word]] = [[]]
    bottom: float | None = None
    for line in lines:
        top = min(t.bbox[1] for t in line)
        if bottom is not None and top - bottom > BLOCK_GAP * height and out[-1]:
            out.append([])
        out[-1].extend(line)
        bottom = max(t.bbox[3] for t in line)
    return [(page, tuple(b)) for b in out if b]


@cache
def abbreviations() -> frozenset[str]:
    return frozenset(json.loads(PATTERNS.read_text("utf-8"))["abbreviations"])


def fragment(sent: Span) -> bool:
    """A short stretch with no verb ("On the 4th of October 2014."): no sentence by itself,
    but the start of the next one, cut off by a stop OCR read into a speck after it."""
    return len(sent) <= MAX_FRAGMENT and not any(t.pos_ in ("VERB", "AUX") for t in sent)


def spans(doc: Any) -> Iterable[Span]:
    """spaCy's sentences, rejoined where one ends at an abbreviation ("Perm. to work"),
    with no closing stop at all (the parser may cut "On the 4th of October 2014 | Ms
    Kowalski was granted..." at a line break), or is a fragment with no verb."""
    start = None
    for sent in doc.sents:
        start = sent.start if start is None else start
        ends_short = (len(sent) >= 2 and sent[-1].text == "."
                      and sent[-2].lower_ in abbreviations())
        unclosed = sent[-1].text not in SENTENCE_ENDS or fragment(sent)
        if not (ends_short or unclosed) or sent.end == len(doc):
            yield doc[start:sent.end]
            start = None


def _sentences(block: tuple[Word, ...], page: int, doc: Any,
               starts: list[int]) -> Iterable[tuple[Sentence, Span]]:
    for sent in spans(doc):
        mine = tuple(w for w, s in zip(block, starts, strict=True)
                     if sent.start_char <= s < sent.end_char)
        if mine:
            yield Sentence(sent.text.strip(), page, mine), sent


def parse_date(text: str) -> date | None:
    """A whole day-first date, or None (31/02, month 13, no day...)."""
    parsed = dateparser.parse(text.strip(" .,;:"), languages=["en"], settings=DATE_SETTINGS)
    return parsed.date() if parsed else None


def _span_date(span: Span) -> tuple[date | None, str]:
    """The date in an entity span, trimming trailing tokens the recogniser took too."""
    for end in range(len(span), 0, -1):
        text = span[:end].text
        if (found := parse_date(text)) is not None:
            return found, text
    return None, span.text


def _distance(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, b[0] - a[1], a[0] - b[1])


def _is_name(sent: Span, start: int) -> bool:
    """'Mr Grant': an outcome word that is someone's name after a title."""
    return start > 0 and _plain(sent[start - 1]) in TITLES and sent[start].text[:1].isupper()


def candidates_in(sentence: Sentence, sent: Span, options: EventOptions) -> list[Event]:
    """Every (subject, outcome) the sentence pairs, as an event or a refused candidate."""
    pipeline, found = matcher()
    matches = [(pipeline.vocab.strings[m], s, e) for m, s, e in found(sent.as_doc())]
    subjects = [(label.split(":")[1], (s, e)) for label, s, e in matches
                if label.startswith("subjects:")]
    outcomes = [(label.split(":")[1], (s, e)) for label, s, e in matches
                if label.startswith("outcomes:") and not _is_name(sent, s)]
    dates = date_spans(sent, [(s, e) for label, s, e in matches if label.startswith("dates:")])
    in_dates = {i - sent.start for d in dates for i in range(d.start, d.end)}
    # "May" in "18 May 2001" hedges nothing
    # a sentence rejoined after a fragment ("Minute of 4 May. Should ...") starts again
    starts = {0} | {i + 1 for i, t in enumerate(sent) if t.text in SENTENCE_ENDS}
    hedges = [label.split(":")[1] for label, s, _ in matches if s not in in_dates and (
              label.startswith("hedges:") or (label.startswith("sentence_start:")
                                              and s in starts))]
    events: dict[str, Event] = {}
    for outcome, where in outcomes:
        near = [(k, _distance(where, w)) for k, w in subjects if _distance(where, w) < MAX_REACH]
        if not near:
            continue
        kind = min(near, key=lambda kd: (kd[1], KINDS.index(kd[0])))[0]
        event = _dated(sentence, sent, kind, outcome, where, hedges, dates, options)
        if kind not in events or events[kind].status == "refused":
            events[kind] = event
    return list(events.values())


def date_spans(sent: Span, matched: list[tuple[int, int]]) -> list[Span]:
    """The sentence's DATE entities and the dates the patterns found ("the 3rd of April
    2019", which the recogniser cuts in two), the longer winning where they overlap."""
    spans = [e for e in sent.ents if e.label_ == "DATE"]
    spans += [sent[s:e] for s, e in matched]
    kept: list[Span] = []
    for span in sorted(spans, key=len, reverse=True):
        if all(span.end <= k.start or span.start >= k.end for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


def _dated(sentence: Sentence, sent: Span, kind: str, outcome: str, where: tuple[int, int],
           hedges: list[str], dates: list[Span], options: EventOptions) -> Event:
    confidence = mean(w.conf for w in sentence.words)
    base = Event(kind, outcome, None, sentence.text, sentence.page, sentence.bbox, confidence,
                 "refused")
    if hedges:
        return _refuse(base, f"{', '.join(dict.fromkeys(hedges))}: not a decision")
    if not dates:
        return _refuse(base, "no date in the sentence")
    span = min(dates, key=lambda e: _distance(where, (e.start - sent.start, e.end - sent.start)))
    when, text = _span_date(span)
    today = options.today or date.today()
    if when is None:
        return _refuse(base, f"{span.text!r} is not a real date")
    if when > today:
        return _refuse(base, f"{text!r} is in the future")
    if when < options.earliest:
        return _refuse(base, f"{text!r} is before {options.earliest.isoformat()}")
    status: EventStatus = "confirmed"
    reason = None
    before = span.start - 1
    if before >= sent.start and sent.doc[before].text.isdigit():
        status, reason = "needs_review", f"a number stands before {text!r}: OCR may have split " \
                                         "the date"
    elif confidence < options.min_confidence:
        status, reason = "needs_review", f"confidence {confidence:.2f} is below " \
                                         f"{options.min_confidence}"
    return Event(kind, outcome, when.isoformat(), sentence.text, sentence.page,
                 sentence.bbox, confidence, status, reason)


def _refuse(event: Event, reason: str) -> Event:
    return Event(event.kind, event.outcome, event.date, event.text, event.page, event.bbox,
                 event.confidence, "refused", reason)


def find_events(pages: Sequence[tuple[int, Sequence[Any]]],
                options: EventOptions | None = None) -> list[Event]:
    """Events and refused candidates from (page number, OCR words) of running text."""
    options = options or EventOptions()
    pipeline, _ = matcher()
    all_blocks = [b for number, words in pages for b in blocks(number, words)]
    texts, offsets = [], []
    for _, block in all_blocks:
        starts, at = [], 0
        for w in block:
            starts.append(at)
            at += len(w.text) + 1
        texts.append(" ".join(w.text for w in block))
        offsets.append(starts)
    events: list[Event] = []
    for (page, block), starts, doc in zip(all_blocks, offsets, pipeline.pipe(texts),
                                          strict=True):
        for sentence, sent in _sentences(block, page, doc, starts):
            events.extend(candidates_in(sentence, sent, options))
    return events

"""Events read from running text, as records: what extraction, storage and the API pass
around. Kept apart from the reader (extraction/events.py) so that using an event does
not load spaCy; only reading one does."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Final, Literal

from extraction.values import BBox

PATTERNS: Final = Path(__file__).with_name("patterns") / "events.json"
KINDS: Final = ("permission_to_work", "claim_decision", "appeal")
OUTCOMES: Final = ("granted", "refused")
EventStatus = Literal["confirmed", "needs_review", "refused"]


@dataclass(frozen=True)
class Event:
    """One decision read from running text, or a refused candidate with its reason."""

    kind: str
    outcome: str
    date: str | None  # ISO date
    text: str  # the sentence as read
    page: int
    bbox: BBox
    confidence: float
    status: EventStatus = "confirmed"
    reason: str | None = None


@dataclass(frozen=True)
class EventOptions:
    min_confidence: float = 0.6
    earliest: date = date(1973, 1, 1)  # the Immigration Act 1971 came into force
    today: date | None = None  # None: the day it runs



def _literals(pattern: Any) -> Iterable[str]:
    """Every literal word a Matcher pattern names (`"IN": [...]` lists and plain values)."""
    if isinstance(pattern, dict):
        for key, value in pattern.items():
            if key == "IN" and isinstance(value, list):
                yield from (str(v) for v in value)
            elif key != "REGEX":
                yield from _literals(value)
    elif isinstance(pattern, list):
        for item in pattern:
            yield from _literals(item)
    elif isinstance(pattern, str):
        yield pattern


@cache
def outcome_words() -> frozenset[str]:
    """The words an outcome pattern of events.json needs (lower case, no dots)."""
    data = json.loads(PATTERNS.read_text("utf-8"))
    return frozenset(w for w in _literals(data["outcomes"]) if w)


@cache
def other_people() -> frozenset[str]:
    """Words naming someone other than the applicant ("wife", "father"): a sentence about
    them states no event of the applicant's, and a label about them asks for no field of
    the applicant's (extraction/meaning.py)."""
    data = json.loads(PATTERNS.read_text("utf-8"))
    return frozenset(_literals(data["hedges"]["about another person"]))


def may_state_event(words: Iterable[Any]) -> bool:
    """Whether any word could be an event's outcome: a text with none states no event, so
    the events reader (and spaCy) need not run on it."""
    found = outcome_words()
    return any(w.text.lower().replace(".", "").strip(",;:()") in found for w in words)


__all__ = ["KINDS", "OUTCOMES", "Event", "EventOptions", "EventStatus", "may_state_event",
           "other_people"]

"""A case file's timeline: every dated event and every dated field, in date order, each
with its page and box.

Two events of one kind that contradict each other on the same date (permission to work
granted and refused on 3 April 2019) both go to review: neither is chosen.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from extraction.eventrecord import Event
from extraction.values import BBox, FieldResult

DATED_FIELDS = ("date_of_birth", "decision_date")


@dataclass(frozen=True)
class TimelineEntry:
    """One dated thing: an event (`kind` is the event kind, `value` its outcome) or a
    field (`kind` "field", `name` the field, `value` the ISO date)."""

    date: str
    kind: str
    name: str
    value: str
    text: str
    page: int
    bbox: BBox
    status: str
    reason: str | None = None


def contradictions(events: Iterable[Event]) -> list[Event]:
    """The events, with status set to review where another event of the same kind on the
    same date has the other outcome (refused candidates unchanged)."""
    events = list(events)
    outcomes: dict[tuple[str, str | None], set[str]] = defaultdict(set)
    for e in events:
        if e.status != "refused" and e.date:
            outcomes[(e.kind, e.date)].add(e.outcome)
    out = []
    for e in events:
        both = outcomes[(e.kind, e.date)]
        if e.status != "refused" and len(both) > 1:
            e = replace(e, status="needs_review",
                        reason=f"{' and '.join(sorted(both))} on the same date {e.date}: "
                               "a person must say which")
        out.append(e)
    return out


def timeline(results: Mapping[str, FieldResult], events: Iterable[Event]) -> list[TimelineEntry]:
    """The dated events and fields of one file, oldest first (then by page)."""
    entries = [TimelineEntry(str(e.date), e.kind, e.kind, e.outcome, e.text, e.page, e.bbox,
                             e.status, e.reason) for e in contradictions(events)
               if e.status != "refused" and e.date]
    for name in DATED_FIELDS:
        result = results.get(name)
        if result is None:
            continue
        for v in result.values:
            entries.append(TimelineEntry(str(v.value), "field", name, str(v.value), v.text,
                                         v.page, v.bbox, v.status, v.reason))
    return sorted(entries, key=lambda t: (t.date, t.page, t.bbox[1]))

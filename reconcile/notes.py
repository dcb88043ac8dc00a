"""Free-text notes columns read as text documents of their own.

A notes cell is laid out as one line of typed words (confidence 1.0: nothing was OCR'd)
and read by extraction's events reader, exactly as a minute sheet is: the decisions and
permission-to-work events in it keep the row and column as their provenance. A batch of
rows is read in one call, so spaCy's pipeline runs once over many cells; a cell with no
outcome word of the reader's own patterns skips the reader (`may_state_event`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

from extraction.eventrecord import may_state_event
from extraction.events import find_events
from reconcile.records import ExportRow, NotesEvent

WORD_WIDTH: Final = 12  # pixels a character: typed text laid out on one line
LINE_HEIGHT: Final = 20


@dataclass(frozen=True)
class TypedWord:
    """A word of typed text, shaped as the events reader reads OCR words."""

    text: str
    conf: float
    bbox: tuple[int, int, int, int]
    line: int = 0


def words(text: str) -> list[TypedWord]:
    """The text's words on one line, left to right (sentences come from punctuation)."""
    out, x = [], 0
    for w in text.split():
        out.append(TypedWord(w, 1.0, (x, 0, x + WORD_WIDTH * len(w), LINE_HEIGHT)))
        x += WORD_WIDTH * (len(w) + 1)
    return out


def notes_events(notes: Sequence[tuple[str, str]]) -> tuple[NotesEvent, ...]:
    """The events in one row's notes (column, text)."""
    return read_notes([ExportRow(0, "", (), tuple(notes))])[0].events


def read_notes(rows: Sequence[ExportRow]) -> list[ExportRow]:
    """The rows with the events of their notes cells; one reader call for all of them."""
    cells = [(i, column, text) for i, r in enumerate(rows) for column, text in r.notes
             if may_state_event(words(text))]
    if not cells:
        return list(rows)
    found = find_events([(n, words(text)) for n, (_, _, text) in enumerate(cells)])
    per_row: dict[int, list[NotesEvent]] = {}
    for e in found:
        if e.status == "refused":
            continue
        row, column, _ = cells[e.page]
        per_row.setdefault(row, []).append(NotesEvent(e.kind, e.outcome, e.date, e.text,
                                                      column, round(e.confidence, 3)))
    return [replace(r, events=tuple(per_row.get(i, ()))) if i in per_row else r
            for i, r in enumerate(rows)]

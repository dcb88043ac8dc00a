"""What kind of page each page of a case file is, so each is read the way that fits it.

Kinds: `form` (labelled fields), `decision_notice` (labelled fields under a heading that
names a decision), `letter` (a salutation or a closing), `minute` (a minute sheet: dated
short entries), `notes` (other running text), `identity` (a passport, identity card or
photograph page), `blank` (a separator or an empty page). The rules read the geometry
and words of the page only; a page that fits none is `notes`, read as running text.

Form lines are found with the form reader's own label matching (extraction.pairing,
read only), so a line the form reader takes as a label is never read as prose.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

from extraction.labels import label_table
from extraction.layout import Cell, page_cells
from extraction.pairing import is_sure_label, match_label

PageKind = Literal["form", "decision_notice", "letter", "minute", "notes", "identity", "blank"]
PAGE_KINDS: Final[tuple[str, ...]] = ("form", "decision_notice", "letter", "minute", "notes",
                                      "identity", "blank")
MIN_WORDS: Final = 6  # fewer readable words than this: a blank or separator sheet
MIN_LABEL_LINES: Final = 3
LETTER_WORDS: Final = re.compile(r"^(dear|yours sincerely|yours faithfully)\b", re.I)
IDENTITY_WORDS: Final = re.compile(r"\b(passport|identity card|national id|travel document)\b",
                                   re.I)
DATE_START: Final = re.compile(r"^(\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{1,2}(st|nd|rd|th)?\s"
                               r"[A-Za-z]{3,9}\s\d{4}|\d{1,2}-[A-Za-z]{3}-\d{4})")


@dataclass(frozen=True)
class PageKindOf:
    page: int
    kind: PageKind
    why: str
    label_lines: frozenset[int]  # lines (page_cells order) that hold a form label


def label_lines(lines: list[list[Cell]]) -> frozenset[int]:
    table = label_table()
    return frozenset(i for i, cells in enumerate(lines)
                     if any(is_sure_label(match_label(c, table), c) for c in cells))


def classify(number: int, words: Sequence[Any]) -> PageKindOf:
    """The page's kind and why, from its words and their boxes."""
    lines = page_cells(words)
    texts = [" ".join(c.text for c in cells) for cells in lines]
    labelled = label_lines(lines)
    count = sum(len(c.tokens) for cells in lines for c in cells)
    if count < MIN_WORDS:
        return PageKindOf(number, "blank", f"{count} words", labelled)
    if any(IDENTITY_WORDS.search(t) for t in texts[:6]) and len(labelled) < MIN_LABEL_LINES:
        return PageKindOf(number, "identity", "names an identity document at its top",
                          labelled)
    if any(LETTER_WORDS.match(t) for t in texts):
        return PageKindOf(number, "letter", "a salutation or closing", labelled)
    if len(labelled) >= MIN_LABEL_LINES or (labelled and 2 * len(labelled) >= len(lines)):
        # the heading: the lines above the first labelled line that holds a value (a
        # heading such as "DECISION NOTICE" may itself read as a label)
        first = min((i for i in labelled if len(lines[i]) > 1 or ":" in texts[i]),
                    default=min(labelled))
        top = texts[:first]
        if any("decision" in t.lower() for t in top):
            return PageKindOf(number, "decision_notice",
                              "labelled fields under a heading naming a decision", labelled)
        return PageKindOf(number, "form", f"{len(labelled)} labelled lines", labelled)
    dated = sum(bool(DATE_START.match(t)) for t in texts)
    if any("minute" in t.lower() for t in texts[:3]) or dated >= 3:
        return PageKindOf(number, "minute", f"minute heading or {dated} dated lines", labelled)
    return PageKindOf(number, "notes", "running text", labelled)

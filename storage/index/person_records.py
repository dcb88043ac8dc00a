"""The records of persons and links as the index keeps them.

Storage's own frozen rows (storage imports nothing of `identity`); casework maps the
linking model's records into these and back. A person is a cluster of documents: no
value is ever merged, each document keeps its own fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

BBox = tuple[int, int, int, int]

# What the export says of each document; one place for the vocabulary.
MEMBER_STATUSES: Final = ("linked", "needs_review", "flagged_two_people", "unlinked")
JUDGEMENT_ACTIONS: Final = ("confirm", "split", "never")
PAIR_DECISIONS: Final = ("link", "review", "separate")
MAX_BY: Final = 200  # who decides (the column's width)
MAX_WHY: Final = 2000  # why, as a reviewer writes it


@dataclass(frozen=True)
class ObservedRow:
    """One value as read: what a waterfall bar shows beside the page crop at `bbox`."""

    value: str
    confidence: float
    page: int | None = None
    bbox: BBox | None = None


@dataclass(frozen=True)
class ContributionRow:
    """One comparison's part in a pair's match weight (a bar of the waterfall)."""

    comparison: str
    level: str
    match_weight: float
    left: ObservedRow | None = None
    right: ObservedRow | None = None


@dataclass(frozen=True)
class LinkPairRow:
    """The model's judgement of two documents (left < right) and what it rests on.

    `person_id` is the person whose link this is (None for a pair across persons);
    `review` is True when the pair waits in the clerical-review band."""

    left: str
    right: str
    match_weight: float
    probability: float
    decision: str
    contributions: tuple[ContributionRow, ...] = ()
    person_id: str | None = None
    review: bool = False


@dataclass(frozen=True)
class PersonRow:
    """One person: a cluster of documents, its status and what the checks flagged."""

    person_id: str
    status: str
    documents: tuple[str, ...]
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Membership:
    """Which person a document belongs to and how sure the linking is of it."""

    document_id: str
    person_id: str
    status: str


@dataclass(frozen=True)
class TwoPeopleRow:
    """A document holding conflicting strong identifiers, linked no further until reviewed."""

    document_id: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class RescanRow:
    """Another scan of paper already held: not new evidence, not a new person."""

    document_id: str
    original_id: str
    similarity: float
    reason: str


@dataclass(frozen=True)
class RefusedRow:
    """A document not linked on (some of) its evidence, and every reason (no identifying
    field, an impossible date, a name in another script)."""

    document_id: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class LinkWrite:
    """Everything one linking run decided, in storage's rows. Writing it replaces the
    model's previous decisions as a whole; judgements are never touched."""

    persons: tuple[PersonRow, ...]
    members: tuple[Membership, ...]
    pairs: tuple[LinkPairRow, ...] = ()
    two_people: tuple[TwoPeopleRow, ...] = ()
    rescans: tuple[RescanRow, ...] = ()
    refused: tuple[RefusedRow, ...] = ()


@dataclass(frozen=True)
class JudgementRow:
    """A person's decision on two documents: appended, never updated or deleted."""

    action: str
    left: str
    right: str
    by: str
    at: datetime
    why: str
    judgement_id: int | None = None


@dataclass(frozen=True)
class LinkRunRow:
    """One linking run: when, over how many documents, into how many persons."""

    run_id: int
    created_at: datetime
    documents: int
    persons: int
    review: int
    two_people: int
    rescans: int


@dataclass(frozen=True)
class MemberRow:
    """One document as `person export` shows it: person_id is None until a run linked it."""

    document_id: str
    source: str
    person_id: str | None
    status: str


@dataclass(frozen=True)
class PersonDetail:
    """One person with the evidence of every link and every decision that touches it."""

    person: PersonRow
    members: tuple[MemberRow, ...]
    links: tuple[LinkPairRow, ...]
    review: tuple[LinkPairRow, ...]
    judgements: tuple[JudgementRow, ...]
    two_people: tuple[TwoPeopleRow, ...]
    rescans: tuple[RescanRow, ...]
    refused: tuple[RefusedRow, ...]


@dataclass(frozen=True)
class PersonCounts:
    """How many persons the index holds, and its documents by link status."""

    documents: int
    persons: int
    by_status: tuple[tuple[str, int], ...]

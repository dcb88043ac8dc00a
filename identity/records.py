"""What identity linking takes and gives: typed records, never dicts.

A link never merges values: every document keeps its own extracted fields, and a
person is a cluster of documents with the evidence of each link. A wrong link is
worse than a missing one, so every decision carries what it rests on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final, Literal, get_args

BBox = tuple[int, int, int, int]

# linked: in a cluster accepted automatically or confirmed by a person; needs_review: a
# link in the clerical-review band, or a cluster a check found doubtful; flagged_two_people:
# the document (or its cluster) holds conflicting strong identifiers and is linked no
# further until reviewed; unlinked: a person of its own.
LinkStatus = Literal["linked", "needs_review", "flagged_two_people", "unlinked"]
LINK_STATUSES: Final[tuple[LinkStatus, ...]] = get_args(LinkStatus)

# What the model says of one compared pair: above the high threshold, in the review band,
# or below it.
PairDecision = Literal["link", "review", "separate"]

# What a reviewer decides: a link confirmed, a cluster split, a pair that must never link.
ReviewAction = Literal["confirm", "split", "never"]


@dataclass(frozen=True)
class Observed:
    """One value as read from a page: normalised value, OCR confidence and where it is."""

    value: str
    confidence: float
    page: int | None = None
    bbox: BBox | None = None


@dataclass(frozen=True)
class DocumentIdentity:
    """The identifying values of one document, each with its confidence.

    Dates are ISO `YYYY-MM-DD`, nationality ISO 3166 alpha-3. A field holds every
    distinct value read for it (two dates of birth in one file are both kept: that is
    evidence of two people in one record, not a choice to make here).
    `page_hashes` are perceptual hashes of the cleaned pages and `text` the document's
    text, both for recognising another scan of the same paper.
    """

    document_id: str
    sha256: str
    surname: tuple[Observed, ...] = ()
    given_names: tuple[Observed, ...] = ()
    date_of_birth: tuple[Observed, ...] = ()
    nationality: tuple[Observed, ...] = ()
    reference: tuple[Observed, ...] = ()
    page_hashes: tuple[str, ...] = ()
    text: str = ""


@dataclass(frozen=True)
class Contribution:
    """One comparison's part in a pair's match weight (a bar of the waterfall)."""

    comparison: str  # e.g. "surname"
    level: str  # e.g. "Jaro-Winkler >= 0.92"
    match_weight: float  # log2 of the Bayes factor this level carries
    left: Observed | None = None
    right: Observed | None = None


@dataclass(frozen=True)
class PairEvidence:
    """The model's judgement of two documents, and what it rests on."""

    left: str  # document ids, left < right
    right: str
    match_weight: float
    probability: float
    decision: PairDecision
    contributions: tuple[Contribution, ...] = ()

    @property
    def automatic(self) -> bool:
        """Whether the model linked the pair on its own evidence."""
        return self.decision == "link"


@dataclass(frozen=True)
class Judgement:
    """A person's decision, kept for every later run and never overridden by a model.

    `never` says the two documents (or any documents of the two persons) are different
    people; `confirm` says they are one; `split` takes `left` out of the cluster it
    shared with `right`."""

    action: ReviewAction
    left: str
    right: str
    by: str
    at: datetime
    why: str


@dataclass(frozen=True)
class TwoPeople:
    """A document holding conflicting strong identifiers: never linked further until a
    person has looked."""

    document_id: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Rescan:
    """Another scan of paper already held: not new evidence, not a new person."""

    document_id: str
    original_id: str
    similarity: float
    reason: str


@dataclass(frozen=True)
class Cluster:
    """One person: documents linked, the evidence of every link, and what checks found.

    `person_key` is stable across runs for the same documents (derived from them, not a
    counter), so review decisions and exports keep pointing at the same person."""

    person_key: str
    documents: tuple[str, ...]
    status: LinkStatus
    links: tuple[PairEvidence, ...] = ()
    flags: tuple[str, ...] = ()  # e.g. "bridge: ...", "too large: ...", "two references: ..."


@dataclass(frozen=True)
class LinkResult:
    """Everything one linking run decided. Every document given appears in exactly one
    cluster (an unlinked document is a cluster of one)."""

    clusters: tuple[Cluster, ...]
    review: tuple[PairEvidence, ...] = ()
    two_people: tuple[TwoPeople, ...] = ()
    rescans: tuple[Rescan, ...] = ()
    refused: tuple[tuple[str, str], ...] = ()  # (document id, why it was not linked)

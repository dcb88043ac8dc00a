"""What reconciliation takes and gives: typed records, never dicts.

A database row is evidence of what the live case database says; the paper is evidence
of what was decided. A finding puts the two side by side (the row, the paper values with
page, box and confidence, the match weight) and judges nothing it cannot show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal, get_args

from identity.records import DocumentIdentity, Observed

BBox = tuple[int, int, int, int]

# The case fields a database column can be mapped onto (one place). Identifying fields
# first: they are what the linkage model compares.
ROW_FIELDS: Final = ("reference", "surname", "given_names", "date_of_birth", "nationality",
                     "application_type", "decision", "decision_date", "permission_to_work",
                     "permission_to_work_date")
DATE_FIELDS: Final = ("date_of_birth", "decision_date", "permission_to_work_date")
STATUS_FIELDS: Final = ("decision", "permission_to_work")

FindingKind = Literal["merged_identity", "status_disagreement", "value_disagreement",
                      "duplicate", "vanished_paper", "vanished_db"]
FINDING_KINDS: Final[tuple[FindingKind, ...]] = get_args(FindingKind)
# Harm order for the reviewers' queue: a wrong status or another person's identity can
# remove someone's right to work or to stay; a vanished database record is reported only.
HARM: Final[dict[FindingKind, int]] = {
    "status_disagreement": 1, "merged_identity": 1, "vanished_paper": 2, "duplicate": 3,
    "value_disagreement": 4, "vanished_db": 5}

MatchDecision = Literal["link", "review"]


@dataclass(frozen=True)
class RowError:
    """Bad input in one cell (or a whole row): named by row and column, with the reason.
    The row's other cells are still imported unless `column` is None (row refused)."""

    row: int  # 1 = the first data row after the header
    column: str | None
    reason: str


@dataclass(frozen=True)
class NotesEvent:
    """A decision read from a free-text notes cell: provenance is the row and column."""

    kind: str  # extraction.events KINDS: permission_to_work, claim_decision, appeal
    outcome: str  # granted | refused
    date: str | None
    text: str
    column: str
    confidence: float


@dataclass(frozen=True)
class ExportRow:
    """One database record as the mapping reads it: case field -> value (ISO dates,
    decision keys, "true"/"false" for permission to work), and notes events."""

    row: int
    key: str
    values: tuple[tuple[str, str], ...]
    notes: tuple[tuple[str, str], ...] = ()  # (column, text)
    events: tuple[NotesEvent, ...] = ()

    def get(self, name: str) -> str | None:
        return next((v for k, v in self.values if k == name), None)


@dataclass(frozen=True)
class PaperStatus:
    """A decision or permission to work as read on paper: value, date, where, how sure."""

    field: str  # "decision" | "permission_to_work"
    value: str
    date: str | None
    document_id: str
    page: int | None
    bbox: BBox | None
    confidence: float
    source: str  # "field" | "event"


@dataclass(frozen=True)
class PaperPerson:
    """One person on paper: its documents' identifying values, and its statuses."""

    person_id: str
    documents: tuple[DocumentIdentity, ...]
    statuses: tuple[PaperStatus, ...] = ()
    batch: str | None = None


@dataclass(frozen=True)
class PaperValue:
    """A value on paper offered as evidence."""

    document_id: str
    value: str
    confidence: float
    page: int | None
    bbox: BBox | None

    @classmethod
    def of(cls, document_id: str, o: Observed) -> PaperValue:
        return cls(document_id, o.value, o.confidence, o.page, o.bbox)


@dataclass(frozen=True)
class Evidence:
    """One field of a finding: the database value beside the paper values."""

    field: str
    db_value: str | None
    paper: tuple[PaperValue, ...]
    note: str = ""


@dataclass(frozen=True)
class Finding:
    """Where the database disagrees with the paper, with everything it rests on.

    `keys` are the database rows concerned (export keys), `persons` the paper persons;
    `match_weight` the linkage model's weight of the row against the person (None when
    nothing matched)."""

    kind: FindingKind
    keys: tuple[str, ...]
    persons: tuple[str, ...]
    summary: str
    evidence: tuple[Evidence, ...] = ()
    match_weight: float | None = None
    field: str | None = None

    @property
    def harm(self) -> int:
        return HARM[self.kind]

    @property
    def fingerprint(self) -> str:
        """The same finding across runs: kind, rows, persons and field (not the values,
        so that a changed value re-opens it rather than making a new one)."""
        return "|".join((self.kind, ",".join(self.keys), ",".join(self.persons),
                         self.field or ""))


@dataclass(frozen=True)
class RowMatch:
    """The model's decision on one row and one paper person, never forced."""

    key: str
    person_id: str
    match_weight: float
    decision: MatchDecision
    document_id: str  # the paper document that scored best


@dataclass(frozen=True)
class Reconciliation:
    """One run's outcome: the matches the model made and the findings."""

    matches: tuple[RowMatch, ...]
    findings: tuple[Finding, ...]

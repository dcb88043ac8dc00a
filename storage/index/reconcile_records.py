"""What the index keeps of reconciliation, as typed rows (storage does not import
reconcile; casework maps between them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

FINDING_STATES: Final = ("open", "resolved")
NotesEventRow = tuple[str, str, str | None, str, str, float]  # kind, outcome, date, text,
# column, confidence


@dataclass(frozen=True)
class StoredRow:
    """One imported database record."""

    row: int
    key: str
    values: tuple[tuple[str, str], ...]
    notes: tuple[tuple[str, str], ...]
    events: tuple[NotesEventRow, ...]
    digest: str


@dataclass(frozen=True)
class StoredError:
    row: int
    column: str | None
    reason: str


@dataclass(frozen=True)
class ExportInfo:
    export_id: int
    name: str
    source: str
    imported_at: datetime
    rows: int
    errors: int


@dataclass(frozen=True)
class ExportChanges:
    """What changed from the previous export: keys added, removed, with other values."""

    previous_id: int | None
    added: int
    removed: int
    changed: int
    examples: tuple[str, ...]  # a few keys of each, "+K", "-K", "~K"


@dataclass(frozen=True)
class FindingWrite:
    """A finding as a run raises it (evidence already JSON)."""

    fingerprint: str
    kind: str
    harm: int
    keys: tuple[str, ...]
    persons: tuple[str, ...]
    field: str | None
    summary: str
    evidence_json: str
    match_weight: float | None
    digest: str
    batch: str | None
    nationality: str | None


@dataclass(frozen=True)
class FindingRow(FindingWrite):
    finding_id: int
    state: str
    first_run: int
    last_run: int


@dataclass(frozen=True)
class ResolutionRow:
    finding_id: int
    action: str  # resolved | reopened
    by: str
    reason: str
    at: datetime


@dataclass(frozen=True)
class RunRow:
    run_id: int
    export_id: int
    created_at: datetime
    rows: int
    persons: int
    findings: int
    reopened: int


@dataclass(frozen=True)
class CountRow:
    """Findings of the latest run counted by one grouping (kind, batch or nationality)."""

    group: str
    value: str | None
    count: int

"""The records the index takes and gives back.

They are storage's own small frozen dataclasses, so storage needs nothing from the OCR
or extraction packages; the ingest chain converts its records into these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

BBox = tuple[int, int, int, int]
FieldScalar = str | bool | None


@dataclass(frozen=True)
class PageRow:
    """One page as indexed: size, how it was read, its text and where its artefacts are."""

    number: int
    width: int
    height: int
    source: str
    quality: float
    text: str
    image_key: str | None
    words_key: str | None
    error: str | None = None


@dataclass(frozen=True)
class FieldRow:
    """One extracted field value; `value` keeps its type (bools stay bools) through the index.

    `status` is "confirmed", "needs_review" or "missing"; a field needing review may have
    several rows (`candidate` 0, 1, ...: two different values found, both kept). A missing
    field has one row with no value, page or box, and `reason` says why.
    """

    name: str
    value: FieldScalar
    text: str
    confidence: float
    page: int | None
    bbox: BBox | None
    status: str = "confirmed"
    reason: str | None = None
    candidate: int = 0


@dataclass(frozen=True)
class CorrectionRow:
    """A person's correction of one field. It never replaces what was extracted: both are
    kept, with who and when; the latest correction of a field is its effective value."""

    document_id: str
    name: str
    value: FieldScalar
    extracted: FieldScalar  # the confirmed value at the time, or None (review, missing)
    by: str
    at: datetime
    note: str | None = None
    correction_id: int | None = None


@dataclass(frozen=True)
class ReviewItem:
    """One field of one document awaiting a person: its candidate values and why."""

    document_id: str
    source: str
    name: str
    reason: str | None
    values: tuple[FieldRow, ...]


@dataclass(frozen=True)
class EntityRow:
    """A named entity found in a page's text, by character offsets into that text."""

    label: str
    text: str
    page: int
    start: int
    end: int


@dataclass(frozen=True)
class EntityHit(EntityRow):
    """A stored entity matching an entity search, with the document it is in."""

    document_id: str
    source: str


@dataclass(frozen=True)
class PairRow:
    """A key-value pair printed on a page ("Place of birth: Kabul"), with both boxes; the
    value is "" with no box where the key has none."""

    page: int
    key: str
    key_bbox: tuple[int, int, int, int]
    value: str
    value_bbox: tuple[int, int, int, int] | None
    confidence: float


@dataclass(frozen=True)
class PairHit(PairRow):
    """A stored pair matching a pair search, with the document it is in."""

    document_id: str
    source: str


@dataclass(frozen=True)
class EventRow:
    """A decision read from running text (issue 11), or a refused candidate with why."""

    kind: str
    outcome: str
    date: str | None
    text: str
    page: int
    bbox: BBox
    confidence: float
    status: str
    reason: str | None = None


@dataclass(frozen=True)
class DocumentRow:
    """A whole document as indexed. `document_id` is chosen by the caller (the sha256)."""

    document_id: str
    sha256: str
    source: str
    media_type: str
    original_key: str
    status: str
    error: str | None
    pages: tuple[PageRow, ...]
    fields: tuple[FieldRow, ...]
    entities: tuple[EntityRow, ...]
    created_at: datetime | None = None
    corrections: tuple[CorrectionRow, ...] = ()
    pairs: tuple[PairRow, ...] = ()  # every key-value pair of its form pages (issue 10)
    events: tuple[EventRow, ...] = ()

    @property
    def text(self) -> str:
        """The document text, pages separated by a blank line."""
        return "\n\n".join(page.text for page in self.pages)


@dataclass(frozen=True)
class BatchFileRow:
    """The outcome of one file in a batch, recorded whether it succeeded or not."""

    source: str
    sha256: str | None
    document_id: str | None
    status: str
    error: str | None
    duplicate: bool = False
    # Where the file stands (issue 12): `status` is one of FILE_STATES; pages read so far
    # of the pages counted; the original kept for it; the box and case-file number when a
    # box scan was split at separator sheets (`part_of` the box file, `origin_pages` its
    # pages, e.g. "3-7").
    position: int | None = None
    pages_total: int | None = None
    pages_done: int = 0
    original_key: str | None = None
    box: str | None = None
    sequence: int | None = None
    part_of: str | None = None
    origin_pages: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None


# Where a file of a batch stands: given but not started, being read, indexed, failed with
# its reason, set aside after failing again and again (it can be retried later), or a box
# scan cut into case files at separator sheets (each case file a row of its own).
FILE_STATES: Final = ("queued", "processing", "done", "failed", "quarantined", "split")
FINAL_STATES: Final = frozenset({"done", "failed", "quarantined", "split"})


@dataclass(frozen=True)
class BatchCounts:
    """A batch's progress, computed by counting its file rows: files per state, pages read
    of pages counted, and when work on it was first and last seen."""

    batch_id: int
    name: str
    created_at: datetime
    finished_at: datetime | None
    files: int
    states: dict[str, int]
    pages_total: int
    pages_done: int
    files_counted: int  # files whose pages are counted (the rest are still queued)
    first_started: datetime | None
    last_change: datetime | None
    pages_open: int = 0  # pages counted but not read, of files not finished
    files_open_uncounted: int = 0  # files not finished whose pages are not counted yet
    separator: str | None = None
    runner: str | None = None  # the process running the batch (host:pid:start)
    separator_code: str | None = None


@dataclass(frozen=True)
class FailedOriginal:
    """An original kept in the store for a file that failed and is not indexed."""

    batch_id: int
    batch: str
    source: str
    sha256: str
    original_key: str | None
    error: str | None
    failed_at: datetime | None


@dataclass(frozen=True)
class BatchRow:
    """A batch and its files in the order they were recorded."""

    batch_id: int
    name: str
    created_at: datetime
    files: tuple[BatchFileRow, ...]


@dataclass(frozen=True)
class SearchHit:
    """One matching page. Higher `score` is better; `snippet` marks matches with [ and ].

    `bbox` is the box of the matched field or word on that page, when known, so the
    page can be shown with the hit highlighted.
    """

    document_id: str
    page: int
    score: float
    snippet: str
    source: str
    bbox: BBox | None = None


@dataclass(frozen=True)
class FieldFilter:
    """A field whose effective value (the latest correction, else the confirmed value)
    must be `value`: how a field without its own case-row column is searched."""

    name: str
    value: str | bool


@dataclass(frozen=True)
class SearchFilters:
    """Fielded conditions on a search; all given ones must hold.

    Names match fuzzily (up to two letters wrong); the others exactly or by range.
    `fields` holds conditions on fields that have no case-row column.
    """

    surname: str | None = None
    given_names: str | None = None
    date_of_birth: date | None = None
    born_from: date | None = None
    born_to: date | None = None
    nationality: str | None = None
    reference: str | None = None
    application_type: str | None = None
    decision: str | None = None
    decided_from: date | None = None
    decided_to: date | None = None
    permission_to_work: bool | None = None
    batch_id: int | None = None
    fields: tuple[FieldFilter, ...] = ()

    def is_empty(self) -> bool:
        return all(getattr(self, name) in (None, ()) for name in self.__dataclass_fields__)


@dataclass(frozen=True)
class CountRow:
    """One cell of a report: the group it counts and how many cases are in it."""

    group: tuple[str | int | None, ...]
    cases: int


@dataclass(frozen=True)
class QualityRow:
    """How one field fared in one batch: documents, values present, missing, to review."""

    batch_id: int
    batch: str
    field: str
    documents: int
    present: int
    missing: int
    needs_review: int

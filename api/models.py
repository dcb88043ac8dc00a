"""The response models: every JSON shape the HTTP API returns and the CLI's `--json` prints.

Each model is built from a library record by its `of` constructor, so a route and a
command cannot build the same object two ways, and /openapi.json shows every shape.
`DocumentOut` is one line of `casescan ingest --json`: its keys are a contract other
tools rely on; new keys may be added, none removed or renamed.
"""

from __future__ import annotations

from typing import Literal, Self, cast

from pydantic import BaseModel, ConfigDict

from casework import Report
from extraction.events import Event
from extraction.fields import FieldResult, FieldValue
from extraction.timeline import TimelineEntry, timeline
from ingest.outcome import DocumentOutcome, Effective
from storage.index.records import (
    BatchFileRow,
    BatchRow,
    CorrectionRow,
    DocumentRow,
    EntityHit,
    EntityRow,
    FieldRow,
    PageRow,
    ReviewItem,
    SearchHit,
)

Scalar = str | bool | None
Cell = str | int | float | bool | None


class Model(BaseModel):
    model_config = ConfigDict(frozen=True)

    def as_json(self) -> dict[str, object]:
        """Plain JSON types, as the CLI prints them one object per line."""
        return self.model_dump(mode="json")


def box(bbox: tuple[int, int, int, int] | None) -> list[int] | None:
    return None if bbox is None else list(bbox)


def page_image_url(document_id: str, page: int) -> str:
    return f"/documents/{document_id}/pages/{page}/image"


class FieldValueOut(Model):
    """One value read from a page, with the evidence to check it."""

    value: str | bool
    text: str
    confidence: float
    page: int
    bbox: list[int]
    status: str
    reason: str | None

    @classmethod
    def of(cls, v: FieldValue) -> FieldValueOut:
        return cls(value=v.value, text=v.text, confidence=round(v.confidence, 3), page=v.page,
                   bbox=list(v.bbox), status=v.status, reason=v.reason)


class CorrectedValueOut(Model):
    """A field a person corrected: their value, where the extracted one was (if any)."""

    value: Scalar
    text: str | None
    confidence: float
    page: int | None
    bbox: list[int] | None
    status: Literal["corrected"]
    reason: str | None
    corrected_by: str
    corrected_at: str
    extracted: FieldValueOut | None

    @classmethod
    def of(cls, extracted: FieldValue | None, c: CorrectionRow) -> CorrectedValueOut:
        read = FieldValueOut.of(extracted) if extracted else None
        where = (read.model_dump(include=set(EVIDENCE)) if read
                 else dict.fromkeys(EVIDENCE))
        return cls(**where, value=c.value, confidence=1.0, status="corrected",
                   corrected_by=c.by, corrected_at=c.at.isoformat(), extracted=read)


EVIDENCE = ("text", "page", "bbox", "reason")  # kept from the extracted value, if any


def effective_out(e: Effective | None) -> FieldValueOut | CorrectedValueOut | None:
    """A field's value stored as right, in the shape of `fields` in the ingest line."""
    if e is None:
        return None
    if e.correction is None:
        return FieldValueOut.of(e.extracted) if e.extracted else None
    return CorrectedValueOut.of(e.extracted, e.correction)


class CorrectionOut(Model):
    """A person's correction as kept beside the extracted value."""

    id: int | None
    value: Scalar
    extracted: Scalar
    by: str
    at: str
    note: str | None

    @classmethod
    def of(cls, c: CorrectionRow) -> CorrectionOut:
        return cls(id=c.correction_id, value=c.value, extracted=c.extracted, by=c.by,
                   at=c.at.isoformat(), note=c.note)


class CorrectionMadeOut(CorrectionOut):
    """The reply to a correction: the correction and the field of the document it is of."""

    document_id: str
    field: str

    @classmethod
    def of(cls, c: CorrectionRow) -> CorrectionMadeOut:
        return cls(document_id=c.document_id, field=c.name,
                   **CorrectionOut.of(c).model_dump())


class FieldStatusOut(Model):
    """One field's full status: every value kept, why, and every correction."""

    status: str
    reason: str | None
    values: list[FieldValueOut]
    corrections: list[CorrectionOut]

    @classmethod
    def of(cls, result: FieldResult | None,
           corrections: list[CorrectionRow]) -> FieldStatusOut:
        return cls(status=result.status if result else "missing",
                   reason=result.reason if result else None,
                   values=[FieldValueOut.of(v) for v in result.values] if result else [],
                   corrections=[CorrectionOut.of(c) for c in corrections])


class DocumentFieldsOut(Model):
    """What every view of one document shares: its outcome, fields and their status."""

    document_id: str | None
    source: str
    sha256: str | None
    status: Literal["done", "failed"]
    error: str | None
    text: str
    fields: dict[str, FieldValueOut | CorrectedValueOut | None]
    duplicate: bool
    page_errors: list[str]
    problems: list[str]
    field_status: dict[str, FieldStatusOut]
    flagged_pages: list[int]
    # issue 11: decisions read from running text, and the file's dated things in order
    events: list[EventOut]
    timeline: list[TimelineEntryOut]

    @classmethod
    def build(cls, o: DocumentOutcome, **more: object) -> Self:
        """The shared keys from one outcome, and a subclass's own keys in `more`."""
        return cls(
            document_id=o.document_id, source=o.source, sha256=o.sha256, status=o.status,
            error=o.error, text=o.text,
            fields={name: effective_out(o.effective(name)) for name in o.field_names()},
            duplicate=o.duplicate, page_errors=list(o.page_errors), problems=list(o.problems),
            field_status={name: FieldStatusOut.of(o.results.get(name), [
                c for c in o.corrections if c.name == name]) for name in o.field_names()},
            flagged_pages=list(o.flagged_pages),
            events=[EventOut.of(e) for e in o.events],
            timeline=[TimelineEntryOut.of(t) for t in timeline(o.results, o.events)], **more)


class DocumentOut(DocumentFieldsOut):
    """One line of `casescan ingest --json` (and `show --json`): `pages` is the count."""

    pages: int

    @classmethod
    def of(cls, o: DocumentOutcome) -> DocumentOut:
        return cls.build(o, pages=o.pages)


class PageOut(Model):
    """One page of a stored document: size, how it was read, and its image."""

    number: int
    width: int
    height: int
    source: str
    quality: float
    error: str | None
    flagged: bool
    image: str

    @classmethod
    def of(cls, document_id: str, p: PageRow, flagged: bool) -> PageOut:
        return cls(number=p.number, width=p.width, height=p.height, source=p.source,
                   quality=p.quality, error=p.error, flagged=flagged,
                   image=page_image_url(document_id, p.number))


class EntityOut(Model):
    """A named entity in a page's text, by character offsets into that text."""

    label: str
    text: str
    page: int
    start: int
    end: int

    @classmethod
    def of(cls, e: EntityRow) -> EntityOut:
        return cls(label=e.label, text=e.text, page=e.page, start=e.start, end=e.end)


class EntityHitOut(EntityOut):
    """An entity found by an entity search, with the document it is in."""

    document_id: str
    source: str

    @classmethod
    def of(cls, e: EntityHit) -> EntityHitOut:  # type: ignore[override]
        return cls(document_id=e.document_id, source=e.source, label=e.label, text=e.text,
                   page=e.page, start=e.start, end=e.end)


class DocumentDetailOut(DocumentFieldsOut):
    """A stored document over HTTP: the ingest line with its pages listed, its entities
    and links to its page images and searchable PDF."""

    pages: list[PageOut]
    page_count: int
    entities: list[EntityOut]
    media_type: str
    searchable_pdf: str

    @classmethod
    def of(cls, row: DocumentRow, o: DocumentOutcome) -> DocumentDetailOut:
        pages = [PageOut.of(row.document_id, p, p.number in o.flagged_pages)
                 for p in row.pages]
        return cls.build(o, pages=pages, page_count=len(pages),
                         entities=[EntityOut.of(e) for e in row.entities],
                         media_type=row.media_type,
                         searchable_pdf=f"/documents/{row.document_id}/pdf")


class SearchHitOut(Model):
    """One matching page, with the box of the match when known."""

    document_id: str
    page: int
    score: float
    snippet: str
    bbox: list[int] | None
    source: str

    @classmethod
    def of(cls, hit: SearchHit) -> SearchHitOut:
        return cls(document_id=hit.document_id, page=hit.page, score=round(hit.score, 4),
                   snippet=hit.snippet, bbox=box(hit.bbox),
                   source=hit.source)


class CandidateOut(Model):
    """One value awaiting review, with where it was read."""

    value: Scalar
    text: str
    confidence: float
    page: int | None
    bbox: list[int] | None

    @classmethod
    def of(cls, row: FieldRow) -> CandidateOut:
        return cls(value=row.value, text=row.text, confidence=round(row.confidence, 3),
                   page=row.page, bbox=box(row.bbox))


class ReviewItemOut(Model):
    """One field of one document awaiting a person: its candidate values and why."""

    document_id: str
    source: str
    field: str
    reason: str | None
    values: list[CandidateOut]
    image: list[str]

    @classmethod
    def of(cls, item: ReviewItem) -> ReviewItemOut:
        return cls(document_id=item.document_id, source=item.source, field=item.name,
                   reason=item.reason, values=[CandidateOut.of(v) for v in item.values],
                   image=[page_image_url(item.document_id, v.page)
                          for v in item.values if v.page is not None])


class ReviewQueueOut(Model):
    """A page of the review queue and how many fields await review in all."""

    total: int
    items: list[ReviewItemOut]


class ReportOut(Model):
    """A report table as JSON: its title and one object per row."""

    title: str
    rows: list[dict[str, Cell]]

    @classmethod
    def of(cls, report: Report) -> ReportOut:
        rows = cast(list[dict[str, Cell]], report.as_dicts())  # cells are JSON scalars
        return cls(title=report.title, rows=rows)


class BatchFileOut(Model):
    """What became of one file of a batch."""

    source: str
    sha256: str | None
    document_id: str | None
    status: str
    error: str | None
    duplicate: bool

    @classmethod
    def of(cls, f: BatchFileRow) -> BatchFileOut:
        return cls(source=f.source, sha256=f.sha256, document_id=f.document_id,
                   status=f.status, error=f.error, duplicate=f.duplicate)


class BatchOut(Model):
    """A batch and how each of its files fared."""

    batch_id: int
    name: str
    created_at: str
    files: list[BatchFileOut]

    @classmethod
    def of(cls, b: BatchRow) -> BatchOut:
        return cls(batch_id=b.batch_id, name=b.name, created_at=b.created_at.isoformat(),
                   files=[BatchFileOut.of(f) for f in b.files])


class UploadOut(Model):
    """The reply to an upload: the batch and each file's outcome, as ingest prints it."""

    batch_id: int
    name: str
    documents: list[DocumentOut]


class HealthOut(Model):
    status: Literal["ok"]
    tesseract: str


class EventOut(Model):
    """A decision read from a letter, minute or note (`ingest --json` key `events`): kind
    permission_to_work, claim_decision or appeal; outcome granted or refused (an appeal
    allowed is granted, dismissed is refused); status confirmed, needs_review, or refused
    (not an event: `reason` says why)."""

    kind: str
    outcome: str
    date: str | None
    text: str
    page: int
    bbox: list[int]
    confidence: float
    status: str
    reason: str | None

    @classmethod
    def of(cls, e: Event) -> EventOut:
        return cls(kind=e.kind, outcome=e.outcome, date=e.date, text=e.text, page=e.page,
                   bbox=list(e.bbox), confidence=round(e.confidence, 4), status=e.status,
                   reason=e.reason)


class TimelineEntryOut(Model):
    """One dated event or dated field of a file, in date order, with its page and box."""

    date: str
    kind: str
    name: str
    value: str
    text: str
    page: int
    bbox: list[int]
    status: str
    reason: str | None

    @classmethod
    def of(cls, t: TimelineEntry) -> TimelineEntryOut:
        return cls(date=t.date, kind=t.kind, name=t.name, value=t.value, text=t.text,
                   page=t.page, bbox=list(t.bbox), status=t.status, reason=t.reason)

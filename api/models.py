"""The response models: every JSON shape the HTTP API returns and the CLI's `--json` prints.

Each model is built from a library record by its `of` constructor, so a route and a
command cannot build the same object two ways, and /openapi.json shows every shape.
`DocumentOut` is one line of `casescan ingest --json`: its keys are a contract other
tools rely on; new keys may be added, none removed or renamed.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Literal, Self, cast

from pydantic import BaseModel, ConfigDict

from extraction.eventrecord import Event
from extraction.fields import FieldResult, FieldValue
from extraction.timeline import TimelineEntry, timeline
from ingest.outcome import DocumentOutcome, Effective
from storage.index.accounts import UserRow
from storage.index.audit import AuditRow, ChainCheck
from storage.index.person_records import (
    JudgementRow,
    LinkPairRow,
    LinkRunRow,
    MemberRow,
    ObservedRow,
    RescanRow,
    TwoPeopleRow,
)
from storage.index.reconcile_records import FindingRow, ResolutionRow, RunRow, StoredError
from storage.index.records import (
    BatchFileRow,
    BatchRow,
    CorrectionRow,
    DocumentRow,
    EntityHit,
    EntityRow,
    FailedOriginal,
    FieldRow,
    PageRow,
    PairHit,
    PairRow,
    ReviewItem,
    SearchHit,
)
from storage.index.units import UnitRow

if TYPE_CHECKING:  # records read only by the `of` constructors: a command showing a batch
    # need not load the linking model or the whole read side
    from casework import Report
    from casework.persons import LinkReview, PersonHit, PersonView
    from casework.progress import BatchProgress
    from casework.reconcile import ImportReport
    from ingest.intake import Arrival

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
    return f"/api/documents/{document_id}/pages/{page}/image"


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
    pairs: list[PairOut]  # every key-value pair of its form pages (issue 10)
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
            flagged_pages=list(o.flagged_pages), pairs=[PairOut.of(p) for p in o.pairs],
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
                         searchable_pdf=f"/api/documents/{row.document_id}/pdf")


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
    # Where the file stands (issue 12): status is queued, processing, done, failed or
    # quarantined; a case file split from a box scan has its box and number.
    position: int | None = None
    pages_total: int | None = None
    pages_done: int = 0
    box: str | None = None
    sequence: int | None = None
    part_of: str | None = None
    origin_pages: str | None = None

    @classmethod
    def of(cls, f: BatchFileRow) -> BatchFileOut:
        return cls(source=f.source, sha256=f.sha256, document_id=f.document_id,
                   status=f.status, error=f.error, duplicate=f.duplicate,
                   position=f.position, pages_total=f.pages_total, pages_done=f.pages_done,
                   box=f.box, sequence=f.sequence, part_of=f.part_of,
                   origin_pages=f.origin_pages)


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
    link_run: LinkRunOut | None = None  # when asked to link the new documents after


class HealthOut(Model):
    status: Literal["ok"]
    tesseract: str


class WorkUnitOut(Model):
    """One unit of ingest work (a page read or a document commit) and how it stands."""

    key: str
    sha256: str
    page: int
    stage: str
    state: str
    tries: int
    redeliveries: int
    last_error: str | None
    worker: str | None
    updated_at: str

    @classmethod
    def of(cls, u: UnitRow) -> WorkUnitOut:
        return cls(key=u.key, sha256=u.sha256, page=u.page, stage=u.stage, state=u.state,
                   tries=u.tries, redeliveries=u.redeliveries, last_error=u.last_error,
                   worker=u.worker, updated_at=u.updated_at.isoformat())
class BatchStatusOut(Model):
    """Where a batch stands, counted from its rows: `casescan batch status NAME --json`
    and `GET /batches/{name}` (and each event of `GET /batches/{name}/events`).

    `state` is finished (no file queued or processing), running (rows moved in the last
    minutes) or stalled (files left, nothing moving: the run was stopped or killed).
    `eta_seconds` is null when it cannot be known.
    """

    batch_id: int
    name: str
    created_at: str
    finished_at: str | None
    state: Literal["finished", "running", "stalled"]
    files_total: int
    queued: int
    processing: int
    done: int
    failed: int
    quarantined: int
    pages_done: int
    pages_total: int
    pages_per_minute: float | None
    eta_seconds: float | None
    separator: str | None
    files: list[BatchFileOut]
    split: int = 0  # box scans cut into case files (each case file counted on its own)

    @classmethod
    def of(cls, p: BatchProgress) -> BatchStatusOut:
        c = p.counts
        return cls(batch_id=c.batch_id, name=c.name, created_at=c.created_at.isoformat(),
                   finished_at=c.finished_at.isoformat() if c.finished_at else None,
                   state=p.state, files_total=c.files, queued=c.states["queued"],
                   processing=c.states["processing"], done=c.states["done"],
                   failed=c.states["failed"], quarantined=c.states["quarantined"],
                   pages_done=c.pages_done, pages_total=c.pages_total,
                   pages_per_minute=p.pages_per_minute, eta_seconds=p.eta_seconds,
                   separator=c.separator, files=[BatchFileOut.of(f) for f in p.files],
                   split=c.states["split"])


class FailedOriginalOut(Model):
    """An original kept in the store for a file that failed and is not indexed."""

    batch_id: int
    batch: str
    source: str
    sha256: str
    original_key: str | None
    error: str | None
    failed_at: str | None

    @classmethod
    def of(cls, f: FailedOriginal) -> FailedOriginalOut:
        return cls(batch_id=f.batch_id, batch=f.batch, source=f.source, sha256=f.sha256,
                   original_key=f.original_key, error=f.error,
                   failed_at=f.failed_at.isoformat() if f.failed_at else None)


class ArrivalOut(Model):
    """One uploaded file at the door: accepted (streamed into the store, queued) or
    refused with the reason; its name is the text given, never a path."""

    source: str
    accepted: bool
    reason: str | None
    size: int
    sha256: str | None
    position: int | None

    @classmethod
    def of(cls, a: Arrival, position: int | None) -> ArrivalOut:
        return cls(source=a.source, accepted=a.accepted, reason=a.reason, size=a.size,
                   sha256=a.sha256, position=position)


class BatchAcceptedOut(Model):
    """The reply to `POST /batches`, sent before any file is digitised: the batch, each
    file accepted or refused, and where to follow its progress."""

    batch_id: int
    name: str
    accepted: int
    refused: int
    files: list[ArrivalOut]
    status_url: str
    events_url: str
# --- persons and links (issue 13) ---


class PersonDocumentOut(Model):
    """One line of `casescan person export --json`: a document and its person.

    `person_id` is null until a linking run has seen the document; `status` is linked,
    needs_review, flagged_two_people or unlinked (a person of its own)."""

    document_id: str
    source: str
    person_id: str | None
    status: str

    @classmethod
    def of(cls, m: MemberRow) -> PersonDocumentOut:
        return cls(document_id=m.document_id, source=m.source, person_id=m.person_id,
                   status=m.status)


class ObservedOut(Model):
    """A value as read, with the page image to crop at `bbox` beside the waterfall."""

    value: str
    confidence: float
    page: int | None
    bbox: list[int] | None
    image: str | None

    @classmethod
    def of(cls, document_id: str, o: ObservedRow | None) -> ObservedOut | None:
        if o is None:
            return None
        return cls(value=o.value, confidence=round(o.confidence, 3), page=o.page,
                   bbox=box(o.bbox),
                   image=None if o.page is None else page_image_url(document_id, o.page))


class ContributionOut(Model):
    """One bar of a pair's waterfall: a comparison, the level it reached, its weight."""

    comparison: str
    level: str
    match_weight: float
    left: ObservedOut | None
    right: ObservedOut | None


class PairEvidenceOut(Model):
    """The model's evidence on two documents: match weight, probability, decision, and
    each comparison's contribution with both values and where they were read."""

    left: str
    right: str
    match_weight: float
    probability: float
    decision: str
    person_id: str | None
    review: bool
    contributions: list[ContributionOut]

    @classmethod
    def of(cls, p: LinkPairRow) -> PairEvidenceOut:
        bars = [ContributionOut(comparison=c.comparison, level=c.level,
                                match_weight=round(c.match_weight, 3),
                                left=ObservedOut.of(p.left, c.left),
                                right=ObservedOut.of(p.right, c.right))
                for c in p.contributions]
        return cls(left=p.left, right=p.right, match_weight=round(p.match_weight, 3),
                   probability=round(p.probability, 6), decision=p.decision,
                   person_id=p.person_id, review=p.review, contributions=bars)


class JudgementOut(Model):
    """A reviewer's decision on two documents: kept for good, with who, when and why."""

    judgement_id: int | None
    action: str
    left: str
    right: str
    by: str
    at: str
    why: str

    @classmethod
    def of(cls, j: JudgementRow) -> JudgementOut:
        return cls(judgement_id=j.judgement_id, action=j.action, left=j.left, right=j.right,
                   by=j.by, at=j.at.isoformat(), why=j.why)


class TwoPeopleOut(Model):
    """A document holding conflicting strong identifiers, and which."""

    document_id: str
    reasons: list[str]

    @classmethod
    def of(cls, t: TwoPeopleRow) -> TwoPeopleOut:
        return cls(document_id=t.document_id, reasons=list(t.reasons))


class RescanOut(Model):
    """A document that is another scan of paper already held."""

    document_id: str
    original_id: str
    similarity: float
    reason: str

    @classmethod
    def of(cls, r: RescanRow) -> RescanOut:
        return cls(document_id=r.document_id, original_id=r.original_id,
                   similarity=round(r.similarity, 3), reason=r.reason)


class RefusedOut(Model):
    """A document not linked on (some of) its evidence, and every reason."""

    document_id: str
    reasons: list[str]


class PersonMemberOut(Model):
    """One document of a person, with the identifying values read from its pages."""

    document_id: str
    source: str
    status: str
    values: dict[str, list[CandidateOut]]


class PersonOut(Model):
    """`casescan person show --json`: a person's documents, the values of each, and the
    evidence of every link, review pair, flag and decision."""

    person_id: str
    status: str
    flags: list[str]
    documents: list[PersonMemberOut]
    links: list[PairEvidenceOut]
    review: list[PairEvidenceOut]
    judgements: list[JudgementOut]
    two_people: list[TwoPeopleOut]
    rescans: list[RescanOut]
    refused: list[RefusedOut]

    @classmethod
    def of(cls, view: PersonView) -> PersonOut:
        d = view.detail
        values = dict(view.values)
        members = []
        for m in d.members:
            by_field: dict[str, list[CandidateOut]] = {}
            for f in values.get(m.document_id, ()):
                by_field.setdefault(f.name, []).append(CandidateOut.of(f))
            members.append(PersonMemberOut(document_id=m.document_id, source=m.source,
                                           status=m.status, values=by_field))
        return cls(person_id=d.person.person_id, status=d.person.status,
                   flags=list(d.person.flags), documents=members,
                   links=[PairEvidenceOut.of(p) for p in d.links],
                   review=[PairEvidenceOut.of(p) for p in d.review],
                   judgements=[JudgementOut.of(j) for j in d.judgements],
                   two_people=[TwoPeopleOut.of(t) for t in d.two_people],
                   rescans=[RescanOut.of(r) for r in d.rescans],
                   refused=[RefusedOut(document_id=r.document_id, reasons=list(r.reasons))
                            for r in d.refused])


class PersonHitOut(Model):
    """A person found by `person search`: its id (null: a document not yet linked), its
    most urgent status and the documents that matched."""

    person_id: str | None
    status: str
    documents: list[PersonDocumentOut]

    @classmethod
    def of(cls, hit: PersonHit) -> PersonHitOut:
        return cls(person_id=hit.person_id, status=hit.status,
                   documents=[PersonDocumentOut.of(m) for m in hit.documents])


class LinkReviewOut(Model):
    """`casescan review links --json`: pairs in the review band no one has judged, and
    documents flagged as two people, with how many of each wait in all."""

    total_pairs: int
    total_two_people: int
    pairs: list[PairEvidenceOut]
    two_people: list[TwoPeopleOut]

    @classmethod
    def of(cls, r: LinkReview) -> LinkReviewOut:
        return cls(total_pairs=r.total_pairs, total_two_people=r.total_two_people,
                   pairs=[PairEvidenceOut.of(p) for p in r.pairs],
                   two_people=[TwoPeopleOut.of(t) for t in r.two_people])


class LinkRunOut(Model):
    """What a linking run did: documents read, persons made, pairs to review, flags."""

    run_id: int
    created_at: str
    documents: int
    persons: int
    review: int
    two_people: int
    rescans: int

    @classmethod
    def of(cls, r: LinkRunRow) -> LinkRunOut:
        return cls(run_id=r.run_id, created_at=r.created_at.isoformat(), documents=r.documents,
                   persons=r.persons, review=r.review, two_people=r.two_people,
                   rescans=r.rescans)
class PairKeyOut(Model):
    text: str
    bbox: list[int]


class PairValueOut(Model):
    """A key's value as printed ("" and no box where the key has none)."""

    text: str
    bbox: list[int] | None
    confidence: float


class PairOut(Model):
    """One key-value pair printed on a page ("Place of birth: Kabul"), case field or not."""

    page: int
    key: PairKeyOut
    value: PairValueOut

    @classmethod
    def of(cls, p: PairRow) -> PairOut:
        return cls(page=p.page, key=PairKeyOut(text=p.key, bbox=list(p.key_bbox)),
                   value=PairValueOut(text=p.value, bbox=box(p.value_bbox),
                                      confidence=round(p.confidence, 3)))


class PairHitOut(PairOut):
    """A stored pair found by a pair search, with the document it is in."""

    document_id: str
    source: str

    @classmethod
    def of(cls, p: PairHit) -> PairHitOut:  # type: ignore[override]
        out = PairOut.of(p)
        return cls(document_id=p.document_id, source=p.source, page=out.page, key=out.key,
                   value=out.value)


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


for _model in (DocumentFieldsOut, DocumentOut, DocumentDetailOut):
    _model.model_rebuild()  # `pairs`, `events`, `timeline` name models declared after them


# Sign-in, users and the audit log (issue 14).
class UserOut(Model):
    """A user as admins see them (never a password hash)."""

    name: str
    role: str
    disabled: bool
    created_at: str

    @classmethod
    def of(cls, u: UserRow) -> UserOut:
        return cls(name=u.name, role=str(u.role), disabled=u.disabled,
                   created_at=u.created_at.isoformat())


class TokenOut(Model):
    """OAuth2's token reply: send `Authorization: Bearer <access_token>` until it expires."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int


class SessionOut(Model):
    """The signed-in user, and the CSRF token every changing request of a cookie session
    carries (header X-CSRF-Token or form field csrf_token)."""

    name: str
    role: str
    csrf_token: str | None


class AuditEntryOut(Model):
    """One audit entry: who, what, when, from where, and its link in the hash chain."""

    id: int
    at: str
    actor: str | None
    role: str | None
    action: str
    method: str
    path: str
    status: int
    address: str | None
    document_id: str | None
    person_id: str | None
    detail: str | None
    prev_hash: str
    hash: str

    @classmethod
    def of(cls, r: AuditRow) -> AuditEntryOut:
        e = r.entry
        return cls(id=r.id, at=e.at.isoformat(), actor=e.actor, role=e.role, action=e.action,
                   method=e.method, path=e.path, status=e.status, address=e.address,
                   document_id=e.document_id, person_id=e.person_id, detail=e.detail,
                   prev_hash=r.prev_hash, hash=r.hash)


class AuditPageOut(Model):
    total: int
    entries: list[AuditEntryOut]


class ChainCheckOut(Model):
    """`casescan audit verify`: rows read, and the first row that breaks the chain."""

    rows: int
    intact: bool
    first_bad: int | None
    reason: str | None

    @classmethod
    def of(cls, c: ChainCheck) -> ChainCheckOut:
        return cls(rows=c.rows, intact=c.first_bad is None, first_bad=c.first_bad,
                   reason=c.reason)


class ErrorOut(Model):
    """Any 4xx/5xx reply: `detail` is one sentence naming what is wrong, or (a request
    outside the declared bounds) FastAPI's list of the fields at fault."""

    detail: str | list[dict[str, object]]


# Reconciliation against the case database (issue 15): the CLI's --json shapes, and the
# HTTP routes' once they exist.


class PaperValueOut(Model):
    """A value on paper offered as evidence: where it is and how sure the reading was."""

    document_id: str
    value: str
    confidence: float
    page: int | None
    bbox: list[int] | None


class EvidenceOut(Model):
    """One field of a finding: the database value beside the paper values."""

    field: str
    db_value: str | None
    paper: list[PaperValueOut]
    note: str


class FindingOut(Model):
    """A disagreement between the case database and the paper, with its evidence."""

    finding_id: int
    kind: str
    state: str
    harm: int
    keys: list[str]
    persons: list[str]
    field: str | None
    summary: str
    match_weight: float | None
    batch: str | None
    nationality: str | None
    evidence: list[EvidenceOut]

    @classmethod
    def of(cls, f: FindingRow) -> FindingOut:
        evidence = [EvidenceOut.model_validate(e) for e in json.loads(f.evidence_json)]
        return cls(finding_id=f.finding_id, kind=f.kind, state=f.state, harm=f.harm,
                   keys=list(f.keys), persons=list(f.persons), field=f.field,
                   summary=f.summary, match_weight=f.match_weight, batch=f.batch,
                   nationality=f.nationality, evidence=evidence)


class ResolutionOut(Model):
    """A finding resolved or re-opened: kept for good, with who, when and why."""

    finding_id: int
    action: str
    by: str
    reason: str
    at: str

    @classmethod
    def of(cls, r: ResolutionRow) -> ResolutionOut:
        return cls(finding_id=r.finding_id, action=r.action, by=r.by, reason=r.reason,
                   at=r.at.isoformat())


class FindingDetailOut(FindingOut):
    """A finding with every resolution and re-opening, oldest first."""

    resolutions: list[ResolutionOut]

    @classmethod
    def of_detail(cls, f: FindingRow, resolutions: list[ResolutionRow]) -> FindingDetailOut:
        return cls(**FindingOut.of(f).model_dump(),
                   resolutions=[ResolutionOut.of(r) for r in resolutions])


class ExportRowErrorOut(Model):
    """Bad input in an export, named by row (0: the header) and column."""

    row: int
    column: str | None
    reason: str

    @classmethod
    def of(cls, e: StoredError) -> ExportRowErrorOut:
        return cls(row=e.row, column=e.column, reason=e.reason)


class ExportImportOut(Model):
    """An imported export: rows kept, bad cells, and what changed since the previous one."""

    export_id: int
    name: str
    rows: int
    errors: int
    first_errors: list[ExportRowErrorOut]
    previous_export_id: int | None
    added: int
    removed: int
    changed: int
    examples: list[str]

    @classmethod
    def of(cls, r: ImportReport) -> ExportImportOut:
        c = r.changes
        return cls(export_id=r.export.export_id, name=r.export.name, rows=r.export.rows,
                   errors=r.export.errors,
                   first_errors=[ExportRowErrorOut.of(e) for e in r.errors],
                   previous_export_id=c.previous_id, added=c.added, removed=c.removed,
                   changed=c.changed, examples=list(c.examples))


class ReconcileRunOut(Model):
    """One reconciliation run: rows and persons compared, findings, re-opened findings."""

    run_id: int
    export_id: int
    created_at: str
    rows: int
    persons: int
    findings: int
    reopened: int

    @classmethod
    def of(cls, r: RunRow) -> ReconcileRunOut:
        return cls(run_id=r.run_id, export_id=r.export_id, created_at=r.created_at.isoformat(),
                   rows=r.rows, persons=r.persons, findings=r.findings, reopened=r.reopened)

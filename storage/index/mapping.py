"""Conversion between the frozen records and the ORM models, in one place.

Field values and boxes go through JSON so a bool stays a bool and a box stays four ints
on every database; timestamps are kept in UTC and come back timezone-aware.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from storage.index.models import (
    BatchFileModel,
    BatchModel,
    CorrectionModel,
    DocumentModel,
    EntityModel,
    EventModel,
    FieldModel,
    PageModel,
    PairModel,
)
from storage.index.records import (
    BatchFileRow,
    BatchRow,
    BBox,
    CorrectionRow,
    DocumentRow,
    EntityRow,
    EventRow,
    FieldRow,
    FieldScalar,
    PageRow,
    PairRow,
)


def as_utc(moment: datetime) -> datetime:
    """Return `moment` as an aware UTC datetime; naive values are taken to be UTC already.

    SQLite drops the offset, so values are converted to UTC before storing and
    re-labelled as UTC when read.
    """
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def document_model(doc: DocumentRow, created_at: datetime) -> DocumentModel:
    """Build the ORM graph for `doc` (document, pages, fields, entities)."""
    return DocumentModel(
        **document_values(doc, created_at),
        pages=[PageModel(**page_values(page)) for page in doc.pages],
        fields=[_field_model(n, field) for n, field in enumerate(doc.fields)],
        entities=[EntityModel(**entity_values(entity)) for entity in doc.entities],
        pairs=[PairModel(**pair_values(pair)) for pair in doc.pairs],
        events=[EventModel(**event_values(event)) for event in doc.events],
    )


def document_values(doc: DocumentRow, created_at: datetime) -> dict[str, object]:
    """The `documents` columns of one document; the ORM and the bulk load both use them."""
    return {"document_id": doc.document_id, "sha256": doc.sha256, "source": doc.source,
            "media_type": doc.media_type, "original_key": doc.original_key,
            "status": doc.status, "error": doc.error, "page_count": len(doc.pages),
            "created_at": as_utc(created_at)}


def page_values(page: PageRow) -> dict[str, object]:
    """The `pages` columns of one page, except its document."""
    return {"number": page.number, "width": page.width, "height": page.height,
            "source": page.source, "quality": page.quality, "text": page.text,
            "image_key": page.image_key, "words_key": page.words_key, "error": page.error}


def entity_values(entity: EntityRow) -> dict[str, object]:
    """The `entities` columns of one entity, except its document."""
    return {"label": entity.label, "text": entity.text, "page": entity.page,
            "start": entity.start, "end": entity.end}


def pair_norm(text: str) -> str:
    """The form a pair search compares: lower case, spaces collapsed."""
    return " ".join(text.casefold().split())


def pair_values(pair: PairRow) -> dict[str, object]:
    """The `pairs` columns of one pair, except its document."""
    return {"page": pair.page, "key_text": pair.key, "key_bbox_json": json.dumps(pair.key_bbox),
            "value_text": pair.value,
            "value_bbox_json": None if pair.value_bbox is None else json.dumps(pair.value_bbox),
            "confidence": pair.confidence, "key_norm": pair_norm(pair.key),
            "value_norm": pair_norm(pair.value)}


def pair_row(model: PairModel) -> PairRow:
    return PairRow(page=model.page, key=model.key_text, key_bbox=field_bbox(model.key_bbox_json),
                   value=model.value_text,
                   value_bbox=None if model.value_bbox_json is None
                   else field_bbox(model.value_bbox_json),
                   confidence=model.confidence)
def event_values(event: EventRow) -> dict[str, object]:
    """The `events` columns of one event, except its document."""
    return {"kind": event.kind, "outcome": event.outcome, "date": event.date,
            "text": event.text, "page": event.page, "bbox_json": json.dumps(list(event.bbox)),
            "confidence": event.confidence, "status": event.status, "reason": event.reason}


def event_row(model: EventModel) -> EventRow:
    x0, y0, x1, y1 = (int(v) for v in json.loads(model.bbox_json))
    return EventRow(model.kind, model.outcome, model.date, model.text, model.page,
                    (x0, y0, x1, y1), model.confidence, model.status, model.reason)


def document_row(model: DocumentModel) -> DocumentRow:
    """Turn a loaded document model into its record."""
    return DocumentRow(
        document_id=model.document_id,
        sha256=model.sha256,
        source=model.source,
        media_type=model.media_type,
        original_key=model.original_key,
        status=model.status,
        error=model.error,
        pages=tuple(_page_row(page) for page in model.pages),
        fields=tuple(field_row(field) for field in model.fields),
        entities=tuple(_entity_row(entity) for entity in model.entities),
        created_at=as_utc(model.created_at),
        corrections=tuple(correction_row(c) for c in model.corrections),
        pairs=tuple(pair_row(pair) for pair in model.pairs),
        events=tuple(event_row(e) for e in model.events),
    )


def batch_row(model: BatchModel) -> BatchRow:
    """Turn a loaded batch model (with its files) into its record."""
    return BatchRow(
        batch_id=model.id,
        name=model.name,
        created_at=as_utc(model.created_at),
        files=tuple(batch_file_row(item) for item in model.files),
    )


def _page_row(model: PageModel) -> PageRow:
    return PageRow(
        number=model.number,
        width=model.width,
        height=model.height,
        source=model.source,
        quality=model.quality,
        text=model.text,
        image_key=model.image_key,
        words_key=model.words_key,
        error=model.error,
    )


def _field_model(position: int, field: FieldRow) -> FieldModel:
    return FieldModel(name=field.name, position=position, **field_values(field))


def field_values(field: FieldRow) -> dict[str, object]:
    """The `fields` columns of one field, except its document, name and position."""
    return {
        "candidate": field.candidate,
        "value_json": json.dumps(field.value),
        "text": field.text,
        "confidence": field.confidence,
        "page": field.page,
        "bbox_json": None if field.bbox is None else json.dumps(list(field.bbox)),
        "status": field.status,
        "reason": field.reason,
    }


def field_row(model: FieldModel) -> FieldRow:
    """Turn a loaded field model into its record."""
    return FieldRow(
        name=model.name,
        value=field_value(model.value_json),
        text=model.text,
        confidence=model.confidence,
        page=model.page,
        bbox=None if model.bbox_json is None else field_bbox(model.bbox_json),
        status=model.status,
        reason=model.reason,
        candidate=model.candidate,
    )



def correction_model(row: CorrectionRow) -> CorrectionModel:
    return CorrectionModel(
        document_id=row.document_id,
        name=row.name,
        value_json=json.dumps(row.value),
        extracted_json=json.dumps(row.extracted),
        corrected_by=row.by,
        corrected_at=as_utc(row.at),
        note=row.note,
    )


def correction_row(model: CorrectionModel) -> CorrectionRow:
    return CorrectionRow(
        document_id=model.document_id,
        name=model.name,
        value=field_value(model.value_json),
        extracted=field_value(model.extracted_json),
        by=model.corrected_by,
        at=as_utc(model.corrected_at),
        note=model.note,
        correction_id=model.id,
    )


def field_value(value_json: str) -> FieldScalar:
    """A stored field value back as its type (a bool stays a bool)."""
    value = json.loads(value_json)
    if value is None or isinstance(value, str | bool):
        return value
    raise ValueError(f"stored field value {value_json!r} is not a string, bool or null")


def field_bbox(bbox_json: str) -> BBox:
    """A stored box back as four ints."""
    x0, y0, x1, y1 = (int(n) for n in json.loads(bbox_json))
    return (x0, y0, x1, y1)


def _entity_row(model: EntityModel) -> EntityRow:
    return EntityRow(
        label=model.label, text=model.text, page=model.page, start=model.start, end=model.end
    )


def batch_file_row(model: BatchFileModel) -> BatchFileRow:
    return BatchFileRow(
        source=model.source,
        sha256=model.sha256,
        document_id=model.document_id,
        status=model.status,
        error=model.error,
        duplicate=model.duplicate,
        position=model.position,
        pages_total=model.pages_total,
        pages_done=model.pages_done or 0,
        original_key=model.original_key,
        box=model.box,
        sequence=model.sequence,
        part_of=model.part_of,
        origin_pages=model.origin_pages,
        started_at=None if model.started_at is None else as_utc(model.started_at),
        finished_at=None if model.finished_at is None else as_utc(model.finished_at),
    )

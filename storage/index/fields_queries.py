"""Queries on fields, corrections and entities: the review queue, appending a
correction, and entity search. Plain SQLAlchemy, so the same SQL runs on SQLite and
PostgreSQL. `storage.index.Index` exposes them as methods.
"""

from __future__ import annotations

from typing import Final

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import Session

from storage.index.mapping import correction_model, correction_row, field_row
from storage.index.models import CorrectionModel, DocumentModel, EntityModel, FieldModel
from storage.index.records import CorrectionRow, EntityHit, ReviewItem
from storage.index.window import MAX_LIST_ROWS, check_window

MAX_NAME: Final = 200


def _uncorrected() -> ColumnElement[bool]:
    corrected = exists().where(CorrectionModel.document_id == FieldModel.document_id,
                               CorrectionModel.name == FieldModel.name)
    return ~corrected


def review_queue(session: Session, limit: int, offset: int,
                 document_id: str | None = None) -> list[ReviewItem]:
    """Fields awaiting review and not yet corrected, oldest document first."""
    check_window("review queue", limit, offset, most=MAX_LIST_ROWS)
    keys = (
        select(FieldModel.document_id, FieldModel.name,
               func.min(FieldModel.position).label("pos"), DocumentModel.created_at)
        .join(DocumentModel, DocumentModel.document_id == FieldModel.document_id)
        .where(FieldModel.status == "needs_review", _uncorrected())
        .group_by(FieldModel.document_id, FieldModel.name, DocumentModel.created_at)
        .order_by(DocumentModel.created_at, FieldModel.document_id, "pos")
        .limit(limit).offset(offset)
    )
    if document_id is not None:
        keys = keys.where(FieldModel.document_id == document_id)
    items = []
    for doc_id, name, _pos, _at in session.execute(keys).all():
        rows = session.scalars(
            select(FieldModel).where(FieldModel.document_id == doc_id, FieldModel.name == name)
            .order_by(FieldModel.candidate)).all()
        source = session.scalar(select(DocumentModel.source)
                                .where(DocumentModel.document_id == doc_id)) or ""
        values = tuple(field_row(r) for r in rows)
        items.append(ReviewItem(doc_id, source, name, values[0].reason if values else None,
                                values))
    return items


def count_review(session: Session) -> int:
    pairs = (select(FieldModel.document_id, FieldModel.name)
             .where(FieldModel.status == "needs_review", _uncorrected())
             .group_by(FieldModel.document_id, FieldModel.name).subquery())
    return session.scalar(select(func.count()).select_from(pairs)) or 0


def add_correction(session: Session, row: CorrectionRow) -> CorrectionRow:
    """Append a correction; the document must exist. Nothing else is changed."""
    if not row.by.strip() or len(row.by) > MAX_NAME:
        raise ValueError(f"a correction needs the name of who made it (1..{MAX_NAME} characters)")
    if session.get(DocumentModel, row.document_id) is None:
        raise ValueError(f"no document {row.document_id!r}")
    model = correction_model(row)
    session.add(model)
    session.flush()
    return correction_row(model)


def find_entities(session: Session, label: str | None, text: str | None,
                  limit: int, offset: int) -> list[EntityHit]:
    """Entities by label (exact, e.g. PERSON, POSTCODE) and/or text (case-insensitive part)."""
    check_window("entity", limit, offset, most=MAX_LIST_ROWS)
    if not (label or text):
        raise ValueError("give an entity label, a text to find, or both")
    query = (select(EntityModel, DocumentModel.source)
             .join(DocumentModel, DocumentModel.document_id == EntityModel.document_id))
    if label:
        query = query.where(EntityModel.label == label.strip().upper())
    if text:
        needle = text.strip().lower()
        query = query.where(func.lower(EntityModel.text).contains(needle, autoescape=True))
    query = query.order_by(EntityModel.document_id, EntityModel.id).limit(limit).offset(offset)
    return [EntityHit(e.label, e.text, e.page, e.start, e.end, document_id=e.document_id,
                      source=source)
            for e, source in session.execute(query).all()]

"""SQLAlchemy ORM models for the index: batches, their files, documents and their parts.

Only `storage.index` and `storage.index.mapping` use these; everything outside storage sees the
frozen records of `storage.index.records`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    """Declarative base for the index tables."""


class BatchModel(Base):
    """A named run of files; names may repeat, ids do not."""

    __tablename__ = "batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    separator: Mapped[str | None] = mapped_column(String(20))
    separator_code: Mapped[str | None] = mapped_column(String(100))
    runner: Mapped[str | None] = mapped_column(String(300))
    # The user who uploaded it (migration 0008): a scanner sees only their own batches.
    owner: Mapped[str | None] = mapped_column(String(64), index=True)
    files: Mapped[list[BatchFileModel]] = relationship(
        order_by="BatchFileModel.position", lazy="selectin"
    )


class BatchFileModel(Base):
    """One file's outcome in a batch. No foreign key to documents: failed files have none."""

    __tablename__ = "batch_files"
    __table_args__ = (
        UniqueConstraint("batch_id", "position"),
        Index("ix_batch_files_document_batch", "document_id", "batch_id"),
        Index("ix_batch_files_batch_status", "batch_id", "status"),
        Index("ix_batch_files_status_sha", "status", "sha256"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64))
    document_id: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(50))
    error: Mapped[str | None] = mapped_column(Text)
    duplicate: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    pages_total: Mapped[int | None] = mapped_column(Integer)
    pages_done: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    original_key: Mapped[str | None] = mapped_column(Text)
    box: Mapped[str | None] = mapped_column(String(100))
    sequence: Mapped[int | None] = mapped_column(Integer)
    part_of: Mapped[str | None] = mapped_column(Text)
    origin_pages: Mapped[str | None] = mapped_column(String(200))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class DocumentModel(Base):
    """A stored document; `sha256` is unique so the same bytes are indexed once."""

    __tablename__ = "documents"

    document_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(Text)
    media_type: Mapped[str] = mapped_column(String(200))
    original_key: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(50))
    error: Mapped[str | None] = mapped_column(Text)
    page_count: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    pages: Mapped[list[PageModel]] = relationship(order_by="PageModel.number", lazy="selectin")
    fields: Mapped[list[FieldModel]] = relationship(order_by="FieldModel.position", lazy="selectin")
    entities: Mapped[list[EntityModel]] = relationship(order_by="EntityModel.id", lazy="selectin")
    pairs: Mapped[list[PairModel]] = relationship(order_by="PairModel.id", lazy="selectin")
    corrections: Mapped[list[CorrectionModel]] = relationship(
        order_by="CorrectionModel.id", lazy="selectin")
    events: Mapped[list[EventModel]] = relationship(order_by="EventModel.id", lazy="selectin")


class PageModel(Base):
    """One page of a document."""

    __tablename__ = "pages"

    document_id: Mapped[str] = mapped_column(ForeignKey("documents.document_id"), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(50))
    quality: Mapped[float] = mapped_column(Float)
    text: Mapped[str] = mapped_column(Text)
    image_key: Mapped[str | None] = mapped_column(Text)
    words_key: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    # PostgreSQL's full-text vector of `text` (GIN indexed); SQLite searches FTS5 instead.
    tsv: Mapped[str | None] = mapped_column(Text().with_variant(TSVECTOR(), "postgresql"))

    __table_args__ = (
        Index("ix_pages_tsv", "tsv", postgresql_using="gin").ddl_if(dialect="postgresql"),
    )


class FieldModel(Base):
    """One extracted field value; value and bbox are JSON text so types survive any dialect.

    `position` keeps the order the fields were given in (e.g. the case field order).
    `candidate` numbers the values kept for one field (two different values are both
    kept for review); `status` is confirmed, needs_review or missing (then no value,
    page or box, and `reason` says why).
    """

    __tablename__ = "fields"

    document_id: Mapped[str] = mapped_column(ForeignKey("documents.document_id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    candidate: Mapped[int] = mapped_column(Integer, primary_key=True, default=0)
    position: Mapped[int] = mapped_column(Integer)
    value_json: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float)
    page: Mapped[int | None] = mapped_column(Integer)
    bbox_json: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="confirmed", index=True)
    reason: Mapped[str | None] = mapped_column(Text)


class CorrectionModel(Base):
    """A person's correction of a field: appended, never updated or deleted."""

    __tablename__ = "field_corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.document_id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    value_json: Mapped[str] = mapped_column(Text)
    extracted_json: Mapped[str] = mapped_column(Text)
    corrected_by: Mapped[str] = mapped_column(String(200))
    corrected_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    note: Mapped[str | None] = mapped_column(Text)


class EntityModel(Base):
    """One named entity in a document, kept in the order it was given."""

    __tablename__ = "entities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.document_id"), index=True)
    label: Mapped[str] = mapped_column(String(100), index=True)
    text: Mapped[str] = mapped_column(Text)
    page: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


class EventModel(Base):
    """One decision read from a document's running text (migration 0003), in reading order;
    refused candidates are kept too, with their reason."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_kind_date", "kind", "outcome", "status", "date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.document_id"), index=True)
    kind: Mapped[str] = mapped_column(String(50))
    outcome: Mapped[str] = mapped_column(String(50))
    date: Mapped[str | None] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
    page: Mapped[int] = mapped_column(Integer)
    bbox_json: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)


class CaseModel(Base):
    """One searchable row per document: its case fields, normalised and indexed.

    Derived from the document's field rows by `storage.index.case_rows.case_row_from_fields` and
    rewritten whenever a field changes, so fielded search never parses JSON.
    `surname_key` and `given_key` are the matching forms (upper-case letters only).
    """

    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_surname", "surname_key", "document_id"),  # a name's cases in order
        Index("ix_cases_surname_dob", "surname_key", "date_of_birth", "document_id"),
        Index("ix_cases_given", "given_key", "document_id"),
        Index("ix_cases_reference", "reference"),
        Index("ix_cases_dob", "date_of_birth"),
        Index("ix_cases_nationality", "nationality", "document_id"),
        Index("ix_cases_decision_date", "decision_date"),
    )

    document_id: Mapped[str] = mapped_column(ForeignKey("documents.document_id"),
                                             primary_key=True)
    surname: Mapped[str | None] = mapped_column(String(200))
    surname_key: Mapped[str | None] = mapped_column(String(200))
    given_names: Mapped[str | None] = mapped_column(String(300))
    given_key: Mapped[str | None] = mapped_column(String(200))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    nationality: Mapped[str | None] = mapped_column(String(3))
    reference: Mapped[str | None] = mapped_column(String(100))
    application_type: Mapped[str | None] = mapped_column(String(100))
    decision: Mapped[str | None] = mapped_column(String(100))
    decision_date: Mapped[date | None] = mapped_column(Date)
    decision_year: Mapped[int | None] = mapped_column(Integer)
    permission_to_work: Mapped[bool | None] = mapped_column(Boolean)


class NameModel(Base):
    """A distinct name key (`kind` surname or given) and how many cases carry it."""

    __tablename__ = "names"
    __table_args__ = (  # pg_trgm: the fallback for names more than two letters off
        Index("ix_names_trgm", "name_key", postgresql_using="gin",
              postgresql_ops={"name_key": "gin_trgm_ops"}).ddl_if(dialect="postgresql"),
    )

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    name_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    cases: Mapped[int] = mapped_column(Integer)


class NameVariantModel(Base):
    """Deletion neighbourhood of each distinct name (SymSpell): every string reached by
    deleting up to two letters points back at the name, so a query with a typo finds
    the name by looking up its own deletions, whatever the letter that went wrong."""

    __tablename__ = "name_variants"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    variant: Mapped[str] = mapped_column(String(200), primary_key=True)
    name_key: Mapped[str] = mapped_column(String(200), primary_key=True)


class CaseCountModel(Base):
    """Case counts kept up to date as documents are indexed or corrected, so reports
    read a few hundred rows instead of scanning every case. '' and 0 stand for unknown
    (key columns cannot be NULL)."""

    __tablename__ = "case_counts"

    application_type: Mapped[str] = mapped_column(String(100), primary_key=True)
    decision: Mapped[str] = mapped_column(String(100), primary_key=True)
    decision_year: Mapped[int] = mapped_column(Integer, primary_key=True)
    permission_to_work: Mapped[str] = mapped_column(String(10), primary_key=True)
    cases: Mapped[int] = mapped_column(Integer)


class WorkUnitModel(Base):
    """One unit of ingest work (a page read, a document commit), keyed by the content
    hash, page, stage and code version: the record of what is done, so a redelivered
    task finds its result here and does nothing twice (issue 12)."""

    __tablename__ = "work_units"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    page: Mapped[int] = mapped_column(Integer)
    stage: Mapped[str] = mapped_column(String(20))
    version: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(20), index=True)
    tries: Mapped[int] = mapped_column(Integer, default=0)
    redeliveries: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    worker: Mapped[str | None] = mapped_column(String(200), nullable=True)
    payload: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
class PairModel(Base):
    """One key-value pair printed on a page, kept in the order it was given. `key_norm`
    and `value_norm` are the lower-cased texts a pair search compares ("place of birth",
    "kabul")."""

    __tablename__ = "pairs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.document_id"), index=True)
    page: Mapped[int] = mapped_column(Integer)
    key_text: Mapped[str] = mapped_column(Text)
    key_bbox_json: Mapped[str] = mapped_column(Text)
    value_text: Mapped[str] = mapped_column(Text)
    value_bbox_json: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float)
    key_norm: Mapped[str] = mapped_column(Text, index=True)
    value_norm: Mapped[str] = mapped_column(Text)

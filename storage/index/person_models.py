"""ORM models of persons and links: runs, persons, memberships, pair evidence with each
comparison's contribution, two-people flags, rescans, refusals, and the append-only judgements.

The model's decisions (everything but judgements) are replaced as a whole by each run;
`link_judgements` rows are only ever inserted. Only `storage.index` uses these.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.index.models import Base

DOC = "documents.document_id"


class LinkRunModel(Base):
    """One linking run and what it found; kept for the history, never replaced."""

    __tablename__ = "link_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    documents: Mapped[int] = mapped_column(Integer)
    persons: Mapped[int] = mapped_column(Integer)
    review: Mapped[int] = mapped_column(Integer)
    two_people: Mapped[int] = mapped_column(Integer)
    rescans: Mapped[int] = mapped_column(Integer)


class PersonModel(Base):
    """A person: the key is derived from its documents, so it is stable across runs."""

    __tablename__ = "persons"

    person_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("link_runs.id"))
    status: Mapped[str] = mapped_column(String(30))
    flags_json: Mapped[str] = mapped_column(Text)


class PersonDocumentModel(Base):
    """Which person a document belongs to (each document in exactly one), and its status."""

    __tablename__ = "person_documents"
    __table_args__ = (Index("ix_person_documents_person", "person_id", "document_id"),)

    document_id: Mapped[str] = mapped_column(ForeignKey(DOC), primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.person_id"))
    status: Mapped[str] = mapped_column(String(30), index=True)


class LinkPairModel(Base):
    """The model's evidence on two documents: a link inside a person, or a review pair."""

    __tablename__ = "link_pairs"
    __table_args__ = (Index("ix_link_pairs_left_right", "left_id", "right_id"),
                      Index("ix_link_pairs_right", "right_id"),
                      Index("ix_link_pairs_review", "review", "match_weight"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    left_id: Mapped[str] = mapped_column(ForeignKey(DOC))
    right_id: Mapped[str] = mapped_column(ForeignKey(DOC))
    person_id: Mapped[str | None] = mapped_column(String(64), index=True)
    match_weight: Mapped[float] = mapped_column(Float)
    probability: Mapped[float] = mapped_column(Float)
    decision: Mapped[str] = mapped_column(String(20))
    review: Mapped[bool] = mapped_column(Boolean)
    # The waterfall: one object per comparison (comparison, level, match_weight, and
    # both values read: value, confidence, page, bbox), in the model's order. One JSON
    # column, not a row a bar: a run writes every pair's bars at once, a person reads them.
    contributions_json: Mapped[str] = mapped_column(Text)


class TwoPeopleModel(Base):
    """A document flagged as holding two people, with the conflicting identifiers."""

    __tablename__ = "two_people_flags"

    document_id: Mapped[str] = mapped_column(ForeignKey(DOC), primary_key=True)
    reasons_json: Mapped[str] = mapped_column(Text)


class RescanModel(Base):
    """A document that is another scan of `original_id`'s paper."""

    __tablename__ = "rescans"

    document_id: Mapped[str] = mapped_column(ForeignKey(DOC), primary_key=True)
    original_id: Mapped[str] = mapped_column(ForeignKey(DOC), index=True)
    similarity: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text)


class LinkRefusalModel(Base):
    """A document the model would not link on (some of) its evidence, and the reasons."""

    __tablename__ = "link_refusals"

    document_id: Mapped[str] = mapped_column(ForeignKey(DOC), primary_key=True)
    reasons_json: Mapped[str] = mapped_column(Text)


class JudgementModel(Base):
    """A person's decision on two documents (confirm, split, never): inserted, never
    updated or deleted; every later run reads them all."""

    __tablename__ = "link_judgements"
    __table_args__ = (Index("ix_link_judgements_pair", "left_id", "right_id"),
                      Index("ix_link_judgements_right", "right_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    action: Mapped[str] = mapped_column(String(20))
    left_id: Mapped[str] = mapped_column(ForeignKey(DOC))
    right_id: Mapped[str] = mapped_column(ForeignKey(DOC))
    by: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    why: Mapped[str] = mapped_column(Text)


class PageHashModel(Base):
    """A perceptual hash of a document's cleaned page: how another scan of the same paper
    is recognised. Computed once, the first time a linking run meets the page."""

    __tablename__ = "page_hashes"

    document_id: Mapped[str] = mapped_column(ForeignKey(DOC), primary_key=True)
    page: Mapped[int] = mapped_column(Integer, primary_key=True)
    hash: Mapped[str] = mapped_column(String(64))

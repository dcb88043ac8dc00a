"""ORM models of reconciliation: imported exports and their rows, bad cells, runs, and the
findings with their resolutions.

Nothing here touches casescan's own records. Exports are kept (a re-import adds a new
one beside the old); findings are never deleted, only resolved or re-opened, and every
resolution is a row inserted, never updated. Only `storage.index` uses these.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.index.models import Base


class ExportModel(Base):
    """One imported export of the case database."""

    __tablename__ = "reconcile_exports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(500))
    source: Mapped[str] = mapped_column(Text)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    rows: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)


class ExportRowModel(Base):
    """One database record as imported: mapped values, notes and the notes' events."""

    __tablename__ = "reconcile_rows"
    __table_args__ = (Index("ix_reconcile_rows_export_key", "export_id", "key", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    export_id: Mapped[int] = mapped_column(ForeignKey("reconcile_exports.id"))
    row_number: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(200))
    values_json: Mapped[str] = mapped_column(Text)
    notes_json: Mapped[str] = mapped_column(Text)
    events_json: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(String(64))


class ExportErrorModel(Base):
    """A bad cell or row of an export, named by row and column, with the reason."""

    __tablename__ = "reconcile_errors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    export_id: Mapped[int] = mapped_column(ForeignKey("reconcile_exports.id"), index=True)
    row_number: Mapped[int] = mapped_column(Integer)
    column: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)


class ReconcileRunModel(Base):
    """One reconciliation of an export against the paper."""

    __tablename__ = "reconcile_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    export_id: Mapped[int] = mapped_column(ForeignKey("reconcile_exports.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    rows: Mapped[int] = mapped_column(Integer)
    persons: Mapped[int] = mapped_column(Integer)
    findings: Mapped[int] = mapped_column(Integer)
    reopened: Mapped[int] = mapped_column(Integer)


class FindingModel(Base):
    """A finding, the same across runs by its fingerprint; `digest` is of its evidence, so
    a resolved finding whose database row or paper changed re-opens."""

    __tablename__ = "reconcile_findings"
    __table_args__ = (Index("ix_reconcile_findings_queue", "last_run", "state", "harm"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    fingerprint: Mapped[str] = mapped_column(Text, unique=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    harm: Mapped[int] = mapped_column(Integer)
    keys_json: Mapped[str] = mapped_column(Text)
    persons_json: Mapped[str] = mapped_column(Text)
    field: Mapped[str | None] = mapped_column(String(100))
    summary: Mapped[str] = mapped_column(Text)
    evidence_json: Mapped[str] = mapped_column(Text)
    match_weight: Mapped[float | None] = mapped_column(Float)
    digest: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(20))
    batch: Mapped[str | None] = mapped_column(String(500))
    nationality: Mapped[str | None] = mapped_column(String(10))
    first_run: Mapped[int] = mapped_column(ForeignKey("reconcile_runs.id"))
    last_run: Mapped[int] = mapped_column(ForeignKey("reconcile_runs.id"))


class ResolutionModel(Base):
    """A finding resolved (with the reason and by whom) or re-opened: inserted, never
    updated or deleted."""

    __tablename__ = "reconcile_resolutions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("reconcile_findings.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    by: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

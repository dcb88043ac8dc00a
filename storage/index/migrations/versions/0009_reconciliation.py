"""Reconciliation against the case database: imported exports and their rows, bad cells,
runs, findings (never deleted) and their resolutions (only inserted).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 15:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reconcile_exports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "reconcile_rows",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("export_id", sa.Integer(), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("values_json", sa.Text(), nullable=False),
        sa.Column("notes_json", sa.Text(), nullable=False),
        sa.Column("events_json", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["export_id"], ["reconcile_exports.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_reconcile_rows_export_key", "reconcile_rows", ["export_id", "key"],
                    unique=True)
    op.create_table(
        "reconcile_errors",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("export_id", sa.Integer(), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("column", sa.String(length=200), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["export_id"], ["reconcile_exports.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_reconcile_errors_export_id"), "reconcile_errors", ["export_id"],
                    unique=False)
    op.create_table(
        "reconcile_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("export_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("persons", sa.Integer(), nullable=False),
        sa.Column("findings", sa.Integer(), nullable=False),
        sa.Column("reopened", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["export_id"], ["reconcile_exports.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "reconcile_findings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("fingerprint", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("harm", sa.Integer(), nullable=False),
        sa.Column("keys_json", sa.Text(), nullable=False),
        sa.Column("persons_json", sa.Text(), nullable=False),
        sa.Column("field", sa.String(length=100), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("evidence_json", sa.Text(), nullable=False),
        sa.Column("match_weight", sa.Float(), nullable=True),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("batch", sa.String(length=500), nullable=True),
        sa.Column("nationality", sa.String(length=10), nullable=True),
        sa.Column("first_run", sa.Integer(), nullable=False),
        sa.Column("last_run", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["first_run"], ["reconcile_runs.id"]),
        sa.ForeignKeyConstraint(["last_run"], ["reconcile_runs.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("fingerprint"),
    )
    op.create_index(op.f("ix_reconcile_findings_kind"), "reconcile_findings", ["kind"],
                    unique=False)
    op.create_index("ix_reconcile_findings_queue", "reconcile_findings",
                    ["last_run", "state", "harm"], unique=False)
    op.create_table(
        "reconcile_resolutions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["finding_id"], ["reconcile_findings.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_reconcile_resolutions_finding_id"), "reconcile_resolutions",
                    ["finding_id"], unique=False)


def downgrade() -> None:
    op.drop_table("reconcile_resolutions")
    op.drop_table("reconcile_findings")
    op.drop_table("reconcile_runs")
    op.drop_table("reconcile_errors")
    op.drop_index("ix_reconcile_rows_export_key", table_name="reconcile_rows")
    op.drop_table("reconcile_rows")
    op.drop_table("reconcile_exports")

"""Batch progress (issue 12): every file of a batch is a row from the start, with its
state (queued, processing, done, failed, quarantined), pages read of pages counted, the
original kept for it, and, for a box scan split at separator sheets, its box, case-file
number and pages of the box file; a batch's finish time, separator choice and the
process running it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 10:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("batches", schema=None) as batch_op:
        batch_op.add_column(sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("separator", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("separator_code", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("runner", sa.String(length=300), nullable=True))
    with op.batch_alter_table("batch_files", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pages_total", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("pages_done", sa.Integer(), nullable=False,
                                      server_default="0"))
        batch_op.add_column(sa.Column("original_key", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("box", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("sequence", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("part_of", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("origin_pages", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("started_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_batch_files_batch_status", ["batch_id", "status"],
                              unique=False)
        batch_op.create_index("ix_batch_files_status_sha", ["status", "sha256"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("batch_files", schema=None) as batch_op:
        batch_op.drop_index("ix_batch_files_status_sha")
        batch_op.drop_index("ix_batch_files_batch_status")
        for column in ("updated_at", "finished_at", "started_at", "origin_pages", "part_of",
                       "sequence", "box", "original_key", "pages_done", "pages_total"):
            batch_op.drop_column(column)
    with op.batch_alter_table("batches", schema=None) as batch_op:
        batch_op.drop_column("runner")
        batch_op.drop_column("separator_code")
        batch_op.drop_column("separator")
        batch_op.drop_column("finished_at")

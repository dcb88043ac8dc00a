"""Key-value pairs of form pages (issue 10): every printed key with its value and both
boxes, searchable by key and value ("place of birth: Kabul").

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # An index adopted from before the migrations (storage/index/legacy.py) was given every
    # table of the current models, this one included, before being stamped 0001.
    if "pairs" in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table(
        "pairs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("document_id", sa.String(length=64), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("key_text", sa.Text(), nullable=False),
        sa.Column("key_bbox_json", sa.Text(), nullable=False),
        sa.Column("value_text", sa.Text(), nullable=False),
        sa.Column("value_bbox_json", sa.Text(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("key_norm", sa.Text(), nullable=False),
        sa.Column("value_norm", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.document_id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("pairs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pairs_document_id"), ["document_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pairs_key_norm"), ["key_norm"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pairs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pairs_key_norm"))
        batch_op.drop_index(batch_op.f("ix_pairs_document_id"))
    op.drop_table("pairs")

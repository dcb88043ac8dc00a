"""Persons and links: linking runs, persons, document membership with its status, the
pair evidence with each comparison's contribution, two-people flags, rescans, refusals,
the perceptual hashes of pages (to recognise a rescan), and the append-only
judgements of reviewers.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 10:50:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "link_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("documents", sa.Integer(), nullable=False),
        sa.Column("persons", sa.Integer(), nullable=False),
        sa.Column("review", sa.Integer(), nullable=False),
        sa.Column("two_people", sa.Integer(), nullable=False),
        sa.Column("rescans", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "link_judgements",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("left_id", sa.String(length=64), nullable=False),
        sa.Column("right_id", sa.String(length=64), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["left_id"],
            ["documents.document_id"],
        ),
        sa.ForeignKeyConstraint(
            ["right_id"],
            ["documents.document_id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_link_judgements_pair", "link_judgements", ["left_id", "right_id"], unique=False
    )
    op.create_index("ix_link_judgements_right", "link_judgements", ["right_id"], unique=False)
    op.create_table(
        "link_pairs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("left_id", sa.String(length=64), nullable=False),
        sa.Column("right_id", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=True),
        sa.Column("match_weight", sa.Float(), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("review", sa.Boolean(), nullable=False),
        sa.Column("contributions_json", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["left_id"],
            ["documents.document_id"],
        ),
        sa.ForeignKeyConstraint(
            ["right_id"],
            ["documents.document_id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_link_pairs_left_right", "link_pairs", ["left_id", "right_id"], unique=False)
    op.create_index(op.f("ix_link_pairs_person_id"), "link_pairs", ["person_id"], unique=False)
    op.create_index("ix_link_pairs_review", "link_pairs", ["review", "match_weight"], unique=False)
    op.create_index("ix_link_pairs_right", "link_pairs", ["right_id"], unique=False)
    op.create_table(
        "link_refusals",
        sa.Column("document_id", sa.String(length=64), nullable=False),
        sa.Column("reasons_json", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.document_id"],
        ),
        sa.PrimaryKeyConstraint("document_id"),
    )
    op.create_table(
        "persons",
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("flags_json", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["link_runs.id"],
        ),
        sa.PrimaryKeyConstraint("person_id"),
    )
    op.create_table(
        "rescans",
        sa.Column("document_id", sa.String(length=64), nullable=False),
        sa.Column("original_id", sa.String(length=64), nullable=False),
        sa.Column("similarity", sa.Float(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.document_id"],
        ),
        sa.ForeignKeyConstraint(
            ["original_id"],
            ["documents.document_id"],
        ),
        sa.PrimaryKeyConstraint("document_id"),
    )
    op.create_index(op.f("ix_rescans_original_id"), "rescans", ["original_id"], unique=False)
    op.create_table(
        "two_people_flags",
        sa.Column("document_id", sa.String(length=64), nullable=False),
        sa.Column("reasons_json", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.document_id"],
        ),
        sa.PrimaryKeyConstraint("document_id"),
    )
    op.create_table(
        "person_documents",
        sa.Column("document_id", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.document_id"],
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.person_id"],
        ),
        sa.PrimaryKeyConstraint("document_id"),
    )
    op.create_index(
        "ix_person_documents_person", "person_documents", ["person_id", "document_id"], unique=False
    )
    op.create_index(
        op.f("ix_person_documents_status"), "person_documents", ["status"], unique=False
    )
    op.create_table(
        "page_hashes",
        sa.Column("document_id", sa.String(length=64), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.document_id"],
        ),
        sa.PrimaryKeyConstraint("document_id", "page"),
    )


def downgrade() -> None:
    op.drop_table("page_hashes")
    op.drop_index(op.f("ix_person_documents_status"), table_name="person_documents")
    op.drop_index("ix_person_documents_person", table_name="person_documents")
    op.drop_table("person_documents")
    op.drop_table("two_people_flags")
    op.drop_index(op.f("ix_rescans_original_id"), table_name="rescans")
    op.drop_table("rescans")
    op.drop_table("persons")
    op.drop_table("link_refusals")
    op.drop_index("ix_link_pairs_right", table_name="link_pairs")
    op.drop_index("ix_link_pairs_review", table_name="link_pairs")
    op.drop_index(op.f("ix_link_pairs_person_id"), table_name="link_pairs")
    op.drop_index("ix_link_pairs_left_right", table_name="link_pairs")
    op.drop_table("link_pairs")
    op.drop_index("ix_link_judgements_right", table_name="link_judgements")
    op.drop_index("ix_link_judgements_pair", table_name="link_judgements")
    op.drop_table("link_judgements")
    op.drop_table("link_runs")

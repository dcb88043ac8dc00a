"""Initial schema: batches, documents with pages, fields (with their review status and
candidates), corrections and entities, the case rows,
the name lexicon, the report counts, and each dialect's full-text index.

Revision ID: 0001
Revises:
Create Date: 2026-11-24 03:08:09.183901
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# A migration keeps its own copy of the DDL: later code changes must not alter history.
CREATE_PAGE_FTS = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS page_fts USING fts5("
    "text, document_id UNINDEXED, page UNINDEXED, "
    "tokenize='unicode61 remove_diacritics 2')"
)

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "batches",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "case_counts",
        sa.Column("application_type", sa.String(length=100), nullable=False),
        sa.Column("decision", sa.String(length=100), nullable=False),
        sa.Column("decision_year", sa.Integer(), nullable=False),
        sa.Column("permission_to_work", sa.String(length=10), nullable=False),
        sa.Column("cases", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "application_type", "decision", "decision_year", "permission_to_work"
        ),
    )
    op.create_table(
        "documents",
        sa.Column("document_id", sa.String(length=64), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("media_type", sa.String(length=200), nullable=False),
        sa.Column("original_key", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=50), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("page_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("document_id"),
        sa.UniqueConstraint("sha256"),
    )
    op.create_table(
        "name_variants",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("variant", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("kind", "variant", "name_key"),
    )
    op.create_table(
        "names",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("cases", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "name_key"),
    )
    op.create_table(
        "batch_files",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("document_id", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=50), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("duplicate", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["batches.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("batch_id", "position"),
    )
    with op.batch_alter_table("batch_files", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_batch_files_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(
            "ix_batch_files_document_batch", ["document_id", "batch_id"], unique=False
        )

    op.create_table(
        "cases",
        sa.Column("document_id", sa.String(length=64), nullable=False),
        sa.Column("surname", sa.String(length=200), nullable=True),
        sa.Column("surname_key", sa.String(length=200), nullable=True),
        sa.Column("given_names", sa.String(length=300), nullable=True),
        sa.Column("given_key", sa.String(length=200), nullable=True),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("nationality", sa.String(length=3), nullable=True),
        sa.Column("reference", sa.String(length=100), nullable=True),
        sa.Column("application_type", sa.String(length=100), nullable=True),
        sa.Column("decision", sa.String(length=100), nullable=True),
        sa.Column("decision_date", sa.Date(), nullable=True),
        sa.Column("decision_year", sa.Integer(), nullable=True),
        sa.Column("permission_to_work", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.document_id"],
        ),
        sa.PrimaryKeyConstraint("document_id"),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index("ix_cases_decision_date", ["decision_date"], unique=False)
        batch_op.create_index("ix_cases_dob", ["date_of_birth"], unique=False)
        batch_op.create_index("ix_cases_given", ["given_key", "document_id"], unique=False)
        batch_op.create_index("ix_cases_nationality", ["nationality", "document_id"], unique=False)
        batch_op.create_index("ix_cases_reference", ["reference"], unique=False)
        batch_op.create_index("ix_cases_surname", ["surname_key", "document_id"], unique=False)
        batch_op.create_index(
            "ix_cases_surname_dob", ["surname_key", "date_of_birth", "document_id"], unique=False
        )

    op.create_table(
        "entities",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("document_id", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.document_id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("entities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_entities_document_id"), ["document_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_entities_label"), ["label"], unique=False)

    op.create_table(
        "fields",
        sa.Column("document_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("candidate", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("value_json", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.Column("bbox_json", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.document_id"],
        ),
        sa.PrimaryKeyConstraint("document_id", "name", "candidate"),
    )
    with op.batch_alter_table("fields", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fields_status"), ["status"], unique=False)

    op.create_table(
        "field_corrections",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("document_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("value_json", sa.Text(), nullable=False),
        sa.Column("extracted_json", sa.Text(), nullable=False),
        sa.Column("corrected_by", sa.String(length=200), nullable=False),
        sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.document_id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("field_corrections", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_field_corrections_document_id"), ["document_id"], unique=False
        )
    op.create_table(
        "pages",
        sa.Column("document_id", sa.String(length=64), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=50), nullable=False),
        sa.Column("quality", sa.Float(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("image_key", sa.Text(), nullable=True),
        sa.Column("words_key", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column(
            "tsv", sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql"), nullable=True
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.document_id"],
        ),
        sa.PrimaryKeyConstraint("document_id", "number"),
    )
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        # Words compare without accents (CAFE finds café), unstemmed: names stay names.
        op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        op.execute("CREATE TEXT SEARCH CONFIGURATION casescan (COPY = simple)")
        op.execute(
            "ALTER TEXT SEARCH CONFIGURATION casescan "
            "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple"
        )
        op.create_index("ix_pages_tsv", "pages", ["tsv"], postgresql_using="gin")
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.create_index(
            "ix_names_trgm",
            "names",
            ["name_key"],
            postgresql_using="gin",
            postgresql_ops={"name_key": "gin_trgm_ops"},
        )
    if dialect == "sqlite":
        op.execute(CREATE_PAGE_FTS)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS page_fts")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_pages_tsv", table_name="pages")
        op.drop_index("ix_names_trgm", table_name="names")
        op.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS casescan")
    op.drop_table("pages")
    with op.batch_alter_table("field_corrections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_field_corrections_document_id"))

    op.drop_table("field_corrections")
    with op.batch_alter_table("fields", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fields_status"))

    op.drop_table("fields")
    with op.batch_alter_table("entities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entities_label"))
        batch_op.drop_index(batch_op.f("ix_entities_document_id"))

    op.drop_table("entities")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_surname_dob")
        batch_op.drop_index("ix_cases_surname")
        batch_op.drop_index("ix_cases_reference")
        batch_op.drop_index("ix_cases_nationality")
        batch_op.drop_index("ix_cases_given")
        batch_op.drop_index("ix_cases_dob")
        batch_op.drop_index("ix_cases_decision_date")

    op.drop_table("cases")
    with op.batch_alter_table("batch_files", schema=None) as batch_op:
        batch_op.drop_index("ix_batch_files_document_batch")
        batch_op.drop_index(batch_op.f("ix_batch_files_batch_id"))

    op.drop_table("batch_files")
    op.drop_table("names")
    op.drop_table("name_variants")
    op.drop_table("documents")
    op.drop_table("case_counts")
    op.drop_table("batches")

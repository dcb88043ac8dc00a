"""Edit distance inside PostgreSQL: the fuzzystrmatch extension.

A fuzzy-name search on PostgreSQL runs as one statement (lexicon, edit distance, turns
and the hit's page and box), so it needs `levenshtein` on the server; one round trip
instead of five is what keeps it fast on a busy machine. Nothing else changes: no table
is rewritten and no index is built, so the upgrade is instant on any size of index.
SQLite ranks names in Python (rapidfuzz) and needs nothing.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS fuzzystrmatch")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP EXTENSION IF EXISTS fuzzystrmatch")

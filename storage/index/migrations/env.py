"""Alembic environment: migrations run on the connection `storage.index.schema` hands over.

The full-text structures that only one dialect has (SQLite's FTS5 table and its shadow
tables) are made by the migrations but are not ORM models, so comparisons skip them.
"""

from __future__ import annotations

from alembic import context

from storage.index.models import Base
from storage.index.schema import include_name, include_object_for

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=True, include_name=include_name,
                  include_object=include_object_for(connection.dialect.name), compare_type=True)
with context.begin_transaction():
    context.run_migrations()

"""The index: documents, pages, fields, entities, batches and case rows, with search and
reports, on SQLite (embedded default) or PostgreSQL, its schema kept by Alembic."""

from storage.index import (
    account_models,  # noqa: F401  (registers users, sessions, audit)
    person_models,  # noqa: F401  (registers the person tables)
)
from storage.index.case_rows import CaseColumn
from storage.index.facade import Index

__all__ = ["CaseColumn", "Index"]

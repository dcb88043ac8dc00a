"""Adopt an index made before the migrations existed (tables from `create_all`, no
`alembic_version`): add what the current schema has on top, fill the case rows, name
lexicon and counts from the stored fields, and stamp it as migrated. Nothing is dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from sqlalchemy import Connection, inspect, select, text
from sqlalchemy.orm import Session

from storage.index.case_rows import CaseColumn, case_row_from_fields
from storage.index.case_tables import add_cases
from storage.index.mapping import field_row
from storage.index.models import Base, CaseModel, DocumentModel, FieldModel

_CHUNK = 1000


# The tables of the first migration: adopting brings an index to that schema and stamps it;
# the later migrations then add their own tables and columns as on any other index.
FIRST_TABLES: Final = frozenset({
    "batches", "case_counts", "documents", "name_variants", "names", "batch_files", "cases",
    "entities", "field_corrections", "fields", "pages"})
FIRST_INDEXES: Final = frozenset({
    "ix_batch_files_batch_id", "ix_batch_files_document_batch", "ix_cases_decision_date",
    "ix_cases_dob", "ix_cases_given", "ix_cases_nationality", "ix_cases_reference",
    "ix_cases_surname", "ix_cases_surname_dob", "ix_entities_document_id", "ix_entities_label",
    "ix_field_corrections_document_id", "ix_fields_status", "ix_names_trgm", "ix_pages_tsv"})


def is_legacy(conn: Connection) -> bool:
    """True for an index with documents but without migration history."""
    tables = set(inspect(conn).get_table_names())
    return "documents" in tables and "alembic_version" not in tables


def adopt(conn: Connection, columns: Sequence[CaseColumn]) -> None:
    """Bring a pre-migration index to the first migration's schema, keeping every row;
    its case rows are filled into `columns`."""
    pg = conn.dialect.name == "postgresql"
    if pg:
        _pg_text_search(conn)
    if "tsv" not in {c["name"] for c in inspect(conn).get_columns("pages")}:
        conn.exec_driver_sql(f"ALTER TABLE pages ADD COLUMN tsv {'tsvector' if pg else 'TEXT'}")
    _reshape_fields(conn)
    existing = {table: {i["name"] for i in inspect(conn).get_indexes(table)}
                for table in inspect(conn).get_table_names()}
    first = [t for t in Base.metadata.sorted_tables if t.name in FIRST_TABLES]
    Base.metadata.create_all(conn, tables=first)  # only the tables that are missing
    for table in first:
        for index in table.indexes:
            wanted = getattr(getattr(index, "_ddl_if", None), "dialect", None)
            if index.name not in FIRST_INDEXES:
                continue  # a later migration's index: that migration makes it
            if table.name in existing and index.name not in existing[table.name] and (
                    wanted is None or wanted == conn.dialect.name):
                index.create(conn)
    if pg:
        conn.execute(text("UPDATE pages SET tsv = to_tsvector('casescan'::regconfig, text)"))
    _fill_cases(conn, columns)


def _reshape_fields(conn: Connection) -> None:
    """Give a pre-status `fields` table its candidate, status and reason columns and its
    wider key, by copying it into the current shape: every old row was a confirmed value."""
    if "candidate" in {c["name"] for c in inspect(conn).get_columns("fields")}:
        return
    conn.exec_driver_sql("ALTER TABLE fields RENAME TO fields_before_status")
    key = inspect(conn).get_pk_constraint("fields_before_status").get("name")
    if conn.dialect.name == "postgresql" and key:  # its name would clash with the new key's
        conn.exec_driver_sql(f'ALTER TABLE fields_before_status RENAME CONSTRAINT "{key}" '
                             "TO fields_before_status_pkey")
    Base.metadata.tables["fields"].create(conn)
    conn.exec_driver_sql(
        "INSERT INTO fields (document_id, name, candidate, position, value_json, text, "
        "confidence, page, bbox_json, status, reason) SELECT document_id, name, 0, position, "
        "value_json, text, confidence, page, bbox_json, 'confirmed', NULL "
        "FROM fields_before_status")
    conn.exec_driver_sql("DROP TABLE fields_before_status")


def _pg_text_search(conn: Connection) -> None:
    conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS unaccent")
    conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    if conn.exec_driver_sql("SELECT 1 FROM pg_ts_config WHERE cfgname = 'casescan'").first():
        return
    conn.exec_driver_sql("CREATE TEXT SEARCH CONFIGURATION casescan (COPY = simple)")
    conn.exec_driver_sql("ALTER TEXT SEARCH CONFIGURATION casescan "
                         "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple")


def _fill_cases(conn: Connection, columns: Sequence[CaseColumn]) -> None:
    """Case rows (with names and counts) for every document that has none yet."""
    missing = select(DocumentModel.document_id).where(
        DocumentModel.document_id.not_in(select(CaseModel.document_id)))
    ids = list(conn.execute(missing).scalars())
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        fields: dict[str, list[FieldModel]] = {doc: [] for doc in chunk}
        query = select(FieldModel).where(FieldModel.document_id.in_(chunk))
        with Session(conn) as session:  # models, not bare rows, is what field_row reads
            for row in session.scalars(query):
                fields[row.document_id].append(row)
        add_cases(conn, [(doc, case_row_from_fields([field_row(f) for f in fields[doc]], (),
                                                    columns))
                         for doc in chunk])


"""An index made before the migrations keeps everything and gains search and reports."""

from __future__ import annotations

from dataclasses import replace

from alembic import command
from casedocs import PEOPLE, case_document
from sqlalchemy import create_engine, text

from casework.context import case_columns
from storage.index import Index
from storage.index.records import FieldRow, SearchFilters
from storage.index.schema import alembic_config

COLUMNS = case_columns()  # the case fields' columns, as casework opens the index

NEW_TABLES = ("cases", "names", "name_variants", "case_counts", "field_corrections",
              "alembic_version")
OLD_FIELDS = ("document_id VARCHAR(64) NOT NULL REFERENCES documents (document_id), "
              "name VARCHAR(100) NOT NULL, position INTEGER NOT NULL, value_json TEXT NOT NULL, "
              "text TEXT NOT NULL, confidence FLOAT NOT NULL, page INTEGER NOT NULL, "
              "bbox_json TEXT NOT NULL, PRIMARY KEY (document_id, name)")
FIELD_COLUMNS = "document_id, name, position, value_json, text, confidence, page, bbox_json"


def make_legacy(index: Index) -> str:
    """Strip the index back to what `create_all` made before migrations existed."""
    url = index._engine.url.render_as_string(hide_password=False)  # noqa: SLF001
    index.close()
    engine = create_engine(url)
    with engine.begin() as conn:  # back to the first migration, then before it
        command.downgrade(alembic_config(conn), "0001")
    with engine.begin() as conn:
        for table in NEW_TABLES:
            conn.execute(text(f"DROP TABLE {table}"))
        conn.execute(text("DROP INDEX ix_batch_files_document_batch"))
        conn.execute(text("DROP INDEX ix_entities_label"))
        conn.execute(text(f"CREATE TABLE fields_copy AS SELECT {FIELD_COLUMNS} FROM fields"))
        conn.execute(text("DROP TABLE fields"))  # back to one value per field, no status
        conn.execute(text(f"CREATE TABLE fields ({OLD_FIELDS})"))
        conn.execute(text(f"INSERT INTO fields ({FIELD_COLUMNS}) SELECT * FROM fields_copy"))
        conn.execute(text("DROP TABLE fields_copy"))
        if conn.dialect.name == "postgresql":
            conn.execute(text("DROP INDEX ix_pages_tsv"))
        conn.execute(text("ALTER TABLE pages DROP COLUMN tsv"))
    engine.dispose()
    return url


def test_legacy_index_is_adopted_without_loss(index: Index) -> None:
    for person in PEOPLE:
        index.add_document(case_document(*person))
    url = make_legacy(index)
    adopted = Index(url, case_columns=COLUMNS)
    try:
        for person in PEOPLE:  # every field kept, as a confirmed value
            doc = case_document(*person)
            kept = adopted.get_document(doc.document_id)
            assert kept is not None and kept.fields == doc.fields
        assert {h.source for h in adopted.search(filters=SearchFilters(surname="okafer"))} == {
            "a.pdf", "b.pdf", "c.pdf"}
        assert [h.source for h in adopted.search("Jürgen")] == ["d.pdf"]
        counts = {r.group: r.cases for r in adopted.counts(["application_type"])}
        assert counts == {("asylum",): 3, ("spouse_visa",): 1, ("work_permit",): 1}
        two = case_document("f", "Mensah", "Kofi", "1980-01-01", "GHA", "HO-6666666", "asylum",
                            "pending", None, None)
        doubt = FieldRow("surname", "Okafor", "OKAFOR", 0.9, 1, None, "needs_review", None, 1)
        two = replace(two, fields=(*two.fields, doubt))  # the wider key takes two candidates
        assert adopted.add_document(two) and adopted.count_review() == 1
    finally:
        adopted.close()
    Index(url, case_columns=COLUMNS).close()  # opening again changes nothing

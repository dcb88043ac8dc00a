"""An index made before the migrations keeps everything and gains search and reports."""

from __future__ import annotations

from casedocs import PEOPLE, case_document
from sqlalchemy import create_engine, text

from storage.index import Index
from storage.records import SearchFilters

NEW_TABLES = ("cases", "names", "name_variants", "case_counts", "alembic_version")


def make_legacy(index: Index) -> str:
    """Strip the index back to what `create_all` made before migrations existed."""
    url = index._engine.url.render_as_string(hide_password=False)  # noqa: SLF001
    index.close()
    engine = create_engine(url)
    with engine.begin() as conn:
        for table in NEW_TABLES:
            conn.execute(text(f"DROP TABLE {table}"))
        conn.execute(text("DROP INDEX ix_batch_files_document_batch"))
        if conn.dialect.name == "postgresql":
            conn.execute(text("DROP INDEX ix_pages_tsv"))
        conn.execute(text("ALTER TABLE pages DROP COLUMN tsv"))
    engine.dispose()
    return url


def test_legacy_index_is_adopted_without_loss(index: Index) -> None:
    for person in PEOPLE:
        index.add_document(case_document(*person))
    url = make_legacy(index)
    adopted = Index(url)
    try:
        assert len([d for p in PEOPLE if (d := adopted.get_document(
            case_document(*p).document_id))]) == len(PEOPLE)
        assert {h.source for h in adopted.search(filters=SearchFilters(surname="okafer"))} == {
            "a.pdf", "b.pdf", "c.pdf"}
        assert [h.source for h in adopted.search("Jürgen")] == ["d.pdf"]
        counts = {r.group: r.cases for r in adopted.counts(["application_type"])}
        assert counts == {("asylum",): 3, ("spouse_visa",): 1, ("work_permit",): 1}
    finally:
        adopted.close()
    Index(url).close()  # opening again changes nothing

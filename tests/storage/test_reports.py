"""Reports read counts kept up to date as documents are indexed and fields change."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from casedocs import PEOPLE, case_document
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from storage.index import Index
from storage.index.records import CorrectionRow, SearchFilters

FIELDS = ("surname", "decision_date", "permission_to_work")


def filled(index: Index) -> Index:
    for person in PEOPLE:
        index.add_document(case_document(*person))
    return index


def grid(index: Index, *group: str, **where: object) -> dict[tuple[object, ...], int]:
    return {row.group: row.cases for row in index.counts(group, **where)}  # type: ignore[arg-type]


def test_counts_by_type_decision_and_year(index: Index) -> None:
    filled(index)
    assert grid(index, "application_type") == {
        ("asylum",): 3, ("spouse_visa",): 1, ("work_permit",): 1}
    assert grid(index, "application_type", "decision", "year") == {
        ("asylum", "granted", 2019): 2, ("asylum", "refused", 2019): 1,
        ("spouse_visa", "granted", 2020): 1, ("work_permit", "pending", None): 1}
    assert grid(index, "year", decision="granted") == {(2019,): 2, (2020,): 1}


def test_permission_to_work_question(index: Index) -> None:
    filled(index)
    asked = grid(index, application_type="asylum", year=2019, permission_to_work=True)
    assert asked == {(): 2}
    assert grid(index, "permission_to_work", application_type="asylum") == {
        ("no",): 1, ("yes",): 2}


def test_bulk_indexing_gives_the_same_counts_and_search(index: Index, tmp_path) -> None:  # type: ignore[no-untyped-def]
    docs = [case_document(*person) for person in PEOPLE]
    assert index.add_documents(docs[:3]) == 3
    assert index.add_documents(docs + docs[3:]) == 2  # three known, two given twice
    assert grid(index, "application_type", "decision", "year")[("asylum", "granted", 2019)] == 2
    assert len(index.search(filters=SearchFilters(surname="okafer"))) == 3
    assert [h.source for h in index.search("Jürgen")] == ["d.pdf"]
    assert index.get_document(docs[0].document_id) == replace(
        docs[0], created_at=index.get_document(docs[0].document_id).created_at)  # type: ignore[union-attr]


def test_a_correction_moves_counts_and_search(index: Index) -> None:
    filled(index)
    doc = case_document(*PEOPLE[1])  # Ada Okafor, asylum refused 2019
    for name, value, extracted in (("decision", "granted", "refused"),
                                   ("surname", "Okonkwo", "OKAFOR")):
        index.add_correction(CorrectionRow(doc.document_id, name, value, extracted,
                                           "a.checker", datetime.now(UTC)))
    assert grid(index, "decision", application_type="asylum") == {("granted",): 3}
    assert [h.source for h in index.search(filters=SearchFilters(surname="okonkwo"))] == [
        "b.pdf"]
    hit = index.search(filters=SearchFilters(surname="okonkwo"))[0]
    assert (hit.page, hit.bbox) == (2, (100, 200, 300, 240))  # where the name is printed
    assert {h.source for h in index.search(filters=SearchFilters(surname="okafor"))} == {
        "a.pdf", "c.pdf"}
    stored = index.get_document(doc.document_id)
    assert stored is not None and {f.name: f.value for f in stored.fields}["decision"] == (
        "refused")  # the extracted value is kept beside the correction
    assert [(c.name, c.value) for c in stored.corrections] == [
        ("decision", "granted"), ("surname", "Okonkwo")]


def test_values_awaiting_review_are_neither_searched_nor_counted(index: Index) -> None:
    doc = case_document(*PEOPLE[0])  # Chinedu Okafor, asylum granted 2019
    doubtful = tuple(replace(f, status="needs_review") if f.name in ("surname", "decision")
                     else f for f in doc.fields)
    index.add_document(replace(doc, fields=doubtful))
    assert grid(index, "decision") == {(None,): 1}
    assert index.search(filters=SearchFilters(surname="okafor")) == []
    index.add_correction(CorrectionRow(doc.document_id, "decision", "granted", None,
                                       "a.checker", datetime.now(UTC)))
    assert grid(index, "decision") == {("granted",): 1}


def test_data_quality_by_batch_and_field(index: Index) -> None:
    from storage.index.records import BatchFileRow

    for person in PEOPLE[:3]:
        index.add_document(case_document(*person))
    batch = index.start_batch("box 7")
    docs = []
    for person in PEOPLE[3:]:
        doc = case_document(*person)
        doubtful = replace(doc, fields=tuple(
            replace(f, status="needs_review") if f.name == "decision" else f
            for f in doc.fields))
        index.add_document(doubtful)
        docs.append(doc)
        index.record_file(batch, BatchFileRow(doc.source, doc.sha256, doc.document_id, "done",
                                              None))
    index.record_file(batch, BatchFileRow("bad.pdf", None, None, "failed", "corrupt"))
    rows = {(r.batch, r.field): r for r in index.data_quality(FIELDS)}
    assert rows[("box 7", "surname")].missing == 0 and rows[("box 7", "surname")].documents == 2
    assert rows[("box 7", "decision_date")].missing == 1  # Smith has no decision date
    assert rows[("box 7", "permission_to_work")].missing == 1
    review = index.data_quality(("decision",))
    assert [(r.present, r.needs_review, r.missing) for r in review] == [(0, 2, 0)]
    index.add_correction(CorrectionRow(docs[0].document_id, "decision", "granted", None,
                                       "a.checker", datetime.now(UTC)))
    review = index.data_quality(("decision",))
    assert [(r.present, r.needs_review, r.missing) for r in review] == [(1, 1, 0)]


def test_migrations_give_exactly_the_models(index: Index) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from storage.index.models import Base
    from storage.index.schema import include_name, include_object_for

    url = make_url(index._engine.url)  # noqa: SLF001 - the test's own index
    engine = create_engine(url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={
            "include_name": include_name, "compare_type": True,
            "include_object": include_object_for(conn.dialect.name)})
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()

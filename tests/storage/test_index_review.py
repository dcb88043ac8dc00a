"""Review queue, corrections and entity search on a real SQLite index."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from storage.index import Index
from storage.index.records import CorrectionRow, DocumentRow, EntityRow, FieldRow

MakeDocument = Callable[..., DocumentRow]

REVIEW_FIELDS = (
    FieldRow("surname", "Mensah", "MENSAH", 0.9, 1, (10, 20, 110, 40), "needs_review",
             "different values found", 0),
    FieldRow("surname", "Okafor", "OKAFOR", 0.8, 2, (10, 20, 110, 40), "needs_review",
             "different values found", 1),
    FieldRow("given_names", "Abena", "ABENA", 0.95, 1, (10, 60, 110, 80)),
    FieldRow("nationality", None, "", 0.0, None, None, "missing", "no label for this field found"),
)


def test_review_queue_lists_each_uncertain_field_with_all_its_values(
        index: Index, make_document: MakeDocument) -> None:
    doc = replace(make_document("two-people", "p1", "p2"), fields=REVIEW_FIELDS)
    assert index.add_document(doc)
    items = index.review_queue()
    assert len(items) == 1 and index.count_review() == 1
    item = items[0]
    assert item.document_id == doc.document_id and item.name == "surname"
    assert [v.value for v in item.values] == ["Mensah", "Okafor"]
    assert [v.page for v in item.values] == [1, 2] and item.reason == "different values found"
    stored = index.get_document(doc.document_id)
    assert stored is not None
    missing = [f for f in stored.fields if f.name == "nationality"]
    assert missing[0].status == "missing" and missing[0].page is None and missing[0].bbox is None


def test_a_correction_is_appended_and_takes_the_field_out_of_the_queue(
        index: Index, make_document: MakeDocument) -> None:
    doc = replace(make_document("corrected", "p1"), fields=REVIEW_FIELDS)
    index.add_document(doc)
    at = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    first = index.add_correction(CorrectionRow(doc.document_id, "surname", "Mensah", None,
                                               "a.caseworker", at, "checked the passport"))
    later = index.add_correction(CorrectionRow(doc.document_id, "surname", "Mensah-Owusu",
                                               None, "b.senior", at + timedelta(hours=1)))
    assert first.correction_id is not None and later.correction_id is not None
    assert index.review_queue() == [] and index.count_review() == 0
    stored = index.get_document(doc.document_id)
    assert stored is not None
    assert [(c.value, c.by, c.at) for c in stored.corrections] == [
        ("Mensah", "a.caseworker", at), ("Mensah-Owusu", "b.senior", at + timedelta(hours=1))]
    # what was extracted is untouched
    assert [f.value for f in stored.fields if f.name == "surname"] == ["Mensah", "Okafor"]


def test_a_correction_needs_a_known_document_and_a_name(
        index: Index, make_document: MakeDocument) -> None:
    doc = make_document("known", "p1")
    index.add_document(doc)
    now = datetime.now(UTC)
    with pytest.raises(ValueError, match="no document"):
        index.add_correction(CorrectionRow("f" * 64, "surname", "X", None, "me", now))
    with pytest.raises(ValueError, match="name of who"):
        index.add_correction(CorrectionRow(doc.document_id, "surname", "X", None, "  ", now))
    stored = index.get_document(doc.document_id)
    assert stored is not None and stored.corrections == ()


def test_entities_are_searchable_by_label_and_text(
        index: Index, make_document: MakeDocument) -> None:
    a = replace(make_document("letters", "Letter to CR9 2BY about B1234567"), entities=(
        EntityRow("POSTCODE", "CR9 2BY", 1, 10, 17), EntityRow("HO_REF", "B1234567", 1, 24, 32),
        EntityRow("PERSON", "Abena Mensah", 1, 0, 5)))
    b = replace(make_document("minutes", "Minute"), entities=(
        EntityRow("PERSON", "Chidi Okafor", 1, 0, 12),))
    index.add_document(a)
    index.add_document(b)
    assert [h.text for h in index.find_entities(label="postcode")] == ["CR9 2BY"]
    people = index.find_entities(label="PERSON")
    assert {h.text for h in people} == {"Abena Mensah", "Chidi Okafor"}
    hits = index.find_entities(text="okafor")
    assert [(h.document_id, h.source, h.page) for h in hits] == [(b.document_id, b.source, 1)]
    assert index.find_entities(text="100%_") == []  # wildcards are searched for literally
    with pytest.raises(ValueError, match="label"):
        index.find_entities()
    with pytest.raises(ValueError, match="limit"):
        index.find_entities(label="PERSON", limit=0)

"""The index keeps documents whole, once per sha256, and finds them by id or prefix."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from datetime import UTC
from pathlib import Path

import pytest

from casework.context import case_columns
from storage.index import Index
from storage.index.records import DocumentRow, FieldRow

COLUMNS = case_columns()  # the case fields' columns, as casework opens the index

MakeDocument = Callable[..., DocumentRow]  # the make_document fixture in conftest.py


def test_round_trip_keeps_types(index: Index, make_document: MakeDocument) -> None:
    doc = make_document("case-1", "Home Office letter", "Decision: refused")
    assert index.add_document(doc) is True
    got = index.get_document(doc.document_id)
    assert got is not None
    assert got.created_at is not None and got.created_at.tzinfo == UTC
    assert got == dataclasses.replace(doc, created_at=got.created_at)
    fields = {field.name: field for field in got.fields}
    assert fields["permission_to_work"].value is False
    assert fields["decision_date"].value is None
    assert fields["surname"].bbox == (10, 20, 110, 40)
    assert isinstance(fields["surname"].bbox, tuple)
    assert got.text == "Home Office letter\n\nDecision: refused"


def test_true_survives_too(index: Index, make_document: MakeDocument) -> None:
    doc = make_document("case-true")
    doc = dataclasses.replace(
        doc, fields=(FieldRow("permission_to_work", True, "Yes", 1, 1, (1, 2, 3, 4)),)
    )
    index.add_document(doc)
    got = index.get_document(doc.document_id)
    assert got is not None and got.fields[0].value is True


def test_same_sha256_is_not_added_twice(index: Index, make_document: MakeDocument) -> None:
    doc = make_document("case-1", "first reading")
    assert index.add_document(doc)
    again = dataclasses.replace(doc, source="copy.pdf", pages=doc.pages[:0], status="other")
    assert index.has_document(doc.sha256)
    assert index.add_document(again) is False
    got = index.get_document(doc.document_id)
    assert got is not None and got.source == doc.source and got.pages == doc.pages
    assert len(index.search("first reading")) == 1


def test_id_taken_by_other_sha256_is_refused(index: Index, make_document: MakeDocument) -> None:
    doc = make_document("case-1")
    index.add_document(doc)
    other = dataclasses.replace(make_document("case-2"), document_id=doc.document_id)
    with pytest.raises(ValueError, match="already indexed"):
        index.add_document(other)
    assert not index.has_document(other.sha256)


def test_invalid_document_changes_nothing(index: Index, make_document: MakeDocument) -> None:
    doc = make_document("case-1", "one", "two")
    twice = dataclasses.replace(doc, pages=(doc.pages[0], doc.pages[0]))
    with pytest.raises(ValueError, match="page numbers"):
        index.add_document(twice)
    assert not index.has_document(doc.sha256)
    assert index.search("one") == []


def test_prefix_lookup(index: Index, make_document: MakeDocument) -> None:
    doc = make_document("case-1")
    index.add_document(doc)
    assert index.get_document(doc.document_id[:8]) == index.get_document(doc.document_id)
    assert index.get_document("f" * 64) is None
    other_prefix = ("0" if doc.document_id[0] != "0" else "1") + doc.document_id[1:8]
    assert index.get_document(other_prefix) is None
    with pytest.raises(ValueError, match="too short"):
        index.get_document(doc.document_id[:7])
    with pytest.raises(ValueError, match="empty"):
        index.get_document("  ")


def test_ambiguous_prefix(index: Index, make_document: MakeDocument) -> None:
    for n, seed in enumerate(("a", "b")):
        doc = make_document(seed)
        index.add_document(dataclasses.replace(doc, document_id="abcdef12" + str(n) * 56))
    with pytest.raises(ValueError, match="'abcdef12' is ambiguous"):
        index.get_document("abcdef12")
    found = index.get_document("abcdef120")
    assert found is not None and found.document_id == "abcdef12" + "0" * 56


def test_prefix_is_not_a_pattern(index: Index, make_document: MakeDocument) -> None:
    doc = make_document("case-1")
    index.add_document(doc)
    assert index.get_document(doc.document_id[:4] + "%%%%") is None
    assert index.get_document(doc.document_id[:4] + "____") is None
    upper = "ABCDEF12" + "0" * 56
    index.add_document(dataclasses.replace(make_document("upper"), document_id=upper.lower()))
    assert index.get_document(upper[:8]) is None  # ids are matched exactly, case included


def test_index_survives_reopening(tmp_path: Path, make_document: MakeDocument) -> None:
    url = f"sqlite:///{tmp_path / 'index.db'}"
    doc = make_document("case-1", "asylum interview record")
    with Index(url, case_columns=COLUMNS) as first:
        first.add_document(doc)
    with Index(url, case_columns=COLUMNS) as second:
        assert second.get_document(doc.document_id) is not None
        assert [hit.document_id for hit in second.search("interview")] == [doc.document_id]


def test_concurrent_adds_index_once(tmp_path: Path, make_document: MakeDocument) -> None:
    url = f"sqlite:///{tmp_path / 'index.db'}"
    doc = make_document("raced", "contested page")
    indexes = [Index(url, case_columns=COLUMNS) for _ in range(6)]
    results: list[bool] = []
    threads = [
        threading.Thread(target=lambda ix=ix: results.append(ix.add_document(doc)))
        for ix in indexes
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 5 + [True]
    assert len(indexes[0].search("contested")) == 1
    for ix in indexes:
        ix.close()

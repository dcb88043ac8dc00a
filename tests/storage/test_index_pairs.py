"""Key-value pairs of form pages are stored with their boxes and found by "key: value"."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from storage.index import Index
from storage.index.records import DocumentRow, PairRow

MakeDocument = Callable[..., DocumentRow]  # the make_document fixture in conftest.py

PAIRS = (
    PairRow(1, "Place of birth", (100, 200, 400, 240), "Kabul", (450, 200, 560, 240), 0.91),
    PairRow(1, "Next of kin (if any)", (100, 300, 500, 340), "", None, 0.0),
    PairRow(2, "Place of issue", (100, 200, 400, 240), "Kabul Airport", (450, 200, 700, 240),
            0.8),
)


def test_pairs_round_trip_with_boxes_and_empty_values(index: Index,
                                                      make_document: MakeDocument) -> None:
    doc = dataclasses.replace(make_document("case-pairs"), pairs=PAIRS)
    assert index.add_document(doc)
    got = index.get_document(doc.document_id)
    assert got is not None and got.pairs == PAIRS


def test_a_pair_is_found_by_its_key_and_value(index: Index, make_document: MakeDocument) -> None:
    index.add_document(dataclasses.replace(make_document("case-pairs"), pairs=PAIRS))
    index.add_document(dataclasses.replace(make_document("other"), pairs=(
        PairRow(1, "Place of birth", (1, 2, 3, 4), "Herat", (5, 6, 7, 8), 0.9),)))
    hits = index.find_pairs("place of birth: KABUL")
    assert [(h.key, h.value, h.page) for h in hits] == [("Place of birth", "Kabul", 1)]
    assert hits[0].value_bbox == (450, 200, 560, 240) and hits[0].source
    assert {h.value for h in index.find_pairs("place of birth")} == {"Kabul", "Herat"}
    assert {h.key for h in index.find_pairs(": kabul")} == {"Place of birth", "Place of issue"}
    assert index.find_pairs("place of death: Kabul") == []
    assert [h.key for h in index.find_pairs("(if any)")] == ["Next of kin (if any)"]  # no LIKE


@pytest.mark.parametrize("query", ["", " : ", "x" * 501])
def test_an_empty_or_oversized_pair_query_is_refused(index: Index, query: str) -> None:
    with pytest.raises(ValueError):
        index.find_pairs(query)

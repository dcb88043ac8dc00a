"""Search finds pages by their words, best first, and no user text can break it."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from sqlalchemy.exc import OperationalError

from storage.index import Index
from storage.index.records import DocumentRow

MakeDocument = Callable[..., DocumentRow]  # the make_document fixture in conftest.py

# Each hostile query with the pages it must find: its words searched as plain words, every
# one of them on the page (a chunk with punctuation inside, "text:asylum", as adjacent words).
# "ops.pdf" holds the operator words and fragments as plain text.
HOSTILE = [
    ('"', []),
    ('""', []),
    ('asylum "', ["often.pdf", "once.pdf", "ops.pdf"]),
    ('"asylum', ["often.pdf", "once.pdf", "ops.pdf"]),
    ("asy*", ["ops.pdf"]),
    ("*", []),
    ("asylum OR refused", ["ops.pdf"]),
    ("OR", ["ops.pdf"]),
    ("AND NOT", ["ops.pdf"]),
    ("NEAR(", ["ops.pdf"]),
    ("NEAR(asylum refused, 2)", ["ops.pdf"]),
    ("'; DROP TABLE documents; --", ["ops.pdf"]),
    ("(((", []),
    ("asylum)", ["often.pdf", "once.pdf", "ops.pdf"]),
    ("text:asylum", ["ops.pdf"]),
    ("document_id:abc", ["ops.pdf"]),
    ("^asylum", ["often.pdf", "once.pdf", "ops.pdf"]),
    ("{asylum refused}", ["often.pdf", "once.pdf", "ops.pdf"]),
    ("+-:.,;!?@#$%&=~`|\\/<>[]{}", []),
    ("\x00asylum", ["often.pdf", "once.pdf", "ops.pdf"]),
    ("asylum\x00", ["often.pdf", "once.pdf", "ops.pdf"]),
    ('"\x00"', []),
    ("\ud800asylum", ["often.pdf", "once.pdf", "ops.pdf"]),
    ("asylum \x1b[31m \x7f", ["ops.pdf"]),
    ("café ça", ["ops.pdf"]),
    ("日本語 テキスト", ["ops.pdf"]),
    ("_", []),
    ("asylum\nrefused\t", ["often.pdf", "once.pdf", "ops.pdf"]),
]
OPERATOR_WORDS = ("Minutes: the panel refused, OR AND NOT NEAR asylum 2; text asylum "
                  "document_id abc; DROP TABLE documents; asy 31m; café ça; 日本語 テキスト")


@pytest.fixture
def filled(index: Index, make_document: MakeDocument) -> Index:
    index.add_document(
        make_document("once", "Cover sheet", "The asylum claim was refused.", source="once.pdf")
    )
    index.add_document(
        make_document(
            "often",
            "Asylum interview: asylum seeker stated asylum reasons; asylum refused.",
            source="often.pdf",
        )
    )
    index.add_document(
        make_document("ref", "Home Office reference HO-1234567 café", source="ref.pdf")
    )
    return index


def test_more_mentions_rank_higher(filled: Index) -> None:
    hits = filled.search("asylum")
    assert [hit.source for hit in hits] == ["often.pdf", "once.pdf"]
    assert hits[0].score > hits[1].score


def test_hit_names_the_page(filled: Index) -> None:
    hits = filled.search("claim refused")
    assert [(hit.source, hit.page) for hit in hits] == [("once.pdf", 2)]
    assert "[claim]" in hits[0].snippet and "[refused]" in hits[0].snippet


def test_all_words_must_match(filled: Index) -> None:
    assert filled.search("asylum cover") == []
    assert [hit.page for hit in filled.search("cover sheet")] == [1]


def test_reference_diacritics_and_case(filled: Index) -> None:
    assert [hit.source for hit in filled.search("HO-1234567")] == ["ref.pdf"]
    assert [hit.source for hit in filled.search("ho-1234567")] == ["ref.pdf"]
    assert [hit.source for hit in filled.search("CAFE")] == ["ref.pdf"]
    assert filled.search("HO-7654321") == []


def test_window(filled: Index) -> None:
    both = filled.search("asylum")
    assert filled.search("asylum", limit=1) == both[:1]
    assert filled.search("asylum", limit=1, offset=1) == both[1:]
    assert filled.search("asylum", offset=5) == []
    for bad in ({"limit": 0}, {"limit": 10_000}, {"offset": -1}):
        with pytest.raises(ValueError):
            filled.search("asylum", **bad)


@pytest.mark.parametrize("query", ["", "   ", "***", '"()"', "-- ;"])
def test_no_words_no_hits(filled: Index, query: str) -> None:
    assert filled.search(query) == []


@pytest.fixture
def with_operators(filled: Index, make_document: MakeDocument) -> Index:
    filled.add_document(make_document("ops", OPERATOR_WORDS, source="ops.pdf"))
    return filled


@pytest.mark.parametrize(("query", "sources"), HOSTILE)
def test_hostile_queries_are_searched_as_plain_words(with_operators: Index, query: str,
                                                     sources: list[str]) -> None:
    hits = with_operators.search(query)
    assert sorted(hit.source for hit in hits) == sources
    assert all(with_operators.get_document(hit.document_id) for hit in hits)
    assert len(with_operators.search("asylum")) == 3  # and the index is as it was


def test_injection_text_is_just_words(filled: Index) -> None:
    filled.search("'; DROP TABLE documents; --")
    assert len(filled.search("asylum")) == 2


def test_operator_words_are_searched_literally(filled: Index) -> None:
    assert filled.search("asylum OR cover") == []  # OR is a word here, not an operator
    assert [hit.source for hit in filled.search("asylum NEAR(refused")] == []


def test_overlong_query_is_a_clean_value_error(filled: Index) -> None:
    with pytest.raises(ValueError, match="5000 characters; the limit is 1000"):
        filled.search("a" * 5000)


def test_random_punctuation_soup_never_raises(filled: Index) -> None:
    alphabet = list("\"'*()^:+-{},.;|&<>~ _\\\n\x00\ud800") + ["OR", "AND", "NEAR", "asylum", "é"]
    rng = random.Random(20240501)
    for _ in range(500):
        query = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        try:
            filled.search(query)
        except OperationalError as exc:  # pragma: no cover - the failure being guarded
            pytest.fail(f"query {query!r} raised {exc}")

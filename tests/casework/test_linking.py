"""Linking the index end to end through `identity.link.link`: stored documents in, persons
with their evidence out, and reviewers' decisions that no later run undoes. SQLite and
PostgreSQL, with the documents of `tests/linkresults.py`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from linkresults import doc_id, documents
from services import empty_pg_tables

from casework import persons
from casework.context import open_context
from ingest.chain import IngestContext


@pytest.fixture(params=["sqlite", "postgresql"])
def empty(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[IngestContext]:
    url = (f"sqlite:///{tmp_path / 'index.db'}" if request.param == "sqlite"
           else request.getfixturevalue("pg_url"))
    made = open_context(str(tmp_path / "objects"), url)
    if request.param == "postgresql":
        empty_pg_tables(url)
    yield made
    made.index.close()


@pytest.fixture
def ctx(empty: IngestContext) -> IngestContext:
    assert empty.index.add_documents(documents()) == 8
    return empty


def person_of(ctx: IngestContext) -> dict[str, tuple[str | None, str]]:
    return {m.source: (m.person_id, m.status) for m in persons.export(ctx)}


def test_a_run_links_the_same_person_and_keeps_everyone_else_apart(ctx: IngestContext) -> None:
    run = persons.link(ctx)
    assert run.documents == 8
    found = person_of(ctx)
    chinedu = {found[s][0] for s in ("a.pdf", "a2.pdf", "a3.pdf")}
    assert len(chinedu) == 1 and found["a.pdf"][1] == "linked"
    others = [found[s][0] for s in ("b.pdf", "c.pdf", "d.pdf", "e.pdf", "g.pdf")]
    assert len(set(others)) == 5 and not chinedu & set(others)  # no two people merged
    assert found["e.pdf"][1] == "flagged_two_people"  # two dates of birth read confidently
    assert run.persons == 6 == ctx.index.person_counts().persons
    person = persons.show(ctx, doc_id("a2"))
    assert person is not None and person.detail.links
    bars = person.detail.links[0].contributions
    assert {c.comparison for c in bars} >= {"surname", "dob", "reference"}
    for bar in bars:  # each bar can be shown beside the page crops of both values
        for side in (bar.left, bar.right):
            assert side is not None and side.page is not None and side.bbox is not None
    dob = next(c for c in bars if c.comparison == "dob")
    assert dob.left is not None and (dob.left.value, dob.left.page) == ("1985-03-02", 2)


def test_a_never_link_outlives_every_later_run(ctx: IngestContext) -> None:
    persons.link(ctx)
    made = persons.judge(ctx, "never", doc_id("a"), doc_id("a2"), by="r.ahmed",
                         why="a2 is the father's file: same name, different person")
    for _ in range(2):
        persons.link(ctx)
        found = person_of(ctx)
        assert found["a.pdf"][0] != found["a2.pdf"][0]
    assert ctx.index.judgements() == [made]



def test_a_batch_links_its_new_documents_to_the_persons_kept(empty: IngestContext) -> None:
    ctx, later = empty, {doc_id("a2"), doc_id("a3")}
    ctx.index.add_documents([d for d in documents() if d.document_id not in later])
    persons.link_new_documents(ctx)  # nothing kept yet: a whole run
    before = person_of(ctx)
    ctx.index.add_documents([d for d in documents() if d.document_id in later])
    run = persons.link_new_documents(ctx)
    after = person_of(ctx)
    assert run.documents == 8  # a grown person's key follows its documents
    assert after["a2.pdf"][0] == after["a.pdf"][0] == after["a3.pdf"][0]
    assert {s: after[s] for s in before if s != "a.pdf"} == {
        s: v for s, v in before.items() if s != "a.pdf"}  # everyone else as they were

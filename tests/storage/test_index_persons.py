"""Persons, links and reviewers' judgements in a real index, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

import pytest
from linkresults import AT, doc_id, documents, first_run, split_run

from casework.identities import link_write
from storage.index import Index
from storage.index.person_records import JudgementRow


def linked(index: Index) -> Index:
    assert index.add_documents(documents()) == 8
    index.write_links(link_write(first_run()))
    return index


def statuses(index: Index) -> dict[str, tuple[str | None, str]]:
    return {m.source: (m.person_id, m.status) for m in index.person_export()}


def test_export_gives_every_document_its_person_and_status(index: Index) -> None:
    index.add_documents(documents())
    assert {s for _p, s in statuses(index).values()} == {"unlinked"}  # before any run
    assert all(p is None for p, _s in statuses(index).values())
    run = index.write_links(link_write(first_run()))
    assert (run.documents, run.persons, run.review, run.two_people, run.rescans) == (8, 6, 1, 1, 1)
    assert statuses(index) == {
        "a.pdf": ("p-chinedu", "linked"), "a2.pdf": ("p-chinedu", "linked"),
        "a3.pdf": ("p-chinedu", "linked"), "b.pdf": ("p-b", "unlinked"),
        "c.pdf": ("p-c", "needs_review"), "d.pdf": ("p-d", "unlinked"),
        "e.pdf": ("p-e", "flagged_two_people"), "g.pdf": ("p-g", "unlinked")}
    counts = index.person_counts()
    assert (counts.documents, counts.persons) == (8, 6)
    assert dict(counts.by_status) == {"linked": 3, "needs_review": 1,
                                      "flagged_two_people": 1, "unlinked": 3}


def test_export_pages_through_documents_in_id_order(index: Index) -> None:
    linked(index)
    first = index.person_export(limit=4)
    rest = index.person_export(after=first[-1].document_id, limit=100)
    ids = [m.document_id for m in first + rest]
    assert ids == sorted(doc_id(s) for s in ("a", "b", "c", "d", "e", "a2", "a3", "g"))


def test_a_person_keeps_the_evidence_of_every_link_with_where_each_value_was_read(
        index: Index) -> None:
    person = linked(index).person("p-chinedu")
    assert person is not None
    assert person.person.documents == tuple(sorted(doc_id(s) for s in ("a", "a2", "a3")))
    (link,) = person.links
    assert (link.decision, link.match_weight, link.review) == ("link", 18.75, False)
    assert [(c.comparison, c.level, c.match_weight) for c in link.contributions] == [
        ("surname", "exact", 8.25), ("date_of_birth", "exact", 10.5)]
    surname = link.contributions[0]
    assert surname.left is not None and surname.left.bbox == (100, 200, 300, 240)
    assert (surname.left.value, surname.left.confidence, surname.left.page) == ("OKAFOR", 0.9, 2)
    (review,) = person.review  # the pair with Okafur reaches into this person
    assert {review.left, review.right} == {doc_id("a"), doc_id("c")} and review.review
    assert review.person_id is None
    assert [r.document_id for r in person.rescans] == [doc_id("a3")]
    assert person.rescans[0].original_id == doc_id("a")
    smith = index.person("p-e")
    assert smith is not None and smith.two_people[0].reasons[0].startswith("two dates of birth")
    g = index.person("p-g")
    assert g is not None and [r.reasons for r in g.refused] == [("no identifying field",)]
    assert index.person("p-nobody") is None


def test_review_queue_lists_unjudged_pairs_and_two_people_flags(index: Index) -> None:
    linked(index)
    (waiting,) = index.link_review()
    assert {waiting.left, waiting.right} == {doc_id("a"), doc_id("c")}
    assert [c.comparison for c in waiting.contributions] == [
        "surname", "date_of_birth", "given_names"]
    assert index.count_link_review() == 1
    assert [t.document_id for t in index.two_people()] == [doc_id("e")]
    index.add_judgement(JudgementRow("never", doc_id("c"), doc_id("a"), "r.ahmed", AT,
                                     "different given names and references"))
    assert index.link_review() == [] and index.count_link_review() == 0


def test_judgements_are_appended_never_overwritten_and_outlive_every_run(index: Index) -> None:
    linked(index)
    first = index.add_judgement(JudgementRow("confirm", doc_id("a"), doc_id("a2"), "r.ahmed",
                                             AT, "same reference on both files"))
    second = index.add_judgement(JudgementRow("split", doc_id("a2"), doc_id("a"), "s.jones",
                                              AT, "a2 is the father's file"))
    assert first.judgement_id is not None and second.judgement_id is not None
    assert second.judgement_id > first.judgement_id
    index.write_links(link_write(split_run()))
    index.write_links(link_write(first_run()))
    kept = index.judgements()
    assert [(j.action, j.by, j.why) for j in kept] == [
        ("confirm", "r.ahmed", "same reference on both files"),
        ("split", "s.jones", "a2 is the father's file")]
    assert (kept[1].left, kept[1].right) == (doc_id("a2"), doc_id("a"))  # split keeps its order
    assert kept[0].at == AT
    assert [j.action for j in index.judgements([doc_id("a2")])] == ["confirm", "split"]
    assert index.judgements([doc_id("e")]) == []


def test_a_new_run_replaces_the_models_decisions(index: Index) -> None:
    linked(index)
    run = index.write_links(link_write(split_run()))
    assert statuses(index)["a2.pdf"] == ("p-a2", "unlinked")
    person = index.person("p-chinedu")
    assert person is not None and person.links == ()  # the old link's evidence is gone
    last = index.last_link_run()
    assert last is not None and last.run_id == run.run_id and run.run_id >= 2
    assert index.person_counts().persons == 7


@pytest.mark.parametrize("bad", ["unknown document", "document twice", "bad action"])
def test_bad_writes_are_refused_and_change_nothing(index: Index, bad: str) -> None:
    linked(index)
    before = statuses(index)
    with pytest.raises(ValueError):
        if bad == "unknown document":
            result = first_run()
            ghost = replace(result.clusters[1], documents=(doc_id("ghost"),))
            index.write_links(link_write(replace(result, clusters=(
                result.clusters[0], ghost, *result.clusters[2:]))))
        elif bad == "document twice":
            result = first_run()
            twice = replace(result.clusters[1], documents=(doc_id("a"),))
            index.write_links(link_write(replace(result, clusters=(
                result.clusters[0], twice, *result.clusters[2:]))))
        else:
            index.add_judgement(JudgementRow("merge", doc_id("a"), doc_id("b"), "x", AT, "y"))
    assert statuses(index) == before
    assert index.judgements() == []


@pytest.mark.parametrize(("left", "by", "why", "message"), [
    ("ghost", "r.ahmed", "why", "unindexed"), ("a", "r.ahmed", "why", "two different"),
    ("b", " ", "why", "who decides"), ("b", "r.ahmed", "", "why must")])
def test_a_judgement_needs_two_known_documents_who_and_why(
        index: Index, left: str, by: str, why: str, message: str) -> None:
    linked(index)
    with pytest.raises(ValueError, match=message):
        index.add_judgement(JudgementRow("never", doc_id(left), doc_id("a"), by, AT, why))
    assert index.judgements() == []

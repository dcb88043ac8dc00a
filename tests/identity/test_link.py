"""Linking a generated population: every document lands in exactly one person, the two
people of one record are flagged, rescans are recorded, and no automatic link joins two
different persons."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import combinations

from identity_docs import doc
from identity_population import generate

from identity.link import link, link_new
from identity.records import Judgement
from identity.settings import LinkSettings


def test_every_document_is_in_one_person_and_no_two_persons_are_merged() -> None:
    pop = generate(300, seed=11)

    result = link(pop.documents, [], LinkSettings())

    placed = [d for c in result.clusters for d in c.documents]
    assert sorted(placed) == sorted(d.document_id for d in pop.documents)
    merged = [(a, b) for c in result.clusters if c.status == "linked"
              for a, b in combinations(c.documents, 2)
              if pop.person_of[a] != pop.person_of[b]]
    assert merged == []
    assert any(c.status == "linked" for c in result.clusters)


def test_rescans_and_two_people_documents_are_recognised() -> None:
    pop = generate(300, seed=12)

    result = link(pop.documents, [], LinkSettings())

    assert {r.document_id for r in result.rescans} == set(pop.rescans)
    flagged = {t.document_id for t in result.two_people}
    assert flagged <= pop.two_people
    statuses = {d: c.status for c in result.clusters for d in c.documents}
    assert all(statuses[d] == "flagged_two_people" for d in flagged)


def test_a_new_batch_joins_the_persons_already_linked_without_splitting_them() -> None:
    pop = generate(300, seed=13)
    old, new = pop.documents[:-150], pop.documents[-150:]
    settings = LinkSettings()
    previous = link(old, [], settings)

    result = link_new(new, old, [], settings, previous)

    placed = [d for c in result.clusters for d in c.documents]
    assert sorted(placed) == sorted(d.document_id for d in pop.documents)
    person = {d: c.person_key for c in result.clusters for d in c.documents}
    for c in previous.clusters:
        if c.status != "flagged_two_people":
            assert len({person[d] for d in c.documents}) == 1
    grew = [c for c in result.clusters
            if {d.document_id for d in new} & set(c.documents)
            and {d.document_id for d in old} & set(c.documents)]
    assert grew
    merged = [(a, b) for c in result.clusters if c.status == "linked"
              for a, b in combinations(c.documents, 2)
              if pop.person_of[a] != pop.person_of[b]]
    assert merged == []


def test_a_split_after_a_run_is_honoured_by_the_next_incremental_run() -> None:
    docs = [doc("a", "OKAFOR", "GRACE", "1980-03-14", "NGA", "B1234567"),
            doc("b", "OKAFOR", "GRACE", "1980-03-14", "NGA", "B1234567"),
            doc("c", "OKAFOR", "GRACE", "1980-03-14", "NGA", "B1234567")]
    settings = LinkSettings()
    previous = link(docs, [], settings)
    assert len(previous.clusters) == 1
    split = Judgement("split", "c", "a", "reviewer", datetime(2026, 12, 1, tzinfo=UTC),
                      "c is the applicant's sister")

    result = link_new([doc("d", "MENSAH", "KOFI", "1971-01-02", "GHA")], docs, [split],
                      settings, previous)

    person = {d: c.person_key for c in result.clusters for d in c.documents}
    assert person["a"] == person["b"] != person["c"]


def test_a_person_grown_by_a_new_document_keeps_its_earlier_links_in_its_checks() -> None:
    docs = [doc(d, "OKAFOR", "GRACE", "1980-03-14", "NGA", "B1234567") for d in "abc"]
    settings = LinkSettings()
    previous = link(docs, [], settings)
    assert [c.status for c in previous.clusters] == ["linked"]

    result = link_new([doc("d", "OKAFOR", "GRACE", "1980-03-14", "NGA", "B1234567")], docs,
                      [], settings, previous)

    [cluster] = result.clusters
    assert cluster.documents == ("a", "b", "c", "d")
    assert cluster.status == "linked" and cluster.flags == ()
    assert {("a", "b"), ("a", "d")} <= {(p.left, p.right) for p in cluster.links}

"""Documents of known people and the LinkResult a linking run gives for them, built as
the model builds them (real identity records), for the storage, casework and API tests.

Chinedu Okafor has two files (a, a2) linked automatically and a rescan of the first
(a3); Emeka Okafur (c) shares his date of birth and nearly his surname, so the pair
(a, c) waits in the review band; Smith (e) holds two dates of birth (two people);
g has no identifying field and is refused with a reason.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime

from casedocs import PEOPLE, case_document

from identity.records import (
    Cluster,
    Contribution,
    LinkResult,
    Observed,
    PairEvidence,
    Rescan,
    TwoPeople,
)
from storage.index.records import DocumentRow, FieldRow, PageRow


def doc_id(seed: str) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()


def documents() -> list[DocumentRow]:
    """a..e from casedocs, a2 and a3 (Chinedu Okafor again), e with a second date of
    birth, g with no identifying field."""
    people = {p[0]: p for p in PEOPLE}
    docs = [case_document(*p) for p in PEOPLE]
    a2 = case_document("a2", *people["a"][1:])
    a3 = case_document("a3", *people["a"][1:])
    e = docs[4]
    docs[4] = replace(e, fields=(*e.fields, FieldRow(
        "date_of_birth", "1999-02-03", "03/02/1999", 0.97, 2, (5, 6, 70, 80), "needs_review",
        "different values found", 1)))
    g = DocumentRow(doc_id("g"), doc_id("g"), "g.pdf", "application/pdf", "originals/g", "done",
                    None, (PageRow(1, 100, 100, "ocr", 0.9, "blank form", None, None),), (), ())
    return [*docs, a2, a3, g]


def pair(x: str, y: str, weight: float, decision: str,
         bars: tuple[Contribution, ...]) -> PairEvidence:
    left, right = sorted((doc_id(x), doc_id(y)))
    return PairEvidence(left, right, weight, 2 ** weight / (1 + 2 ** weight),
                        decision, bars)  # type: ignore[arg-type]


OKAFOR = Observed("OKAFOR", 0.9, 2, (100, 200, 300, 240))
BORN = Observed("1985-03-02", 0.9, 2, (1, 2, 3, 4))
SURNAME_EXACT = Contribution("surname", "exact", 8.25, OKAFOR, OKAFOR)
DOB_EXACT = Contribution("date_of_birth", "exact", 10.5, BORN, BORN)
SURNAME_JW = Contribution("surname", "Jaro-Winkler >= 0.92", 4.0,
                          OKAFOR, Observed("OKAFUR", 0.9, 2, (100, 200, 300, 240)))
GIVEN_DIFFERENT = Contribution("given_names", "different", -8.5,
                               Observed("Chinedu", 0.9, 2, (100, 250, 300, 290)),
                               Observed("Emeka", 0.9, 2, (100, 250, 300, 290)))


def first_run() -> LinkResult:
    """What a run over `documents()` decides."""
    chinedu = Cluster("p-chinedu", tuple(sorted(doc_id(s) for s in ("a", "a2", "a3"))), "linked",
                      (pair("a", "a2", 18.75, "link", (SURNAME_EXACT, DOB_EXACT)),))
    alone = [Cluster(f"p-{s}", (doc_id(s),), "unlinked") for s in ("b", "c", "d", "g")]
    smith = Cluster("p-e", (doc_id("e"),), "flagged_two_people", flags=("two dates of birth",))
    return LinkResult(
        clusters=(chinedu, *alone, smith),
        review=(pair("a", "c", 6.0, "review", (SURNAME_JW, DOB_EXACT, GIVEN_DIFFERENT)),),
        two_people=(TwoPeople(doc_id("e"), ("two dates of birth read with high confidence: "
                                            "2001-06-15, 1999-02-03",)),),
        rescans=(Rescan(doc_id("a3"), doc_id("a"), 0.98, "same page hashes, text 0.98 alike"),),
        refused=((doc_id("g"), "no identifying field"),))


def split_run() -> LinkResult:
    """A later run in which a2 stands alone (as after a reviewer's split)."""
    first = first_run()
    chinedu = Cluster("p-chinedu", tuple(sorted(doc_id(s) for s in ("a", "a3"))), "linked")
    a2 = Cluster("p-a2", (doc_id("a2"),), "unlinked")
    return replace(first, clusters=(chinedu, a2, *first.clusters[1:]))


AT = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)

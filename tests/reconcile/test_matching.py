"""Matching rows to paper persons with identity linking's model, on hand-written
documents: a never-link judgement and the hard-conflict rule are kept, a review-band
match is not forced, and one record holding two persons' identifiers is a merged identity."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from identity_docs import doc  # noqa: E402

from identity.records import Judgement  # noqa: E402
from identity.settings import LinkSettings  # noqa: E402
from reconcile.records import ExportRow, PaperPerson, PaperStatus  # noqa: E402
from reconcile.run import reconcile_export  # noqa: E402

AT = datetime(2026, 12, 2, tzinfo=UTC)
AMINA = dict(surname="HASSAN", given="AMINA", dob="1984-05-17", nationality="SOM")
GRACE = dict(surname="MENSAH", given="GRACE", dob="1979-11-02", nationality="GHA")


def row(key: str, **values: str) -> ExportRow:
    return ExportRow(1, key, tuple(values.items()))


def kinds(result: object, key: str) -> list[str]:
    return sorted(f.kind for f in result.findings if key in f.keys)  # type: ignore[attr-defined]


def test_one_record_matching_two_persons_a_reviewer_keeps_apart_is_a_merged_identity() -> None:
    left = PaperPerson("left", (doc("d1", reference="A1234567", **AMINA),))
    right = PaperPerson("right", (doc("d2", reference="A1234567", **AMINA),))
    r = row("K1", reference="A1234567", surname="HASSAN", given_names="AMINA",
            date_of_birth="1984-05-17", nationality="SOM")
    together = reconcile_export([[r]], [left, right], [], LinkSettings())
    assert {m.person_id for m in together.matches} == {"left", "right"}
    assert kinds(together, "K1") == []
    never = Judgement("never", "d1", "d2", "r.ahmed", AT, "mother and daughter")
    apart = reconcile_export([[r]], [left, right], [never], LinkSettings())
    assert kinds(apart, "K1") == ["merged_identity"]
    assert apart.matches == ()


def test_one_persons_names_with_anothers_reference_is_a_merged_identity() -> None:
    amina = PaperPerson("amina", (doc("d1", reference="A1234567", **AMINA),
                                  doc("d2", reference="A1234567", **AMINA)))
    grace = PaperPerson("grace", (doc("d3", reference="B7654321", **GRACE),))
    r = row("K2", reference="B7654321", surname="HASSAN", given_names="AMINA",
            date_of_birth="1984-05-17", nationality="SOM")
    result = reconcile_export([[r]], [amina, grace], [], LinkSettings())
    merged = [f for f in result.findings if f.kind == "merged_identity"]
    assert [(f.keys, f.persons) for f in merged] == [(("K2",), ("amina", "grace"))]


def test_a_match_in_the_review_band_is_sent_to_a_person_not_forced() -> None:
    # Given names one letter apart (a misreading or another person): the review band of
    # identity's model, where a person decides.
    sparse = PaperPerson("sparse", (doc("d1", surname="OKAFOR", given="CHIDI",
                                        dob="1957-04-07", conf=0.88),))
    r = row("K3", surname="OKAFOR", given_names="CHIDO", date_of_birth="1957-04-07")
    result = reconcile_export([[r]], [sparse], [], LinkSettings())
    assert [(m.person_id, m.decision) for m in result.matches] == [("sparse", "review")]
    assert [(f.kind, f.field) for f in result.findings if "K3" in f.keys] == [
        ("value_disagreement", "identity")]


def test_transliteration_and_a_low_confidence_slip_raise_nothing_but_a_confident_change_does(
        ) -> None:
    paper = PaperPerson("p", (doc("d1", surname="HUSSEIN", given="MOHAMMED", dob="1980-01-02",
                                  nationality="IRQ", reference="M1111111"),
                              doc("d2", surname="HUSSEIN", given="MOHAMMED", dob="1980-01-02",
                                  nationality="IRQ", reference="M1111111")),
                        (PaperStatus("decision", "granted", "2015-03-01", "d2", 2,
                                     (1, 2, 3, 4), 0.95, "field"),))
    same = row("K4", reference="M1111111", surname="Hussain", given_names="Muhammad",
               date_of_birth="1980-01-02", nationality="IRQ", decision="granted")
    changed = row("K5", reference="M1111111", surname="HUSSEIN", given_names="MOHAMMED",
                  date_of_birth="1980-01-02", nationality="IRN", decision="refused")
    quiet = reconcile_export([[same]], [paper], [], LinkSettings())
    assert kinds(quiet, "K4") == []
    loud = reconcile_export([[changed]], [paper], [], LinkSettings())
    found = {(f.kind, f.field) for f in loud.findings if "K5" in f.keys}
    assert found == {("status_disagreement", "decision"), ("value_disagreement", "nationality")}
    status = next(f for f in loud.findings if f.kind == "status_disagreement")
    paper_value = status.evidence[0].paper[0]
    assert (paper_value.document_id, paper_value.page, paper_value.confidence) == ("d2", 2, 0.95)

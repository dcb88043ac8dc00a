"""The mapping between stored documents and identity linking's records: every value a
document holds for an identifying field reaches the model with its confidence, page and
box; a run's result becomes the rows the index keeps, each document's status said once."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from casedocs import PEOPLE, case_document
from linkresults import doc_id, documents, first_run

from casework.identities import document_identity, link_write
from identity.records import Observed
from storage.index.records import CorrectionRow, FieldRow


def test_a_document_gives_every_identifying_value_with_where_it_was_read() -> None:
    row = case_document(*PEOPLE[0])
    found = document_identity(row, ("00ff00ff00ff00ff",))
    assert found.document_id == row.document_id and found.sha256 == row.sha256
    assert found.surname == (Observed("OKAFOR", 0.9, 2, (100, 200, 300, 240)),)
    assert found.given_names == (Observed("Chinedu", 0.9, 2, (100, 250, 300, 290)),)
    assert found.date_of_birth == (Observed("1985-03-02", 0.9, 2, (1, 2, 3, 4)),)
    assert found.nationality == (Observed("NGA", 0.9, 2, (1, 2, 3, 4)),)
    assert found.reference == (Observed("HO-1234567", 0.95, 1, (50, 60, 250, 90)),)
    assert found.page_hashes == ("00ff00ff00ff00ff",)
    assert "Applicant Okafor Chinedu" in found.text


def test_both_values_of_a_field_awaiting_review_are_evidence() -> None:
    two = next(d for d in documents() if d.source == "e.pdf")
    found = document_identity(two)
    assert [o.value for o in found.date_of_birth] == ["2001-06-15", "1999-02-03"]
    assert found.date_of_birth[1] == Observed("1999-02-03", 0.97, 2, (5, 6, 70, 80))


def test_missing_values_are_left_out_and_a_repeated_value_keeps_its_best_reading() -> None:
    row = case_document(*PEOPLE[1])
    fields = (*[f for f in row.fields if f.name != "nationality"],
              FieldRow("nationality", None, "", 0.0, None, None, "missing", "no label"),
              FieldRow("given_names", "Ada", "Ada", 0.99, 1, (7, 8, 9, 10), "needs_review",
                       "read twice", 1))
    found = document_identity(replace(row, fields=fields))
    assert found.nationality == ()
    assert found.given_names == (Observed("Ada", 0.99, 1, (7, 8, 9, 10)),)


def test_a_correction_is_what_the_model_reads_at_full_confidence() -> None:
    row = case_document(*PEOPLE[2])
    fixed = CorrectionRow(row.document_id, "surname", "OKAFOR", "OKAFUR", "a.checker",
                          datetime.now(UTC))
    found = document_identity(replace(row, corrections=(fixed,)))
    assert found.surname == (Observed("OKAFOR", 1.0, None, None),)  # not where OKAFUR was read


def test_a_result_becomes_rows_with_each_documents_status() -> None:
    rows = link_write(first_run())
    status = {m.document_id: (m.person_id, m.status) for m in rows.members}
    assert status[doc_id("a2")] == ("p-chinedu", "linked")
    assert status[doc_id("c")] == ("p-c", "needs_review")  # alone, but in a review pair
    assert status[doc_id("e")] == ("p-e", "flagged_two_people")
    assert status[doc_id("b")] == ("p-b", "unlinked")
    assert len(status) == 8 and len(rows.persons) == 6
    link, review = rows.pairs
    assert (link.person_id, link.review, link.decision) == ("p-chinedu", False, "link")
    assert (review.person_id, review.review, review.decision) == (None, True, "review")
    assert review.contributions[2].left is not None
    assert review.contributions[2].left.value == "Chinedu"
    assert [r.reasons for r in rows.refused] == [("no identifying field",)]


def test_kept_rows_give_back_the_models_result() -> None:
    from casework.identities import link_result

    result = first_run()
    back = link_result(link_write(result))
    assert {c.person_key: (c.documents, c.status, c.flags) for c in back.clusters} == {
        c.person_key: (c.documents, c.status, c.flags) for c in result.clusters}
    chinedu = next(c for c in back.clusters if c.person_key == "p-chinedu")
    assert chinedu.links == result.clusters[0].links  # the waterfall, value for value
    assert back.review == result.review and back.two_people == result.two_people
    assert back.rescans == result.rescans and back.refused == result.refused

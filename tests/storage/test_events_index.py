"""Events in the index (migration 0003): stored with the document, read back whole, and
counted by the date of the grant for the permission-to-work report."""

from __future__ import annotations

from dataclasses import replace

from casedocs import case_document

from storage.index import Index
from storage.index.records import EventRow


def _event(outcome: str, when: str | None, status: str = "confirmed") -> EventRow:
    return EventRow("permission_to_work", outcome, when, f"PTW {outcome} {when}.", 2,
                    (10, 20, 300, 60), 0.9, status, None if status != "refused" else "no date")


def test_events_are_stored_and_read_back(index: Index) -> None:
    events = (_event("granted", "2019-04-03"), _event("granted", None, "refused"))
    doc = replace(case_document("e1", "Haddad", "Reza", "1992-05-02", "IRQ", "C1234567",
                                "asylum", "granted", "2019-06-01", True), events=events)
    assert index.add_document(doc)
    stored = index.get_document(doc.document_id)
    assert stored is not None and stored.events == events


def test_grants_are_counted_by_the_date_of_the_grant(index: Index) -> None:
    docs = [
        # granted in 2019 by letter; decided in 2020
        (("g1", True, "2020-01-09"), (_event("granted", "2019-04-03"),
                                      _event("granted", "2019-08-03"))),
        (("g2", None, "2019-02-02"), (_event("granted", "2019-12-31"),)),  # no form says so
        (("g3", True, "2019-02-02"), (_event("granted", "2018-12-31"),)),  # granted 2018
        (("g4", True, "2019-02-02"), ()),  # a form's "Yes" with no date anywhere
        (("g5", False, "2019-03-02"), (_event("refused", "2019-05-05"),
                                       _event("granted", "2019-05-05", "needs_review"))),
    ]
    for (seed, work, decided), events in docs:
        doc = case_document(seed, "Haddad", "Reza", "1992-05-02", "IRQ", "C1234567",
                            "asylum", "granted", decided, work)
        index.add_document(replace(doc, events=events))
    assert index.permission_granted(2019, application_type="asylum") == (2, 1)
    assert index.permission_granted(2018) == (1, 1)
    assert index.permission_granted(2019, application_type="spouse_visa") == (0, 0)

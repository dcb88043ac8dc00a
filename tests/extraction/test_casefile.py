"""The whole case file read as one: page kinds, a decision notice outranking a form, events
filling and checking fields, names split by OCR spacing. Hand-placed words, no OCR."""

from __future__ import annotations

from wordpages import page

from extraction.extract import ExtractOptions, extract
from extraction.pagekind import classify

FORM = ["CASE RECORD", "", "Surname:|HADDAD", "Given names:|Reza", "Date of birth:|02/05/1992",
        "Nationality:|Iraqi", "Application type:|Asylum"]
LETTER = ["HOME OFFICE", "", "Our ref: C8754212", "", "Dear Mr Haddad", "",
          "Thank you for your letter of 3 March 2019.", "",
          "Permission to work was granted on 3 April 2019.", "", "Yours sincerely"]
NOTICE = ["HOME OFFICE", "NOTICE OF DECISION", "", "Surname:|HADDAD", "Forenames:|Reza",
          "Decision:|Refused", "Date of decision:|12/03/2019", "",
          "You have the right to appeal against this decision."]


def test_page_kinds() -> None:
    kinds = [classify(p.number, p.words).kind for p in (
        page(1, FORM), page(2, LETTER), page(3, NOTICE), page(4, ["-"]),
        page(5, ["MINUTE SHEET", "", "03/04/19 PTW granted. JS", "", "File received. AB"]))]
    assert kinds == ["form", "letter", "decision_notice", "blank", "minute"]


def test_a_letter_fills_what_the_form_does_not_state() -> None:
    x = extract([page(1, FORM), page(2, LETTER)], ExtractOptions(entities=False))
    ptw = x.results["permission_to_work"]
    assert ptw.status == "confirmed" and ptw.values[0].value is True
    assert ptw.values[0].page == 2 and ptw.values[0].text.startswith("Permission to work")
    assert [(e.kind, e.outcome, e.date, e.page) for e in x.events] == [
        ("permission_to_work", "granted", "2019-04-03", 2)]
    assert x.results["surname"].status == "confirmed"  # printed HADDAD and Haddad: one split


def test_a_decision_notice_outranks_a_pending_form() -> None:
    form = [*FORM, "Decision:|Pending"]
    x = extract([page(1, form), page(2, NOTICE)], ExtractOptions(entities=False))
    decision, when = x.results["decision"], x.results["decision_date"]
    assert (decision.status, decision.values[0].value, decision.values[0].page) == (
        "confirmed", "refused", 2)
    assert "outranks 'pending' on page 1" in (decision.values[0].reason or "")
    assert (when.status, when.values[0].value) == ("confirmed", "2019-03-12")


def test_a_letter_that_disagrees_with_the_form_sends_the_field_to_review() -> None:
    form = [*FORM, "Permission to work:|No"]
    x = extract([page(1, form), page(2, LETTER)], ExtractOptions(entities=False))
    ptw = x.results["permission_to_work"]
    assert ptw.status == "needs_review" and x.fields["permission_to_work"] is None
    assert {(v.value, v.page) for v in ptw.values} == {(False, 1), (True, 2)}


def test_a_name_joined_by_ocr_is_not_confirmed() -> None:
    form = ["CASE RECORD", "", "Surname:|AMALHODAN", "Date of birth:|02/05/1992",
            "Nationality:|Somali"]
    letter = ["Dear Ms Amal Hodan", "", "We have received your letter.", "", "Yours sincerely"]
    x = extract([page(1, form), page(2, letter)], ExtractOptions(entities=False))
    surname = x.results["surname"]
    assert surname.status == "needs_review" and x.fields["surname"] is None
    assert "'Amal Hodan'" in (surname.reason or "")


def test_a_name_split_by_ocr_is_not_confirmed() -> None:
    form = ["CASE RECORD", "", "Surname:|OKON KWO", "Date of birth:|02/05/1992",
            "Nationality:|Nigerian"]
    letter = ["Dear Mr Okonkwo", "", "We have received your letter.", "", "Yours sincerely"]
    x = extract([page(1, form), page(2, letter)], ExtractOptions(entities=False))
    surname = x.results["surname"]
    assert surname.status == "needs_review" and x.fields["surname"] is None
    assert "'Okonkwo'" in (surname.reason or "")


def test_a_conditional_letter_changes_nothing() -> None:
    letter = ["Dear Mr Haddad", "",
              "If you are granted permission to work, you must tell us within 7 days.", "",
              "Yours sincerely"]
    x = extract([page(1, FORM), page(2, letter)], ExtractOptions(entities=False))
    assert x.results["permission_to_work"].status == "missing"
    assert [(e.status, e.reason) for e in x.events] == [
        ("refused", "conditional: not a decision")]

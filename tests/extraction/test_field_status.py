"""Each field's status (confirmed / needs_review / missing) and the bad input the issue
names: other scripts, pages with no fields, two people in one file, labels with no values.
Hand-placed words, no OCR."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from extraction.extract import Extraction, ExtractOptions, extract
from extraction.fields import CASE_FIELDS, typed_value
from extraction.normalise import yes_no
from ocr.records import Word

H = 40


@dataclass(frozen=True)
class Page:
    number: int
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        lines: dict[int, list[str]] = {}
        for w in self.words:
            lines.setdefault(w.line, []).append(w.text)
        return "\n".join(" ".join(ws) for _, ws in sorted(lines.items()))


def place(line: int, x: int, text: str, conf: float = 0.95) -> list[Word]:
    top, words, cursor = 200 + line * 80, [], x
    for part in text.split():
        width = 24 * len(part)
        words.append(Word(part, conf, (cursor, top, cursor + width, top + H), line))
        cursor += width + 20
    return words


def run(*lines: list[Word], number: int = 1, entities: bool = False) -> Extraction:
    page = Page(number, tuple(w for ws in lines for w in ws))
    return extract([page], ExtractOptions(entities=entities))


def test_text_in_other_scripts_gives_no_value_and_says_why() -> None:
    result = run(place(0, 100, "الاسم: محمد"), place(1, 100, "Фамилия: Иванов"),
                 place(2, 100, "申请人 国籍 中国"), place(3, 100, "Surname: 王"))
    assert all(v is None for v in result.fields.values())
    surname = result.results["surname"]
    assert surname.status == "missing" and "'王' is not a name" in (surname.reason or "")
    assert all(result.results[f].status == "missing" and result.results[f].reason
               for f in CASE_FIELDS)


def test_a_page_with_no_fields_has_every_field_missing_with_a_reason() -> None:
    result = run(place(0, 100, "Telephone call from the representative; advised that the"),
                 place(1, 100, "file is under review. Letter sent to Croydon on 3 May 2004."),
                 entities=True)
    assert all(r.status == "missing" and r.reason == "no label for this field found"
               for r in result.results.values())
    assert result.fields["decision_date"] is None  # a date in prose is not a decision date
    assert any(e.label == "DATE" for e in result.entities)  # yet the prose is still read


def test_an_empty_page_is_not_an_error() -> None:
    result = extract([Page(1, ())], ExtractOptions(entities=True))
    assert all(r.status == "missing" for r in result.results.values())
    assert result.entities == ()


def test_two_people_in_one_file_are_both_kept_for_review_never_merged() -> None:
    first = Page(1, tuple(place(0, 100, "Surname: Mensah") + place(1, 100, "Given names: Abena")
                          + place(2, 100, "Date of birth: 12/03/1987")
                          + place(3, 100, "Nationality: Ghanaian")))
    second = Page(2, tuple(place(0, 100, "Surname: Okafor") + place(1, 100, "Given names: Chidi")
                           + place(2, 100, "Date of birth: 01/02/1990")
                           + place(3, 100, "Nationality: Ghanaian")))
    result = extract([first, second], ExtractOptions(entities=False))
    for name, values in (("surname", ["Mensah", "Okafor"]), ("given_names", ["Abena", "Chidi"]),
                         ("date_of_birth", ["1987-03-12", "1990-02-01"])):
        r = result.results[name]
        assert r.status == "needs_review" and result.fields[name] is None
        assert [v.value for v in r.values] == values and [v.page for v in r.values] == [1, 2]
    # the nationality both pages agree on stands
    assert result.fields["nationality"] is not None
    assert result.fields["nationality"].value == "GHA"


def test_labels_with_no_values_record_the_reason_and_invent_nothing() -> None:
    result = run(place(0, 100, "Surname:") + place(0, 900, "Nationality:"),
                 place(1, 100, "Date of birth:") + place(1, 900, "Decision:"))
    assert all(v is None for v in result.fields.values())
    for name in ("surname", "nationality", "date_of_birth", "decision"):
        assert "has no value" in (result.results[name].reason or ""), name


def test_a_value_that_is_not_valid_is_missing_with_the_printed_text() -> None:
    result = run(place(0, 100, "Date of birth: 31/02/1987"), place(1, 100, "Nationality: Atlantis"))
    assert result.results["date_of_birth"].status == "missing"
    assert "'31/02/1987' is not a whole day-first date" in (
        result.results["date_of_birth"].reason or "")
    assert "'Atlantis' is not a country" in (result.results["nationality"].reason or "")


def test_a_name_read_differently_elsewhere_in_the_file_goes_to_review() -> None:
    result = run(place(0, 100, "Surname: Anmad"), place(1, 100, "Given names: AMALHODAN"),
                 place(3, 100, "Ms Amal Hodan Ahmad was interviewed in Leeds."))
    surname, given = result.results["surname"], result.results["given_names"]
    assert surname.status == "needs_review" and "'ahmad'" in (surname.reason or "")
    assert given.status == "needs_review" and "'Amal Hodan'" in (given.reason or "")
    assert result.fields["surname"] is None and result.fields["given_names"] is None


def test_a_name_printed_the_same_elsewhere_is_confirmed() -> None:
    result = run(place(0, 100, "Surname: Ahmad"),
                 place(3, 100, "Ms Ahmad was interviewed in Leeds."))
    assert result.results["surname"].status == "confirmed"
    assert result.fields["surname"] is not None and result.fields["surname"].value == "Ahmad"


@pytest.mark.parametrize("label", ["SURNAME (BLOCK CAPITALS)", "Applicant's family name:",
                                   "Family name(s)", "Surnarne"])
def test_label_wordings_not_in_the_list_are_matched_by_their_gist(label: str) -> None:
    result = run(place(0, 100, label) + place(0, 1100, "OKONKWO"))
    assert result.fields["surname"] is not None and result.fields["surname"].value == "Okonkwo"


def test_a_gist_never_crosses_fields() -> None:
    result = run(place(0, 100, "Date decision made:") + place(0, 1100, "14/07/2009"),
                 place(1, 100, "Decision taken:") + place(1, 1100, "Refused"),
                 place(2, 100, "Employment allowed?") + place(2, 1100, "No"))
    assert result.fields["decision_date"].value == "2009-07-14"  # type: ignore[union-attr]
    assert result.fields["decision"].value == "refused"  # type: ignore[union-attr]
    assert result.fields["permission_to_work"].value is False  # type: ignore[union-attr]
    assert result.fields["date_of_birth"] is None


@pytest.mark.parametrize(("text", "value"), [
    ("[X] Yes [ ] No", True), ("[ ] Yes [X] No", False), ("☒ Yes ☐ No", True),
    ("Yes ☐ No ☒", False), ("Yes", True), ("N", False)])
def test_ticked_boxes_and_written_answers_become_booleans(text: str, value: bool) -> None:
    found = yes_no(text)
    assert found is not None and found.value is value


@pytest.mark.parametrize("text", ["Yes / No", "[X] Yes [X] No", "☐ Yes ☐ No", "X", "Yes No"])
def test_unticked_or_doubly_ticked_boxes_are_no_answer(text: str) -> None:
    assert yes_no(text) is None


def test_ticked_box_on_a_page_is_read() -> None:
    result = run(place(0, 100, "Permission to work:") + place(0, 1100, "☐ Yes ☒ No"))
    assert result.fields["permission_to_work"] is not None
    assert result.fields["permission_to_work"].value is False


@pytest.mark.parametrize(("field", "typed", "value"), [
    ("date_of_birth", "1987-03-12", "1987-03-12"), ("date_of_birth", "12/03/1987", "1987-03-12"),
    ("nationality", "NGA", "NGA"), ("nationality", "Nigerian", "NGA"),
    ("permission_to_work", "No", False), ("permission_to_work", "true", True),
    ("decision", "refused", "refused"), ("surname", "AL-HASSAN", "Al-Hassan"),
    ("home_office_reference", "B1234567", "B1234567")])
def test_typed_corrections_are_normalised_like_page_values(field: str, typed: str,
                                                           value: object) -> None:
    assert typed_value(field, typed) == value


@pytest.mark.parametrize(("field", "typed"), [
    ("date_of_birth", "1987-02-31"), ("date_of_birth", "soon"), ("nationality", "Atlantis"),
    ("permission_to_work", "maybe"), ("surname", "  "), ("colour", "blue")])
def test_typed_corrections_that_are_not_valid_are_refused(field: str, typed: str) -> None:
    with pytest.raises(ValueError):
        typed_value(field, typed)


def test_a_name_mixing_scripts_is_refused_but_one_script_is_kept() -> None:
    mixed = run(place(0, 100, "Surname: Ivanоv"))  # the o is Cyrillic: a misreading
    assert mixed.results["surname"].status == "missing"
    cyrillic = run(place(0, 100, "Surname: Иванов"))
    assert cyrillic.fields["surname"] is not None
    assert cyrillic.fields["surname"].value == "Иванов"


def test_similar_names_in_two_fields_of_the_form_are_no_contradiction() -> None:
    result = run(place(0, 100, "Surname: Tesfay"), place(1, 100, "Given names: Tesfaye"))
    assert result.results["surname"].status == "confirmed"
    assert result.results["given_names"].status == "confirmed"

"""The failure causes issue 10 lists, on hand-placed words (no OCR): labels with hints in
brackets, labels ending in a word that reads as an answer, labels naming an act, one-letter
answers, categories outside the vocabularies, values misread by one character.

The wordings here are the "train" ones the issue quotes; the generator's held-out wordings
never appear in extraction/ or here.
"""

from __future__ import annotations

from dataclasses import dataclass

from extraction.extract import ExtractOptions, extract
from ocr.records import Word

H = 40  # text height in px at 300 dpi


@dataclass(frozen=True)
class Page:
    number: int
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def place(line: int, x: int, text: str, conf: float = 0.95) -> list[Word]:
    """Words of `text` laid out left to right from x on a baseline row."""
    top, words, cursor = 200 + line * 80, [], x
    for part in text.split():
        width = 24 * len(part)
        words.append(Word(part, conf, (cursor, top, cursor + width, top + H), line))
        cursor += width + 20
    return words


def fields_of(*words: list[Word]) -> dict:
    page = Page(1, tuple(w for ws in words for w in ws))
    return extract([page], ExtractOptions(entities=False)).fields


def results_of(*words: list[Word]) -> dict:
    page = Page(1, tuple(w for ws in words for w in ws))
    return extract([page], ExtractOptions(entities=False)).results


def test_a_hint_in_brackets_belongs_to_the_label() -> None:
    f = fields_of(place(0, 100, "Surname (as on passport): OKAFOR"),
                  place(1, 100, "Date of birth (DD/MM/YYYY) 13/06/1981"),
                  place(2, 100, "Permission to work (Y/N)") + place(2, 1400, "Y"))
    assert f["surname"].value == "Okafor" and f["surname"].text == "OKAFOR"
    assert f["date_of_birth"].value == "1981-06-13"
    assert f["permission_to_work"].value is True and f["permission_to_work"].text == "Y"


def test_a_one_letter_answer_under_a_label_offering_both() -> None:
    f = fields_of(place(0, 100, "PERMISSION TO WORK (Y/N)") + place(0, 1300, "SURNAME"),
                  place(1, 100, "N") + place(1, 1300, "Mensah"))
    assert f["permission_to_work"].value is False
    assert f["surname"].value == "Mensah"


def test_a_label_ending_in_a_decision_word_is_not_split_there() -> None:
    f = fields_of(place(0, 100, "Permission to work granted") + place(0, 1400, "No"),
                  place(1, 100, "Date granted or refused") + place(1, 1400, "02/05/2019"))
    assert f["permission_to_work"].value is False  # "granted" is not the answer
    assert f["decision_date"].value == "2019-05-02"


def test_a_label_closed_by_a_colon_takes_every_word_before_it() -> None:
    f = fields_of(place(0, 100, "Permission to work granted: Yes"))
    assert f["permission_to_work"].value is True


def test_the_decision_word_after_a_decision_label_is_its_value() -> None:
    f = fields_of(place(0, 100, "Decision Granted"), place(1, 100, "Surname OKAFOR"))
    assert f["decision"].value == "granted"


def test_a_blank_label_ending_in_a_decision_word_gives_no_confirmed_answer() -> None:
    r = results_of(place(0, 100, "Permission to work allowed"))
    assert r["permission_to_work"].status != "confirmed"  # "allowed" may be the label's


def test_a_label_naming_an_act_is_read_whole() -> None:
    f = fields_of(
        place(0, 100, "Has the applicant been granted permission to work") + place(0, 1700, "Yes"),
        place(1, 100, "Surname") + place(1, 1700, "Haddad"))
    assert f["permission_to_work"].value is True and f["surname"].value == "Haddad"


def test_leave_categories_and_decisions_of_real_case_files() -> None:
    f = fields_of(place(0, 100, "Category: Limited leave to remain"),
                  place(1, 100, "Decision: Appeal allowed"))
    assert f["application_type"].value == "leave_to_remain"
    assert f["decision"].value == "allowed_on_appeal"


def test_a_category_outside_the_vocabulary_is_kept_for_review_not_forced() -> None:
    r = results_of(place(0, 100, "Category: Leave outside the rules"),
                   place(1, 100, "Surname: OKAFOR"))
    assert r["application_type"].status == "needs_review"
    (value,) = r["application_type"].values
    assert value.value == value.text == "Leave outside the rules"
    assert "classify" in (value.reason or "")


def test_values_misread_by_one_character_are_repaired_and_marked() -> None:
    f = fields_of(place(0, 100, "Home Office reference: 81234567"),
                  place(1, 100, "Date of birth: 13061981"),
                  place(2, 100, "Decision date: oe 10/07/2009"),
                  place(3, 100, "Nationality: Nigria"))
    assert f["home_office_reference"].value == "B1234567"
    assert f["date_of_birth"].value == "1981-06-13"
    assert f["decision_date"].value == "2009-07-10"
    assert f["nationality"].value == "NGA"
    for name in ("home_office_reference", "date_of_birth", "decision_date", "nationality"):
        assert f[name].repair and f[name].confidence < 0.95 * 0.85, name


def test_misreadings_that_could_be_two_values_are_not_repaired() -> None:
    r = results_of(place(0, 100, "Home Office reference: 01234567"),
                   place(1, 100, "Date of birth: 19810613"),
                   place(2, 100, "Nationality: Ambia"))
    for name in ("home_office_reference", "date_of_birth", "nationality"):
        assert r[name].status == "missing", name
        assert "is not a" in (r[name].reason or "")

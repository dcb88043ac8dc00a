"""Label-value pairing from word boxes, on hand-placed words (no OCR involved)."""

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


def place(line: int, x: int, text: str, y: int | None = None, conf: float = 0.95) -> list[Word]:
    """Words of `text` laid out left to right from x on a baseline row."""
    top = y if y is not None else 200 + line * 80
    words, cursor = [], x
    for part in text.split():
        width = 24 * len(part)
        words.append(Word(part, conf, (cursor, top, cursor + width, top + H), line))
        cursor += width + 20
    return words


def fields_of(*words: list[Word], number: int = 1) -> dict:
    page = Page(number, tuple(w for ws in words for w in ws))
    return extract([page], ExtractOptions(entities=False)).fields


def test_value_right_of_label_with_and_without_colon() -> None:
    f = fields_of(place(0, 100, "Surname: OKONKWO"), place(1, 100, "Date of birth 12 March 1987"))
    assert f["surname"].value == "Okonkwo" and f["surname"].text == "OKONKWO"
    assert f["date_of_birth"].value == "1987-03-12"
    assert f["surname"].page == 1
    x0, y0, x1, y1 = f["surname"].bbox
    assert x0 > 100 + 24 * 8 and y0 == 200 and y1 == 240


def test_value_in_the_next_cell_of_its_row() -> None:
    f = fields_of(place(0, 100, "Nationality") + place(0, 900, "Ghanaian"),
                  place(1, 100, "Decision") + place(1, 900, "Refused"))
    assert f["nationality"].value == "GHA" and f["decision"].value == "refused"


def test_value_under_its_label_in_two_columns() -> None:
    f = fields_of(
        place(0, 100, "SURNAME") + place(0, 1300, "GIVEN NAMES"),
        place(1, 100, "Mensah") + place(1, 1300, "Abena Serwaa"),
        place(2, 100, "HOME OFFICE REFERENCE") + place(2, 1300, "PERMISSION TO WORK"),
        place(3, 100, "B1234567") + place(3, 1300, "No"),
    )
    assert f["surname"].value == "Mensah"
    assert f["given_names"].value == "Abena Serwaa"
    assert f["home_office_reference"].value == "B1234567"
    assert f["permission_to_work"].value is False


def test_ocr_slips_in_labels_are_tolerated() -> None:
    f = fields_of(place(0, 100, "Surnarne: Haddad"), place(1, 100, "D.0.B. 24 Mar 1963"))
    assert f["surname"].value == "Haddad" and f["date_of_birth"].value == "1963-03-24"


def test_sentences_in_notes_are_not_labels() -> None:
    f = fields_of(place(0, 100, "Decision was deferred while the applicant travelled"),
                  place(1, 100, "Born in Lagos to a family of traders"))
    assert f["decision"] is None and f["date_of_birth"] is None


def test_two_different_values_for_one_field_are_both_kept_for_review() -> None:
    page1 = Page(1, tuple(place(0, 100, "Surname: Mensah")))
    page2 = Page(2, tuple(place(0, 100, "Surname: Owusu")))
    result = extract([page1, page2], ExtractOptions(entities=False))
    assert result.fields["surname"] is None  # nothing confirmed
    surname = result.results["surname"]
    assert surname.status == "needs_review" and "different values" in (surname.reason or "")
    assert [(v.value, v.page) for v in surname.values] == [("Mensah", 1), ("Owusu", 2)]
    assert all(v.status == "needs_review" for v in surname.values)
    assert any("different values" in p for p in result.problems)


def test_low_confidence_values_are_kept_for_review_not_confirmed() -> None:
    page = Page(1, tuple(place(0, 100, "Surname:") + place(0, 400, "Mensah", y=200, conf=0.2)))
    result = extract([page], ExtractOptions(entities=False))
    assert result.fields["surname"] is None
    surname = result.results["surname"]
    assert surname.status == "needs_review" and "below 0.6" in (surname.reason or "")
    assert surname.values[0].value == "Mensah" and surname.values[0].confidence < 0.6


def test_labels_without_values_give_nothing_and_say_so() -> None:
    page = Page(1, tuple(place(0, 100, "Surname:") + place(1, 100, "Nationality:")))
    result = extract([page], ExtractOptions(entities=False))
    assert all(v is None for v in result.fields.values())
    assert all(r.status == "missing" and not r.values for r in result.results.values())
    assert "'Surname:' on page 1 has no value" in (result.results["surname"].reason or "")
    assert result.results["decision"].reason == "no label for this field found"


def test_trailing_specks_do_not_hide_a_strict_value_but_names_are_not_cut() -> None:
    f = fields_of(place(0, 100, "Born: *24-MAY-1976 i"), place(1, 100, "Surname: Mensah i"))
    assert f["date_of_birth"].value == "1976-05-24"
    assert f["surname"] is None  # "Mensah i" is not surely a name, and cutting it is a guess


def test_a_value_resembling_a_label_is_still_a_value() -> None:
    f = fields_of(place(0, 100, "APPLICATION") + place(0, 900, "Work permit"),
                  place(1, 100, "Permission to work") + place(1, 900, "No"))
    assert f["application_type"].value == "work_permit"
    assert f["permission_to_work"].value is False


def test_specks_read_as_characters_are_ignored() -> None:
    speck = [Word("2", 0.13, (600, 215, 604, 219), 0)]
    f = fields_of(place(0, 100, "Category") + speck + place(0, 900, "Work permit"))
    assert f["application_type"].value == "work_permit"


def test_label_debris_is_not_a_name_and_label_words_are_not_decisions() -> None:
    f = fields_of(place(0, 100, "FIRST NAME(S)"), place(1, 100, "LAST"),
                  place(2, 100, "OUTCOME:") + place(2, 900, "DECIDED"))
    assert f["given_names"] is None and f["decision"] is None


def test_a_page_with_values_beside_labels_takes_none_from_below() -> None:
    f = fields_of(place(0, 100, "Surname:"),  # its value is unreadable
                  place(1, 100, "MARK ANTHONY"),  # the given names, whose label was lost
                  place(2, 100, "Nationality: Filipino"), place(3, 100, "Decision: Refused"),
                  place(4, 100, "HO ref: B1234567"))
    assert f["surname"] is None
    assert f["nationality"].value == "PHL" and f["decision"].value == "refused"


def test_two_labelled_values_on_one_line_are_told_apart() -> None:
    f = fields_of(place(0, 100, "Surname: OKONKWO Given names: Chidi Emeka"),
                  place(1, 100, "DOB: 12/03/1987 Nationality: Nigerian"))
    assert f["surname"].value == "Okonkwo" and f["given_names"].value == "Chidi Emeka"
    assert f["date_of_birth"].value == "1987-03-12" and f["nationality"].value == "NGA"


def test_a_trimmed_value_keeps_where_it_was_found() -> None:
    from extraction.extract import trimmed
    from extraction.layout import Token
    from extraction.pairing import Candidate

    tokens = (Token("24-MAY-1976", 0.9, (0, 0, 10, 10)), Token("i", 0.3, (12, 0, 14, 10)))
    shorter = trimmed(Candidate("date_of_birth", tokens, 1.0, "below"))
    assert shorter is not None and shorter.place == "below" and shorter.text == "24-MAY-1976"


def test_the_answers_a_label_offers_in_brackets_are_never_its_value() -> None:
    """"Decision (Granted / Refused)": an answer the label offers is label, wherever the
    label ends for the matcher, and the value is the one printed beside or under it."""
    beside = fields_of(place(0, 100, "DECISION (GRANTED / REFUSED)") + place(0, 1100, "Granted"))
    assert beside["decision"].value == "granted" and beside["decision"].text == "Granted"
    wrapped = fields_of(place(0, 100, "Decision (Granted /"), place(1, 100, "Refused)"),
                        place(2, 100, "Granted"))
    assert "decision" not in wrapped or wrapped["decision"].text == "Granted"

"""Normalisers turn British printed forms into canonical values, and refuse rather than guess."""

from __future__ import annotations

import pytest

from extraction.fields import NORMALISERS
from extraction.normalise import a_date, name, nationality, reference, yes_no


@pytest.mark.parametrize(("printed", "iso"), [
    ("12/03/1987", "1987-03-12"), ("12.03.1987", "1987-03-12"), ("12 March 1987", "1987-03-12"),
    ("12-MAR-1987", "1987-03-12"), ("3rd Feb 2001", "2001-02-03"), ("01/12/1999", "1999-12-01"),
])
def test_dates_are_day_first_iso(printed: str, iso: str) -> None:
    found = a_date(printed)
    assert found is not None and found.value == iso


def test_two_digit_years_are_less_certain() -> None:
    found = a_date("12.03.87")
    assert found is not None and found.value == "1987-03-12" and found.factor < 1.0


@pytest.mark.parametrize("printed", ["31/02/1999", "12", "yesterday", "March 1987", "12/13/1987",
                                     "12 Smarch 1987", "01/01/2999", "1/1/1850"])
def test_impossible_or_partial_dates_are_refused(printed: str) -> None:
    assert a_date(printed) is None


@pytest.mark.parametrize(("printed", "code"), [
    ("Nigerian", "NGA"), ("Nigeria", "NGA"), ("Sri Lankan", "LKA"), ("Trinidad and Tobago", "TTO"),
    ("IRAQI", "IRQ"), ("Viet Nam", "VNM"), ("Afghan", "AFG"), ("Eritrea", "ERI"),
    ("Turkey", "TUR"), ("Ivory Coast", "CIV"), ("Burma", "MMR"),
])
def test_nationality_is_alpha3(printed: str, code: str) -> None:
    found = nationality(printed)
    assert found is not None and found.value == code


@pytest.mark.parametrize("printed", ["Kurdish", "Stateless", "IN", "xyz", "", "Lagos", "Congo",
                                     "Congolese", "Kosovo"])
def test_unknown_nationality_is_not_guessed(printed: str) -> None:
    assert nationality(printed) is None


@pytest.mark.parametrize(("printed", "value"), [
    ("B1234567", "B1234567"), ("K7654321/2", "K7654321/2"), ("b 123 4567", "B1234567"),
    ("VO121671/1", "V0121671/1"),  # O where a digit must stand
    ("B123456l", "B1234561"), ("-B9810446", "B9810446"),
])
def test_references_of_known_shape(printed: str, value: str) -> None:
    found = reference(printed)
    assert found is not None and found.value == value


@pytest.mark.parametrize(
    "printed", ["01234567", "11234567", "B123456", "B12345678", "¢8225048", "B1234567/1234"])
def test_references_of_unknown_shape_are_refused(printed: str) -> None:
    assert reference(printed) is None  # 0 may be O, D or Q; 1 may be I or L: never guessed


@pytest.mark.parametrize(("printed", "value"), [("81234567", "B1234567"),
                                                ("51234567/2", "S1234567/2")])
def test_a_first_letter_read_as_a_digit_is_repaired_and_marked(printed: str, value: str) -> None:
    found = reference(printed)
    assert found is not None and found.value == value
    assert found.factor < 1.0 and found.repair


@pytest.mark.parametrize(("printed", "iso"), [("13061981", "1981-06-13"),
                                              ("13 06 1981", "1981-06-13"),
                                              ("01022003", "2003-02-01")])
def test_lost_date_separators_are_restored_and_marked(printed: str, iso: str) -> None:
    found = a_date(printed)
    assert found is not None and found.value == iso and found.factor < 1.0 and found.repair


@pytest.mark.parametrize("printed", ["19810613", "20200101", "130681", "13131981"])
def test_digit_runs_that_could_be_read_two_ways_or_none_are_refused(printed: str) -> None:
    assert a_date(printed) is None  # 19810613 is also 13 June 1981 year-first: not guessed


@pytest.mark.parametrize(("printed", "code"), [("Ghan", "GHA"), ("Nigria", "NGA"),
                                               ("Inda", "IND"), ("Egyt", "EGY"),
                                               ("Austrlia", "AUS")])
def test_a_country_missing_one_letter_is_restored_and_marked(printed: str, code: str) -> None:
    found = nationality(printed)
    assert found is not None and found.value == code and found.factor < 1.0 and found.repair


@pytest.mark.parametrize("printed", ["Ambia", "Ambian", "Ira", "Mal", "Lagos"])
def test_a_country_one_letter_from_two_is_not_guessed(printed: str) -> None:
    assert nationality(printed) is None  # Gambia or Zambia; Iraq or Iran


def test_names_title_case_capitals_and_refuse_digits() -> None:
    assert name("OKONKWO").value == "Okonkwo"  # type: ignore[union-attr]
    assert name("O'BRIEN").value == "O'Brien"  # type: ignore[union-attr]
    assert name('"Haddad').value == "Haddad"  # type: ignore[union-attr]
    assert name("Chidi Emeka").value == "Chidi Emeka"  # type: ignore[union-attr]
    assert name("Sm1th") is None and name("x") is None and name("") is None
    assert name("Ludwig van Beethoven").value == "Ludwig van Beethoven"  # type: ignore[union-attr]


def test_typewriter_spaced_hyphens_join() -> None:
    assert name("AL - HASSAN").value == "Al-Hassan"  # type: ignore[union-attr]
    assert name("AL -HASSAN").value == "Al-Hassan"  # type: ignore[union-attr]


@pytest.mark.parametrize("printed", ["AL-", "birth:", "philippines.", "was interviewed",
                                     "Okonkwo:"])
def test_text_that_is_not_surely_a_name_is_refused(printed: str) -> None:
    assert name(printed) is None


def test_vocabularies_and_yes_no() -> None:
    assert NORMALISERS["application_type"]("Tier 4 student").value == "student_visa"  # type: ignore[union-attr]
    assert NORMALISERS["application_type"]("ILR").value == "indefinite_leave_to_remain"  # type: ignore[union-attr]
    assert NORMALISERS["decision"]("Awaiting decision").value == "pending"  # type: ignore[union-attr]
    assert NORMALISERS["decision"]("Banana") is None
    assert yes_no("YES").value is True and yes_no("N").value is False  # type: ignore[union-attr]
    assert yes_no("maybe") is None


def test_names_whose_case_betrays_a_misread_letter_are_refused() -> None:
    for misread in ("fONESCU", "IoNESCU", "OKAfOR"):
        assert name(misread) is None, misread
    for real in ("IONESCU", "O'Brien", "McDonald", "d'Souza", "Al-Hassan", "LeBlanc"):
        found = name(real)
        assert found is not None, real


def test_a_symbol_read_for_the_reference_letter_is_undone_with_less_confidence() -> None:
    found = reference("$5600859/6")
    assert found is not None and found.value == "S5600859/6" and found.factor < 1.0
    repaired = reference("55600859")  # a digit where the letter stands: S, repaired (issue 10)
    assert repaired is not None and repaired.value == "S5600859" and repaired.factor < 1.0


@pytest.mark.parametrize(("text", "iso"), [("26:07.15", "2015-07-26"),
                                           ("15:10,1983", "1983-10-15"),
                                           ("03 . 04 . 1999", "1999-04-03")])
def test_dates_with_misread_separators_are_read_with_less_confidence(text: str,
                                                                     iso: str) -> None:
    found = a_date(text)
    assert found is not None and found.value == iso and found.factor < 1.0


@pytest.mark.parametrize("text", ["12:30", "12:13:1987", "31:02:1987", "1,2"])
def test_smudged_dates_that_are_not_dates_are_refused(text: str) -> None:
    assert a_date(text) is None

"""Case fields from labels no wording list holds, by what they mean (issue 10).

The labels here are in no FieldSpec wording and are not the generator's held-out ones:
the mapping must fill the one field a label means when the value's shape agrees, and
fill nothing when the label is ambiguous, names another field's thing, or another person.
"""

from __future__ import annotations

import pytest

from extraction.fields import FIELDS
from extraction.labels import label_table
from extraction.meaning import field_by_meaning
from extraction.pairing import score_label
from tests.extraction.test_form_wordings import place, results_of


@pytest.mark.parametrize(("key", "value", "field"), [
    ("Country of which a citizen", "Kenyan", "nationality"),
    ("Outcome of claim", "Refused", "decision"),
    ("Birthday", "12/03/1980", "date_of_birth"),
    ("Case file reference no", "K1234567", "home_office_reference"),
    ("Whether employment is permitted", "No", "permission_to_work"),
])
def test_a_label_no_list_holds_maps_to_the_field_it_means(key: str, value: str,
                                                          field: str) -> None:
    assert score_label(key, label_table()) is None  # truly a label no wording matches
    found = field_by_meaning(key, value, FIELDS)
    assert found is not None and found.field == field


@pytest.mark.parametrize(("key", "value"), [
    ("Country of birth", "Kenya"),  # a nationality word, but birth is another field's
    ("Mother's surname", "ODHIAMBO"),  # another person
    ("Date of arrival in the UK", "01/02/2005"),  # a date, but which one?
    ("Date of issue", "01/02/2005"),
    ("Place of birth", "Kabul"),  # no field takes a town
    ("Given names", "12/03/1990"),  # the value's shape disagrees
    ("Passport number", "K1234567"),
    ("Employer's name", "Amina"),
    ("Forenames used", "Amina Said"),  # a name has no shape: every word must be the field's
    ("Previous country of citizenship held", "Somali"),  # not the present one
])
def test_an_ambiguous_or_foreign_label_fills_no_field(key: str, value: str) -> None:
    assert field_by_meaning(key, value, FIELDS) is None


def test_extract_fills_a_field_from_a_pair_whose_label_means_it() -> None:
    r = results_of(place(0, 100, "Surname: OKAFOR"), place(1, 100, "Given names: CHIDI"),
                   place(2, 100, "Country of which a citizen: Nigerian"),
                   place(3, 100, "Country of birth: Ghana"), place(4, 100, "Decision: Refused"))
    value = r["nationality"].values[0]
    assert r["nationality"].status == "confirmed" and value.value == "NGA"
    assert value.repair and "by meaning" in value.repair
    assert r["surname"].values[0].value == "Okafor"


def test_a_wording_found_value_is_never_replaced_by_one_read_by_meaning() -> None:
    r = results_of(place(0, 100, "Nationality: Nigerian"), place(1, 100, "Surname: OKAFOR"),
                   place(2, 100, "Country of which a citizen: Ghanaian"),
                   place(3, 100, "Decision: Refused"))
    assert r["nationality"].status == "confirmed"
    assert [v.value for v in r["nationality"].values] == ["NGA"]


def test_an_ambiguous_label_keeps_its_pair_and_fills_nothing() -> None:
    page_words = [place(0, 100, "Surname: OKAFOR"), place(1, 100, "Decision: Refused"),
                  place(2, 100, "Date of arrival in the UK: 01/02/2005")]
    from extraction.extract import ExtractOptions, extract
    from tests.extraction.test_form_wordings import Page
    x = extract([Page(1, tuple(w for ws in page_words for w in ws))],
                ExtractOptions(entities=False))
    assert x.results["date_of_birth"].status == "missing"
    assert x.results["decision_date"].status == "missing"
    assert any(p.key.text.startswith("Date of arrival") and p.value.text == "01/02/2005"
               for p in x.pairs)

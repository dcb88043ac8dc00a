"""The search options come from the field registry: each case field says how it is
searched, and what a caseworker types for an option is read once, here."""

from __future__ import annotations

from datetime import date

import pytest

from casework import search_filters, search_options
from extraction.fields import FIELDS
from storage.index.records import SearchFilters


def test_every_searched_field_offers_its_options() -> None:
    options = {o.name: o for o in search_options()}
    assert set(options) == {"reference", "surname", "given_names", "dob", "born_from",
                            "born_to", "nationality", "application_type", "decision",
                            "decided_from", "decided_to", "permission_to_work"}
    assert {o.field for o in options.values()} == {f.name for f in FIELDS}
    assert (options["surname"].match, options["surname"].kind) == ("name", "text")
    assert (options["born_from"].match, options["born_from"].kind) == ("from", "date")
    assert options["permission_to_work"].kind == "boolean"
    assert all(o.help for o in options.values())


def test_given_options_become_filters() -> None:
    filters = search_filters({"surname": "Okafor", "dob": "1985-03-02", "born_to": None,
                              "decided_from": "2019-01-01", "permission_to_work": "Yes",
                              "reference": "ho 1234567"}, batch_id=4)
    assert filters == SearchFilters(surname="Okafor", date_of_birth=date(1985, 3, 2),
                                    decided_from=date(2019, 1, 1), permission_to_work=True,
                                    reference="ho 1234567", batch_id=4)
    assert search_filters({}).is_empty() and search_filters({"dob": None}).is_empty()


@pytest.mark.parametrize(("given", "message"), [
    ({"dob": "02/03/1985"}, "dob must be a date like 1985-03-02"),
    ({"permission_to_work": "perhaps"}, "permission_to_work"),
    ({"shoe_size": "9"}, "no search option 'shoe_size'"),
])
def test_unreadable_options_are_value_errors(given: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        search_filters(given)

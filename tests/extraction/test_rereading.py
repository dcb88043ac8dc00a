"""A re-reading is accepted only through the field's check and only as a repair of the
first reading (OCR's usual confusions undone), never as a different value."""

from __future__ import annotations

from extraction.fields import spec_of
from extraction.rereading import consistent, reread_values
from extraction.values import BBox


def reader(*texts: str):  # type: ignore[no-untyped-def]
    def read(page: int, bbox: BBox, kinds: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
        return tuple((t, "test reader") for t in texts)
    return read


def test_a_rereading_must_repair_the_first_reading_not_replace_it() -> None:
    assert consistent("13O6I981", "13/06/1981")
    assert consistent("Nigerla", "Nigeria")
    assert not consistent("Granted", "Refused")
    assert not consistent("~~~", "12/03/1980")


def test_only_readings_that_pass_the_check_and_repair_the_print_are_kept() -> None:
    dob = spec_of("date_of_birth")
    kept = reread_values(dob, 1, (0, 0, 9, 9), "13O6I981", reader("13/06/1981", "garbage"))
    assert [n.value for _, n in kept] == ["1981-06-13"]
    assert kept[0][1].factor < 1.0 and "re-read" in (kept[0][1].repair or "")
    assert reread_values(dob, 1, (0, 0, 9, 9), "13O6I981", reader("02/11/1975")) == []


def test_two_readings_that_pass_and_differ_are_both_kept_for_review() -> None:
    dob = spec_of("date_of_birth")
    kept = reread_values(dob, 1, (0, 0, 9, 9), "13O6I98", reader("13/06/1981", "13/06/1988"))
    assert sorted(n.value for _, n in kept) == ["1981-06-13", "1988-06-13"]


def test_a_name_is_never_re_read() -> None:
    assert reread_values(spec_of("surname"), 1, (0, 0, 9, 9), "0KAF0R", reader("OKAFOR")) == []

"""A field that confirmed nothing has no precision (shown as a dash), not a perfect one."""

from __future__ import annotations

from extraction_quality import print_generated, summarise
from pytest import CaptureFixture

from extraction.fields import CASE_FIELDS


def field(truth: str | None, status: str, right: bool) -> dict:
    return {"truth": truth, "status": status, "right": right, "review_has_truth": False}


def case_file(level: str, surname: dict, nationality: dict) -> dict:
    return {"file": "f", "level": level, "fields": {"surname": surname,
                                                    "nationality": nationality}}


def test_a_field_that_confirmed_nothing_has_no_precision() -> None:
    files = [case_file("clean", field("OKAFOR", "confirmed", True), field("NGA", "missing", False)),
             case_file("clean", field("MENSAH", "confirmed", False),
                       field("GHA", "needs_review", False))]

    summary = summarise(files)

    assert summary["nationality"]["confirmed"] == 0
    assert summary["nationality"]["precision"] is None
    assert summary["nationality"]["f1"] is None
    assert summary["nationality"]["recall"] == 0.0
    assert summary["surname"]["precision"] == 0.5  # one right of two confirmed, as before
    assert summary["surname"]["recall"] == 0.5
    assert summary["all"]["precision"] == 0.5


def test_the_table_shows_a_dash_for_no_precision(capsys: CaptureFixture[str]) -> None:
    files = [case_file(level, field("OKAFOR", "confirmed", True), field("NGA", "missing", False))
             for level in ("clean", "moderate", "heavy")]
    summary = {level: summarise([f for f in files if f["level"] == level])
               for level in ("clean", "moderate", "heavy")}

    print_generated(summary, 1)

    rows = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()[2:]}
    assert set(rows) == {*CASE_FIELDS, "all"}
    assert "—/ 0.00/    —" in rows["nationality"]
    assert "1.000/ 1.00/ 1.00" in rows["surname"]

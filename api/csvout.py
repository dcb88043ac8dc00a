"""Reports and findings as CSV: one header row of column names, empty cells for unknown
values (the CLI's `--csv` and the HTTP routes' `format=csv` write the same)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Final, TextIO

from api.models import FindingOut
from casework import Report

FINDING_COLUMNS: Final = ("finding_id", "kind", "state", "harm", "keys", "persons", "field",
                          "summary", "match_weight", "batch", "nationality")


def write_csv(report: Report, out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(report.columns)
    writer.writerows([["" if v is None else v for v in row] for row in report.rows])


def write_findings(findings: Iterable[FindingOut], out: TextIO) -> None:
    """One row per finding (its evidence is in the JSON and `show`); lists joined by ';'."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FINDING_COLUMNS)
    for f in findings:
        d = f.model_dump()
        writer.writerow(["" if d[c] is None else ";".join(d[c]) if isinstance(d[c], list)
                         else d[c] for c in FINDING_COLUMNS])

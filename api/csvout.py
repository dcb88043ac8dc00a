"""Reports as CSV: one header row of column names, empty cells for unknown values."""

from __future__ import annotations

import csv
from typing import TextIO

from casework import Report


def write_csv(report: Report, out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(report.columns)
    writer.writerows([["" if v is None else v for v in row] for row in report.rows])

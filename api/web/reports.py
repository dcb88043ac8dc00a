"""Reports for analysts (counts only, small counts suppressed): a table, a bar chart drawn
as inline SVG from the same report, and the CSV download from `/api/reports`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Final, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response

import casework
from api.auth import Principal, require_page
from api.auth.policy import REPORTS
from api.deps import Context, SettingsDep
from api.web.render import page

router = APIRouter(include_in_schema=False)
Analyst = Annotated[Principal, Depends(require_page(*REPORTS))]
GROUPS: Final = ("decision", "application_type", "year", "permission_to_work")
CHART_WIDTH: Final = 480
BAR_HEIGHT: Final = 26


@dataclass(frozen=True)
class Bar:
    label: str
    shown: str  # the cell as reported ("<5" when suppressed)
    width: int
    y: int


@router.get("/reports", name="reports_page")
def reports(request: Request, ctx: Context, settings: SettingsDep, user: Analyst,
            by: Annotated[Literal[GROUPS], Query()] = "decision",  # type: ignore[valid-type]
            kind: Annotated[Literal["counts", "quality"], Query()] = "counts") -> Response:
    """Cases grouped by one column (or data quality by field), as a chart and a table."""
    try:
        report = casework.counts(ctx, [by], min_count=settings.report_min_count) \
            if kind == "counts" else casework.data_quality(
                ctx, min_count=settings.report_min_count)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
    bars = chart(report)
    query = {"by": by} if kind == "counts" else {}
    csv = f"/api/reports/{kind}?" + urlencode({**query, "format": "csv"})
    return page(request, "reports.html", user, report=report, bars=bars, by=by, kind=kind,
                groups=GROUPS, csv=csv, width=CHART_WIDTH, bar_height=BAR_HEIGHT,
                height=max(1, len(bars)) * BAR_HEIGHT)


def chart(report: casework.Report) -> list[Bar]:
    """One bar per row: the label is every column but the last, the length its count;
    a suppressed count ("<5") is drawn as no bar and labelled as reported."""
    counts = [row[-1] if isinstance(row[-1], int) else 0 for row in report.rows]
    most = max(counts, default=0) or 1
    return [Bar(" / ".join("—" if c is None else str(c) for c in row[:-1]), str(row[-1]),
                round(CHART_WIDTH * n / most), i * BAR_HEIGHT)
            for i, (row, n) in enumerate(zip(report.rows, counts, strict=True))]

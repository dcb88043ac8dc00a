"""Search and reports over HTTP: the same library functions as the CLI."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response

import casework
from api.routes.deps import Context, SettingsDep
from storage.index.records import SearchFilters

router = APIRouter(tags=["search"])
Text = Annotated[str | None, Query(max_length=1000)]


@router.get("/search")
def search(ctx: Context, settings: SettingsDep,
           q: Annotated[str, Query(max_length=1000)] = "",
           surname: Text = None, given_names: Text = None,
           dob: date | None = None, born_from: date | None = None, born_to: date | None = None,
           nationality: Text = None, reference: Text = None, application_type: Text = None,
           decision: Text = None, decided_from: date | None = None,
           decided_to: date | None = None, batch: int | None = None,
           limit: Annotated[int, Query(ge=1, le=500)] = 20,
           offset: Annotated[int, Query(ge=0)] = 0) -> list[dict[str, object]]:
    """Ranked pages matching every word of `q` and cases matching the filters; each hit
    has its page, box (when known) and a highlighted snippet."""
    filters = SearchFilters(
        surname=surname, given_names=given_names, date_of_birth=dob, born_from=born_from,
        born_to=born_to, nationality=nationality, reference=reference,
        application_type=application_type, decision=decision, decided_from=decided_from,
        decided_to=decided_to, batch_id=batch)
    if not q.strip() and filters.is_empty():
        raise HTTPException(400, "give q (words to find) or at least one filter")
    try:
        hits = casework.search(ctx, q, filters=filters, limit=limit, offset=offset,
                              max_query_chars=settings.max_query_chars)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
    return [{"document_id": h.document_id, "page": h.page, "score": h.score,
             "snippet": h.snippet, "bbox": list(h.bbox) if h.bbox else None,
             "source": h.source} for h in hits]


Format = Annotated[Literal["json", "csv"], Query(alias="format")]


def reply(report: casework.Report, fmt: str) -> object:
    if fmt == "json":
        return {"title": report.title, "rows": report.as_dicts()}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(report.columns)
    writer.writerows([["" if v is None else v for v in row] for row in report.rows])
    return Response(buffer.getvalue(), media_type="text/csv")


@router.get("/reports/counts", tags=["reports"])
def counts(ctx: Context, settings: SettingsDep,
           by: str = "application_type,decision,year", application_type: Text = None,
           decision: Text = None, year: int | None = None, fmt: Format = "json") -> object:
    """Cases by application type, decision, year (and/or permission_to_work)."""
    try:
        report = casework.counts(ctx, [g.strip() for g in by.split(",") if g.strip()],
                                min_count=settings.report_min_count,
                                application_type=application_type, decision=decision,
                                year=year)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
    return reply(report, fmt)


@router.get("/reports/permission-to-work", tags=["reports"])
def permission_to_work(ctx: Context, settings: SettingsDep, year: int,
                       application_type: str = "asylum", fmt: Format = "json") -> object:
    """How many applicants decided in `year` were granted permission to work."""
    return reply(casework.permission_to_work(ctx, year, min_count=settings.report_min_count,
                                            application_type=application_type), fmt)


@router.get("/reports/quality", tags=["reports"])
def quality(ctx: Context, settings: SettingsDep, batch: int | None = None,
            fmt: Format = "json") -> object:
    """Missing and to-review case fields by batch and field."""
    return reply(casework.data_quality(ctx, min_count=settings.report_min_count,
                                      batch_id=batch), fmt)

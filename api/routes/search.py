"""Search and reports over HTTP: the same library functions as the CLI."""

from __future__ import annotations

import io
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response

import casework
from api.csvout import write_csv
from api.deps import Context, SettingsDep
from api.filters import search_filters
from api.models import ReportOut, SearchHitOut

router = APIRouter(tags=["search"])
Text = Annotated[str | None, Query(max_length=1000)]


@router.get("/search", response_model=list[SearchHitOut])
def search(ctx: Context, settings: SettingsDep,
           q: Annotated[str, Query(max_length=1000)] = "",
           surname: Text = None, given_names: Text = None,
           dob: date | None = None, born_from: date | None = None, born_to: date | None = None,
           nationality: Text = None, reference: Text = None, application_type: Text = None,
           decision: Text = None, decided_from: date | None = None,
           decided_to: date | None = None, batch: int | None = None,
           limit: Annotated[int, Query(ge=1, le=500)] = 20,
           offset: Annotated[int, Query(ge=0)] = 0) -> list[SearchHitOut]:
    """Ranked pages matching every word of `q` and cases matching the filters; each hit
    has its page, box (when known) and a highlighted snippet."""
    filters = search_filters(dict(
        surname=surname, given_names=given_names, dob=dob, born_from=born_from,
        born_to=born_to, nationality=nationality, reference=reference,
        application_type=application_type, decision=decision, decided_from=decided_from,
        decided_to=decided_to, batch=batch))
    if not q.strip() and filters.is_empty():
        raise HTTPException(400, "give q (words to find) or at least one filter")
    try:
        hits = casework.search(ctx, q, filters=filters, limit=limit, offset=offset,
                              max_query_chars=settings.max_query_chars)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
    return [SearchHitOut.of(h) for h in hits]


Format = Annotated[Literal["json", "csv"], Query(alias="format")]
CSV: dict[int | str, dict[str, Any]] = {200: {"model": ReportOut, "content": {"text/csv": {}}}}


def reply(report: casework.Report, fmt: str) -> ReportOut | Response:
    if fmt == "json":
        return ReportOut.of(report)
    buffer = io.StringIO()
    write_csv(report, buffer)
    return Response(buffer.getvalue(), media_type="text/csv")


@router.get("/reports/counts", tags=["reports"], response_model=ReportOut, responses=CSV)
def counts(ctx: Context, settings: SettingsDep,
           by: str = "application_type,decision,year", application_type: Text = None,
           decision: Text = None, year: int | None = None,
           fmt: Format = "json") -> ReportOut | Response:
    """Cases by application type, decision, year (and/or permission_to_work)."""
    try:
        report = casework.counts(ctx, [g.strip() for g in by.split(",") if g.strip()],
                                min_count=settings.report_min_count,
                                application_type=application_type, decision=decision,
                                year=year)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
    return reply(report, fmt)


@router.get("/reports/permission-to-work", tags=["reports"], response_model=ReportOut,
            responses=CSV)
def permission_to_work(ctx: Context, settings: SettingsDep, year: int,
                       application_type: str = "asylum",
                       fmt: Format = "json") -> ReportOut | Response:
    """How many applicants decided in `year` were granted permission to work."""
    return reply(casework.permission_to_work(ctx, year, min_count=settings.report_min_count,
                                            application_type=application_type), fmt)


@router.get("/reports/quality", tags=["reports"], response_model=ReportOut, responses=CSV)
def quality(ctx: Context, settings: SettingsDep, batch: int | None = None,
            fmt: Format = "json") -> ReportOut | Response:
    """Missing and to-review case fields by batch and field."""
    return reply(casework.data_quality(ctx, min_count=settings.report_min_count,
                                      batch_id=batch), fmt)

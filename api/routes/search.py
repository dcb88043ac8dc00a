"""Search and reports over HTTP: the same library functions as the CLI."""

from __future__ import annotations

import io
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import Response

import casework
from api.csvout import write_csv
from api.deps import Context, SettingsDep
from api.filters import given_over_http
from api.models import ReportOut, SearchHitOut
from casework.reports import persons as persons_report
from storage.index.fulltext import MAX_QUERY_CHARS
from storage.index.window import MAX_SEARCH_HITS

router = APIRouter(tags=["search"])
Text = Annotated[str | None, Query(max_length=MAX_QUERY_CHARS)]


@router.get("/search", response_model=list[SearchHitOut])
def search(ctx: Context, settings: SettingsDep,
           given: Annotated[dict[str, str | None], Depends(given_over_http)],
           q: Annotated[str, Query(max_length=MAX_QUERY_CHARS)] = "",
           batch: int | None = None,
           limit: Annotated[int, Query(ge=1, le=MAX_SEARCH_HITS)] = 20,
           offset: Annotated[int, Query(ge=0)] = 0) -> list[SearchHitOut]:
    """Ranked pages matching every word of `q` and cases matching the filters (one query
    parameter per search option of the field registry); each hit has its page, box (when
    known) and a highlighted snippet."""
    try:
        filters = casework.search_filters(given, batch_id=batch)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
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


@router.get("/reports/persons", tags=["reports"], response_model=ReportOut, responses=CSV)
def persons(ctx: Context, settings: SettingsDep, fmt: Format = "json") -> ReportOut | Response:
    """How many people the files hold: documents, persons, documents by link status."""
    return reply(persons_report(ctx, min_count=settings.report_min_count), fmt)

"""Search and reports over HTTP: the same library functions as the CLI."""

from __future__ import annotations

import io
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import Response

import casework
from api.auth import require
from api.auth.policy import READ_CASES, REPORTS
from api.bounds import MAX_WORD_CHARS, BatchId, HitLimit, Offset, Word, Year, YearFilter
from api.csvout import write_csv
from api.deps import Context, SettingsDep
from api.filters import given_over_http
from api.models import ReportOut, SearchHitOut
from casework.reports import persons as persons_report
from storage.index.fulltext import MAX_QUERY_CHARS

router = APIRouter(prefix="/api", tags=["search"])
reports = APIRouter(prefix="/api/reports", tags=["reports"],
                    dependencies=[Depends(require(*REPORTS))])


@router.get("/search", response_model=list[SearchHitOut],
            dependencies=[Depends(require(*READ_CASES))])
def search(ctx: Context, settings: SettingsDep,
           given: Annotated[dict[str, str | None], Depends(given_over_http)],
           q: Annotated[str, Query(max_length=MAX_QUERY_CHARS)] = "",
           batch: BatchId = None, limit: HitLimit = 20,
           offset: Offset = 0) -> list[SearchHitOut]:
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


@reports.get("/counts", response_model=ReportOut, responses=CSV)
def counts(ctx: Context, settings: SettingsDep,
           by: Annotated[str, Query(max_length=MAX_WORD_CHARS)] = "application_type,decision,year",
           application_type: Word = None, decision: Word = None,
           year: YearFilter = None,
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


@reports.get("/permission-to-work", response_model=ReportOut, responses=CSV)
def permission_to_work(ctx: Context, settings: SettingsDep, year: Year,
                       application_type: Annotated[str, Query(max_length=MAX_WORD_CHARS)
                                                   ] = "asylum",
                       fmt: Format = "json") -> ReportOut | Response:
    """How many applicants decided in `year` were granted permission to work."""
    return reply(casework.permission_to_work(ctx, year, min_count=settings.report_min_count,
                                            application_type=application_type), fmt)


@reports.get("/quality", response_model=ReportOut, responses=CSV)
def quality(ctx: Context, settings: SettingsDep, batch: BatchId = None,
            fmt: Format = "json") -> ReportOut | Response:
    """Missing and to-review case fields by batch and field."""
    return reply(casework.data_quality(ctx, min_count=settings.report_min_count,
                                      batch_id=batch), fmt)


@reports.get("/persons", response_model=ReportOut, responses=CSV)
def persons(ctx: Context, settings: SettingsDep, fmt: Format = "json") -> ReportOut | Response:
    """How many people the files hold: documents, persons, documents by link status."""
    return reply(persons_report(ctx, min_count=settings.report_min_count), fmt)

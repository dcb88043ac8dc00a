"""Reconciliation over HTTP: the findings queue, one finding with its evidence, resolving
it, the summary, a run and an uploaded export; the same casework calls as
`casescan reconcile ...` and the same response models as its `--json`."""

from __future__ import annotations

import io
import shutil
import tempfile
from pathlib import Path
from threading import Lock
from typing import Annotated, Any, Final, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.datastructures import UploadFile

from api.auth import Principal, require
from api.auth.policy import READ_FINDINGS, RECONCILE, REPORTS
from api.bounds import MAX_REASON_CHARS, MAX_WORD_CHARS, FindingId, ListLimit, Offset
from api.csvout import write_csv, write_findings
from api.deps import Context, SettingsDep
from api.models import (
    ExportImportOut,
    FindingDetailOut,
    FindingOut,
    ReconcileRunOut,
    ReportOut,
    ResolutionOut,
)
from casework import reconcile
from casework.reconcile import SUMMARY_BY
from ingest.chain import IngestContext
from reconcile.records import FINDING_KINDS
from storage.index.reconcile_records import FINDING_STATES

router = APIRouter(prefix="/api/reconcile", tags=["reconcile"])
Reader = Annotated[Principal, Depends(require(*READ_FINDINGS))]
Reconciler = Annotated[Principal, Depends(require(*RECONCILE))]
MAX_MAPPING_BYTES: Final = 64 * 1024  # a mapping is a few lines of TOML
COPY_CHUNK: Final = 1024 * 1024
RUNNING: Final = Lock()  # one run at a time in this process; a second asker is told so
Kind = Annotated[str | None, Query(pattern=f"^({'|'.join(FINDING_KINDS)})$")]
State = Annotated[str | None, Query(pattern=f"^({'|'.join(FINDING_STATES)})$")]
Format = Annotated[Literal["json", "csv"], Query(alias="format")]
By = Annotated[str, Query(pattern=f"^({'|'.join(SUMMARY_BY)})$")]
CSV_REPLY: Final[dict[int | str, dict[str, Any]]] = {200: {"content": {"text/csv": {}}}}
EXPORT_SCHEMA: Final[dict[str, Any]] = {"requestBody": {"required": True, "content": {
    "multipart/form-data": {"schema": {
        "type": "object", "required": ["export", "mapping"], "properties": {
            "export": {"type": "string", "format": "binary",
                       "description": "CSV export of the case database"},
            "mapping": {"type": "string", "format": "binary",
                        "description": "TOML mapping of its columns onto case fields"},
            "name": {"type": "string", "maxLength": MAX_WORD_CHARS}}}}}}}


class ResolutionIn(BaseModel):
    """Why a finding is closed; who closed it is the signed-in user, never a field."""

    reason: str = Field(min_length=1, max_length=MAX_REASON_CHARS,
                        description="Why, for the record (kept for good)")


@router.get("/findings", response_model=list[FindingOut], responses=CSV_REPLY)
def findings(ctx: Context, _user: Reader, kind: Kind = None, state: State = None,
             limit: ListLimit = 50, offset: Offset = 0,
             fmt: Format = "json") -> list[FindingOut] | Response:
    """The latest run's findings, most harmful first (status and merged identity), with
    their evidence; `format=csv` gives one row per finding."""
    rows = [FindingOut.of(f) for f in reconcile.findings(ctx, kind=kind, state=state,
                                                         limit=limit, offset=offset)]
    if fmt == "json":
        return rows
    buffer = io.StringIO()
    write_findings(rows, buffer)
    return Response(buffer.getvalue(), media_type="text/csv")


@router.get("/findings/{finding_id}", response_model=FindingDetailOut)
def finding(ctx: Context, _user: Reader, finding_id: FindingId) -> FindingDetailOut:
    """One finding: the database row beside the paper values (page, box, confidence)
    and every resolution and re-opening."""
    try:
        row, resolutions = reconcile.finding(ctx, finding_id)
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from exc
    return FindingDetailOut.of_detail(row, resolutions)


@router.post("/findings/{finding_id}/resolve", status_code=201, response_model=ResolutionOut)
def resolve(ctx: Context, user: Reconciler, finding_id: FindingId,
            body: ResolutionIn) -> ResolutionOut:
    """Close a finding as the signed-in reviewer, with the reason; it is kept, and
    re-opens if the database row or the paper changes."""
    try:
        return ResolutionOut.of(reconcile.resolve(ctx, finding_id, by=user.name,
                                                  reason=body.reason))
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from exc
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc


@router.get("/summary", response_model=ReportOut, responses=CSV_REPLY,
            dependencies=[Depends(require(*REPORTS))])
def summary(ctx: Context, settings: SettingsDep, by: By = "kind",
            fmt: Format = "json") -> ReportOut | Response:
    """The latest run's findings counted by kind, or by kind and batch or nationality;
    small counts suppressed like every report (no names, no keys)."""
    report = reconcile.summary(ctx, min_count=settings.report_min_count, by=(by,))[0]
    if fmt == "json":
        return ReportOut.of(report)
    buffer = io.StringIO()
    write_csv(report, buffer)
    return Response(buffer.getvalue(), media_type="text/csv")


@router.post("/runs", status_code=201, response_model=ReconcileRunOut,
             dependencies=[Depends(require(*RECONCILE))])
def run(ctx: Context) -> ReconcileRunOut:
    """Reconcile the latest export against the paper and keep the findings (the request
    waits for it, and a second run asked meanwhile is a 409; a very large population is
    better run with `casescan reconcile run`)."""
    if not RUNNING.acquire(blocking=False):
        raise HTTPException(409, "a reconciliation run is already going: wait for it")
    try:
        return ReconcileRunOut.of(reconcile.run(ctx))
    except LookupError as exc:
        raise HTTPException(409, str(exc)) from exc
    finally:
        RUNNING.release()


@router.post("/exports", status_code=201, response_model=ExportImportOut,
             openapi_extra=EXPORT_SCHEMA, dependencies=[Depends(require(*RECONCILE))])
async def import_export(request: Request, ctx: Context,
                        settings: SettingsDep) -> ExportImportOut:
    """Import an uploaded CSV export with its mapping beside any earlier export: the
    request is bounded by its Content-Length, the export copied to a temporary file in
    chunks and read from there a line at a time; bad cells are named by row and column."""
    length = request.headers.get("content-length")
    if length is None or not length.isdigit():
        raise HTTPException(411, "an upload needs a Content-Length header")
    if int(length) > settings.max_upload_bytes:
        raise HTTPException(413, f"upload of {length} bytes is over the limit of "
                                 f"{settings.max_upload_bytes} bytes per request")
    async with request.form(max_files=2, max_fields=1) as form:
        export, mapping, name = form.get("export"), form.get("mapping"), form.get("name")
        if not isinstance(export, UploadFile) or not isinstance(mapping, UploadFile):
            raise HTTPException(422, "send the export and its mapping as multipart files "
                                     "named 'export' and 'mapping'")
        if name is not None and (not isinstance(name, str) or len(name) > MAX_WORD_CHARS):
            raise HTTPException(422, f"name must be text of at most {MAX_WORD_CHARS} "
                                     "characters")
        with tempfile.TemporaryDirectory(prefix="casescan-export-") as folder:
            return await run_in_threadpool(_import, ctx, export, mapping, name or None,
                                           Path(folder), settings.max_upload_bytes)


def _import(ctx: IngestContext, export: UploadFile, mapping: UploadFile, name: str | None,
            folder: Path, most: int) -> ExportImportOut:
    shown = export.filename or "export.csv"
    text = mapping.file.read(MAX_MAPPING_BYTES + 1)
    if len(text) > MAX_MAPPING_BYTES:
        raise HTTPException(413, f"the mapping is over {MAX_MAPPING_BYTES} bytes")
    mapping_path, export_path = folder / "mapping.toml", folder / "export.csv"
    mapping_path.write_bytes(text)
    with export_path.open("wb") as out:
        shutil.copyfileobj(export.file, out, COPY_CHUNK)
    if export_path.stat().st_size > most:
        raise HTTPException(413, f"{shown}: over the limit of {most} bytes")
    try:
        report = reconcile.import_export(ctx, export_path, mapping_path, name or shown,
                                         shown_as=f"upload {shown}")
    except ValueError as exc:
        message = str(exc).replace(str(export_path), shown)
        raise HTTPException(422, message.replace(str(mapping_path),
                                                 mapping.filename or "mapping")) from exc
    return ExportImportOut.of(report)

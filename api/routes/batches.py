"""Batches over HTTP: upload many files as a batch (the reply comes before any is
digitised), where a batch stands, and a server-sent event stream of its progress."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Any, Final

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from api.auth.policy import BatchWatcher, Uploader, batch_owner
from api.deps import Context, SettingsDep, services
from api.models import ArrivalOut, BatchAcceptedOut, BatchStatusOut
from casework.progress import BatchProgress, batch_progress, progress_by_id
from ingest.chain import IngestContext
from ingest.intake import Arrival, shown_name, take_in
from ingest.separators import DEFAULT_CODE, MAX_BOX_CHARS, SEPARATOR_MODES
from storage.index.records import BatchFileRow

router = APIRouter(prefix="/api", tags=["batches"])
MAX_NAME_CHARS: Final = 200
MAX_CODE_CHARS: Final = 100
BatchName = Annotated[str, Path(min_length=1, max_length=MAX_NAME_CHARS)]
EVENT_POLL_S: Final = 1.0
# A stream ends after this long; the browser's EventSource reconnects by itself.
EVENT_STREAM_S: Final = 600.0
UPLOAD_SCHEMA: Final[dict[str, Any]] = {"requestBody": {"required": True, "content": {
    "multipart/form-data": {"schema": {"type": "object", "required": ["files"], "properties": {
        "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
        "batch": {"type": "string", "maxLength": MAX_NAME_CHARS},
        "separator": {"type": "string", "enum": list(SEPARATOR_MODES)},
        "separator_code": {"type": "string", "maxLength": MAX_CODE_CHARS},
        "box": {"type": "string", "maxLength": MAX_BOX_CHARS}}}}}}}


@router.post("/batches", status_code=202, response_model=BatchAcceptedOut,
             openapi_extra=UPLOAD_SCHEMA)
async def upload_batch(request: Request, ctx: Context, settings: SettingsDep,
                       user: Uploader) -> BatchAcceptedOut:
    """Take many files as one batch: each is accepted (streamed into the store in chunks,
    queued) or refused alone with its reason; digitising starts after the reply."""
    length = request.headers.get("content-length")
    if length is None or not length.isdigit():
        raise HTTPException(411, "an upload needs a Content-Length header")
    if int(length) > settings.max_upload_bytes:
        raise HTTPException(413, f"upload of {length} bytes is over the limit of "
                                 f"{settings.max_upload_bytes} bytes per request")
    async with request.form(max_files=settings.max_upload_files,
                            max_fields=10) as form:
        uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile)]
        given = form.get("batch")
        cutting = _separator_fields(form.get("separator"), form.get("separator_code"),
                                    form.get("box"))
        if not uploads:
            raise HTTPException(422, "no files: send them as multipart fields named 'files'")
        name = given if isinstance(given, str) and given.strip() else \
            datetime.now().strftime("upload-%Y%m%d-%H%M%S")
        if len(name) > MAX_NAME_CHARS or not name.isprintable():
            raise HTTPException(422, f"batch name must be printable and at most "
                                     f"{MAX_NAME_CHARS} characters")
        arrivals = await run_in_threadpool(_take_in_all, uploads, ctx, settings.limits)
    batch_id, positions = await run_in_threadpool(_register, ctx, name, arrivals, *cutting,
                                                  user.name)
    if any(a.accepted for a in arrivals):
        services(request).digitiser().submit(batch_id)
    else:
        await run_in_threadpool(ctx.index.finish_batch, batch_id)
    base = str(request.url_for("batch_status", name=str(batch_id)))
    return BatchAcceptedOut(
        batch_id=batch_id, name=name, accepted=sum(a.accepted for a in arrivals),
        refused=sum(not a.accepted for a in arrivals),
        files=[ArrivalOut.of(a, p) for a, p in zip(arrivals, positions, strict=True)],
        status_url=base, events_url=base + "/events")


def _take_in_all(uploads: list[UploadFile], ctx: IngestContext, limits: Any) -> list[Arrival]:
    """Each file on its own: a refusal or a store failure never touches the others."""
    arrivals = []
    for n, upload in enumerate(uploads):
        try:
            arrivals.append(take_in(upload.filename, n, upload.file, upload.size or 0,
                                    ctx.store, limits))
        except Exception as exc:  # noqa: BLE001 - one file's fault must not lose the others
            source = shown_name(upload.filename, n)
            arrivals.append(Arrival(source, False, f"{source}: unexpected error: "
                                                   f"{type(exc).__name__}: {exc}"))
    return arrivals


def _separator_fields(separator: object, code: object,
                      box: object) -> tuple[str | None, str | None, str | None]:
    """The batch's separator, barcode text and box from the form, checked at the edge."""
    mode = separator if isinstance(separator, str) and separator else "none"
    if mode not in SEPARATOR_MODES:
        raise HTTPException(422, f"separator must be one of {', '.join(SEPARATOR_MODES)}")
    text = code if isinstance(code, str) and code.strip() else DEFAULT_CODE
    shelf = box if isinstance(box, str) and box.strip() else None
    if len(text) > MAX_CODE_CHARS or (shelf is not None and len(shelf) > MAX_BOX_CHARS):
        raise HTTPException(422, f"separator_code is at most {MAX_CODE_CHARS} characters "
                                 f"and box at most {MAX_BOX_CHARS}")
    return (None if mode == "none" else mode), text, shelf


def _register(ctx: IngestContext, name: str, arrivals: list[Arrival], separator: str | None,
              code: str | None, box: str | None, owner: str) -> tuple[int, list[int]]:
    rows = [BatchFileRow(a.source, a.sha256, None, "queued" if a.accepted else "failed",
                         a.reason, original_key=a.original_key, box=box) for a in arrivals]
    return ctx.index.start_batch_with(name, rows, separator=separator,
                                      separator_code=code if separator else None,
                                      owner=owner)


@router.get("/batches/{name}", response_model=BatchStatusOut, name="batch_status")
def batch_status(ctx: Context, user: BatchWatcher, name: BatchName) -> BatchStatusOut:
    """Where a batch stands (the newest batch of that name, or the batch with that id):
    files queued, processing, done, failed, quarantined; pages; pages a minute; time left.
    A scanner finds only their own batches."""
    return BatchStatusOut.of(_found(batch_progress(ctx, name, owner=batch_owner(user)), name))


@router.get("/batches/{name}/events", response_class=StreamingResponse,
            responses={200: {"content": {"text/event-stream": {}}}})
async def batch_events(request: Request, ctx: Context, user: BatchWatcher,
                       name: BatchName) -> StreamingResponse:
    """Server-sent events: one `progress` event (a BatchStatusOut without its files) each
    time the batch moves, then `end` once it is finished (or after EVENT_STREAM_S)."""
    first = _found(await run_in_threadpool(
        lambda: batch_progress(ctx, name, with_files=False, owner=batch_owner(user))), name)
    stream = _events(request, ctx, first.counts.batch_id)
    return StreamingResponse(stream, media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


async def _events(request: Request, ctx: Context, batch_id: int) -> AsyncIterator[str]:
    deadline = time.monotonic() + EVENT_STREAM_S
    last = None
    yield "retry: 3000\n\n"
    while not await request.is_disconnected():
        progress = await run_in_threadpool(progress_by_id, ctx, batch_id, with_files=False)
        if progress is None:
            return
        data = BatchStatusOut.of(progress).model_dump_json()
        if data != last:
            yield f"event: progress\ndata: {data}\n\n"
            last = data
        if progress.state == "finished" or time.monotonic() > deadline:
            yield f"event: end\ndata: {{\"state\": \"{progress.state}\"}}\n\n"
            return
        await asyncio.sleep(EVENT_POLL_S)


def _found(progress: BatchProgress | None, name: str) -> BatchProgress:
    if progress is None:
        raise HTTPException(404, f"no batch called {name[:MAX_NAME_CHARS]!r}")
    return progress

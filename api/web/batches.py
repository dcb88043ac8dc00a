"""Upload and watch: a scanner uploads files as a batch (through the same code as
`POST /api/batches`) and watches its progress from the batch record, so a reload, or
another desk, sees the same thing. The page listens to the batch's server-sent events
(`/api/batches/{id}/events`) and fetches the progress panel again each time it moves."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response

import casework
from api.auth import Principal, require_page
from api.auth.policy import READ_CASES, UPLOAD, WATCH_BATCHES, batch_owner
from api.deps import Context, SettingsDep
from api.models import BatchStatusOut
from api.routes.batches import BatchName, upload_batch
from api.web.render import page
from casework.progress import batch_progress

router = APIRouter(include_in_schema=False)
Uploader = Annotated[Principal, Depends(require_page(*UPLOAD))]
Watcher = Annotated[Principal, Depends(require_page(*WATCH_BATCHES))]
RECENT = 20


@router.get("/upload", name="upload_page")
def upload_form(request: Request, ctx: Context, user: Uploader) -> Response:
    recent = casework.batches(ctx, RECENT, owner=batch_owner(user))
    return page(request, "upload.html", user, recent=recent)


@router.post("/upload", name="upload_submit")
async def upload(request: Request, ctx: Context, settings: SettingsDep,
                 user: Uploader) -> Response:
    """Take the files (htmx posts them with the CSRF header) and go to the batch's page."""
    accepted = await upload_batch(request, ctx, settings, user)
    target = f"/batches/{accepted.batch_id}"
    return Response(status_code=204, headers={"HX-Redirect": target, "Location": target})


@router.get("/batches", name="batches_page")
def batch_list(request: Request, ctx: Context, user: Watcher) -> Response:
    recent = casework.batches(ctx, RECENT, owner=batch_owner(user))
    return page(request, "batches.html", user, recent=recent)


@router.get("/batches/{name}", name="batch_page")
def batch(request: Request, ctx: Context, user: Watcher, name: BatchName) -> Response:
    return page(request, "batch.html", user, **_progress(ctx, user, name))


@router.get("/batches/{name}/progress", name="batch_progress_fragment")
def progress(request: Request, ctx: Context, user: Watcher, name: BatchName) -> Response:
    """The progress panel alone, fetched again each time the batch's event stream says it
    moved."""
    return page(request, "_progress.html", user, **_progress(ctx, user, name))


def _progress(ctx: Context, user: Principal, name: str) -> dict[str, Any]:
    found = batch_progress(ctx, name, owner=batch_owner(user))
    if found is None:
        raise HTTPException(404, "no such batch")
    status = BatchStatusOut.of(found)
    share = status.pages_done / status.pages_total if status.pages_total else 0.0
    finished = status.files_total - status.queued - status.processing
    return {"status": status, "name": name, "reads": user.role in READ_CASES,
            "share": share, "files_finished": finished}

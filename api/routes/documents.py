"""Documents over HTTP: upload a batch, a document with its pages, page images, the
searchable PDF, and the batches."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path, PurePath
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, UploadFile
from fastapi.responses import Response

import casework
from api.auth import require
from api.auth.policy import READ_CASES, BatchWatcher, Uploader, batch_owner
from api.bounds import DocumentId, PageNumber
from api.deps import Context, SettingsDep
from api.models import BatchOut, DocumentDetailOut, DocumentOut, LinkRunOut, UploadOut
from api.routes.batches import MAX_NAME_CHARS
from casework import persons
from ingest.batch import run_sources
from storage.index.window import MAX_BATCHES

router = APIRouter(prefix="/api", tags=["documents"])
READ = [Depends(require(*READ_CASES))]


@router.post("/documents", response_model=UploadOut)
def upload(ctx: Context, settings: SettingsDep, user: Uploader,
           files: Annotated[list[UploadFile], File(max_length=1000)],
           batch: Annotated[str | None, Form(max_length=MAX_NAME_CHARS)] = None,
           link: Annotated[bool, Form()] = False) -> UploadOut:
    """Digitise uploaded files as one batch; each file's outcome is in the reply. With
    `link`, the new documents are then linked into persons (kept persons grow)."""
    name = batch or datetime.now().strftime("upload-%Y%m%d-%H%M%S")
    with tempfile.TemporaryDirectory(prefix="casescan-upload-") as tmp:
        sources = []
        for i, upload in enumerate(files):
            filename = PurePath(upload.filename or f"upload-{i}").name
            path = Path(tmp) / f"{i:04d}"  # the name is text for the record, never a path
            data = upload.file.read(settings.max_file_bytes + 1)
            if len(data) > settings.max_file_bytes:
                raise HTTPException(413, f"{filename}: over the limit of "
                                         f"{settings.max_file_bytes} bytes")
            path.write_bytes(data)
            sources.append((filename, path))
        result = run_sources(sources, name, ctx, workers=settings.workers)
    ctx.index.set_batch_owner(result.batch_id, user.name)
    run = persons.link_new_documents(ctx) if link else None
    return UploadOut(batch_id=result.batch_id, name=result.name,
                     documents=[DocumentOut.of(o) for o in result.outcomes],
                     link_run=None if run is None else LinkRunOut.of(run))


@router.get("/documents/{document_id}", response_model=DocumentDetailOut, dependencies=READ)
def document(ctx: Context, document_id: DocumentId) -> DocumentDetailOut:
    """A document's fields (each with page, box, confidence), pages and text."""
    try:
        row = casework.document(ctx, document_id)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
    if row is None:
        raise HTTPException(404, f"no document {document_id!r}")
    return DocumentDetailOut.of(row, casework.outcome_of(ctx, row))


@router.get("/documents/{document_id}/pages/{page}/image", dependencies=READ,
            response_class=Response, responses={200: {"content": {"image/png": {}}}})
def page_image(ctx: Context, document_id: DocumentId, page: PageNumber) -> Response:
    """The page image that the field boxes refer to."""
    try:
        data = casework.page_image(ctx, document_id, page)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
    if data is None:
        raise HTTPException(404, f"no page {page} of document {document_id!r}")
    return Response(data, media_type="image/png")


@router.get("/documents/{document_id}/pdf", dependencies=READ, response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}})
def searchable_pdf(ctx: Context, document_id: DocumentId) -> Response:
    """The document as a searchable PDF: the page images with an invisible text layer."""
    try:
        data = casework.searchable_pdf(ctx, document_id)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
    if data is None:
        raise HTTPException(404, f"no searchable PDF of document {document_id!r}")
    headers = {"Content-Disposition": f'attachment; filename="{document_id[:16]}.pdf"'}
    return Response(data, media_type="application/pdf", headers=headers)


@router.get("/batches", response_model=list[BatchOut])
def batches(ctx: Context, user: BatchWatcher,
            limit: Annotated[int, Query(ge=1, le=MAX_BATCHES)] = 20) -> list[BatchOut]:
    """Recent batches with every file's outcome, for scanning teams (a scanner's own)."""
    return [BatchOut.of(b) for b in casework.batches(ctx, limit, owner=batch_owner(user))]

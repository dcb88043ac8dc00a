from __future__ import annotations

import tempfile
from dataclasses import asdict
from datetime import datetime
from pathlib import Path, PurePath
from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, UploadFile
from fastapi.responses import Response

import casework
from api.routes.deps import Context, SettingsDep
from ingest.batch import run_sources

router = APIRouter(tags=["documents"])


@router.post("/documents")
def upload(ctx: Context, settings: SettingsDep, files: Annotated[list[UploadFile], File()],
           batch: Annotated[str | None, Form()] = None) -> dict[str, object]:
    """Digitise uploaded files as one batch; each file's outcome is in the reply."""
    name = batch or datetime.now().strftime("upload-%Y%m%d-%H%M%S")
    with tempfile.TemporaryDirectory(prefix="casescan-upload-") as tmp:
        sources = []
        for i, upload in enumerate(files):
            filename = PurePath(upload.filename or f"upload-{i}").name
            path = Path(tmp) / f"{i:04d}-{filename}"
            data = upload.file.read(settings.max_file_bytes + 1)
            if len(data) > settings.max_file_bytes:
                raise HTTPException(413, f"{filename}: over the limit of "
                                         f"{settings.max_file_bytes} bytes")
            path.write_bytes(data)
            sources.append((filename, path))
        result = run_sources(sources, name, ctx, workers=settings.workers)
    outcomes = [o.as_json() for o in result.outcomes]
    return {"batch_id": result.batch_id, "name": result.name, "documents": outcomes}


@router.get("/documents/{document_id}")
def document(ctx: Context, document_id: str) -> dict[str, object]:
    """A document's fields (each with page, box, confidence), pages and text."""
    try:
        row = casework.document(ctx, document_id)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
    if row is None:
        raise HTTPException(404, f"no document {document_id!r}")
    outcome = casework.outcome_of(ctx, row)
    pages = [{"number": p.number, "width": p.width, "height": p.height, "source": p.source,
              "quality": p.quality, "error": p.error,
              "flagged": p.number in outcome.flagged_pages,
              "image": f"/documents/{row.document_id}/pages/{p.number}/image"}
             for p in row.pages]
    entities = [{"label": e.label, "text": e.text, "page": e.page, "start": e.start,
                 "end": e.end} for e in row.entities]
    return outcome.as_json() | {"pages": pages, "page_count": len(pages), "entities": entities,
                                "media_type": row.media_type,
                                "searchable_pdf": f"/documents/{row.document_id}/pdf"}


@router.get("/documents/{document_id}/pages/{page}/image")
def page_image(ctx: Context, document_id: str, page: int) -> Response:
    """The page image that the field boxes refer to."""
    data = casework.page_image(ctx, document_id, page)
    if data is None:
        raise HTTPException(404, f"no page {page} of document {document_id!r}")
    return Response(data, media_type="image/png")


@router.get("/documents/{document_id}/pdf")
def searchable_pdf(ctx: Context, document_id: str) -> Response:
    """The document as a searchable PDF: the page images with an invisible text layer."""
    try:
        data = casework.searchable_pdf(ctx, document_id)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
    if data is None:
        raise HTTPException(404, f"no searchable PDF of document {document_id!r}")
    headers = {"Content-Disposition": f'attachment; filename="{document_id[:16]}.pdf"'}
    return Response(data, media_type="application/pdf", headers=headers)


@router.get("/batches")
def batches(ctx: Context, limit: int = 20) -> list[dict[str, object]]:
    """Recent batches with every file's outcome, for scanning teams."""
    return [{"batch_id": b.batch_id, "name": b.name, "created_at": b.created_at.isoformat(),
             "files": [asdict(f) for f in b.files]} for b in casework.batches(ctx, limit)]

"""The review queue, worked through with the keyboard alone: one field at a time, its
candidate values with their confidence, the active value's box zoomed beside the form,
and accept (the extracted value), correct (a typed value beside the extracted one),
unreadable (kept as a correction with no value, signed by the reviewer) or next."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request, Response
from fastapi.responses import RedirectResponse

import casework
from api.auth import Principal, require_page
from api.auth.policy import REVIEW
from api.bounds import DOCUMENT_ID, MAX_OFFSET, MAX_VALUE_CHARS, DocumentId, FieldName
from api.deps import Context
from api.models import ReviewItemOut
from api.web.overlay import zoom_window
from api.web.render import page
from storage.index.window import MAX_LIST_ROWS

router = APIRouter(include_in_schema=False)
Reviewer = Annotated[Principal, Depends(require_page(*REVIEW))]
At = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
AtForm = Annotated[int, Form(ge=0, le=MAX_OFFSET)]
Only = Annotated[str | None, Query(pattern=DOCUMENT_ID)]
OnlyForm = Annotated[str | None, Form(pattern=DOCUMENT_ID)]
Value = Annotated[str, Form(min_length=1, max_length=MAX_VALUE_CHARS)]


@router.get("/review", name="review_page")
def queue(request: Request, ctx: Context, user: Reviewer, at: At = 0,
          document_id: Only = None) -> Response:
    """The field at position `at` of the queue (oldest first), or of one document's."""
    try:
        items = casework.review(ctx, limit=1, offset=at, document_id=document_id)
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from exc
    total = ctx.index.count_review() if document_id is None else len(
        casework.review(ctx, limit=MAX_LIST_ROWS, document_id=document_id))
    if not items:
        return page(request, "review.html", user, item=None, total=total, at=at,
                    only=document_id)
    item = ReviewItemOut.of(items[0])
    active = item.values[0] if item.values else None
    row = casework.document(ctx, item.document_id)
    pages = {p.number: p for p in row.pages} if row else {}
    shown = pages.get(active.page) if active and active.page is not None else None
    window = zoom_window(active.bbox if active else None, shown.width if shown else 1,
                         shown.height if shown else 1)
    return page(request, "review.html", user, item=item, active=active, total=total, at=at,
                shown=shown, window=window, only=document_id)


@router.post("/review/{document_id}/{field}/accept", name="review_accept")
def accept(ctx: Context, user: Reviewer, document_id: DocumentId, field: FieldName,
           value: Value, at: AtForm = 0, only: OnlyForm = None) -> Response:
    """The extracted value is right: recorded as the reviewer's confirmation."""
    return _record(ctx, user, document_id, field, value, "accepted in review", at, only)


@router.post("/review/{document_id}/{field}/correct", name="review_correct")
def correct(ctx: Context, user: Reviewer, document_id: DocumentId, field: FieldName,
            value: Value, at: AtForm = 0, only: OnlyForm = None) -> Response:
    return _record(ctx, user, document_id, field, value, "corrected in review", at, only)


@router.post("/review/{document_id}/{field}/unreadable", name="review_unreadable")
def unreadable(ctx: Context, user: Reviewer, document_id: DocumentId, field: FieldName,
               at: AtForm = 0, only: OnlyForm = None) -> Response:
    """Not readable on the scan: kept as a correction with no value (missing beats
    wrong), signed by the reviewer; the field leaves the queue."""
    try:
        casework.mark_unreadable(ctx, document_id, field, user.name)
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from exc
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
    return RedirectResponse(_queue_at(at, only), status_code=303)  # the item has left


def _record(ctx: Context, user: Principal, document_id: str, field: str, value: str,
            note: str, at: int, only: str | None) -> Response:
    try:
        casework.correct(ctx, document_id, field, value, user.name, note)
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from exc
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
    return RedirectResponse(_queue_at(at, only), status_code=303)  # the item has left


def _queue_at(at: int, only: str | None) -> str:
    return f"/review?at={at}" + (f"&document_id={only}" if only else "")

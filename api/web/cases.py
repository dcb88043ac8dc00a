"""Search and the document view: the same casework calls as `GET /api/search` and
`GET /api/documents/{id}`, with each value's box drawn over its page and the correction
form beside it."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request, Response
from fastapi.responses import RedirectResponse

import casework
from api.auth import Principal, require_page
from api.auth.policy import CORRECT, READ_CASES, REVIEW
from api.bounds import MAX_VALUE_CHARS, DocumentId, FieldName, Offset
from api.deps import Context, SettingsDep
from api.filters import OPTIONS, given_over_http
from api.models import DocumentDetailOut, SearchHitOut
from api.web.overlay import page_boxes
from api.web.render import page
from storage.index.fulltext import MAX_QUERY_CHARS

router = APIRouter(include_in_schema=False)
Reader = Annotated[Principal, Depends(require_page(*READ_CASES))]
Corrector = Annotated[Principal, Depends(require_page(*CORRECT))]
PAGE_HITS = 20


@router.get("/search", name="search_page")
def search(request: Request, ctx: Context, settings: SettingsDep, user: Reader,
           given: Annotated[dict[str, str | None], Depends(given_over_http)],
           q: Annotated[str, Query(max_length=MAX_QUERY_CHARS)] = "",
           offset: Offset = 0) -> Response:
    """The search form (every filter of the CLI) and, once asked, ranked hits with snippets."""
    filled = {k: v.strip() for k, v in given.items() if v and v.strip()}
    hits: list[SearchHitOut] = []
    error = None
    asked = bool(q.strip() or filled)
    if asked:
        try:
            filters = casework.search_filters(filled)
            hits = [SearchHitOut.of(h) for h in casework.search(
                ctx, q, filters=filters, limit=PAGE_HITS, offset=offset,
                max_query_chars=settings.max_query_chars)]
        except ValueError as exc:
            error = str(exc)
    return page(request, "search.html", user, status_code=400 if error else 200, q=q,
                options=OPTIONS, given=filled, hits=hits, asked=asked, error=error,
                offset=offset, more=len(hits) == PAGE_HITS,
                more_url="?" + urlencode({**{k: v for k, v in request.query_params.items()
                                            if k != "offset"}, "offset": offset + PAGE_HITS}))


@router.get("/documents/{document_id}", name="document_page")
def document(request: Request, ctx: Context, user: Reader, document_id: DocumentId) -> Response:
    return _document_page(request, ctx, user, document_id)


@router.post("/documents/{document_id}/fields/{field}/correct", name="correct_submit")
def correct(request: Request, ctx: Context, user: Corrector, document_id: DocumentId,
            field: FieldName, value: Annotated[str, Form(min_length=1, max_length=MAX_VALUE_CHARS)],
            note: Annotated[str | None, Form(max_length=2000)] = None) -> Response:
    """Record the signed-in user's correction (the extracted value is kept) and go back."""
    try:
        made = casework.correct(ctx, document_id, field, value, user.name, note or None)
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from exc
    except ValueError as exc:
        return _document_page(request, ctx, user, document_id, status_code=422,
                              error=str(exc), failed_field=field)
    return RedirectResponse(f"/documents/{made.document_id}?corrected={field}#field-{field}",
                            status_code=303)


def _document_page(request: Request, ctx: Context, user: Principal, document_id: str,
                   status_code: int = 200, **more: object) -> Response:
    try:
        row = casework.document(ctx, document_id)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
    if row is None:
        raise HTTPException(404, "no such document")
    detail = DocumentDetailOut.of(row, casework.outcome_of(ctx, row))
    return page(request, "document.html", user, status_code=status_code, doc=detail,
                boxes=page_boxes(detail), corrects=user.role in CORRECT,
                reviews=user.role in REVIEW,
                corrected=request.query_params.get("corrected"), **more)

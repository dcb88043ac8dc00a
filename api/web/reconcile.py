"""The findings queue: open findings of the latest reconciliation run ranked by harm, and
one finding with the database row beside the paper values, each paper value's box drawn
over its page image, and the resolve form. The same casework calls as `/api/reconcile`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Final

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request, Response
from fastapi.responses import RedirectResponse

import casework
from api.auth import Principal, require_page
from api.auth.policy import READ_FINDINGS, RECONCILE
from api.bounds import MAX_REASON_CHARS, FindingId, Offset
from api.deps import Context
from api.models import FindingDetailOut, FindingOut, page_image_url
from api.web.overlay import Box, box_of
from api.web.render import page
from casework import reconcile
from ingest.chain import IngestContext
from reconcile.records import FINDING_KINDS

router = APIRouter(include_in_schema=False)
Reader = Annotated[Principal, Depends(require_page(*READ_FINDINGS))]
Reconciler = Annotated[Principal, Depends(require_page(*RECONCILE))]
PAGE_ROWS: Final = 50
# The form's kind: one of the kinds, or empty for every kind.
Kind = Annotated[str | None, Query(pattern=f"^({'|'.join(FINDING_KINDS)})?$")]


@dataclass(frozen=True)
class PaperPage:
    """One page that holds paper evidence, with the boxes of the values read from it."""

    document_id: str
    source: str
    number: int
    width: int
    height: int
    image: str
    boxes: tuple[Box, ...]


@router.get("/reconcile", name="reconcile_page")
def queue(request: Request, ctx: Context, user: Reader, kind: Kind = None,
          offset: Offset = 0) -> Response:
    """Open findings, most harmful first (status and merged identity)."""
    rows = [FindingOut.of(f) for f in reconcile.findings(
        ctx, kind=kind or None, state="open", limit=PAGE_ROWS, offset=offset)]
    return page(request, "reconcile.html", user, findings=rows, kinds=FINDING_KINDS,
                kind=kind, offset=offset, more=len(rows) == PAGE_ROWS, step=PAGE_ROWS)


@router.get("/reconcile/{finding_id}", name="finding_page")
def finding(request: Request, ctx: Context, user: Reader, finding_id: FindingId) -> Response:
    return _finding_page(request, ctx, user, finding_id)


@router.post("/reconcile/{finding_id}/resolve", name="finding_resolve")
def resolve(request: Request, ctx: Context, user: Reconciler, finding_id: FindingId,
            reason: Annotated[str, Form(min_length=1, max_length=MAX_REASON_CHARS)]
            ) -> Response:
    """Close the finding as the signed-in reviewer with the reason, and show it again."""
    try:
        reconcile.resolve(ctx, finding_id, by=user.name, reason=reason)
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from exc
    except ValueError as exc:
        return _finding_page(request, ctx, user, finding_id, status_code=422, error=str(exc))
    return RedirectResponse(f"/reconcile/{finding_id}?resolved=1", status_code=303)


def _finding_page(request: Request, ctx: IngestContext, user: Principal, finding_id: int,
                  status_code: int = 200, **more: object) -> Response:
    try:
        row, resolutions = reconcile.finding(ctx, finding_id)
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from exc
    detail = FindingDetailOut.of_detail(row, resolutions)
    return page(request, "finding.html", user, status_code=status_code, f=detail,
                pages=paper_pages(ctx, detail), resolves=user.role in RECONCILE,
                resolved=request.query_params.get("resolved"), **more)


def paper_pages(ctx: IngestContext, f: FindingDetailOut) -> list[PaperPage]:
    """Every page a paper value of the finding was read from, with its boxes (a value
    labelled by its field), in the order the evidence names them."""
    wanted: dict[tuple[str, int], list[Box]] = {}
    for n, e in enumerate(f.evidence):
        for m, v in enumerate(e.paper):
            if v.page is None:
                continue
            boxes = wanted.setdefault((v.document_id, v.page), [])
            made = box_of("field", f"{e.field.replace('_', ' ')}: {v.value}", v.bbox,
                          v.confidence, f"evidence-{n}-{m}")
            if made is not None:
                boxes.append(made)
    out = []
    for (document_id, number), boxes in wanted.items():
        doc = casework.document(ctx, document_id)
        shown = next((p for p in doc.pages if p.number == number), None) if doc else None
        if doc is None or shown is None:
            continue
        out.append(PaperPage(doc.document_id, doc.source, number, shown.width, shown.height,
                             page_image_url(doc.document_id, number), tuple(boxes)))
    return out

"""Review queue, corrections and entity search: thin routes over casework."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, Field

import casework
from api.routes.deps import Context
from ingest.outcome import correction_json
from storage.index.records import FieldRow, ReviewItem

router = APIRouter(tags=["review"])


class CorrectionIn(BaseModel):
    value: str = Field(min_length=1, max_length=500, description="The right value, as typed")
    by: str = Field(min_length=1, max_length=200, description="Who makes the correction")
    note: str | None = Field(default=None, max_length=2000)


def value_json(row: FieldRow) -> dict[str, object]:
    return {"value": row.value, "text": row.text, "confidence": round(row.confidence, 3),
            "page": row.page, "bbox": None if row.bbox is None else list(row.bbox)}


def item_json(item: ReviewItem) -> dict[str, object]:
    return {"document_id": item.document_id, "source": item.source, "field": item.name,
            "reason": item.reason, "values": [value_json(v) for v in item.values],
            "image": [f"/documents/{item.document_id}/pages/{v.page}/image"
                      for v in item.values if v.page is not None]}


@router.get("/review")
def review(ctx: Context, limit: Annotated[int, Query(ge=1, le=1000)] = 50,
           offset: Annotated[int, Query(ge=0)] = 0,
           document_id: str | None = None) -> dict[str, object]:
    """Fields awaiting a person (uncertain, or two different values found), oldest first."""
    try:
        items = casework.review(ctx, limit=limit, offset=offset, document_id=document_id)
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from exc
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
    return {"total": ctx.index.count_review(), "items": [item_json(i) for i in items]}


@router.post("/documents/{document_id}/fields/{field}/corrections", status_code=201)
def correct(ctx: Context, document_id: str, field: str, body: CorrectionIn) -> dict[str, object]:
    """Record a person's correction; the extracted value and earlier corrections are kept."""
    try:
        row = casework.correct(ctx, document_id, field, body.value, body.by, body.note)
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from exc
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
    return {"document_id": row.document_id, "field": row.name} | correction_json(row)


@router.get("/entities")
def entities(ctx: Context, label: str | None = None,
             q: Annotated[str | None, Query(max_length=200)] = None,
             limit: Annotated[int, Query(ge=1, le=1000)] = 50,
             offset: Annotated[int, Query(ge=0)] = 0) -> list[dict[str, object]]:
    """Entities found in free text (PERSON, DATE, GPE, NORP, ORG, HO_REF, POSTCODE), by
    label and/or text."""
    try:
        hits = casework.entities(ctx, label=label, text=q, limit=limit, offset=offset)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
    return [{"document_id": h.document_id, "source": h.source, "label": h.label,
             "text": h.text, "page": h.page, "start": h.start, "end": h.end} for h in hits]

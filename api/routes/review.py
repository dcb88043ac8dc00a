"""Review queue, corrections and entity search: thin routes over casework."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, Field

import casework
from api.deps import Context
from api.models import CorrectionMadeOut, EntityHitOut, ReviewItemOut, ReviewQueueOut
from storage.index.window import MAX_LIST_ROWS

router = APIRouter(tags=["review"])


class CorrectionIn(BaseModel):
    value: str = Field(min_length=1, max_length=500, description="The right value, as typed")
    by: str = Field(min_length=1, max_length=200, description="Who makes the correction")
    note: str | None = Field(default=None, max_length=2000)


@router.get("/review", response_model=ReviewQueueOut)
def review(ctx: Context, limit: Annotated[int, Query(ge=1, le=MAX_LIST_ROWS)] = 50,
           offset: Annotated[int, Query(ge=0)] = 0,
           document_id: str | None = None) -> ReviewQueueOut:
    """Fields awaiting a person (uncertain, or two different values found), oldest first."""
    try:
        items = casework.review(ctx, limit=limit, offset=offset, document_id=document_id)
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from exc
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
    return ReviewQueueOut(total=ctx.index.count_review(),
                          items=[ReviewItemOut.of(i) for i in items])


@router.post("/documents/{document_id}/fields/{field}/corrections", status_code=201,
             response_model=CorrectionMadeOut)
def correct(ctx: Context, document_id: str, field: str, body: CorrectionIn
            ) -> CorrectionMadeOut:
    """Record a person's correction; the extracted value and earlier corrections are kept."""
    try:
        row = casework.correct(ctx, document_id, field, body.value, body.by, body.note)
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from exc
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
    return CorrectionMadeOut.of(row)


@router.get("/entities", response_model=list[EntityHitOut])
def entities(ctx: Context, label: str | None = None,
             q: Annotated[str | None, Query(max_length=200)] = None,
             limit: Annotated[int, Query(ge=1, le=MAX_LIST_ROWS)] = 50,
             offset: Annotated[int, Query(ge=0)] = 0) -> list[EntityHitOut]:
    """Entities found in free text (PERSON, DATE, GPE, NORP, ORG, HO_REF, POSTCODE), by
    label and/or text."""
    try:
        hits = casework.entities(ctx, label=label, text=q, limit=limit, offset=offset)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
    return [EntityHitOut.of(h) for h in hits]

"""Review queue, corrections and entity search: thin routes over casework."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel, Field

import casework
from api.auth import require
from api.auth.policy import READ_CASES, REVIEW, Corrector
from api.bounds import (
    DOCUMENT_ID,
    MAX_VALUE_CHARS,
    DocumentId,
    FieldName,
    ListLimit,
    Offset,
    Word,
)
from api.deps import Context
from api.models import CorrectionMadeOut, EntityHitOut, ReviewItemOut, ReviewQueueOut

router = APIRouter(prefix="/api", tags=["review"])


class CorrectionIn(BaseModel):
    """A correction; who made it is the signed-in user, never a field of the request."""

    value: str = Field(min_length=1, max_length=MAX_VALUE_CHARS,
                       description="The right value, as typed")
    note: str | None = Field(default=None, max_length=2000)


@router.get("/review", response_model=ReviewQueueOut,
            dependencies=[Depends(require(*REVIEW))])
def review(ctx: Context, limit: ListLimit = 50, offset: Offset = 0,
           document_id: Annotated[str | None, Query(pattern=DOCUMENT_ID)] = None
           ) -> ReviewQueueOut:
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
def correct(ctx: Context, user: Corrector, document_id: DocumentId, field: FieldName,
            body: CorrectionIn) -> CorrectionMadeOut:
    """Record the signed-in user's correction; the extracted value and earlier
    corrections are kept."""
    try:
        row = casework.correct(ctx, document_id, field, body.value, user.name, body.note)
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from exc
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
    return CorrectionMadeOut.of(row)


@router.get("/entities", response_model=list[EntityHitOut],
            dependencies=[Depends(require(*READ_CASES))])
def entities(ctx: Context, label: Word = None, q: Word = None, limit: ListLimit = 50,
             offset: Offset = 0) -> list[EntityHitOut]:
    """Entities found in free text (PERSON, DATE, GPE, NORP, ORG, HO_REF, POSTCODE), by
    label and/or text."""
    try:
        hits = casework.entities(ctx, label=label, text=q, limit=limit, offset=offset)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
    return [EntityHitOut.of(h) for h in hits]

"""Persons and link review over HTTP (`/api/persons`, `/api/review`): thin routes over the
same casework functions as `casescan person`, `link` and `review links`."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from pydantic import BaseModel, Field

import casework
from api.auth import require
from api.auth.policy import READ_CASES, REVIEW, Reviewer
from api.bounds import ListLimit, Offset
from api.deps import Context
from api.filters import given_over_http
from api.models import (
    JudgementOut,
    LinkReviewOut,
    LinkRunOut,
    PersonDocumentOut,
    PersonHitOut,
    PersonOut,
)
from casework import persons
from storage.index.person_records import MAX_WHY
from storage.index.window import MAX_LIST_ROWS, MAX_SEARCH_HITS

router = APIRouter(prefix="/api", tags=["persons"])
READ = [Depends(require(*READ_CASES))]
REVIEWERS = [Depends(require(*REVIEW))]
MAX_IDENT = 64  # a document id (sha256 hex) or a person id
Ident = Annotated[str, Field(min_length=1, max_length=MAX_IDENT)]


class JudgementIn(BaseModel):
    """A reviewer's decision on two documents (or persons), and why; who decides is the
    signed-in reviewer, never a field of the request."""

    left: Ident
    right: Ident
    why: str = Field(min_length=1, max_length=MAX_WHY, description="Why, for the record")


@router.get("/persons/export", response_model=list[PersonDocumentOut], dependencies=READ)
def export(ctx: Context,
           after: Annotated[str | None, Query(max_length=MAX_IDENT)] = None,
           limit: Annotated[int, Query(ge=1, le=MAX_LIST_ROWS)] = 500
           ) -> list[PersonDocumentOut]:
    """Documents in id order after `after`, each with its person (null before linking)
    and status; page on with the last document id."""
    return [PersonDocumentOut.of(m) for m in ctx.index.person_export(after=after, limit=limit)]


@router.get("/persons/search", response_model=list[PersonHitOut], dependencies=READ)
def search(ctx: Context, given: Annotated[dict[str, str | None], Depends(given_over_http)],
           limit: Annotated[int, Query(ge=1, le=MAX_SEARCH_HITS)] = 50) -> list[PersonHitOut]:
    """Persons with a document matching the filters (surname, given_names, dob, reference...)."""
    try:
        filters = casework.search_filters(given)
        hits = persons.search(ctx, filters, limit=limit)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
    return [PersonHitOut.of(h) for h in hits]


@router.post("/persons/link", response_model=LinkRunOut, dependencies=REVIEWERS)
def link(ctx: Context) -> LinkRunOut:
    """Link every indexed document into persons, reading every reviewer's decision."""
    return LinkRunOut.of(persons.link(ctx))


@router.get("/persons/{ident}", response_model=PersonOut, dependencies=READ)
def show(ctx: Context, ident: Annotated[str, Path(max_length=MAX_IDENT)]) -> PersonOut:
    """A person (or the person of a document): documents, values, evidence, decisions."""
    view = persons.show(ctx, ident)
    if view is None:
        raise HTTPException(404, f"no person or document {ident!r}")
    return PersonOut.of(view)


@router.get("/review/links", response_model=LinkReviewOut, dependencies=REVIEWERS)
def review_links(ctx: Context, limit: ListLimit = 50, offset: Offset = 0) -> LinkReviewOut:
    """Pairs in the review band no one has judged, with each comparison's contribution
    and both values' pages and boxes; and documents flagged as holding two people."""
    return LinkReviewOut.of(persons.review_links(ctx, limit=limit, offset=offset))


@router.post("/review/links/{action}", status_code=201, response_model=JudgementOut)
def judge(ctx: Context, user: Reviewer, action: Literal["confirm", "split", "never"],
          body: JudgementIn) -> JudgementOut:
    """Record a reviewer's decision; it is appended (never overwriting) and every later
    linking run keeps it."""
    try:
        made = persons.judge(ctx, action, body.left, body.right, by=user.name, why=body.why)
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from exc
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
    return JudgementOut.of(made)

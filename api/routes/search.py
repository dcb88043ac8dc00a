from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from api.routes.deps import Context
from ingest import queries

router = APIRouter(tags=["search"])


@router.get("/search")
def search(ctx: Context, q: Annotated[str, Query(min_length=1, max_length=1000)],
           limit: Annotated[int, Query(ge=1, le=500)] = 20,
           offset: Annotated[int, Query(ge=0)] = 0) -> list[dict[str, object]]:
    """Ranked pages matching every word of `q`, with a highlighted snippet."""
    try:
        hits = queries.search(ctx, q, limit=limit, offset=offset)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
    return [{"document_id": h.document_id, "page": h.page, "score": h.score,
             "snippet": h.snippet, "source": h.source} for h in hits]

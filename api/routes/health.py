from __future__ import annotations

from fastapi import APIRouter

from api.routes.deps import Context
from casework import tesseract_version

router = APIRouter(tags=["health"])


@router.get("/health")
def health(ctx: Context) -> dict[str, object]:
    """Liveness plus the parts a scan depends on: Tesseract and the index."""
    ctx.index.list_batches(1)
    return {"status": "ok", "tesseract": tesseract_version()}

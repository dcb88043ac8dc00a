"""Liveness for a load balancer or a person: is Tesseract there, can the index answer."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import Context
from api.models import HealthOut
from casework import tesseract_version

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthOut)
def health(ctx: Context) -> HealthOut:
    """Liveness plus the parts a scan depends on: Tesseract and the index."""
    ctx.index.list_batches(1)
    return HealthOut(status="ok", tesseract=tesseract_version())

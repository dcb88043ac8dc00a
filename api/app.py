"""The HTTP application: thin routes over the same library functions as the CLI."""

from __future__ import annotations

from functools import cache

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from api.deps import build_context
from api.routes import documents, health, review, search
from api.routes.deps import get_context
from api.settings import Settings, get_settings
from ingest.chain import IngestContext
from ingest.errors import SetupError


async def store_unavailable(_request: Request, exc: Exception) -> JSONResponse:
    """The index or object store cannot be opened: a clear 503, not a stack trace."""
    return JSONResponse({"detail": str(exc)}, status_code=503)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app; `settings` overrides the environment (tests, embedding)."""
    app = FastAPI(title="casescan", version="0.1.0",
                  description="Digitised immigration case files: upload, search, check.")
    app.add_exception_handler(SetupError, store_unavailable)
    app.include_router(health.router)
    app.include_router(documents.router)
    app.include_router(search.router)
    app.include_router(review.router)
    if settings is not None:
        chosen = settings

        @cache
        def context() -> IngestContext:
            return build_context(chosen)

        app.dependency_overrides[get_settings] = lambda: chosen
        app.dependency_overrides[get_context] = context
    return app

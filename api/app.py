"""The HTTP application: thin routes over the same library functions as the CLI."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from api import settings as config
from api.deps import Services
from api.routes import batches, documents, health, persons, review, search
from ingest.errors import SetupError


async def store_unavailable(_request: Request, exc: Exception) -> JSONResponse:
    """The index or object store cannot be opened: a clear 503, not a stack trace."""
    return JSONResponse({"detail": str(exc)}, status_code=503)


def create_app(settings: config.Settings | None = None) -> FastAPI:
    """The app; `settings` overrides the environment (tests, embedding)."""
    app = FastAPI(title="casescan", version="0.1.0",
                  description="Digitised immigration case files: upload, search, check.")
    app.state.services = Services(settings or config.get_settings())
    app.add_exception_handler(SetupError, store_unavailable)
    app.include_router(health.router)
    app.include_router(documents.router)
    app.include_router(search.router)
    app.include_router(review.router)
    app.include_router(batches.router)
    app.include_router(persons.router)
    return app

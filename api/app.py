"""The HTTP application: thin routes over the same library functions as the CLI."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse

from api import settings as config
from api.auth import SignInRequired
from api.auth.trail import AuditTrail
from api.deps import Services
from api.models import ErrorOut
from api.routes import (
    admin,
    auth,
    batches,
    documents,
    health,
    persons,
    reconcile,
    review,
    search,
)
from api.web import install as install_web_app
from ingest.errors import SetupError


async def store_unavailable(_request: Request, exc: Exception) -> JSONResponse:
    """The index or object store cannot be opened: a clear 503, not a stack trace."""
    return JSONResponse({"detail": str(exc)}, status_code=503)


async def to_sign_in(_request: Request, exc: Exception) -> RedirectResponse:
    """A page asked for a signed-in user and there is none: off to the sign-in page."""
    assert isinstance(exc, SignInRequired)
    return RedirectResponse(exc.location, status_code=303)


def create_app(settings: config.Settings | None = None) -> FastAPI:
    """The app; `settings` overrides the environment (tests, embedding)."""
    app = FastAPI(title="casescan", version="0.1.0",
                  description="Digitised immigration case files: upload, search, check.",
                  responses={422: {"model": ErrorOut, "description": "bad input"}})
    app.state.services = Services(settings or config.get_settings())
    app.add_exception_handler(SetupError, store_unavailable)
    app.add_exception_handler(SignInRequired, to_sign_in)
    app.add_middleware(AuditTrail)
    app.include_router(health.router)
    app.include_router(auth.router)
    app.include_router(documents.router)
    app.include_router(search.router)
    app.include_router(review.router)
    app.include_router(batches.router)
    app.include_router(persons.router)
    app.include_router(search.reports)
    app.include_router(reconcile.router)
    app.include_router(admin.router)
    install_web_app(app)
    return app

"""The HTTP application: thin routes over the same library functions as the CLI."""

from __future__ import annotations

from fastapi import FastAPI

from api.routes import documents, health, search


def create_app() -> FastAPI:
    app = FastAPI(title="casescan", version="0.1.0",
                  description="Digitised immigration case files: upload, search, check.")
    app.include_router(health.router)
    app.include_router(documents.router)
    app.include_router(search.router)
    return app

"""The caseworker web app: server-rendered pages (Jinja2, htmx) served by the same
FastAPI process as the JSON API, each page guarded by role through `api.auth` and
calling the same casework functions as the JSON routes."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.web import admin, batches, cases, reconcile, reports, review, signin
from api.web.render import STATIC, html_errors


def install(app: FastAPI) -> None:
    """Serve the pages, their static files, and HTML error pages for page routes."""
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for area in (signin, batches, cases, review, reconcile, reports, admin):
        app.include_router(area.router)
    html_errors(app)

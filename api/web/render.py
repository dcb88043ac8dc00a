"""Rendering pages: one Jinja2 environment, the context every page gets (who is signed
in, the CSRF token, the navigation their role allows), how a confidence is coloured and
how an error reaches a browser."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

from fastapi import FastAPI, HTTPException, Request, Response
from fastapi.exception_handlers import http_exception_handler
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.auth import Principal
from api.auth.policy import (
    ADMIN,
    READ_CASES,
    READ_FINDINGS,
    REPORTS,
    REVIEW,
    UPLOAD,
    WATCH_BATCHES,
)
from storage.index.accounts import Role

HERE: Final = Path(__file__).resolve().parent
STATIC: Final = HERE / "static"
templates = Jinja2Templates(directory=HERE / "templates")
# Confidence bands for colour (the number is always shown as well: colour is never alone).
HIGH: Final = 0.9
LOW: Final = 0.6
# The navigation: (path, label, roles that may open it).
NAV: Final = (("/upload", "Upload", UPLOAD), ("/batches", "Batches", WATCH_BATCHES),
              ("/search", "Search", READ_CASES), ("/review", "Review", REVIEW),
              ("/reconcile", "Findings", READ_FINDINGS),
              ("/reports", "Reports", REPORTS), ("/admin", "Admin", ADMIN))
# Every page: its own scripts and styles only, never framed (its forms change things),
# never cached (pages hold personal data, and desks are shared), no referrer elsewhere.
PAGE_HEADERS: Final = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                               "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY", "Cache-Control": "no-store", "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff"}
# Where each role lands after signing in.
HOME: Final = {Role.SCANNER: "/upload", Role.CASEWORKER: "/search", Role.REVIEWER: "/review",
               Role.ANALYST: "/reports", Role.ADMIN: "/admin"}


def confidence_band(confidence: float | None) -> str:
    """"high", "medium" or "low": the CSS class a value's confidence is shown with."""
    if confidence is None:
        return "low"
    return "high" if confidence >= HIGH else "medium" if confidence >= LOW else "low"


def marked(snippet: str) -> Markup:
    """A search snippet with its matches (between [ and ]) as <mark>, the rest escaped."""
    text = str(escape(snippet))
    return Markup(text.replace("[", "<mark>").replace("]", "</mark>"))


templates.env.filters["band"] = confidence_band
templates.env.filters["marked"] = marked


def page(request: Request, template: str, user: Principal | None, /, *,
         status_code: int = 200, **context: Any) -> Response:
    """A full page (or an htmx fragment) with the signed-in user's navigation."""
    nav = [(path, label) for path, label, roles in NAV if user and user.role in roles]
    reply = templates.TemplateResponse(
        request, template, {"user": user, "nav": nav, "csrf": user.csrf if user else None,
                            "here": request.url.path, **context}, status_code=status_code)
    reply.headers.update(PAGE_HEADERS)
    return reply


def html_errors(app: FastAPI) -> None:
    """A page route's refusal (403, 404, 422...) is an HTML page saying so and nothing
    more; the JSON routes under /api keep their JSON errors."""

    async def handler(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        wants_html = "text/html" in request.headers.get("accept", "")
        if request.url.path.startswith("/api/") or not wants_html:
            return await http_exception_handler(request, exc)
        user: Principal | None = getattr(request.state, "principal", None)
        reply = page(request, "error.html", user, status_code=exc.status_code,
                     status=exc.status_code, detail=exc.detail)
        for key, value in (exc.headers or {}).items():
            reply.headers[key] = value
        return reply

    app.add_exception_handler(StarletteHTTPException, handler)
    app.add_exception_handler(HTTPException, handler)

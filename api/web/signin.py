"""Signing in and out from a browser, and the landing page of each role.

The sign-in form is protected against login CSRF before any session exists by a
double-submit token: a random value in a SameSite=Strict cookie and in the form, which
must match (and the request must not come from another origin)."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated, Final
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, HTTPException, Query, Request, Response
from fastapi.responses import RedirectResponse

from api.auth import PageUser, end_session, start_session
from api.auth.access import check_origin
from api.web.render import HOME, page
from casework.accounts import MAX_PASSWORD_CHARS
from storage.index.accounts import MAX_USER_NAME

router = APIRouter(include_in_schema=False)
FORM_COOKIE: Final = "casescan_sign_in"
MAX_NEXT: Final = 500


@router.get("/", name="home_page")
def home(user: PageUser) -> RedirectResponse:
    """The signed-in user's own start page."""
    return RedirectResponse(HOME[user.role], status_code=303)


@router.get("/sign-in", name="sign_in_page")
def sign_in_form(request: Request,
                 next: Annotated[str, Query(max_length=MAX_NEXT)] = "/") -> Response:
    token = secrets.token_urlsafe(32)
    reply = page(request, "sign_in.html", None, form_token=token, next=_local(next))
    reply.set_cookie(FORM_COOKIE, token, httponly=True, samesite="strict", path="/sign-in")
    return reply


@router.post("/sign-in", name="sign_in_submit")
async def sign_in(request: Request,
                  username: Annotated[str, Form(min_length=1, max_length=MAX_USER_NAME)],
                  password: Annotated[str, Form(min_length=1, max_length=MAX_PASSWORD_CHARS)],
                  form_token: Annotated[str, Form(max_length=100)] = "",
                  next: Annotated[str, Form(max_length=MAX_NEXT)] = "/") -> Response:
    """Check the form's token, then sign in through `start_session` and go on to `next`."""
    _same_site_form(request, form_token)
    reply = RedirectResponse(_local(next), status_code=303)
    try:
        await start_session(request, reply, username, password)
    except HTTPException as exc:
        if exc.status_code not in (401, 429):
            raise
        token = secrets.token_urlsafe(32)
        shown = page(request, "sign_in.html", None, status_code=exc.status_code,
                     form_token=token, next=_local(next), username=username,
                     error="Too many failed sign-ins: wait and try again."
                     if exc.status_code == 429 else "Wrong name or password.")
        shown.set_cookie(FORM_COOKIE, token, httponly=True, samesite="strict",
                         path="/sign-in")
        return shown
    reply.delete_cookie(FORM_COOKIE, path="/sign-in")
    return reply


@router.post("/sign-out", name="sign_out_submit")
async def sign_out(request: Request, _user: PageUser) -> Response:
    """End the session on the server (the CSRF token was checked with the session)."""
    reply = RedirectResponse("/sign-in", status_code=303)
    await end_session(request, reply)
    return reply


def _same_site_form(request: Request, given: str) -> None:
    check_origin(request)
    expected = request.cookies.get(FORM_COOKIE, "")
    if not expected or not hmac.compare_digest(expected, given):
        raise HTTPException(403, "the sign-in form has expired: reload the page")


def _local(path: str) -> str:
    """Only a path on this site (never //host or a scheme) is followed after sign-in."""
    parts = urlsplit(path)
    if parts.scheme or parts.netloc or not path.startswith("/") or path.startswith("//") \
            or "\\" in path:
        return "/"
    return path[:MAX_NEXT]

"""Signing in and out: `POST /token` (OAuth2 password form) for API clients, and
`/api/session` for a browser (the session cookie and its CSRF token)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.security import OAuth2PasswordRequestForm

from api.auth.access import CurrentUser
from api.auth.signin import authenticate, end_session, start_session
from api.deps import services
from api.models import SessionOut, TokenOut
from casework.accounts import MAX_PASSWORD_CHARS
from storage.index.accounts import MAX_USER_NAME

router = APIRouter(tags=["sign-in"])
Name = Annotated[str, Form(min_length=1, max_length=MAX_USER_NAME)]
Password = Annotated[str, Form(min_length=1, max_length=MAX_PASSWORD_CHARS)]


class PasswordForm(OAuth2PasswordRequestForm):
    """OAuth2's password form with its lengths bounded at the edge."""

    def __init__(self, username: Name, password: Password,
                 grant_type: Annotated[str | None, Form(pattern="^password$")] = None,
                 scope: Annotated[str, Form(max_length=200)] = "") -> None:
        super().__init__(grant_type=grant_type, username=username, password=password,
                         scope=scope)


@router.post("/token", response_model=TokenOut,
             responses={401: {"description": "wrong name or password"},
                        429: {"description": "too many failed sign-ins"}})
async def token(request: Request, form: Annotated[PasswordForm, Depends()]) -> TokenOut:
    """A bearer token for API clients (OAuth2 password flow); it lasts `token_hours`."""
    opened = await authenticate(request, form.username, form.password, "bearer")
    hours = services(request).settings.token_hours
    return TokenOut(access_token=opened.secret, expires_in=hours * 3600)


@router.post("/api/session", response_model=SessionOut,
             responses={401: {"description": "wrong name or password"},
                        429: {"description": "too many failed sign-ins"}})
async def sign_in(request: Request, response: Response, username: Name,
                  password: Password) -> SessionOut:
    """Sign a browser in: a new session cookie (HttpOnly, SameSite=Lax, Secure over TLS)
    and the CSRF token its changing requests must carry."""
    principal = await start_session(request, response, username, password)
    return SessionOut(name=principal.name, role=str(principal.role),
                      csrf_token=principal.csrf)


@router.get("/api/session", response_model=SessionOut)
def whoami(user: CurrentUser) -> SessionOut:
    """Who is signed in (and the session's CSRF token; none for a bearer token)."""
    return SessionOut(name=user.name, role=str(user.role),
                      csrf_token=user.csrf if user.kind == "cookie" else None)


@router.delete("/api/session", status_code=204)
async def sign_out(request: Request, _user: CurrentUser) -> Response:
    """Sign out: the session ends on the server, and the cookie is cleared."""
    response = Response(status_code=204)
    await end_session(request, response)
    return response

"""The dependencies that say who is calling and whether their role may: `CurrentUser`
(401 without a valid session or token), `require(*roles)` (403 for another role), and
the page versions that send a browser to the sign-in page instead of answering 401.

A request authenticated by the session cookie that changes anything (not GET/HEAD/
OPTIONS) must also carry the session's CSRF token, in the `X-CSRF-Token` header or, for
a url-encoded form, in the `csrf_token` field, and must not come from another origin.
Bearer tokens are not sent by browsers on their own, so they need neither.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Final
from urllib.parse import quote, urlsplit

from fastapi import Depends, HTTPException, Request
from starlette.concurrency import run_in_threadpool

from api.deps import get_context
from api.settings import Settings
from casework.accounts import SessionRules, csrf_matches, current_session
from storage.index.accounts import Role, SessionRow

COOKIE: Final = "casescan_session"
CSRF_HEADER: Final = "X-CSRF-Token"
CSRF_FIELD: Final = "csrf_token"
SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})
SIGN_IN_PAGE: Final = "/sign-in"
_STATE: Final = "principal"


@dataclass(frozen=True)
class Principal:
    """The signed-in user of one request."""

    user_id: int
    name: str
    role: Role
    kind: str  # "cookie" or "bearer"
    csrf: str

    @classmethod
    def of(cls, row: SessionRow) -> Principal:
        return cls(row.user.id, row.user.name, row.user.role, row.kind, row.csrf)


class SignInRequired(Exception):
    """A page needs a signed-in user; the app answers with a redirect to the sign-in page."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.location = f"{SIGN_IN_PAGE}?next={quote(next_path, safe='/')}"


def rules_from(settings: Settings) -> SessionRules:
    return SessionRules(idle=timedelta(minutes=settings.session_idle_minutes),
                        absolute=timedelta(hours=settings.session_max_hours),
                        token=timedelta(hours=settings.token_hours),
                        max_failures=settings.sign_in_max_failures,
                        max_failures_address=settings.sign_in_max_failures_address,
                        window=timedelta(minutes=settings.sign_in_window_minutes))


async def signed_in(request: Request) -> Principal | None:
    """The user behind the request's bearer token or session cookie, or None. A cookie
    session's unsafe request without its CSRF token, or from another origin, is 403."""
    cached: Principal | None = getattr(request.state, _STATE, None)
    if cached is not None:
        return cached
    secret, kind = request_secret(request)
    if secret is None:
        return None
    services = request.app.state.services
    rules = rules_from(services.settings)
    found = await run_in_threadpool(
        lambda: current_session(get_context(request).index, secret, rules))
    if found is None or found.kind != kind:
        return None
    principal = Principal.of(found)
    request.state.actor = principal  # the audit trail names who was refused, too
    if kind == "cookie" and request.method not in SAFE_METHODS:
        await _check_cross_site(request, found)
    setattr(request.state, _STATE, principal)
    return principal


async def current_user(request: Request) -> Principal:
    """401 (with `WWW-Authenticate: Bearer`) unless a valid session or token is given."""
    principal = await signed_in(request)
    if principal is None:
        raise HTTPException(401, "sign in first: a session cookie or a bearer token from "
                                 "POST /token", headers={"WWW-Authenticate": "Bearer"})
    return principal


CurrentUser = Annotated[Principal, Depends(current_user)]


def require(*roles: Role) -> Callable[[Request], Awaitable[Principal]]:
    """A dependency (for `dependencies=[Depends(require(...))]` on a router or route, or
    as a parameter) that lets only these roles through: 401 anonymous, 403 another role."""
    return _gate(current_user, "your role may not do this", roles)


def _gate(who: Callable[[Request], Awaitable[Principal]], refusal: str,
          roles: tuple[Role, ...]) -> Callable[[Request], Awaitable[Principal]]:
    """A dependency that finds the user with `who` and refuses every other role (403)."""
    allowed = frozenset(roles)

    async def check(request: Request) -> Principal:
        principal = await who(request)
        if principal.role not in allowed:
            raise HTTPException(403, refusal)
        return principal

    return check


async def page_user(request: Request) -> Principal:
    """For page routes: the signed-in user, or a redirect to the sign-in page."""
    principal = await signed_in(request)
    if principal is None:
        raise SignInRequired(_here(request))
    return principal


PageUser = Annotated[Principal, Depends(page_user)]


def require_page(*roles: Role) -> Callable[[Request], Awaitable[Principal]]:
    """`require` for page routes: a redirect when signed out, 403 for another role."""
    return _gate(page_user, "your role may not see this page", roles)


def csrf_token(request: Request) -> str:
    """The signed-in session's CSRF token, for a form's hidden `csrf_token` field or an
    htmx `X-CSRF-Token` header (call after `PageUser`/`CurrentUser` resolved)."""
    principal: Principal | None = getattr(request.state, _STATE, None)
    if principal is None:
        raise RuntimeError("csrf_token needs a signed-in request")
    return principal.csrf


def request_secret(request: Request) -> tuple[str | None, str]:
    """The bearer token (preferred) or the session cookie the request carries."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip(), "bearer"
    cookie = request.cookies.get(COOKIE)
    return (cookie, "cookie") if cookie else (None, "cookie")


def check_origin(request: Request) -> None:
    """403 for a request a page of another site sent (its Origin is not this host)."""
    origin = request.headers.get("origin")
    if origin is not None and urlsplit(origin).netloc != request.headers.get("host"):
        raise HTTPException(403, "cross-site request refused")


async def _check_cross_site(request: Request, session: SessionRow) -> None:
    check_origin(request)
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
            "application/x-www-form-urlencoded"):
        field = (await request.form()).get(CSRF_FIELD)
        given = field if isinstance(field, str) else None
    if not csrf_matches(session, given):
        raise HTTPException(403, f"missing or wrong CSRF token: send the session's token "
                                 f"in the {CSRF_HEADER} header or the {CSRF_FIELD} field")


def _here(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")

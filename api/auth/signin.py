"""Starting and ending a browser session: the cookie is set only here, with a fresh
secret at every sign-in (never the one the browser came with), HttpOnly, SameSite=Lax,
and Secure when served over TLS; signing out ends the session on the server too."""

from __future__ import annotations

from fastapi import HTTPException, Request, Response
from starlette.concurrency import run_in_threadpool

from api.auth.access import COOKIE, Principal, check_origin, request_secret, rules_from
from api.deps import get_context, services
from casework.accounts import BadCredentials, Kind, Opened, Throttled, sign_in, sign_out


async def authenticate(request: Request, name: str, password: str, kind: Kind) -> Opened:
    """Check a name and password (throttled, audited) and open a session or token:
    401 on a mismatch, 429 with Retry-After when throttled."""
    rules = rules_from(services(request).settings)
    address = request.client.host if request.client else None
    index = get_context(request).index
    try:
        opened = await run_in_threadpool(sign_in, index, name, password, kind, rules, address)
    except Throttled as exc:  # the trail records the 429
        raise HTTPException(429, str(exc), headers={"Retry-After": str(exc.retry_after)}
                            ) from exc
    except BadCredentials as exc:
        request.state.audited = True  # sign_in wrote its own entry
        raise HTTPException(401, str(exc), headers={"WWW-Authenticate": "Bearer"}) from exc
    request.state.audited = True
    return opened


async def start_session(request: Request, response: Response, name: str,
                        password: str) -> Principal:
    """Sign in from a form: end the session the browser came with (if any), open a new
    one and set its cookie on `response`. Raises HTTPException 401/429 like /token, and
    403 for a sign-in posted from another site (no one is signed in as someone else)."""
    check_origin(request)
    old = request.cookies.get(COOKIE)
    if old:
        await run_in_threadpool(sign_out, get_context(request).index, old)
    opened = await authenticate(request, name, password, "cookie")
    settings = services(request).settings
    secure = settings.secure_cookies if settings.secure_cookies is not None \
        else request.url.scheme == "https"
    response.set_cookie(COOKIE, opened.secret, max_age=settings.session_max_hours * 3600,
                        httponly=True, samesite="lax", secure=secure, path="/")
    principal = Principal(opened.user.id, opened.user.name, opened.user.role, "cookie",
                          opened.csrf)
    request.state.principal = principal
    return principal


async def end_session(request: Request, response: Response) -> None:
    """Sign out: the session (or the bearer token the request came with) ends on the
    server, and the browser forgets the cookie."""
    secret, _kind = request_secret(request)
    if secret:
        await run_in_threadpool(sign_out, get_context(request).index, secret)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax")

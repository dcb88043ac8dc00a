"""The audit trail: every request to a route, granted or refused, is appended to the
audit log before its response starts (who, what, when, from where, and the status). If
the entry cannot be written the client gets a 503 and no data: no access goes unrecorded.

Search words and filters are kept in the entry (an admin may need to know who searched
for whom); the plain server log never gets them (see `api.cli.serve`).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import UTC, datetime
from typing import Any, Final
from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.routing import Match

from storage.index.audit import AuditEntry

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
UNAUDITED: Final = ("/health", "/docs", "/redoc", "/openapi.json", "/static/", "/favicon")
MAX_DETAIL: Final = 2000
DOCUMENT_PARAMS: Final = ("document_id",)
PERSON_PARAMS: Final = ("ident", "person_id")


class AuditTrail:
    """ASGI middleware writing one audit entry per request, before the response starts."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(UNAUDITED):
            await self.app(scope, receive, send)
            return
        started = False
        refused = False

        async def send_audited(message: Message) -> None:
            nonlocal started, refused
            if refused:
                return
            if message["type"] == "http.response.start" and not started:
                started = True
                try:
                    await run_in_threadpool(_write, scope, message["status"])
                except Exception:  # noqa: BLE001 - no record, no data: answer 503 instead
                    if message["status"] < 400:  # an error reply carries no data: let it be
                        refused = True
                        await _unavailable(send)
                        return
            await send(message)

        await self.app(scope, receive, send_audited)


def _write(scope: Scope, status: int) -> None:
    state = scope.get("state") or {}
    if state.get("audited"):
        return
    route = scope.get("route") or _route_of(scope)
    if route is None and status == 404:
        return  # no such route: nothing was there to read
    principal = state.get("principal") or state.get("actor")
    params: dict[str, Any] = scope.get("path_params") or {}
    query = parse_qsl(scope.get("query_string", b"").decode("latin-1"),
                      keep_blank_values=True)
    detail = json.dumps(query, ensure_ascii=False)[:MAX_DETAIL] if query else None
    client = scope.get("client")
    entry = AuditEntry(
        at=datetime.now(UTC), actor=principal.name if principal else None,
        role=str(principal.role) if principal else None,
        action=getattr(route, "name", None) or "unknown",
        method=scope["method"][:10], path=scope["path"][:300], status=status,
        address=client[0][:64] if client else None,
        document_id=_param(params, DOCUMENT_PARAMS), person_id=_param(params, PERSON_PARAMS),
        detail=detail)
    scope["app"].state.services.context().index.audit.append(entry)


def _route_of(scope: Scope) -> Any:
    """The route a request matched, for a request refused before routing finished."""
    router = getattr(scope.get("app"), "router", None)
    for route in getattr(router, "routes", ()):
        match, _child = route.matches(scope)
        if match == Match.FULL:
            return route
    return None


def _param(params: dict[str, Any], names: tuple[str, ...]) -> str | None:
    for name in names:
        if isinstance(params.get(name), str):
            return str(params[name])[:64]
    return None


async def _unavailable(send: Send) -> None:
    body = b'{"detail":"the audit log cannot be written; nothing was served"}'
    await send({"type": "http.response.start", "status": 503,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})

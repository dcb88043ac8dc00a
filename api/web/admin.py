"""Admins: users (add, role, disable, enable) and the audit log, filtered by user,
document, action and time; the same casework calls as `/api/users` and `/api/audit`."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Final

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request, Response
from fastapi.responses import RedirectResponse

from api.auth import Principal, require_page
from api.auth.policy import ADMIN
from api.bounds import DOCUMENT_ID, MAX_OFFSET, MAX_WORD_CHARS, UserName
from api.deps import Context
from api.web.render import page
from casework import accounts
from storage.index.accounts import MAX_USER_NAME, Role
from storage.index.audit import AuditFilter

router = APIRouter(include_in_schema=False)
Admin = Annotated[Principal, Depends(require_page(*ADMIN))]
AUDIT_ROWS: Final = 50
Text = Annotated[str | None, Query(max_length=MAX_WORD_CHARS)]


@router.get("/admin", name="admin_page")
def admin(request: Request, ctx: Context, user: Admin,
          who: Annotated[str | None, Query(max_length=MAX_USER_NAME)] = None,
          document: Text = None, action: Text = None,
          since: datetime | None = None, until: datetime | None = None,
          offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0) -> Response:
    return _admin_page(request, ctx, user, who=who, document=document, action=action,
                       since=since, until=until, offset=offset)


@router.post("/admin/users", name="admin_add_user")
def add_user(request: Request, ctx: Context, user: Admin,
             name: Annotated[str, Form(min_length=1, max_length=MAX_USER_NAME)],
             role: Annotated[Role, Form()],
             password: Annotated[str, Form(min_length=1,
                                           max_length=accounts.MAX_PASSWORD_CHARS)]) -> Response:
    try:
        accounts.add_user(ctx.index, name, role, password)
    except ValueError as exc:
        return _admin_page(request, ctx, user, status_code=422, error=str(exc))
    return RedirectResponse("/admin", status_code=303)


@router.post("/admin/users/{name}/role", name="admin_set_role")
def set_role(ctx: Context, _user: Admin, name: UserName,
             role: Annotated[Role, Form()]) -> Response:
    if not accounts.set_role(ctx.index, name, role):
        raise HTTPException(404, "no such user")
    return RedirectResponse("/admin", status_code=303)


@router.post("/admin/users/{name}/disable", name="admin_disable_user")
def disable(ctx: Context, user: Admin, name: UserName) -> Response:
    if name == user.name:
        raise HTTPException(422, "an admin cannot disable themselves")
    if not accounts.disable_user(ctx.index, name):
        raise HTTPException(404, "no such user")
    return RedirectResponse("/admin", status_code=303)


@router.post("/admin/users/{name}/enable", name="admin_enable_user")
def enable(ctx: Context, _user: Admin, name: UserName) -> Response:
    if not ctx.index.accounts.enable(name):
        raise HTTPException(404, "no such user")
    return RedirectResponse("/admin", status_code=303)


def _admin_page(request: Request, ctx: Context, user: Principal, *, status_code: int = 200,
                error: str | None = None, who: str | None = None, document: str | None = None,
                action: str | None = None, since: datetime | None = None,
                until: datetime | None = None, offset: int = 0) -> Response:
    if document and not re.match(DOCUMENT_ID, document):
        raise HTTPException(422, "document: a document id or a prefix of 8+ hex characters")
    where = AuditFilter(actor=who or None, document_id=document or None,
                        action=action or None, since=since, until=until)
    log = ctx.index.audit
    return page(request, "admin.html", user, status_code=status_code, error=error,
                users=ctx.index.accounts.users(), roles=list(Role),
                total=log.count(where), entries=log.entries(where, limit=AUDIT_ROWS,
                                                            offset=offset),
                offset=offset, rows=AUDIT_ROWS,
                filters={"who": who or "", "document": document or "",
                         "action": action or ""})

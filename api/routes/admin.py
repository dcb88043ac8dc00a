"""Admins only: users and roles, and the audit log (`/api/users`, `/api/audit`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel, Field

from api.auth import require
from api.auth.policy import ADMIN, Admin
from api.bounds import DOCUMENT_ID, MAX_WORD_CHARS, ListLimit, Offset, UserName
from api.deps import Context
from api.models import AuditEntryOut, AuditPageOut, ChainCheckOut, UserOut
from casework import accounts
from storage.index.accounts import MAX_USER_NAME, Role
from storage.index.audit import AuditFilter

router = APIRouter(prefix="/api", tags=["admin"], dependencies=[Depends(require(*ADMIN))])


class UserIn(BaseModel):
    """A new user; the password is hashed at once and never stored or shown as given."""

    name: str = Field(min_length=1, max_length=MAX_USER_NAME)
    role: Role
    password: str = Field(min_length=accounts.MIN_PASSWORD_CHARS,
                          max_length=accounts.MAX_PASSWORD_CHARS)


class RoleIn(BaseModel):
    role: Role


@router.get("/users", response_model=list[UserOut])
def users(ctx: Context) -> list[UserOut]:
    """Every user with their role and whether they are disabled."""
    return [UserOut.of(u) for u in ctx.index.accounts.users()]


@router.post("/users", status_code=201, response_model=UserOut)
def add_user(ctx: Context, body: UserIn) -> UserOut:
    """Add a user (409 if the name is taken)."""
    try:
        return UserOut.of(accounts.add_user(ctx.index, body.name, body.role, body.password))
    except ValueError as exc:
        raise HTTPException(409 if "exists" in str(exc) else 422, str(exc)) from exc


@router.post("/users/{name}/disable", response_model=UserOut)
def disable(ctx: Context, name: UserName, admin: Admin) -> UserOut:
    """Disable a user and end every session and token of theirs at once."""
    if name == admin.name:
        raise HTTPException(422, "an admin cannot disable themselves")
    if not accounts.disable_user(ctx.index, name):
        raise HTTPException(404, "no such user")
    return _user(ctx, name)


@router.post("/users/{name}/enable", response_model=UserOut)
def enable(ctx: Context, name: UserName) -> UserOut:
    if not ctx.index.accounts.enable(name):
        raise HTTPException(404, "no such user")
    return _user(ctx, name)


@router.put("/users/{name}/role", response_model=UserOut)
def set_role(ctx: Context, name: UserName, body: RoleIn) -> UserOut:
    """Change a user's role; their sessions end, so it applies at once."""
    if not accounts.set_role(ctx.index, name, body.role):
        raise HTTPException(404, "no such user")
    return _user(ctx, name)


@router.get("/audit", response_model=AuditPageOut)
def audit(ctx: Context,
          user: Annotated[str | None, Query(max_length=MAX_USER_NAME)] = None,
          document: Annotated[str | None, Query(pattern=DOCUMENT_ID)] = None,
          person: Annotated[str | None, Query(max_length=64)] = None,
          action: Annotated[str | None, Query(max_length=MAX_WORD_CHARS)] = None,
          since: datetime | None = None, until: datetime | None = None,
          limit: ListLimit = 100, offset: Offset = 0) -> AuditPageOut:
    """Audit entries newest first, filtered by user, document, person, action and time."""
    where = AuditFilter(actor=user, document_id=document, person_id=person, action=action,
                        since=since, until=until)
    log = ctx.index.audit
    return AuditPageOut(total=log.count(where), entries=[
        AuditEntryOut.of(r) for r in log.entries(where, limit=limit, offset=offset)])


@router.get("/audit/verify", response_model=ChainCheckOut)
def verify(ctx: Context) -> ChainCheckOut:
    """Check the whole hash chain of the audit log."""
    return ChainCheckOut.of(ctx.index.audit.verify())


def _user(ctx: Context, name: str) -> UserOut:
    found = ctx.index.accounts.user(name)
    if found is None:
        raise HTTPException(404, "no such user")
    return UserOut.of(found[0])

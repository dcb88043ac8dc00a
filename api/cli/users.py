"""`casescan user ...`: who may sign in, with which role. Run by the operator on the
server; each change is written to the audit log under the operator's login name."""

from __future__ import annotations

import getpass
import sys
from datetime import UTC, datetime
from typing import Annotated

import typer

from api.cli import render
from api.cli.errors import FAILED, context, exits, fail
from api.models import UserOut
from casework import accounts
from ingest.chain import IngestContext
from storage.index.accounts import Role
from storage.index.audit import AuditEntry

app = typer.Typer(help="Users: add, disable, enable, change role, list.",
                  no_args_is_help=True)
JsonOpt = Annotated[bool, typer.Option("--json", help="One JSON object per user")]


@app.command("add")
def add(name: str, role: Annotated[Role, typer.Option(help="What the user may do")]) -> None:
    """Add a user; the password is read from standard input (one line; typed at a
    terminal, it is not echoed)."""
    password = getpass.getpass("password: ") if sys.stdin.isatty() else \
        sys.stdin.readline().rstrip("\r\n")
    ctx = context()
    with exits():
        user = accounts.add_user(ctx.index, name, role, password)
    _record(ctx, "user add", name, f"role={role}")
    render.say(f"added {user.name} ({user.role})")


@app.command("disable")
def disable(name: str) -> None:
    """Disable a user; every session and token of theirs ends at once."""
    ctx = context()
    if not accounts.disable_user(ctx.index, name):
        fail(f"no user {name!r}", FAILED)
    _record(ctx, "user disable", name)
    render.say(f"disabled {name}; their sessions and tokens are ended")


@app.command("enable")
def enable(name: str) -> None:
    """Let a disabled user sign in again."""
    ctx = context()
    if not ctx.index.accounts.enable(name):
        fail(f"no user {name!r}", FAILED)
    _record(ctx, "user enable", name)
    render.say(f"enabled {name}")


@app.command("role")
def set_role(name: str, role: Role) -> None:
    """Change a user's role; their sessions end, so the new role applies at once."""
    ctx = context()
    if not accounts.set_role(ctx.index, name, role):
        fail(f"no user {name!r}", FAILED)
    _record(ctx, "user role", name, f"role={role}")
    render.say(f"{name} is now {role}")


@app.command("list")
def list_users(as_json: JsonOpt = False) -> None:
    """Every user with their role and whether they are disabled."""
    users = [UserOut.of(u) for u in context().index.accounts.users()]
    if as_json:
        render.emit_all(users)
        return
    render.table(("name", "role", "disabled", "since"),
                 [(u.name, u.role, "yes" if u.disabled else "", u.created_at[:19])
                  for u in users], "no users: add one with casescan user add NAME --role ROLE")


def _record(ctx: IngestContext, action: str, name: str, detail: str | None = None) -> None:
    """The change, in the audit log, under the operator's login name."""
    ctx.index.audit.append(AuditEntry(
        at=datetime.now(UTC), actor=f"cli:{getpass.getuser()}"[:64], role=None, action=action,
        method="CLI", path=f"user/{name}"[:300], status=0, address="local",
        detail=f"user={name}" + (f" {detail}" if detail else "")))

"""`casescan audit`: read the audit log (filtered by user, person, document, time) and
check its hash chain."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from api.cli import render
from api.cli.errors import FAILED, context, exits, fail
from api.models import AuditEntryOut, ChainCheckOut
from storage.index.audit import MAX_AUDIT_ROWS, AuditFilter

app = typer.Typer(help="The audit log: who read or changed what, when, from where.",
                  invoke_without_command=True)
JsonOpt = Annotated[bool, typer.Option("--json", help="One JSON object per entry")]


@app.callback()
def entries(
    typer_ctx: typer.Context,
    user: Annotated[str | None, typer.Option(help="Entries of this user")] = None,
    document: Annotated[str | None, typer.Option(help="Entries touching this document")
                        ] = None,
    person: Annotated[str | None, typer.Option(help="Entries touching this person")] = None,
    action: Annotated[str | None, typer.Option(help="e.g. search, document, correct")
                      ] = None,
    since: Annotated[datetime | None, typer.Option(help="From this time (UTC)")] = None,
    until: Annotated[datetime | None, typer.Option(help="Before this time (UTC)")] = None,
    limit: Annotated[int, typer.Option(min=1, max=MAX_AUDIT_ROWS)] = 50,
    as_json: JsonOpt = False,
) -> None:
    """Entries newest first, filtered by user, document, person, action and time."""
    if typer_ctx.invoked_subcommand is not None:
        return
    where = AuditFilter(actor=user, document_id=document, person_id=person, action=action,
                        since=since, until=until)
    with exits():
        rows = [AuditEntryOut.of(r) for r in context().index.audit.entries(where, limit=limit)]
    if as_json:
        render.emit_all(rows)
        return
    render.table(("id", "at", "who", "role", "what", "path", "status", "from"),
                 [(str(r.id), r.at[:19], r.actor or "-", r.role or "-", r.action, r.path,
                   str(r.status), r.address or "-") for r in rows], "no audit entries")


@app.command("verify")
def verify(as_json: JsonOpt = False) -> None:
    """Check every entry's hash and its link to the one before; exit 1 if broken."""
    check = ChainCheckOut.of(context().index.audit.verify())
    if as_json:
        render.emit(check)
    elif check.intact:
        render.say(f"audit log intact: {check.rows} entries, every hash and link checked")
    if not check.intact:
        fail(f"audit log broken at entry {check.first_bad}: {check.reason}", FAILED)

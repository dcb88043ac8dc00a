"""`casescan person ...`, `casescan link ...` and `casescan review links`: persons, the
linking run, the link review queue, and reviewers' decisions (kept with who, when, why).

`casework.persons` (and with it the linking model's libraries) is imported by the
commands that use it, so other commands start without it."""

from __future__ import annotations

from typing import Annotated

import typer

import casework
from api.cli import render
from api.cli.errors import context, exits, fail, found
from api.filters import cli_option, with_search_options
from api.models import (
    JudgementOut,
    LinkReviewOut,
    LinkRunOut,
    PersonDocumentOut,
    PersonHitOut,
    PersonOut,
)
from storage.index.window import MAX_LIST_ROWS, MAX_SEARCH_HITS

JsonOpt = Annotated[bool, typer.Option("--json", help="JSON (one object per line)")]
person_app = typer.Typer(help="Persons: documents linked as one person, with the evidence.",
                         no_args_is_help=True)
link_app = typer.Typer(help="Link documents into persons; record a reviewer's decision.",
                       invoke_without_command=True)
Ident = Annotated[str, typer.Argument(help="Document id (or unique 8+ prefix) or person id")]
By = Annotated[str, typer.Option("--by", help="Who decides")]
Why = Annotated[str, typer.Option("--why", help="Why, for the record")]


@person_app.command("export")
def export(as_json: JsonOpt = False) -> None:
    """Every document with its person (null before linking) and link status."""
    from casework import persons

    ctx = context()
    with exits():
        rows = persons.export(ctx)
        if as_json:
            render.emit_all(PersonDocumentOut.of(m) for m in rows)
        else:
            render.members(list(rows))


@person_app.command("search")
@with_search_options(cli_option)
def search(*, limit: Annotated[int, typer.Option(min=1, max=MAX_SEARCH_HITS)] = 50,
           as_json: JsonOpt = False, **given: str | None) -> None:
    """Persons with a document matching the given name, date of birth, reference..."""
    from casework import persons

    with exits():
        filters = casework.search_filters(given)
    if filters.is_empty():
        fail("give at least one of --surname, --given-names, --dob, --reference, ...")
    ctx = context()
    with exits():
        hits = persons.search(ctx, filters, limit=limit)
    if as_json:
        render.emit_all(PersonHitOut.of(h) for h in hits)
    else:
        render.person_hits(hits)


@person_app.command("show")
def show(ident: Ident, as_json: JsonOpt = False) -> None:
    """A person: its documents, the values read in each, and the evidence of every link."""
    from casework import persons

    ctx = context()
    view = found(lambda: persons.show(ctx, ident), f"no person or document {ident!r}")
    if as_json:
        render.emit(PersonOut.of(view))
    else:
        render.person(view)


@link_app.callback()
def link(typer_ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Link every indexed document into persons (with no sub-command), reading every
    decision reviewers made; a run replaces the model's earlier decisions, never theirs."""
    from casework import persons

    if typer_ctx.invoked_subcommand is not None:
        return
    ctx = context()
    with exits():
        run = persons.link(ctx)
    if as_json:
        render.emit(LinkRunOut.of(run))
    else:
        render.link_run(run)


def judge(action: str, left: str, right: str, by: str, why: str, as_json: bool) -> None:
    from casework import persons

    ctx = context()
    with exits():
        made = persons.judge(ctx, action, left, right, by=by, why=why)
    if as_json:
        render.emit(JudgementOut.of(made))
    else:
        render.out.print(f"{made.action} {made.left[:12]} {made.right[:12]} by {made.by} at "
                         f"{made.at:%Y-%m-%d %H:%M} UTC: {made.why} (takes effect at the next "
                         "`casescan link`)", highlight=False)


@link_app.command("confirm")
def confirm(left: Ident, right: Ident, by: By, why: Why, as_json: JsonOpt = False) -> None:
    """Confirm that two documents (or persons) are one person."""
    judge("confirm", left, right, by, why, as_json)


@link_app.command("split")
def split(left: Ident, right: Ident, by: By, why: Why, as_json: JsonOpt = False) -> None:
    """Take LEFT out of the person it shares with RIGHT."""
    judge("split", left, right, by, why, as_json)


@link_app.command("never")
def never(left: Ident, right: Ident, by: By, why: Why, as_json: JsonOpt = False) -> None:
    """Record that two documents (or persons) are different people, for every later run."""
    judge("never", left, right, by, why, as_json)


def review_links(limit: Annotated[int, typer.Option(min=1, max=MAX_LIST_ROWS)] = 50,
                 offset: Annotated[int, typer.Option(min=0)] = 0,
                 as_json: JsonOpt = False) -> None:
    """Pairs in the review band no one has judged (strongest first), with each
    comparison's contribution, and documents flagged as holding two people."""
    from casework import persons

    ctx = context()
    with exits():
        queue = persons.review_links(ctx, limit=limit, offset=offset)
    if as_json:
        render.emit(LinkReviewOut.of(queue))
    else:
        render.link_review(queue)

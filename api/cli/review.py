"""`casescan review` and `correct`: fields awaiting a person, and a person's correction
(kept beside the extracted value, never over it)."""

from __future__ import annotations

from typing import Annotated

import typer

import casework
from api.cli import render
from api.cli.errors import context, exits
from api.models import CorrectionMadeOut, ReviewItemOut
from storage.index.window import MAX_LIST_ROWS


def review(
    typer_ctx: typer.Context,
    limit: Annotated[int, typer.Option(min=1, max=MAX_LIST_ROWS)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    document: Annotated[str | None, typer.Option(help="Only this document")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per field")] = False,
) -> None:
    """Fields awaiting a person's review (uncertain, or two different values), oldest first;
    `review links`: links awaiting a person."""
    if typer_ctx.invoked_subcommand is not None:
        return
    ctx = context()
    with exits():
        items = casework.review(ctx, limit=limit, offset=offset, document_id=document)
    if as_json:
        render.emit_all(ReviewItemOut.of(i) for i in items)
        return
    render.review_items(items)
    render.say(f"{ctx.index.count_review()} field(s) await review in all")


def correct(
    document_id: Annotated[str, typer.Argument(help="Document id (or a unique prefix of 8+)")],
    field: Annotated[str, typer.Argument(help="Case field, e.g. surname")],
    value: Annotated[str, typer.Argument(help="The right value, e.g. 12/03/1987 or Nigerian")],
    by: Annotated[str, typer.Option("--by", help="Who makes the correction")],
    note: Annotated[str | None, typer.Option(help="Why, for the record")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Correct a field. The extracted value and earlier corrections are kept, with who/when."""
    ctx = context()
    with exits():
        row = casework.correct(ctx, document_id, field, value, by, note)
    if as_json:
        render.emit(CorrectionMadeOut.of(row))
        return
    render.out.print(f"corrected {row.name} of {row.document_id[:12]} to [bold]{row.value}"
                     f"[/bold] (extracted: {row.extracted}) by {row.by} at "
                     f"{row.at:%Y-%m-%d %H:%M} UTC", highlight=False)

"""`casescan batch status NAME` and `casescan orphans`: where a batch stands, and the
originals kept for files that failed."""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli import render
from api.cli.errors import FAILED, context, exits, fail
from api.models import BatchStatusOut, FailedOriginalOut
from casework.progress import batch_progress, failed_originals
from storage.index.window import MAX_LIST_ROWS

app = typer.Typer(help="Where a batch stands.", no_args_is_help=True)
JsonOpt = Annotated[bool, typer.Option("--json", help="One JSON object")]


@app.command()
def status(name: Annotated[str, typer.Argument(help="Batch name (the newest of that name) "
                                                    "or id")],
           as_json: JsonOpt = False) -> None:
    """Files queued, processing, done, failed; pages read; pages a minute; time left."""
    with exits():
        progress = batch_progress(context(), name)
    if progress is None:
        fail(f"no batch called {name!r}", FAILED)
    shown = BatchStatusOut.of(progress)
    if as_json:
        render.emit(shown)
    else:
        render.batch_status(shown)


def orphans(limit: Annotated[int, typer.Option(min=1, max=MAX_LIST_ROWS)] = 100,
            as_json: JsonOpt = False) -> None:
    """Originals kept in the store for files that failed and are not indexed (kept, never
    deleted: re-ingest them once the cause is fixed)."""
    with exits():
        found = [FailedOriginalOut.of(f) for f in failed_originals(context(), limit)]
    if as_json:
        render.emit_all(found)
        return
    render.table(("batch", "file", "original", "why it failed"),
                 ((f"#{f.batch_id} {f.batch}", f.source, f.original_key or "", f.error or "")
                  for f in found), "no failed originals")

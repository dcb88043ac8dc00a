"""`casescan ingest` and `casescan batches`: digitise files, and see how each batch fared."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

import casework
from api.cli import render
from api.cli.errors import FAILED, context, exits
from api.models import DocumentOut
from api.settings import get_settings
from casework import persons
from ingest.batch import expand, run_batch
from ingest.outcome import DocumentOutcome
from storage.index.window import MAX_BATCHES

COLUMNS = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
           TimeElapsedColumn())


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of PDF/TIFF/PNG/JPEG")],
    batch: Annotated[str | None, typer.Option(help="Batch name (default: a timestamp)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per document")] = False,
    workers: Annotated[int | None, typer.Option(help="Worker processes for page work")] = None,
    link: Annotated[bool, typer.Option(
        "--link", help="Then link the new documents into persons (kept persons grow)")
    ] = False,
) -> None:
    """Digitise files into the index; every file's outcome is recorded in the batch."""
    ctx = context()
    name = batch or datetime.now().strftime("batch-%Y%m%d-%H%M%S")
    total = sum(1 for _ in expand(paths))
    with Progress(*COLUMNS, console=render.err, transient=True) as bar:
        files = bar.add_task(f"files of {name}", total=total)
        pages = bar.add_task("pages read", total=0)

        def page_progress(known: int, read: int) -> None:
            bar.update(pages, total=(bar.tasks[pages].total or 0) + known, advance=read)

        def progress(outcome: DocumentOutcome) -> None:
            bar.advance(files)
            if as_json:
                render.emit(DocumentOut.of(outcome))
            else:
                render.outcome(outcome)

        result = run_batch(paths, name, ctx, workers=workers or get_settings().workers,
                           progress=progress, page_progress=page_progress)
    render.say(f"batch {result.name!r} (#{result.batch_id}): {len(result.outcomes)} file(s), "
               f"{result.failed} failed")
    if link:
        with exits():
            run = persons.link_new_documents(ctx)
        render.link_run(run)
    if result.failed:
        raise typer.Exit(FAILED)


def batches(limit: Annotated[int, typer.Option(min=1, max=MAX_BATCHES)] = 20) -> None:
    """Recent batches and how each file fared."""
    render.batches(casework.batches(context(), limit))

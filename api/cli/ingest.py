"""`casescan ingest` and `casescan batches`: digitise files, and see how each batch fared."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

import casework
from api.cli import render
from api.cli.errors import FAILED, context, fail
from api.models import DocumentOut
from api.settings import Settings, get_settings
from ingest.batch import BatchOutcome, PageProgress, expand, run_batch
from ingest.batch import Progress as ProgressFn
from ingest.chain import IngestContext
from ingest.outcome import DocumentOutcome
from ingest.queued import WaitOptions, submit_sources
from ingest.units import Send
from storage.index.window import MAX_BATCHES

COLUMNS = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
           TimeElapsedColumn())


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of PDF/TIFF/PNG/JPEG")],
    batch: Annotated[str | None, typer.Option(help="Batch name (default: a timestamp)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per document")] = False,
    workers: Annotated[int | None, typer.Option(help="Worker processes for page work")] = None,
    wait: Annotated[bool, typer.Option(
        "--wait/--no-wait", help="With a broker: wait until the batch is done")] = True,
) -> None:
    """Digitise files into the index; every file's outcome is recorded in the batch.

    With CASESCAN_BROKER_URL set, the pages go to `casescan worker` processes (on this
    or other machines) and this waits for them; otherwise a local pool reads them."""
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

        result = run(paths, name, ctx, workers, wait, progress, page_progress)
    if get_settings().broker_url and not wait:
        render.say(f"batch {result.name!r} (#{result.batch_id}): {total} file(s) sent to the "
                   f"workers; run the same ingest again to wait for them")
        raise typer.Exit(FAILED if result.failed else 0)
    render.say(f"batch {result.name!r} (#{result.batch_id}): {len(result.outcomes)} file(s), "
               f"{result.failed} failed")
    if result.failed:
        raise typer.Exit(FAILED)


def run(paths: list[Path], name: str, ctx: IngestContext, workers: int | None, wait: bool,
        progress: ProgressFn, page_progress: PageProgress) -> BatchOutcome:
    """Through the broker's workers when one is set, else in a local process pool."""
    settings = get_settings()
    if not settings.broker_url:
        return run_batch(paths, name, ctx, workers=workers or settings.workers,
                         progress=progress, page_progress=page_progress)
    # Sent again only when untouched for twice the visibility timeout: never a page
    # that is still being read, only work a broker lost.
    resend = timedelta(seconds=2 * settings.visibility_timeout)
    return submit_sources(expand(paths), name, ctx, sender(settings),
                          options=WaitOptions(wait=wait, resend_after=resend),
                          progress=progress, page_progress=page_progress)


def batches(limit: Annotated[int, typer.Option(min=1, max=MAX_BATCHES)] = 20) -> None:
    """Recent batches and how each file fared."""
    render.batches(casework.batches(context(), limit))


def sender(settings: Settings) -> Send:
    """Send units through the broker (Celery imported only when a broker is set)."""
    from api.worker import check_broker, make_app
    from api.worker import sender as celery_sender

    app = make_app(settings)
    problem = check_broker(app)
    if problem:
        fail(problem)
    return celery_sender(app, settings.queue)

"""`casescan ingest` and `casescan batches`: digitise files, and see how each batch fared."""

from __future__ import annotations

import signal
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, cast

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

import casework
from api.cli import render
from api.cli.errors import FAILED, context, exits, fail
from api.models import DocumentOut
from api.settings import Settings, get_settings
from ingest.batch import BatchOutcome, PageProgress, expand, run_batch
from ingest.batch import Progress as ProgressFn
from ingest.boxes import BoxOptions, run_boxes
from ingest.chain import IngestContext
from ingest.errors import CasescanError
from ingest.outcome import DocumentOutcome
from ingest.queued import WaitOptions, submit_sources
from ingest.separators import (
    DEFAULT_CODE,
    MAX_BOX_CHARS,
    SEPARATOR_MODES,
    SeparatorMode,
    read_manifest,
)
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
    separator: Annotated[str, typer.Option(
        help="Cut multi-page files into case files at separator sheets: none, barcode "
             "(a printed barcode whose text starts with --separator-code) or blank")] = "none",
    separator_code: Annotated[str, typer.Option(
        help="Text a separator sheet's barcode starts with")] = DEFAULT_CODE,
    box: Annotated[str | None, typer.Option(help="Box the files came from")] = None,
    manifest: Annotated[Path | None, typer.Option(
        help="CSV with a header file,box[,first]: each file's box and first case number")
    ] = None,
    link: Annotated[bool, typer.Option(
        "--link", help="Then link the new documents into persons (kept persons grow)")
    ] = False,
) -> None:
    """Digitise files into the index; every file's outcome is recorded in the batch.

    With CASESCAN_BROKER_URL set, the pages go to `casescan worker` processes (on this
    or other machines) and this waits for them; otherwise a local pool reads them. Box
    scans cut at separator sheets are read by the local pool either way."""
    signal.signal(signal.SIGTERM, _stop)  # a stopped run cleans its temporary copies
    ctx = context()
    name = batch or datetime.now().strftime("batch-%Y%m%d-%H%M%S")
    options = _box_options(separator, separator_code, box, manifest)
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

        if options is None:
            result = run(paths, name, ctx, workers, wait, progress, page_progress)
        else:
            bar.update(files, total=None)  # case files are known once the boxes are cut
            result = run_boxes(paths, name, ctx, options,
                               workers=workers or get_settings().workers,
                               progress=progress, page_progress=page_progress)
    if options is None and get_settings().broker_url and not wait:
        render.say(f"batch {result.name!r} (#{result.batch_id}): {total} file(s) sent to the "
                   f"workers; run the same ingest again to wait for them")
        raise typer.Exit(FAILED if result.failed else 0)
    render.say(f"batch {result.name!r} (#{result.batch_id}): {len(result.outcomes)} file(s), "
               f"{result.failed} failed")
    if link:
        from casework import persons  # the linking model's libraries, only when asked

        with exits():
            linked = persons.link_new_documents(ctx)
        render.link_run(linked)
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


def _stop(signum: int, _frame: object) -> None:
    """SIGTERM ends the run through the normal way out, so temporary copies are removed."""
    raise SystemExit(128 + signum)


def _box_options(separator: str, code: str, box: str | None,
                 manifest: Path | None) -> BoxOptions | None:
    """The batch's box options, or None for plain files; bad ones exit 2 naming them."""
    if separator not in SEPARATOR_MODES:
        fail(f"--separator must be one of {', '.join(SEPARATOR_MODES)}")
    if separator == "none" and box is None and manifest is None:
        return None
    if not code.strip() or (box is not None and not 0 < len(box) <= MAX_BOX_CHARS):
        fail(f"--separator-code must not be empty and --box must have 1 to {MAX_BOX_CHARS} "
             "characters")
    try:
        boxes = read_manifest(manifest) if manifest else None
    except CasescanError as exc:
        fail(str(exc))
    return BoxOptions(cast(SeparatorMode, separator), code, box, boxes)


def sender(settings: Settings) -> Send:
    """Send units through the broker (Celery imported only when a broker is set)."""
    from api.worker import check_broker, make_app
    from api.worker import sender as celery_sender

    app = make_app(settings)
    problem = check_broker(app)
    if problem:
        fail(problem)
    return celery_sender(app, settings.queue)

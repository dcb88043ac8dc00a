"""A batch run by workers over a broker: this side reads, hashes and keeps each file's
original, records its units and sends them; then it waits by counting unit rows.

Outcomes come back in the order the files were given, exactly as `ingest.batch` gives
them, so `--json` is the same with or without a broker. Waiting also repairs what a
crash can leave: a commit whose pages are all done but never sent, and units whose
message a restarted broker lost (sent again once untouched for `resend_after`).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Final, ParamSpec, TypeVar

from ingest.batch import BatchOutcome, PageProgress, Progress
from ingest.chain import IngestContext, prepare, read_bytes
from ingest.errors import CasescanError
from ingest.outcome import DocumentOutcome, failed
from ingest.tracking import BatchRecord
from ingest.units import CODE_VERSION, Send, enqueue, outcome, release, settle_files
from storage.errors import StoreUnavailable
from storage.index.units import PAGE, UnitRow

T = TypeVar("T")
P = ParamSpec("P")
# How long waiting rides out an index that is unreachable (a database restarting or
# its connections cut) before giving up; the workers' own tasks retry on their own.
PATIENCE_S: Final = 300.0


@dataclass(frozen=True)
class Waiting:
    """A file whose document is being worked on."""

    source: str
    sha256: str
    duplicate: bool
    pages: int = 0
    original_key: str = ""


@dataclass(frozen=True)
class WaitOptions:
    wait: bool = True
    poll_seconds: float = 0.5
    resend_after: timedelta = timedelta(minutes=10)


def submit_sources(files: Iterable[tuple[str, Path]], name: str, ctx: IngestContext,
                   send: Send, *, options: WaitOptions = WaitOptions(),
                   progress: Progress | None = None,
                   page_progress: PageProgress | None = None) -> BatchOutcome:
    """Send every file's work to the workers; with `options.wait`, wait for them all and
    return every outcome (without, only those known at once: failures and re-ingests)."""
    files = list(files)
    # The batch record lists every file before any is sent, as the local pool's does; the
    # workers write its pages read and outcomes, so it is right without this process.
    batch = BatchRecord.open(ctx.index, name, [source for source, _ in files],
                             by_workers=True)
    batch_id = batch.batch_id
    items: list[Waiting | DocumentOutcome] = []
    positions: list[int] = []
    seen: set[str] = set()
    for source, path in files:
        position = batch.claim()
        positions.append(position)
        item = submit_one(source, path, ctx, send, seen)
        if isinstance(item, Waiting):
            batch.processing(position, item.sha256, item.pages, item.original_key,
                             duplicate=item.duplicate)
            ctx.index.pages_from_units(item.sha256, CODE_VERSION)  # done in an earlier run
            settle_files(ctx, item.sha256)  # settled by an earlier run: nothing will come
        if isinstance(item, Waiting) and page_progress and not item.duplicate:
            units = ctx.index.units.of_documents([item.sha256], CODE_VERSION)
            page_progress(sum(u.stage == PAGE for u in units), 0)
        items.append(item)
    if not options.wait:
        done = [(p, i) for p, i in zip(positions, items, strict=True)
                if isinstance(i, DocumentOutcome)]
        for position, item in done:
            batch.finished(item, position)
            if progress:
                progress(item)
        return BatchOutcome(batch_id, name, tuple(i for _, i in done))
    outcomes = wait_for(items, ctx, send, batch, options, progress, page_progress)
    patient(batch.close)
    return BatchOutcome(batch_id, name, tuple(outcomes))


def submit_one(source: str, path: Path, ctx: IngestContext, send: Send,
               seen: set[str]) -> Waiting | DocumentOutcome:
    try:
        prepared = prepare(read_bytes(path, source, ctx.limits), source, ctx)
    except CasescanError as exc:
        return failed(source, str(exc), exc.sha256)
    except Exception as exc:  # noqa: BLE001 - one file's fault must not stop the batch
        return failed(source, f"{source}: unexpected error: {type(exc).__name__}: {exc}")
    if isinstance(prepared, DocumentOutcome):
        return prepared
    duplicate = prepared.sha256 in seen
    if not duplicate:
        seen.add(prepared.sha256)
        enqueue(prepared, ctx, send)
    return Waiting(source, prepared.sha256, duplicate, prepared.pages, prepared.original_key)


def wait_for(items: list[Waiting | DocumentOutcome], ctx: IngestContext, send: Send,
             batch: BatchRecord, options: WaitOptions, progress: Progress | None,
             page_progress: PageProgress | None) -> list[DocumentOutcome]:
    """Poll the units of the documents still open; hand out outcomes in the given order."""
    outcomes: list[DocumentOutcome] = []
    pages_seen: dict[str, int] = {}
    last_repair = time.monotonic()
    while len(outcomes) < len(items):
        open_shas = {i.sha256 for i in items[len(outcomes):] if isinstance(i, Waiting)}
        by_sha: dict[str, list[UnitRow]] = defaultdict(list)
        for unit in patient(ctx.index.units.of_documents, open_shas, CODE_VERSION):
            by_sha[unit.sha256].append(unit)
        for sha, units in by_sha.items():  # the workers count pages in the record itself
            done = sum(u.stage == PAGE and u.state == "done" for u in units)
            if page_progress:
                page_progress(0, done - pages_seen.get(sha, 0))
            pages_seen[sha] = done
        while len(outcomes) < len(items):
            item = items[len(outcomes)]
            result = item if isinstance(item, DocumentOutcome) else patient(
                outcome, ctx, by_sha.get(item.sha256) or [], item.source, item.duplicate)
            if result is None:
                break
            patient(batch.finished, result)
            if progress:
                progress(result)
            outcomes.append(result)
        if time.monotonic() - last_repair > options.resend_after.total_seconds():
            patient(repair, ctx, by_sha, send, options.resend_after)
            last_repair = time.monotonic()
        if len(outcomes) < len(items):
            time.sleep(options.poll_seconds)
    return outcomes


def repair(ctx: IngestContext, by_sha: dict[str, list[UnitRow]], send: Send,
           older_than: timedelta) -> None:
    """Send again what nothing has touched for a long time (its message may be lost),
    and release commits whose last page's worker died before releasing them."""
    keys = [u.key for units in by_sha.values() for u in units]
    stale = ctx.index.units.stale(keys, older_than)
    for unit in stale:
        send(unit.stage, unit.key)
    ctx.index.units.touch([u.key for u in stale])
    for sha in by_sha:
        release(ctx, sha, send)


def patient(step: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run a step that reads or writes the index, again while the index is unreachable."""
    deadline = time.monotonic() + PATIENCE_S
    while True:
        try:
            return step(*args, **kwargs)
        except StoreUnavailable:
            if time.monotonic() > deadline:
                raise
            time.sleep(1.0)

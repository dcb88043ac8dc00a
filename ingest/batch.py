"""Run a named batch of files and folders through the chain, pages read in parallel.

Files are read and kept in this process (cheap, and it owns the index); the
page work runs in a pool of worker processes (started by a fork server, which is
safe from a threaded HTTP server too). A bounded window of files is in
flight at a time, so memory stays flat however large the batch, and outcomes
come back in the order the files were given. Each file's failure is caught
here, in one place, and recorded with its reason; the batch goes on.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.chain import IngestContext, Prepared, commit, prepare, read_bytes
from ingest.errors import CasescanError
from ingest.outcome import DocumentOutcome, failed, from_row
from ingest.read import DocumentReading, read_document
from storage.records import BatchFileRow

Progress = Callable[[DocumentOutcome], None]


@dataclass(frozen=True)
class BatchOutcome:
    batch_id: int
    name: str
    outcomes: tuple[DocumentOutcome, ...]

    @property
    def failed(self) -> int:
        return sum(o.status == "failed" for o in self.outcomes)


class InlineExecutor(Executor):
    """Runs work at submission: the one-worker case, and easy to debug."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller through the future
            future.set_exception(exc)
        return future


def expand(paths: Iterable[str | Path]) -> Iterator[tuple[str, Path]]:
    """Files to ingest: each path given, and every file under each folder given, except
    hidden ones (".DS_Store", ".git/...") that scanners and copies leave behind."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if child.is_file() and not hidden:
                    yield str(child), child
        else:
            yield str(given), path


def run_batch(paths: Iterable[str | Path], name: str, ctx: IngestContext, *, workers: int = 1,
              progress: Progress | None = None) -> BatchOutcome:
    batch_id = ctx.index.start_batch(name)
    outcomes: list[DocumentOutcome] = []

    def finish(outcome: DocumentOutcome) -> None:
        ctx.index.record_file(batch_id, BatchFileRow(
            outcome.source, outcome.sha256, outcome.document_id, outcome.status,
            outcome.error, outcome.duplicate))
        outcomes.append(outcome)
        if progress:
            progress(outcome)

    executor: Executor = InlineExecutor() if workers <= 1 else ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("forkserver"))
    window: deque[tuple[Prepared | DocumentOutcome, Future[DocumentReading] | None]] = deque()
    in_flight: set[str] = set()
    with executor:
        for source, path in expand(paths):
            window.append(start(source, path, ctx, executor, in_flight))
            while len(window) > 2 * max(workers, 1):
                finish(settle(*window.popleft(), ctx))
        while window:
            finish(settle(*window.popleft(), ctx))
    return BatchOutcome(batch_id, name, tuple(outcomes))


def start(source: str, path: Path, ctx: IngestContext, executor: Executor, in_flight: set[str]
          ) -> tuple[Prepared | DocumentOutcome, Future[DocumentReading] | None]:
    """Prepare a file and hand its page work to the executor (once per distinct content)."""
    try:
        prepared = prepare(read_bytes(path, source, ctx.limits), source, ctx)
    except CasescanError as exc:
        return failed(source, str(exc)), None
    except Exception as exc:  # noqa: BLE001 - one file's fault must not stop the batch
        return failed(source, f"{source}: unexpected error: {type(exc).__name__}: {exc}"), None
    if isinstance(prepared, DocumentOutcome):
        return prepared, None
    if prepared.sha256 in in_flight:
        return prepared, None  # same bytes earlier in this batch: settled after that one
    in_flight.add(prepared.sha256)
    future = executor.submit(read_document, prepared.data, prepared.media_type, source,
                             ctx.ocr, ctx.extract, ctx.limits)
    return prepared, future


def settle(item: Prepared | DocumentOutcome, future: Future[DocumentReading] | None,
           ctx: IngestContext) -> DocumentOutcome:
    if isinstance(item, DocumentOutcome):
        return item
    if future is None:
        row = ctx.index.get_document(item.sha256)
        if row is None:
            return failed(item.source, f"{item.source}: same content as an earlier file in this "
                                       "batch, which failed", item.sha256)
        return from_row(row, item.source, duplicate=True)
    try:
        return commit(item, future.result(), ctx)
    except CasescanError as exc:
        return failed(item.source, str(exc), item.sha256)
    except BrokenProcessPool as exc:
        return failed(item.source, f"{item.source}: worker process died ({exc})", item.sha256)
    except Exception as exc:  # noqa: BLE001 - one file's fault must not stop the batch
        reason = f"{item.source}: unexpected error: {type(exc).__name__}: {exc}"
        return failed(item.source, reason, item.sha256)

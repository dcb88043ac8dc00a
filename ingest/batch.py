"""Run a named batch of files and folders through the chain, pages read in parallel.

Files are read, hashed and kept in this process, which also owns the index;
their pages are tasks for a pool of worker processes, oldest file first, so
a 300-page PDF keeps every core busy as well as a folder of single pages. A
bounded number of pages and files is in flight at a time, so memory stays
flat however large the batch, and outcomes come back in the order the files
were given. Each file's failure is caught here, in one place, and recorded
with its reason; the batch goes on.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ingest.chain import IngestContext, Prepared, commit, prepare, read_bytes, store_page
from ingest.errors import CasescanError, StoreFailed
from ingest.outcome import DocumentOutcome, failed, from_row
from ingest.read import PageArtifacts, extract_document, read_page_of
from ingest.rereading import page_rereader
from ingest.scratch import scratch_dir
from ingest.tracking import BatchRecord
from ocr.records import PageReading
from storage.errors import StorageError
from storage.index.records import PageRow

Progress = Callable[[DocumentOutcome], None]
# Called with (pages newly known, pages newly read), so long files show movement too.
PageProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class BatchOutcome:
    batch_id: int
    name: str
    outcomes: tuple[DocumentOutcome, ...]

    @property
    def failed(self) -> int:
        return sum(o.status == "failed" for o in self.outcomes)


@dataclass
class Job:
    """A prepared file whose pages are being read; `copy` is what the workers open."""

    prepared: Prepared
    copy: Path | None  # None: same bytes as an earlier file of this batch
    submitted: int = 0
    futures: deque[Future[PageArtifacts]] = field(default_factory=deque)

    @property
    def unsubmitted(self) -> int:
        return 0 if self.copy is None else self.prepared.pages - self.submitted


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


class Batch:
    """One batch run: the window of files in flight and the pages handed to workers."""

    def __init__(self, record: BatchRecord, ctx: IngestContext, executor: Executor,
                 workers: int, scratch: Path, progress: Progress | None,
                 page_progress: PageProgress | None = None) -> None:
        self.ctx, self.executor, self.scratch, self.progress = ctx, executor, scratch, progress
        self.page_progress = page_progress
        self.record = record  # batch record (issue 12): where each file stands
        self.batch_id = record.batch_id
        self.page_limit = 4 * workers
        self.file_limit = 2 * workers
        self.window: deque[Job | DocumentOutcome] = deque()
        self.in_flight: set[str] = set()
        self.outcomes: list[DocumentOutcome] = []

    def add(self, source: str, path: Path) -> None:
        self.window.append(self.start(source, path))
        self.pump()
        while len(self.window) > self.file_limit:
            self.finish(self.window.popleft())

    def drain(self) -> None:
        while self.window:
            self.finish(self.window.popleft())

    def start(self, source: str, path: Path) -> Job | DocumentOutcome:
        position = self.record.claim()  # batch record (issue 12)
        try:
            prepared = prepare(read_bytes(path, source, self.ctx.limits), source, self.ctx)
        except CasescanError as exc:
            return failed(source, str(exc), exc.sha256)
        except Exception as exc:  # noqa: BLE001 - one file's fault must not stop the batch
            return failed(source, f"{source}: unexpected error: {type(exc).__name__}: {exc}")
        if isinstance(prepared, DocumentOutcome):
            return prepared
        self.record.processing(position, prepared.sha256, prepared.pages,  # batch record
                               prepared.original_key)
        if prepared.sha256 in self.in_flight:
            return Job(prepared, None)  # same bytes earlier in this batch: settled after it
        self.in_flight.add(prepared.sha256)
        if self.page_progress:
            self.page_progress(prepared.pages, 0)
        copy = self.scratch / prepared.sha256
        copy.write_bytes(prepared.data)
        return Job(replace(prepared, data=b""), copy)  # the bytes live in the copy now

    def pump(self, head: Job | None = None) -> None:
        """Hand out pages, oldest file first, up to the limit of pages in flight."""
        jobs = [j for j in ([head] if head else []) + list(self.window) if isinstance(j, Job)]
        busy = sum(len(j.futures) for j in jobs)
        for job in jobs:
            while job.copy is not None and job.unsubmitted and busy < self.page_limit:
                job.submitted += 1
                p = job.prepared
                job.futures.append(self.executor.submit(
                    read_page_of, job.copy, p.media_type, p.source, job.submitted,
                    self.ctx.ocr, self.ctx.limits))
                busy += 1

    def finish(self, item: Job | DocumentOutcome) -> None:
        outcome = item if isinstance(item, DocumentOutcome) else self.settle(item)
        self.record.finished(outcome)  # batch record (issue 12)
        self.outcomes.append(outcome)
        if self.progress:
            self.progress(outcome)

    def settle(self, job: Job) -> DocumentOutcome:
        p = job.prepared
        try:
            if job.copy is None:
                return self.earlier_copy(p)
            rows, readings, images = self.collect(job)
            extraction = extract_document(readings, p.source, self.ctx.extract,
                                          page_rereader(images))
            return commit(p, rows, extraction, self.ctx)
        except CasescanError as exc:
            return failed(p.source, str(exc), p.sha256)
        except BrokenProcessPool as exc:
            return failed(p.source, f"{p.source}: worker process died ({exc})", p.sha256)
        except Exception as exc:  # noqa: BLE001 - one file's fault must not stop the batch
            return failed(p.source, f"{p.source}: unexpected error: {type(exc).__name__}: "
                                    f"{exc}", p.sha256)
        finally:
            for future in job.futures:
                future.cancel()
            if job.copy is not None:
                job.copy.unlink(missing_ok=True)

    def collect(self, job: Job
                ) -> tuple[tuple[PageRow, ...], list[PageReading], dict[int, bytes]]:
        """Wait for the job's pages in order, storing each as it comes; the page images
        are kept for re-reading doubtful values (ingest/rereading.py)."""
        rows: list[PageRow] = []
        readings: list[PageReading] = []
        images: dict[int, bytes] = {}
        while job.futures or job.unsubmitted:
            self.pump(head=job)
            page = job.futures.popleft().result()
            try:
                rows.append(store_page(job.prepared.sha256, page, self.ctx.store))
            except StorageError as exc:
                raise StoreFailed(job.prepared.source, f"page not stored: {exc}") from exc
            readings.append(page.reading)
            if page.page_png is not None and page.reading.source == "ocr":
                images[page.reading.number] = page.page_png
            self.record.page_done(job.prepared.sha256)  # batch record (issue 12)
            if self.page_progress:
                self.page_progress(0, 1)
        return tuple(rows), readings, images

    def earlier_copy(self, p: Prepared) -> DocumentOutcome:
        row = self.ctx.index.get_document(p.sha256)
        if row is None:
            return failed(p.source, f"{p.source}: same content as an earlier file in this "
                                    "batch, which failed", p.sha256)
        return from_row(row, p.source, duplicate=True, flag_below=self.ctx.ocr.flag_below)


def page_processes() -> multiprocessing.context.BaseContext:
    """Pool processes forked from a fresh server (never from this process, which holds
    threads and database connections) that has the page code loaded already, so each
    process starts at once instead of importing the OCR libraries again."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([read_page_of.__module__])
    return context


def run_batch(paths: Iterable[str | Path], name: str, ctx: IngestContext, *, workers: int = 1,
              progress: Progress | None = None,
              page_progress: PageProgress | None = None) -> BatchOutcome:
    """Digitise every file under `paths` as the batch `name`; never raises for a bad file."""
    return run_sources(expand(paths), name, ctx, workers=workers, progress=progress,
                       page_progress=page_progress)


def run_sources(files: Iterable[tuple[str, Path]], name: str, ctx: IngestContext, *,
                workers: int = 1, progress: Progress | None = None,
                page_progress: PageProgress | None = None,
                record: BatchRecord | None = None) -> BatchOutcome:
    """Digitise (source name, path) pairs: the name is what records and errors show, e.g.
    an uploaded file's own name rather than the temporary file holding it. `record` is a
    batch whose queued files are exactly `files`, in order (else a new batch is opened
    with every file registered before any is read)."""
    files = list(files)
    if record is None:  # batch record (issue 12): every file is listed before work starts
        record = BatchRecord.open(ctx.index, name, [source for source, _ in files])
    executor: Executor = InlineExecutor() if workers <= 1 else ProcessPoolExecutor(
        workers, mp_context=page_processes())
    with executor, scratch_dir() as scratch:  # issue 12: locked, swept if the run is killed
        batch = Batch(record, ctx, executor, max(workers, 1), scratch, progress,
                      page_progress)
        for source, path in files:
            batch.add(source, path)
        batch.drain()
    record.close()  # batch record (issue 12)
    return BatchOutcome(batch.batch_id, name, tuple(batch.outcomes))

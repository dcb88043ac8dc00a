"""Digitising uploaded batches after the reply: in a separate process, so a batch's
memory and crashes never touch the server, one batch after another.

The worker process opens its own index and store from the app's settings and runs the
batch's queued files with the same driver as `casescan ingest`. Until workers over a
broker take this over, a batch whose process dies keeps its files queued (shown as
stalled by `batch status`), never lost: their originals are in the store.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from threading import Lock

from api.settings import Settings


def digitise_batch(settings: Settings, batch_id: int) -> int:
    """Run one batch's queued files (in the worker process); return how many failed."""
    from api.context import build_context  # in the worker: the app's own way to open things
    from ingest.uploaded import run_queued

    ctx = build_context(settings)
    try:
        return run_queued(ctx, batch_id, workers=settings.workers).failed
    finally:
        ctx.index.close()


class Digitiser:
    """One worker process (spawned fresh, not forked from the threaded server) that runs
    uploaded batches in the order they arrive."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._pool: ProcessPoolExecutor | None = None
        self._lock = Lock()

    def submit(self, batch_id: int) -> Future[int]:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    1, mp_context=multiprocessing.get_context("spawn"))
            try:
                return self._pool.submit(digitise_batch, self.settings, batch_id)
            except RuntimeError:  # the pool broke (its process was killed): start afresh
                self._pool = ProcessPoolExecutor(
                    1, mp_context=multiprocessing.get_context("spawn"))
                return self._pool.submit(digitise_batch, self.settings, batch_id)

    def shutdown(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None

"""A batch's progress as people read it: files per state, pages read of pages known,
pages a minute and an estimated time to finish, all computed from the index's rows.

Nothing here trusts the process that runs the batch: a batch with files still open whose
process on this machine is gone, or whose rows have not moved for `STALLED_AFTER`, was
stopped (killed, or its workers are gone), and says so instead of looking finished.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Final, Literal

from ingest.chain import IngestContext
from ingest.runner import runner_alive
from ingest.sources import EXTENSIONS
from storage.index.records import BatchCounts, BatchFileRow, FailedOriginal
from storage.objects import artefacts

# Longer than any one page takes to read, so a live batch always moves within it.
STALLED_AFTER: Final = timedelta(minutes=10)
BatchState = Literal["finished", "running", "stalled"]


@dataclass(frozen=True)
class BatchProgress:
    counts: BatchCounts
    state: BatchState
    pages_per_minute: float | None
    eta_seconds: float | None
    files: tuple[BatchFileRow, ...]

    @property
    def unfinished(self) -> int:
        """Files given but not dealt with: queued or cut off while processing."""
        return self.counts.states["queued"] + self.counts.states["processing"]


def batch_progress(ctx: IngestContext, name: str, *, with_files: bool = True,
                   now: datetime | None = None,
                   owner: str | None = None) -> BatchProgress | None:
    """The newest batch called `name` (or with that id), or None if there is none; with
    `owner`, only among that user's batches."""
    batch_id = ctx.index.find_batch(name, owner=owner)
    if batch_id is None:
        return None
    return progress_by_id(ctx, batch_id, with_files=with_files, now=now)


def progress_by_id(ctx: IngestContext, batch_id: int, *, with_files: bool = True,
                   now: datetime | None = None) -> BatchProgress | None:
    """The batch with this id, or None."""
    counts = ctx.index.batch_counts(batch_id)
    if counts is None:
        return None
    row = ctx.index.get_batch(batch_id) if with_files else None
    return progress_of(counts, row.files if row else (), now or datetime.now(UTC))


def progress_of(counts: BatchCounts, files: tuple[BatchFileRow, ...],
                now: datetime) -> BatchProgress:
    """Derive the state, the rate and the time left from the counted rows."""
    open_files = counts.states["queued"] + counts.states["processing"]
    if not open_files:
        state: BatchState = "finished"
    elif runner_alive(counts.runner) is False:  # its process on this machine is gone
        state = "stalled"
    elif counts.last_change and now - counts.last_change < STALLED_AFTER:
        state = "running"
    else:
        state = "stalled"
    rate = _pages_per_minute(counts, now if state == "running" else counts.last_change)
    return BatchProgress(counts, state, rate, _eta(counts, state, rate), files)


def _pages_per_minute(counts: BatchCounts, until: datetime | None) -> float | None:
    if not counts.pages_done or counts.first_started is None or until is None:
        return None
    minutes = (until - counts.first_started).total_seconds() / 60
    return round(counts.pages_done / minutes, 1) if minutes > 0 else None


def _eta(counts: BatchCounts, state: BatchState, rate: float | None) -> float | None:
    """Seconds left: pages counted but unread, plus the average file's pages for each
    file not yet opened, at the rate so far. None when it cannot be known."""
    if state == "finished":
        return 0.0
    if state == "stalled" or not rate:
        return None
    per_file = counts.pages_total / counts.files_counted if counts.files_counted else 1.0
    left = counts.pages_open + counts.files_open_uncounted * per_file
    return round(left / rate * 60, 1)


def failed_originals(ctx: IngestContext, limit: int = 100) -> list[FailedOriginal]:
    """Failed files whose originals are kept in the store and not indexed: what a person
    should look at (and never what a clean-up may delete)."""
    kept = []
    for f in ctx.index.failed_originals(limit):
        keys = [f.original_key] if f.original_key else [
            artefacts.original_key(f.sha256, ext) for ext in EXTENSIONS.values()]
        stored = next((k for k in keys if ctx.store.exists(k)), None)
        if stored is not None:
            kept.append(replace(f, original_key=stored))
    return kept

"""Run a batch's queued files whose originals are already in the store (uploads accepted
at the door): each original is copied back in chunks to a locked scratch folder and the
batch driver reads them, recording into the same batch rows."""

from __future__ import annotations

from pathlib import Path

from ingest.batch import BatchOutcome, run_sources
from ingest.chain import IngestContext
from ingest.runner import runner_id
from ingest.scratch import scratch_dir
from ingest.tracking import BatchRecord
from storage.errors import StorageError


def run_queued(ctx: IngestContext, batch_id: int, *, workers: int = 1) -> BatchOutcome:
    """Digitise every queued file of the batch; a file whose original cannot be fetched
    fails alone, with its reason."""
    name, queued = BatchRecord.queued_files(ctx.index, batch_id)
    ctx.index.set_batch_runner(batch_id, runner_id())
    with scratch_dir("casescan-upload-") as folder:
        files: list[tuple[str, Path]] = []
        positions: list[int] = []
        for f in queued:
            if f.position is None:
                continue
            path = folder / f"{f.position:06d}"
            problem = _fetch(ctx, f.original_key, f.sha256, path)
            if problem:
                ctx.index.set_file_state(batch_id, f.position, "failed",
                                         error=f"{f.source}: {problem}")
                continue
            files.append((f.source, path))
            positions.append(f.position)
        record = BatchRecord(ctx.index, batch_id, positions)
        return run_sources(files, name, ctx, workers=workers, record=record)


def _fetch(ctx: IngestContext, key: str | None, sha256: str | None, path: Path) -> str | None:
    """Copy a stored original to `path`; the reason it could not be, or None."""
    if key is None:
        return "no original was stored for it"
    try:
        with path.open("wb") as sink:
            got = ctx.store.get_into(key, sink)
    except (StorageError, OSError) as exc:
        return f"original {key} cannot be read back ({exc})"
    if sha256 is not None and got != sha256:
        return f"original {key} read back with sha256 {got}, expected {sha256}"
    return None

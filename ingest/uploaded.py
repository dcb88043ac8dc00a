"""Run a batch's queued files whose originals are already in the store (uploads accepted
at the door): each original is copied back in chunks to a locked scratch folder and the
batch driver reads them, recording into the same batch rows. When the batch was given a
separator, a box scan is cut first: its row becomes `split` and its case files are
appended as rows of their own."""

from __future__ import annotations

from pathlib import Path

from ingest.batch import BatchOutcome, run_sources
from ingest.boxes import BoxOptions, cut, part_rows
from ingest.chain import IngestContext
from ingest.runner import runner_id
from ingest.scratch import scratch_dir
from ingest.separators import DEFAULT_CODE, BoxInfo, SeparatorMode
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
        options = _box_options(ctx, batch_id)
        for f in queued:
            if f.position is None:
                continue
            path = folder / f"{f.position:06d}"
            problem = _fetch(ctx, f.original_key, f.sha256, path)
            if problem:
                ctx.index.set_file_state(batch_id, f.position, "failed",
                                         error=f"{f.source}: {problem}")
                continue
            made = cut(f.source, path, BoxInfo(f.box), options, folder, ctx) if options else None
            if made is not None and made.box_row is not None:  # a box scan: its case files
                ctx.index.set_file_state(batch_id, f.position, "split",
                                         origin_pages=made.box_row.origin_pages)
                positions += ctx.index.register_files(batch_id, part_rows(made.files))
                files += [(p.source, p.path) for p in made.files]
                continue
            files.append((f.source, path))
            positions.append(f.position)
        record = BatchRecord(ctx.index, batch_id, positions)
        return run_sources(files, name, ctx, workers=workers, record=record)


def _box_options(ctx: IngestContext, batch_id: int) -> BoxOptions | None:
    """The batch's separator choice, if it has one."""
    counts = ctx.index.batch_counts(batch_id)
    if counts is None or counts.separator not in ("barcode", "blank"):
        return None
    mode: SeparatorMode = "barcode" if counts.separator == "barcode" else "blank"
    return BoxOptions(mode, counts.separator_code or DEFAULT_CODE)


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

"""A batch of box scans: each multi-page file cut into case files at separator sheets
(the box file itself kept in the store as given and listed in the batch as `split`),
every case file recorded with its box, number and pages of the box file, then run
through the batch driver as usual."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ingest.batch import BatchOutcome, PageProgress, Progress, expand, run_sources
from ingest.chain import IngestContext
from ingest.errors import StoreFailed
from ingest.scratch import scratch_dir
from ingest.separators import (
    DEFAULT_CODE,
    BoxInfo,
    SeparatorMode,
    SplitFile,
    box_of,
    split_file,
)
from ingest.sources import EXTENSIONS, detect_media_type
from ingest.tracking import BatchRecord
from storage.errors import StorageError
from storage.index.records import BatchFileRow
from storage.objects import artefacts
from storage.objects.store import hash_stream


@dataclass(frozen=True)
class BoxOptions:
    """How a batch's files are cut: the separator kind, the barcode text that marks a
    separator sheet, and each file's box (from a manifest, or one box for the batch)."""

    separator: SeparatorMode = "none"
    code: str = DEFAULT_CODE
    box: str | None = None
    manifest: dict[str, BoxInfo] | None = None


@dataclass(frozen=True)
class Cut:
    """One given file after cutting: its own row when it was a box scan cut into case
    files (state `split`), and the files to digitise."""

    box_row: BatchFileRow | None
    files: list[SplitFile]


def cut(source: str, path: Path, info: BoxInfo, options: BoxOptions, folder: Path,
        ctx: IngestContext) -> Cut:
    """Cut one file at its separator sheets; a box file that was cut is kept in the store."""
    parts, split = split_file(source, path, info, options.separator, options.code, folder,
                              ctx.limits)
    if split is None or not split.separators:
        return Cut(None, parts)
    sha, key = keep_box_file(source, path, ctx)
    pages = len(split.separators) + sum(len(p.pages) for p in split.parts)
    seps = ",".join(map(str, split.separators))
    row = BatchFileRow(source, sha, None, "split", None, box=info.box, original_key=key,
                       origin_pages=f"{pages} pages: {len(split.parts)} case file(s), "
                                    f"separator pages {seps}"[:200])
    return Cut(row, parts)


def part_rows(files: Iterable[SplitFile]) -> list[BatchFileRow]:
    return [BatchFileRow(f.source, None, None, "queued", None, box=f.box, sequence=f.sequence,
                         part_of=f.part_of, origin_pages=f.origin_pages) for f in files]


def run_boxes(paths: Iterable[str | Path], name: str, ctx: IngestContext, options: BoxOptions,
              *, workers: int = 1, progress: Progress | None = None,
              page_progress: PageProgress | None = None) -> BatchOutcome:
    """Cut every file at its separator sheets and digitise each case file as a document."""
    with scratch_dir() as folder:
        rows: list[BatchFileRow] = []
        files: list[SplitFile] = []
        for source, path in expand(paths):
            made = cut(source, path, box_of(source, options.manifest or {}, options.box),
                       options, folder, ctx)
            rows.extend([made.box_row] if made.box_row else [])
            rows.extend(part_rows(made.files))
            files.extend(made.files)
        record = BatchRecord.open_rows(ctx.index, name, rows, separator=options.separator,
                                       separator_code=options.code)
        return run_sources([(f.source, f.path) for f in files], name, ctx, workers=workers,
                           progress=progress, page_progress=page_progress, record=record)


def keep_box_file(source: str, path: Path, ctx: IngestContext) -> tuple[str, str]:
    """Store the box file as given (streamed), so nothing is lost whatever the split;
    return its sha256 and key."""
    with path.open("rb") as handle:
        media_type = detect_media_type(handle.read(1024), source)
        handle.seek(0)
        sha, size = hash_stream(handle)
        handle.seek(0)
        key = artefacts.original_key(sha, EXTENSIONS[media_type])
        try:
            ctx.store.put_stream(key, handle, size, sha, media_type)
        except StorageError as exc:
            raise StoreFailed(source, f"box file not stored: {exc}") from exc
    return sha, key

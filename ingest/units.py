"""The stage code workers run: read one page, commit one document; each a work unit.

A unit's key is its content hash, page, stage and code version, recorded in the index
(`storage.index.units`). A task claims its unit there before doing anything, so a task
delivered twice, or again after its worker died, finds the result and does nothing
twice. Page results (images and words) go to the object store, so any worker on any
machine can pick up the next stage. The worker that finds a document's last page done
releases its commit by a conditional update; the commit itself is exactly once because
the index refuses a second document with the same SHA-256. Workers also keep the batch
record: each finished page sets its files' pages read (by counting done page units), and
a settled document writes the outcome of every file waiting on it, in any batch.
"""

from __future__ import annotations

import json
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path
from typing import Final

from ingest.chain import IngestContext, Prepared, commit
from ingest.errors import CorruptFile
from ingest.outcome import DocumentOutcome, failed, from_row
from ingest.read import PageArtifacts, extract_document, read_page_of, reading_of, words_file
from ingest.scratch import WORKER_PREFIX, process_dir
from ingest.tracking import record_outcome
from storage.errors import ObjectConflict, StoreUnavailable
from storage.index.records import PageRow
from storage.index.units import COMMIT, HEARTBEAT, PAGE, UnitRow, UnitSpec
from storage.objects import ObjectStore, artefacts
from storage.objects.artefacts import PageWordsFile

# Bump when a stage gives a different result for the same input: units of the old
# version are then not taken as done, and the work is redone under new keys.
CODE_VERSION: Final = "1"
# (stage, unit key): hands a unit to whoever runs units (a broker, or nobody in tests).
Send = Callable[[str, str], None]


@dataclass(frozen=True)
class DocumentWork:
    """What a worker needs to run a document's units (stored as the unit's payload)."""

    source: str
    media_type: str
    pages: int
    original_key: str

    def dump(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def load(cls, payload: str) -> DocumentWork:
        return cls(**json.loads(payload))


def unit_key(sha256: str, page: int, stage: str) -> str:
    return f"{sha256}:{page}:{stage}:{CODE_VERSION}"


def commit_key(sha256: str) -> str:
    return unit_key(sha256, 0, COMMIT)


def plan(prepared: Prepared) -> list[UnitSpec]:
    """A document's units: one per page, then its commit."""
    payload = DocumentWork(prepared.source, prepared.media_type, prepared.pages,
                           prepared.original_key).dump()
    sha = prepared.sha256
    pages = [UnitSpec(unit_key(sha, n, PAGE), sha, n, PAGE, CODE_VERSION, payload)
             for n in range(1, prepared.pages + 1)]
    return [*pages, UnitSpec(commit_key(sha), sha, 0, COMMIT, CODE_VERSION, payload)]


def enqueue(prepared: Prepared, ctx: IngestContext, send: Send) -> list[UnitRow]:
    """Record the document's units and send the ones that are new; work already recorded
    (a repeated ingest) is left to its messages, or to `resend_stale`."""
    specs = plan(prepared)
    before = {r.key for r in ctx.index.units.rows([s.key for s in specs])}
    rows = ctx.index.units.ensure(specs)
    for row in rows:
        if row.key not in before and row.stage == PAGE:
            send(PAGE, row.key)
    release(ctx, prepared.sha256, send)  # pages all done before (an earlier run)
    return rows


def release(ctx: IngestContext, sha256: str, send: Send) -> None:
    """Send the document's commit if its pages are all done and nobody sent it yet."""
    if ctx.index.units.release_commit(sha256, CODE_VERSION, commit_key(sha256)):
        send(COMMIT, commit_key(sha256))


class Retry(Exception):
    """The unit failed for a reason that may pass (store or index unavailable): it is
    queued again in the index and the caller should send it again later."""


def run_page(ctx: IngestContext, key: str, worker: str, max_tries: int, send: Send) -> str:
    """Run one page unit (if it is not done already); returns the claim's outcome."""
    claimed = ctx.index.units.claim(key, worker, max_tries)
    if claimed.claim == "run" and claimed.row is not None:
        try:
            with heartbeat(ctx, key, worker):
                read_and_store(ctx, claimed.row)
        except Exception as exc:
            ctx.index.units.fail(key, f"{type(exc).__name__}: {exc}", final=False)
            raise Retry(str(exc)) from exc
        ctx.index.units.finish(key, worker)
    if claimed.row is not None and claimed.claim in ("run", "done"):
        ctx.index.pages_from_units(claimed.row.sha256, CODE_VERSION)  # batch record
        release(ctx, claimed.row.sha256, send)
    elif claimed.row is not None and claimed.claim == "quarantined":
        settle_files(ctx, claimed.row.sha256)
    return claimed.claim


def read_and_store(ctx: IngestContext, row: UnitRow) -> None:
    """Read the page and store its images and words; a page whose words file is already
    stored (an earlier try got that far) is not read again."""
    if ctx.store.exists(artefacts.page_words_key(row.sha256, row.page)):
        return
    work = DocumentWork.load(row.payload)
    path = ORIGINALS.path(ctx.store, row.sha256, work.original_key)
    page = read_page_of(path, work.media_type, work.source, row.page, ctx.ocr, ctx.limits)
    store_page_once(ctx.store, row.sha256, page)


def store_page_once(store: ObjectStore, sha: str, page: PageArtifacts) -> None:
    """Store the page's images, then its words file last: the words file is the mark of
    a finished page. An object an earlier try stored is kept, never overwritten."""
    number = page.reading.number
    puts = [(artefacts.page_image_key(sha, number), page.page_png, artefacts.PNG),
            (artefacts.cleaned_image_key(sha, number), page.cleaned_png, artefacts.PNG),
            (artefacts.page_words_key(sha, number), words_file(page.reading).dump(),
             artefacts.JSON)]
    for key, data, media_type in puts:
        if data is None:
            continue
        try:
            store.put(key, data, media_type)
        except ObjectConflict:
            continue  # an earlier try's object: kept, as every stored object is


def run_commit(ctx: IngestContext, key: str, worker: str, max_tries: int) -> str:
    """Extract, verify and index the document once all its pages are stored."""
    claimed = ctx.index.units.claim(key, worker, max_tries)
    if claimed.claim != "run" or claimed.row is None:
        if claimed.row is not None and claimed.claim in ("done", "quarantined"):
            settle_files(ctx, claimed.row.sha256)  # a redelivery finishes the record
        return claimed.claim
    with heartbeat(ctx, key, worker):
        ran = commit_unit(ctx, claimed.row)
    if ran == "run":
        ctx.index.units.finish(key, worker)
    settle_files(ctx, claimed.row.sha256)
    return ran


def commit_unit(ctx: IngestContext, row: UnitRow) -> str:
    """Read the stored pages back, extract, and index: "run", or "failed" when no page
    is readable (the document's final outcome); Retry for what may pass."""
    work = DocumentWork.load(row.payload)
    try:
        pages = stored_pages(ctx.store, row.sha256, work.pages)
        readings = [reading_of(PageWordsFile.load(ctx.store.get(p.words_key or "")))
                    for p in pages]
        extraction = extract_document(readings, work.source, ctx.extract)
    except CorruptFile as exc:
        ctx.index.units.fail(row.key, exc.reason, final=True)
        return "failed"
    except Exception as exc:
        ctx.index.units.fail(row.key, f"{type(exc).__name__}: {exc}", final=False)
        raise Retry(str(exc)) from exc
    prepared = Prepared(work.source, b"", row.sha256, work.media_type, work.pages,
                        work.original_key)
    try:
        commit(prepared, pages, extraction, ctx)  # a second commit finds it indexed
    except Exception as exc:
        ctx.index.units.fail(row.key, f"{type(exc).__name__}: {exc}", final=False)
        raise Retry(str(exc)) from exc
    return "run"


@contextmanager
def heartbeat(ctx: IngestContext, key: str, worker: str,
              every: timedelta = HEARTBEAT) -> Iterator[None]:
    """Renew the unit's lease `every` so often while the block runs (a thread of its
    own, so a long page keeps it), and stop when it ends however it ends."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(every.total_seconds()):
            try:
                ctx.index.units.heartbeat(key, worker)
            except StoreUnavailable:
                continue  # the next beat tries again; a lease outlives a few misses

    thread = threading.Thread(target=beat, name=f"lease {key[:12]}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def settle_files(ctx: IngestContext, sha256: str) -> None:
    """Write the document's outcome to every batch file still processing it (each file
    under its own name), and note the end of batches left with nothing open."""
    files = ctx.index.open_files(sha256)
    if not files:
        return
    units = ctx.index.units.of_documents([sha256], CODE_VERSION)
    for batch_id, row in files:
        result = outcome(ctx, units, row.source, row.duplicate)
        if result is not None and row.position is not None:
            record_outcome(ctx.index, batch_id, row.position, result)
    for batch_id in dict.fromkeys(b for b, _ in files):
        ctx.index.finish_batch_if_settled(batch_id)


def stored_pages(store: ObjectStore, sha: str, count: int) -> tuple[PageRow, ...]:
    """The document's page rows, rebuilt from the words files the page units stored."""
    rows = []
    for number in range(1, count + 1):
        words_key = artefacts.page_words_key(sha, number)
        r = reading_of(PageWordsFile.load(store.get(words_key)))
        image_key = artefacts.page_image_key(sha, number)
        rows.append(PageRow(number, r.width, r.height, r.source, r.quality, r.text,
                            image_key if store.exists(image_key) else None, words_key,
                            r.error))
    return tuple(rows)


def outcome(ctx: IngestContext, units: list[UnitRow], source: str,
            duplicate: bool) -> DocumentOutcome | None:
    """The document's outcome once its units are finished; None while work remains."""
    sha = units[0].sha256
    stuck = [u for u in units if u.state == "quarantined"]
    if stuck:
        where = ", ".join(f"page {u.page}" if u.stage == PAGE else "commit" for u in stuck)
        return failed(source, f"{source}: quarantined ({where}): {stuck[0].last_error}", sha)
    final = next((u for u in units if u.stage == COMMIT), None)
    if final is None or final.state not in ("done", "failed"):
        return None
    if final.state == "failed":
        return failed(source, f"{source}: {final.last_error or 'failed'}", sha)
    row = ctx.index.get_document(sha)
    if row is None:
        return None
    return from_row(row, source, duplicate=duplicate, flag_below=ctx.ocr.flag_below)


class OriginalCache:
    """A worker's local copies of the originals it reads pages of (the most recent few),
    so a 500-page file is fetched from the store once per worker, not once per page.

    The copies live in a locked folder of this process's own (`ingest.scratch`): removed
    at exit, and swept by the next worker to start once this one is gone, however it
    ended. A forked child makes its own folder rather than sharing its parent's."""

    def __init__(self, keep: int = 2) -> None:
        self.keep = keep
        self.files: OrderedDict[str, Path] = OrderedDict()
        self.folder: Path | None = None
        self.pid = 0

    def path(self, store: ObjectStore, sha: str, key: str) -> Path:
        if self.folder is None or self.pid != os.getpid():
            self.files.clear()
            self.folder, self.pid = process_dir(WORKER_PREFIX), os.getpid()
        if sha in self.files:
            self.files.move_to_end(sha)
            return self.files[sha]
        path = self.folder / sha
        path.write_bytes(store.get(key, expect_sha256=sha))
        self.files[sha] = path
        while len(self.files) > self.keep:
            _, old = self.files.popitem(last=False)
            old.unlink(missing_ok=True)
        return path


ORIGINALS: Final = OriginalCache()

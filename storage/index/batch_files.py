"""Where each file of a batch stands: rows registered when the batch starts, moved from
state to state as the work goes on, and counted to give the batch's progress.

The rows are the record, not the process running the batch: a batch killed half-way
still shows which files were never started (queued) and which were cut off (processing).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Final

from sqlalchemy import and_, exists, func, insert, select, true, update
from sqlalchemy.orm import Session

from storage.index import models as orm
from storage.index.mapping import as_utc, batch_file_row
from storage.index.records import (
    FILE_STATES,
    FINAL_STATES,
    BatchCounts,
    BatchFileRow,
    FailedOriginal,
)
from storage.index.units import PAGE
from storage.index.window import MAX_LIST_ROWS, check_window

# Longest file name kept in the record; longer ones are cut (the file is refused anyway).
MAX_SOURCE_CHARS: Final = 1000


def register(session: Session, batch_id: int, files: Sequence[BatchFileRow]) -> list[int]:
    """Append `files` to the batch in their order; return their positions."""
    _check_batch(session, batch_id)
    start = session.scalar(select(func.coalesce(func.max(orm.BatchFileModel.position) + 1, 0))
                           .where(orm.BatchFileModel.batch_id == batch_id)) or 0
    now = as_utc(datetime.now(UTC))
    rows = [_values(batch_id, start + n, f, now) for n, f in enumerate(files)]
    if rows:
        session.execute(insert(orm.BatchFileModel), rows)
    return [start + n for n in range(len(rows))]


def set_state(session: Session, batch_id: int, position: int, state: str,
              changes: dict[str, Any]) -> None:
    """Move one file to `state`, with the other columns in `changes` (sha256, error, ...)."""
    if state not in FILE_STATES:
        raise ValueError(f"unknown file state {state!r}; expected one of {FILE_STATES}")
    now = as_utc(datetime.now(UTC))
    values: dict[str, Any] = {**changes, "status": state, "updated_at": now}
    if state == "processing":
        values["started_at"] = now
    elif state in FINAL_STATES:
        values["finished_at"] = now
    if "error" in values and values["error"] is not None:
        values["error"] = _clean(values["error"])
    done = session.execute(update(orm.BatchFileModel).where(
        orm.BatchFileModel.batch_id == batch_id, orm.BatchFileModel.position == position,
    ).values(values))
    if not done.rowcount:  # type: ignore[attr-defined]
        raise ValueError(f"no file at position {position} of batch {batch_id}")


def add_pages_done(session: Session, batch_id: int, position: int, pages: int) -> None:
    """Count `pages` more pages of one file as read."""
    session.execute(update(orm.BatchFileModel).where(
        orm.BatchFileModel.batch_id == batch_id, orm.BatchFileModel.position == position,
    ).values(pages_done=orm.BatchFileModel.pages_done + pages,
             updated_at=as_utc(datetime.now(UTC))))


def pages_from_units(session: Session, sha256: str, version: str) -> None:
    """Set the pages read of every open file with these bytes (in any batch) to the count
    of its page units done: what a worker writes as it finishes a page, so the record is
    right with nobody waiting on the batch, and a page run twice is still counted once."""
    f, u = orm.BatchFileModel, orm.WorkUnitModel
    done = (select(func.count()).select_from(u)
            .where(u.sha256 == sha256, u.version == version, u.stage == PAGE,
                   u.state == "done").scalar_subquery())
    session.execute(update(f).where(f.status == "processing", f.sha256 == sha256).values(
        pages_done=done, updated_at=as_utc(datetime.now(UTC))))


def open_files(session: Session, sha256: str) -> list[tuple[int, BatchFileRow]]:
    """Files with these bytes still processing, in any batch: (batch id, file row)."""
    f = orm.BatchFileModel
    query = select(f).where(f.status == "processing", f.sha256 == sha256).order_by(f.id)
    return [(m.batch_id, batch_file_row(m)) for m in session.scalars(query)]


def finish_if_settled(session: Session, batch_id: int) -> None:
    """Note the batch's end once none of its files is queued or processing."""
    f, b = orm.BatchFileModel, orm.BatchModel
    open_file = exists().where(f.batch_id == batch_id, f.status.in_(("queued", "processing")))
    session.execute(update(b).where(b.id == batch_id, b.finished_at.is_(None), ~open_file)
                    .values(finished_at=as_utc(datetime.now(UTC))))


def counts(session: Session, batch_id: int) -> BatchCounts | None:
    """The batch's progress by counting its rows (one grouped query), or None."""
    batch = session.get(orm.BatchModel, batch_id)
    if batch is None:
        return None
    f = orm.BatchFileModel
    rows: list[tuple[Any, ...]] = [tuple(r) for r in session.execute(select(
        f.status, func.count(), func.coalesce(func.sum(f.pages_total), 0),
        func.coalesce(func.sum(f.pages_done), 0), func.count(f.pages_total),
        func.min(f.started_at), func.max(f.updated_at),
    ).where(f.batch_id == batch_id).group_by(f.status))]
    states = dict.fromkeys(FILE_STATES, 0)
    for status, n, *_ in rows:
        states[status] = states.get(status, 0) + n
    starts = [r[5] for r in rows if r[5] is not None]
    changes = [r[6] for r in rows if r[6] is not None]
    return BatchCounts(
        batch_id=batch.id, name=batch.name, created_at=as_utc(batch.created_at),
        finished_at=None if batch.finished_at is None else as_utc(batch.finished_at),
        files=sum(r[1] for r in rows), states=states,
        pages_total=sum(int(r[2]) for r in rows), pages_done=sum(int(r[3]) for r in rows),
        files_counted=sum(r[4] for r in rows),
        pages_open=sum(int(r[2]) - int(r[3]) for r in rows if r[0] not in FINAL_STATES),
        files_open_uncounted=sum(r[1] - r[4] for r in rows if r[0] not in FINAL_STATES),
        first_started=as_utc(min(starts)) if starts else None,
        last_change=as_utc(max(changes)) if changes else None,
        separator=batch.separator, runner=batch.runner,
        separator_code=batch.separator_code)


def find(session: Session, name: str, owner: str | None = None) -> int | None:
    """The newest batch called `name`; failing that, the batch whose id `name` is. With
    `owner`, only batches that user uploaded count."""
    mine = (orm.BatchModel.owner == owner) if owner is not None else true()
    newest = session.scalar(select(func.max(orm.BatchModel.id))
                            .where(orm.BatchModel.name == name, mine))
    if newest is None and name.isdigit() and len(name) < 12:
        newest = session.scalar(select(orm.BatchModel.id)
                                .where(orm.BatchModel.id == int(name), mine))
    return newest


def failed_originals(session: Session, limit: int) -> list[FailedOriginal]:
    """Files that failed with their bytes hashed, whose content is not indexed: their
    originals may be in the store, unindexed. Newest first."""
    check_window("failed originals", limit, most=MAX_LIST_ROWS)
    f, d, b = orm.BatchFileModel, orm.DocumentModel, orm.BatchModel
    indexed = exists().where(d.sha256 == f.sha256)
    query = (select(f, b.name).join(b, b.id == f.batch_id)
             .where(and_(f.status.in_(("failed", "quarantined")), f.sha256.is_not(None),
                         ~indexed))
             .order_by(f.id.desc()).limit(limit))
    return [FailedOriginal(m.batch_id, name, m.source, m.sha256 or "", m.original_key,
                           m.error, None if m.finished_at is None else as_utc(m.finished_at))
            for m, name in session.execute(query)]


def _check_batch(session: Session, batch_id: int) -> None:
    if session.get(orm.BatchModel, batch_id) is None:
        raise ValueError(f"no batch with id {batch_id}")


def _clean(text: str) -> str:
    """Text fit for every database (PostgreSQL refuses NUL) and bounded in length."""
    shown = text.replace("\x00", "\\x00")
    return shown if len(shown) <= MAX_SOURCE_CHARS else shown[:MAX_SOURCE_CHARS] + "…"


def _values(batch_id: int, position: int, row: BatchFileRow, now: datetime) -> dict[str, Any]:
    state = row.status if row.status in FILE_STATES else "queued"
    return {
        "batch_id": batch_id, "position": position, "source": _clean(row.source),
        "sha256": row.sha256, "document_id": row.document_id, "status": state,
        "error": None if row.error is None else _clean(row.error),
        "duplicate": row.duplicate, "created_at": now, "updated_at": now,
        "pages_total": row.pages_total, "pages_done": row.pages_done,
        "original_key": row.original_key, "box": row.box, "sequence": row.sequence,
        "part_of": row.part_of, "origin_pages": row.origin_pages,
        "finished_at": now if state in FINAL_STATES else None,
    }

"""The audit log: who did what, when and from where, appended and never changed.

Each row carries the hash of the row before it (`prev_hash`, unique, so two writers can
never both extend the same row) and its own hash over its values and that link. Editing,
deleting or reordering a row breaks the chain, which `verify` finds; on both dialects
triggers refuse UPDATE and DELETE outright (migration 0008).
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Final, TypeVar

from sqlalchemy import Engine, Select, func, or_, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import sessionmaker

from storage.errors import StoreUnavailable
from storage.index.account_models import AuditModel
from storage.index.mapping import as_utc
from storage.index.person_models import PersonDocumentModel
from storage.index.window import check_window

GENESIS: Final = "0" * 64
MAX_AUDIT_ROWS: Final = 1000
_TRIES: Final = 50
_T = TypeVar("_T", bound=Any)


@dataclass(frozen=True)
class AuditEntry:
    """What happened: `action` names the operation, `path` the route (never a query
    string), `detail` the request's parameters as JSON text (search words, filters)."""

    at: datetime
    actor: str | None
    role: str | None
    action: str
    method: str
    path: str
    status: int
    address: str | None = None
    document_id: str | None = None
    person_id: str | None = None
    detail: str | None = None


@dataclass(frozen=True)
class AuditRow:
    id: int
    entry: AuditEntry
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class AuditFilter:
    actor: str | None = None
    document_id: str | None = None
    person_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    action: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class ChainCheck:
    """The outcome of `verify`: rows read, and the first row whose hash or link is wrong."""

    rows: int
    first_bad: int | None
    reason: str | None


def entry_hash(prev_hash: str, entry: AuditEntry) -> str:
    """SHA-256 over the previous hash and every value of the entry, in a fixed form."""
    values = asdict(entry)
    values["at"] = as_utc(entry.at).isoformat()
    text = json.dumps([prev_hash, values], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


class AuditLog:
    """The audit_log table of one index."""

    def __init__(self, engine: Engine, url: str) -> None:
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._url = url

    def append(self, entry: AuditEntry) -> AuditRow:
        """Add `entry` at the end of the chain; a writer that loses the race for the last
        row reads the new last row and tries again."""
        entry = AuditEntry(**{**asdict(entry), "at": as_utc(entry.at)})
        for attempt in range(_TRIES):
            try:
                with self._sessions.begin() as session:
                    last = session.scalar(select(AuditModel.hash)
                                          .order_by(AuditModel.id.desc()).limit(1))
                    prev = last or GENESIS
                    model = AuditModel(**asdict(entry), prev_hash=prev,
                                       hash=entry_hash(prev, entry))
                    session.add(model)
                    session.flush()
                    return AuditRow(model.id, entry, prev, model.hash)
            except (IntegrityError, OperationalError) as exc:
                if attempt == _TRIES - 1:
                    raise StoreUnavailable(f"audit log of {self._url}: cannot append: "
                                           f"{type(exc).__name__}") from exc
                time.sleep(0.002 * (attempt + 1))
        raise AssertionError("unreachable")

    def entries(self, where: AuditFilter, *, limit: int = 100, offset: int = 0
                ) -> list[AuditRow]:
        """Entries matching `where`, newest first."""
        check_window("audit", limit, offset, most=MAX_AUDIT_ROWS)
        query = _filtered(select(AuditModel), where)
        with self._sessions.begin() as session:
            models = session.scalars(query.order_by(AuditModel.id.desc())
                                     .limit(limit).offset(offset))
            return [_row(m) for m in models]

    def count(self, where: AuditFilter) -> int:
        with self._sessions.begin() as session:
            return session.scalar(_filtered(select(func.count(AuditModel.id)), where)) or 0

    def verify(self, *, chunk: int = 5000) -> ChainCheck:
        """Walk the whole chain in id order: each row's link must be the previous row's
        hash and its own hash must match its values."""
        prev, rows, last_id = GENESIS, 0, 0
        with self._sessions.begin() as session:
            while True:
                models = list(session.scalars(select(AuditModel).where(AuditModel.id > last_id)
                                              .order_by(AuditModel.id).limit(chunk)))
                for model in models:
                    row = _row(model)
                    rows += 1
                    if row.prev_hash != prev:
                        return ChainCheck(rows, row.id, "its link is not the previous hash")
                    if entry_hash(prev, row.entry) != row.hash:
                        return ChainCheck(rows, row.id, "its values do not match its hash")
                    prev, last_id = row.hash, row.id
                if len(models) < chunk:
                    return ChainCheck(rows, None, None)


def _filtered(query: Select[_T], where: AuditFilter) -> Select[_T]:
    if where.actor is not None:
        query = query.where(AuditModel.actor == where.actor)
    if where.document_id is not None:
        query = query.where(AuditModel.document_id == where.document_id)
    if where.person_id is not None:  # the person, or any document of theirs
        theirs = select(PersonDocumentModel.document_id).where(
            PersonDocumentModel.person_id == where.person_id)
        query = query.where(or_(AuditModel.person_id == where.person_id,
                                AuditModel.document_id.in_(theirs)))
    if where.action is not None:
        query = query.where(AuditModel.action == where.action)
    if where.address is not None:
        query = query.where(AuditModel.address == where.address)
    if where.since is not None:
        query = query.where(AuditModel.at >= as_utc(where.since))
    if where.until is not None:
        query = query.where(AuditModel.at < as_utc(where.until))
    return query


def _row(model: AuditModel) -> AuditRow:
    entry = AuditEntry(at=as_utc(model.at), actor=model.actor, role=model.role,
                       action=model.action, method=model.method, path=model.path,
                       status=model.status, address=model.address,
                       document_id=model.document_id, person_id=model.person_id,
                       detail=model.detail)
    return AuditRow(model.id, entry, model.prev_hash, model.hash)

"""Work units: the index's record of what ingest work is done, not the broker's.

A unit is one page read or one document commit, keyed by content hash, page, stage and
code version. Every change is a conditional UPDATE (state and tries as they were read),
so every claim is counted, a redelivered task finds the unit done and does nothing, and
a document's commit is released exactly once, by the worker that finds all its pages
done. A running unit holds a lease its worker renews (`heartbeat`) while it works: a
copy of its message delivered meanwhile (a Redis visibility timeout passing on a slow
page) finds it `leased` and waits, so a page is not read twice at once; once the
heartbeats stop (the worker died) the unit is taken over as redelivered. A finished
batch is seen by counting rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final, Literal, cast

from sqlalchemy import Connection, Engine, Table, and_, func, insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from storage.errors import StoreUnavailable
from storage.index.models import WorkUnitModel

UNITS: Final = cast(Table, WorkUnitModel.__table__)
PAGE: Final = "page"
COMMIT: Final = "commit"
# waiting: a commit whose pages are not all done; failed: a final outcome with its reason
# (e.g. no page readable); quarantined: kept failing or killing its worker.
State = Literal["waiting", "queued", "running", "done", "failed", "quarantined"]
Claim = Literal["run", "done", "busy", "leased", "quarantined", "missing"]
_CHUNK: Final = 500
# A running unit's worker renews its lease every HEARTBEAT; one not renewed for LEASE is
# taken to be lost. LEASE is several beats, so a busy database does not lose a live one.
HEARTBEAT: Final = timedelta(seconds=5)
LEASE: Final = timedelta(seconds=30)


@dataclass(frozen=True)
class UnitSpec:
    """A unit to record: `payload` is what a worker needs to run it (JSON text)."""

    key: str
    sha256: str
    page: int
    stage: str
    version: str
    payload: str


@dataclass(frozen=True)
class UnitRow:
    key: str
    sha256: str
    page: int
    stage: str
    version: str
    state: str
    tries: int
    redeliveries: int
    last_error: str | None
    worker: str | None
    payload: str
    updated_at: datetime


@dataclass(frozen=True)
class ClaimResult:
    claim: Claim
    row: UnitRow | None


class WorkUnits:
    """The work_units table of one index."""

    def __init__(self, engine: Engine, shown: str) -> None:
        self._engine, self._shown = engine, shown

    @contextmanager
    def _begin(self) -> Iterator[Connection]:
        try:
            with self._engine.begin() as conn:
                yield conn
        except OperationalError as exc:
            raise StoreUnavailable(f"index {self._shown} failed: {exc.orig or exc}") from exc

    def ensure(self, specs: Sequence[UnitSpec]) -> list[UnitRow]:
        """Record the units not yet recorded (pages queued, commits waiting) and return
        every unit's current row: a repeated ingest finds the work already there."""
        now = datetime.now(UTC)
        known = {r.key for r in self.rows([s.key for s in specs])}
        fresh = [dict(key=s.key, sha256=s.sha256, page=s.page, stage=s.stage,
                      version=s.version, state="waiting" if s.stage == COMMIT else "queued",
                      tries=0, redeliveries=0, payload=s.payload, updated_at=now)
                 for s in specs if s.key not in known]
        try:
            if fresh:
                with self._begin() as conn:
                    conn.execute(insert(UNITS), fresh)
        except IntegrityError:  # another process recorded some first: one at a time
            for values in fresh:
                try:
                    with self._begin() as conn:
                        conn.execute(insert(UNITS).values(**values))
                except IntegrityError:
                    continue
        return self.rows([s.key for s in specs])

    def rows(self, keys: Sequence[str]) -> list[UnitRow]:
        found: dict[str, UnitRow] = {}
        with self._begin() as conn:
            for chunk in _chunks(keys):
                for r in conn.execute(select(UNITS).where(UNITS.c.key.in_(chunk))):
                    found[r.key] = UnitRow(**r._mapping)
        return [found[k] for k in keys if k in found]

    def of_documents(self, shas: Iterable[str], version: str) -> list[UnitRow]:
        """Every unit of these documents at this code version (progress, by counting)."""
        rows: list[UnitRow] = []
        with self._begin() as conn:
            for chunk in _chunks(list(dict.fromkeys(shas))):
                query = select(UNITS).where(UNITS.c.sha256.in_(chunk),
                                            UNITS.c.version == version)
                rows += [UnitRow(**r._mapping) for r in conn.execute(query)]
        return rows

    def claim(self, key: str, worker: str, max_tries: int,
              lease: timedelta = LEASE) -> ClaimResult:
        """Take a queued unit to run. A running unit whose lease is live is `leased` (its
        worker is at it); one whose lease ran out was lost by its worker: taken over and
        counted as a redelivery. One at `max_tries` already is quarantined with its last
        error instead of being run again."""
        with self._begin() as conn:
            row = _get(conn, key)
            if row is None:
                return ClaimResult("missing", None)
            if row.state in ("done", "failed"):
                return ClaimResult("done", row)
            if row.state == "quarantined":
                return ClaimResult("quarantined", row)
            if row.state == "waiting":
                return ClaimResult("busy", row)
            lost = row.state == "running"
            if lost and datetime.now(UTC) - _aware(row.updated_at) < lease:
                return ClaimResult("leased", row)
            error = f"worker {row.worker} was lost while running it" if lost else row.last_error
            if row.tries >= max_tries:
                reason = f"quarantined after {row.tries} tries; last: {error or 'unknown'}"
                won = _move(conn, row, state="quarantined", last_error=reason)
                return ClaimResult("quarantined" if won else "busy", row)
            won = _move(conn, row, state="running", tries=row.tries + 1, worker=worker,
                        redeliveries=row.redeliveries + lost, last_error=error)
            return ClaimResult("run" if won else "busy", row)

    def heartbeat(self, key: str, worker: str) -> bool:
        """Renew the lease of a unit this worker runs; False if it is no longer its own."""
        with self._begin() as conn:
            result = conn.execute(update(UNITS).where(
                UNITS.c.key == key, UNITS.c.state == "running", UNITS.c.worker == worker,
            ).values(updated_at=datetime.now(UTC)))
            return result.rowcount == 1

    def finish(self, key: str, worker: str) -> None:
        """The unit's result is stored: done."""
        with self._begin() as conn:
            conn.execute(update(UNITS).where(UNITS.c.key == key).values(
                state="done", worker=worker, updated_at=datetime.now(UTC)))

    def fail(self, key: str, error: str, *, final: bool) -> None:
        """A final failure is the unit's outcome; otherwise it is queued to be tried again."""
        with self._begin() as conn:
            conn.execute(update(UNITS).where(
                UNITS.c.key == key, UNITS.c.state.in_(("running", "queued"))).values(
                state="failed" if final else "queued", last_error=error[:4000],
                updated_at=datetime.now(UTC)))

    def release_commit(self, sha256: str, version: str, commit_key: str) -> bool:
        """Queue the document's commit once no page unit is left undone; True for the one
        caller whose conditional update flipped it (so the commit is sent once)."""
        with self._begin() as conn:
            undone = select(func.count()).select_from(UNITS).where(
                UNITS.c.sha256 == sha256, UNITS.c.version == version,
                UNITS.c.stage == PAGE, UNITS.c.state != "done").scalar_subquery()
            result = conn.execute(update(UNITS).where(
                UNITS.c.key == commit_key, UNITS.c.state == "waiting", undone == 0).values(
                state="queued", updated_at=datetime.now(UTC)))
            return result.rowcount == 1

    def stale(self, keys: Sequence[str], older_than: timedelta) -> list[UnitRow]:
        """Queued or running units untouched for `older_than`: their message may be lost
        (a broker that restarted empty), so the waiting side sends them again."""
        cutoff = datetime.now(UTC) - older_than
        return [r for r in self.rows(keys) if r.state in ("queued", "running")
                and _aware(r.updated_at) < cutoff]

    def touch(self, keys: Sequence[str]) -> None:
        """Mark units as just sent, so `stale` waits a full period before sending again."""
        with self._begin() as conn:
            for chunk in _chunks(keys):
                conn.execute(update(UNITS).where(
                    UNITS.c.key.in_(chunk), UNITS.c.state.in_(("queued", "running"))).values(
                    updated_at=datetime.now(UTC)))

    def quarantined(self, limit: int = 1000) -> list[UnitRow]:
        with self._begin() as conn:
            query = select(UNITS).where(UNITS.c.state == "quarantined").order_by(
                UNITS.c.updated_at).limit(limit)
            return [UnitRow(**r._mapping) for r in conn.execute(query)]

    def requeue(self, keys: Sequence[str]) -> list[UnitRow]:
        """Give quarantined units a fresh set of tries: a page is queued again, a commit
        waits for its pages. Returns the units that moved."""
        with self._begin() as conn:
            moved = []
            for key in keys:
                row = _get(conn, key)
                if row is None or row.state != "quarantined":
                    continue
                state = "waiting" if row.stage == COMMIT else "queued"
                if _move(conn, row, state=state, tries=0, worker=None):
                    moved.append(row)
            return moved


def _get(conn: Connection, key: str) -> UnitRow | None:
    found = conn.execute(select(UNITS).where(UNITS.c.key == key)).first()
    return None if found is None else UnitRow(**found._mapping)


def _move(conn: Connection, row: UnitRow, **values: object) -> bool:
    """Change the unit only if nobody changed it since it was read."""
    result = conn.execute(update(UNITS).where(and_(
        UNITS.c.key == row.key, UNITS.c.state == row.state, UNITS.c.tries == row.tries)).values(
        updated_at=datetime.now(UTC), **values))
    return result.rowcount == 1


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]

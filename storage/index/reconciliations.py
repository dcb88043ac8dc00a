"""Reconciliation's tables: exports kept side by side, findings never deleted.

An export is written in chunks as it is read (never whole in memory); a re-import is a
new export beside the old, compared key by key in SQL. A run's findings are merged by
fingerprint: new ones are inserted open, known ones take the new evidence, and a
resolved one whose evidence changed (the database row or the paper) re-opens, with a
resolution row saying so. Resolutions are only ever inserted.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, Final

from sqlalchemy import Engine, and_, func, insert, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, aliased

from storage.errors import StoreUnavailable
from storage.index.models import BatchFileModel, BatchModel, EventModel
from storage.index.reconcile_models import (
    ExportErrorModel,
    ExportModel,
    ExportRowModel,
    FindingModel,
    ReconcileRunModel,
    ResolutionModel,
)
from storage.index.reconcile_records import (
    FINDING_STATES,
    CountRow,
    ExportChanges,
    ExportInfo,
    FindingRow,
    FindingWrite,
    ResolutionRow,
    RunRow,
    StoredError,
    StoredRow,
)
from storage.index.records import EventRow
from storage.index.window import MAX_LIST_ROWS, check_window

EXAMPLES: Final = 5  # keys shown of each change
SYSTEM: Final = "casescan"  # who re-opens a finding
SUMMARY_GROUPS: Final = ("kind", "batch", "nationality")


class Reconciliations:
    """The index's record of exports, runs and findings."""

    def __init__(self, engine: Engine, url: str) -> None:
        self._engine, self._url = engine, url

    @contextmanager
    def _session(self) -> Iterator[Session]:
        try:
            with Session(self._engine, expire_on_commit=False) as session, session.begin():
                yield session
        except OperationalError as exc:
            raise StoreUnavailable(f"index {self._url} failed: {exc.orig}") from exc

    # exports

    def start_export(self, name: str, source: str) -> int:
        with self._session() as s:
            m = ExportModel(name=name, source=source, imported_at=datetime.now(UTC),
                            rows=0, errors=0)
            s.add(m)
            s.flush()
            return m.id

    def add_rows(self, export_id: int, rows: Sequence[StoredRow],
                 errors: Sequence[StoredError]) -> None:
        """One chunk of an export, in one transaction."""
        with self._session() as s:
            if rows:
                s.execute(insert(ExportRowModel), [{
                    "export_id": export_id, "row_number": r.row, "key": r.key,
                    "values_json": json.dumps(r.values), "notes_json": json.dumps(r.notes),
                    "events_json": json.dumps(r.events), "digest": r.digest} for r in rows])
            if errors:
                s.execute(insert(ExportErrorModel), [{
                    "export_id": export_id, "row_number": e.row, "column": e.column,
                    "reason": e.reason} for e in errors])
            s.execute(update(ExportModel).where(ExportModel.id == export_id).values(
                rows=ExportModel.rows + len(rows), errors=ExportModel.errors + len(errors)))

    def exports(self) -> list[ExportInfo]:
        with self._session() as s:
            return [_export(m) for m in s.scalars(select(ExportModel).order_by(ExportModel.id))]

    def latest_export(self) -> ExportInfo | None:
        with self._session() as s:
            m = s.scalars(select(ExportModel).order_by(ExportModel.id.desc()).limit(1)).first()
            return _export(m) if m else None

    def errors(self, export_id: int, *, limit: int = 50) -> list[StoredError]:
        check_window("export errors", limit, most=MAX_LIST_ROWS)
        with self._session() as s:
            return [StoredError(e.row_number, e.column, e.reason) for e in s.scalars(
                select(ExportErrorModel).where(ExportErrorModel.export_id == export_id)
                .order_by(ExportErrorModel.id).limit(limit))]

    def rows(self, export_id: int, *, after: int = 0, limit: int = 1000) -> list[StoredRow]:
        """Rows of an export in file order after row number `after` (chunks)."""
        check_window("export rows", limit, most=MAX_LIST_ROWS * 20)
        with self._session() as s:
            return [_stored(m) for m in s.scalars(
                select(ExportRowModel).where(ExportRowModel.export_id == export_id,
                                             ExportRowModel.row_number > after)
                .order_by(ExportRowModel.row_number).limit(limit))]

    def changes(self, export_id: int, previous_id: int | None) -> ExportChanges:
        """Keys added, removed and changed since `previous_id`, counted in SQL."""
        if previous_id is None:
            return ExportChanges(None, 0, 0, 0, ())
        new, old = aliased(ExportRowModel), aliased(ExportRowModel)
        with self._session() as s:
            added = select(new.key).outerjoin(old, and_(old.key == new.key,
                                                        old.export_id == previous_id)) \
                .where(new.export_id == export_id, old.id.is_(None))
            removed = select(old.key).outerjoin(new, and_(new.key == old.key,
                                                          new.export_id == export_id)) \
                .where(old.export_id == previous_id, new.id.is_(None))
            changed = select(new.key).join(old, and_(old.key == new.key,
                                                     old.export_id == previous_id)) \
                .where(new.export_id == export_id, new.digest != old.digest)
            counts = [s.scalar(select(func.count()).select_from(q.subquery())) or 0
                      for q in (added, removed, changed)]
            examples = [f"{mark}{k}" for mark, q in zip("+-~", (added, removed, changed),
                                                         strict=True)
                        for k in s.scalars(q.order_by(q.selected_columns[0]).limit(EXAMPLES))]
        return ExportChanges(previous_id, counts[0], counts[1], counts[2], tuple(examples))

    # the paper side a run reads that linking does not

    def events_of(self, document_ids: Sequence[str]) -> dict[str, list[EventRow]]:
        out: dict[str, list[EventRow]] = {}
        with self._session() as s:
            for m in s.scalars(select(EventModel).where(
                    EventModel.document_id.in_(list(document_ids))).order_by(EventModel.id)):
                box = tuple(int(n) for n in json.loads(m.bbox_json))
                out.setdefault(m.document_id, []).append(EventRow(
                    m.kind, m.outcome, m.date, m.text, m.page,
                    (box[0], box[1], box[2], box[3]), m.confidence, m.status, m.reason))
        return out

    def batches_of(self, document_ids: Sequence[str]) -> dict[str, str]:
        """The batch each document came in with (by name)."""
        with self._session() as s:
            return {r.document_id: r.name for r in s.execute(
                select(BatchFileModel.document_id, BatchModel.name)
                .join(BatchModel, BatchModel.id == BatchFileModel.batch_id)
                .where(BatchFileModel.document_id.in_(list(document_ids))))}

    # runs and findings

    def write_run(self, export_id: int, rows: int, persons: int,
                  findings: Sequence[FindingWrite]) -> RunRow:
        """Keep a run's findings: insert new, refresh known, re-open changed resolved ones."""
        now = datetime.now(UTC)
        with self._session() as s:
            run = ReconcileRunModel(export_id=export_id, created_at=now, rows=rows,
                                    persons=persons, findings=len(findings), reopened=0)
            s.add(run)
            s.flush()
            known = {r.fingerprint: (r.id, r.state, r.digest) for r in s.execute(
                select(FindingModel.fingerprint, FindingModel.id, FindingModel.state,
                       FindingModel.digest))}
            new = [f for f in findings if f.fingerprint not in known]
            if new:
                s.execute(insert(FindingModel), [
                    {**_finding_values(f), "state": "open", "first_run": run.id,
                     "last_run": run.id} for f in new])
            reopened = 0
            for f in findings:
                if f.fingerprint not in known:
                    continue
                fid, state, digest = known[f.fingerprint]
                values: dict[str, Any] = {**_finding_values(f), "last_run": run.id}
                if state == "resolved" and digest != f.digest:
                    values["state"] = "open"
                    reopened += 1
                    s.add(ResolutionModel(finding_id=fid, action="reopened", by=SYSTEM,
                                          reason="the database row or the paper changed",
                                          at=now))
                s.execute(update(FindingModel).where(FindingModel.id == fid).values(**values))
            run.reopened = reopened
            return _run(run)

    def latest_run(self) -> RunRow | None:
        with self._session() as s:
            m = s.scalars(select(ReconcileRunModel).order_by(ReconcileRunModel.id.desc())
                          .limit(1)).first()
            return _run(m) if m else None

    def findings(self, *, kind: str | None = None, state: str | None = None,
                 limit: int = 50, offset: int = 0) -> list[FindingRow]:
        """The latest run's findings, most harmful first (then strongest match)."""
        check_window("findings", limit, most=MAX_LIST_ROWS * 20)
        with self._session() as s:
            last = s.scalar(select(func.max(ReconcileRunModel.id)))
            if last is None:
                return []
            q = select(FindingModel).where(FindingModel.last_run == last)
            if kind:
                q = q.where(FindingModel.kind == kind)
            if state:
                q = q.where(FindingModel.state == state)
            q = q.order_by(FindingModel.harm, FindingModel.state.desc(), FindingModel.id)
            return [_finding(m) for m in s.scalars(q.limit(limit).offset(offset))]

    def finding(self, finding_id: int) -> tuple[FindingRow, list[ResolutionRow]] | None:
        with self._session() as s:
            m = s.get(FindingModel, finding_id)
            if m is None:
                return None
            return _finding(m), [_resolution(r) for r in s.scalars(
                select(ResolutionModel).where(ResolutionModel.finding_id == finding_id)
                .order_by(ResolutionModel.id))]

    def resolve(self, finding_id: int, by: str, reason: str) -> ResolutionRow:
        """Close a finding with who and why (LookupError if there is none); kept, never
        deleted, and re-opened by a later run if its evidence changes."""
        if not by.strip() or not reason.strip():
            raise ValueError("a resolution needs who resolves it and the reason")
        with self._session() as s:
            m = s.get(FindingModel, finding_id)
            if m is None:
                raise LookupError(f"no finding {finding_id}")
            m.state = FINDING_STATES[1]
            r = ResolutionModel(finding_id=finding_id, action="resolved", by=by.strip(),
                                reason=reason.strip(), at=datetime.now(UTC))
            s.add(r)
            s.flush()
            return _resolution(r)

    def counts(self, group: str) -> list[CountRow]:
        """The latest run's findings counted by kind, batch or nationality."""
        if group not in SUMMARY_GROUPS:
            raise ValueError(f"count by one of {', '.join(SUMMARY_GROUPS)}")
        column = getattr(FindingModel, group)
        with self._session() as s:
            last = s.scalar(select(func.max(ReconcileRunModel.id)))
            rows = s.execute(select(FindingModel.kind, column, func.count())
                             .where(FindingModel.last_run == last)
                             .group_by(FindingModel.kind, column)
                             .order_by(FindingModel.kind, column)).all()
        return [CountRow(str(k), None if v is None else str(v), int(n)) for k, v, n in rows]


def _export(m: ExportModel) -> ExportInfo:
    return ExportInfo(m.id, m.name, m.source, m.imported_at, m.rows, m.errors)


def _stored(m: ExportRowModel) -> StoredRow:
    return StoredRow(m.row_number, m.key,
                     tuple((str(a), str(b)) for a, b in json.loads(m.values_json)),
                     tuple((str(a), str(b)) for a, b in json.loads(m.notes_json)),
                     tuple((str(e[0]), str(e[1]), e[2], str(e[3]), str(e[4]), float(e[5]))
                           for e in json.loads(m.events_json)), m.digest)


def _finding_values(f: FindingWrite) -> dict[str, Any]:
    return {"fingerprint": f.fingerprint, "kind": f.kind, "harm": f.harm,
            "keys_json": json.dumps(f.keys), "persons_json": json.dumps(f.persons),
            "field": f.field, "summary": f.summary, "evidence_json": f.evidence_json,
            "match_weight": f.match_weight, "digest": f.digest, "batch": f.batch,
            "nationality": f.nationality}


def _finding(m: FindingModel) -> FindingRow:
    return FindingRow(m.fingerprint, m.kind, m.harm, tuple(json.loads(m.keys_json)),
                      tuple(json.loads(m.persons_json)), m.field, m.summary,
                      m.evidence_json, m.match_weight, m.digest, m.batch, m.nationality,
                      m.id, m.state, m.first_run, m.last_run)


def _resolution(r: ResolutionModel) -> ResolutionRow:
    return ResolutionRow(r.finding_id, r.action, r.by, r.reason, r.at)


def _run(m: ReconcileRunModel) -> RunRow:
    return RunRow(m.id, m.export_id, m.created_at, m.rows, m.persons, m.findings, m.reopened)

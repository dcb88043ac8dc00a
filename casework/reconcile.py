"""Reconciliation against the live case database: import an export, run it against the
paper, list and resolve findings, summarise. The CLI, the HTTP routes and the web pages
call these same functions.

Only reconciliation's own tables are written: nothing in casescan's records (documents,
fields, persons, judgements) changes because of an export.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Final

from casework.identities import judgement
from casework.persons import READ_CHUNK, identities
from casework.persons import export as person_export
from casework.reports import Report, suppress
from identity.settings import LinkSettings
from ingest.chain import IngestContext
from reconcile.export import read
from reconcile.mapping import load
from reconcile.notes import read_notes
from reconcile.records import (
    ExportRow,
    Finding,
    NotesEvent,
    PaperPerson,
    PaperStatus,
    RowError,
)
from reconcile.run import reconcile_export
from reconcile.table import read_table
from storage.index.facade import masked_url
from storage.index.reconcile_records import (
    ExportChanges,
    ExportInfo,
    FindingRow,
    FindingWrite,
    ResolutionRow,
    RunRow,
    StoredError,
    StoredRow,
)
from storage.index.records import DocumentRow, EventRow

CHUNK: Final = 2000  # rows read, noted and written at a time
ERRORS_SHOWN: Final = 20
STATUS_FIELDS: Final = ("decision", "decision_date", "permission_to_work")
EVENT_FIELD: Final = {"claim_decision": "decision", "permission_to_work": "permission_to_work"}
PTW_VALUE: Final = {"granted": "true", "refused": "false"}


@dataclass(frozen=True)
class ImportReport:
    export: ExportInfo
    errors: tuple[StoredError, ...]  # the first few, in file order
    changes: ExportChanges


def import_export(ctx: IngestContext, source: str | Path, mapping_path: Path,
                  name: str | None = None, *, table: str | None = None,
                  shown_as: str | None = None) -> ImportReport:
    """Stream an export (a CSV file, or `table` in the database at URL `source`) into
    the index beside any earlier one, and say what changed since the previous one.
    `shown_as` names an uploaded file (kept in a temporary one) in the record."""
    mapping = load(mapping_path)
    rec = ctx.index.reconciliation
    previous = rec.latest_export()
    with ExitStack() as stack:
        if table is not None:
            items = read_table(str(source), table, mapping)
            shown = f"{masked_url(str(source))} table {table}"
        else:
            path = Path(source)
            try:
                handle = stack.enter_context(path.open("rb"))
            except OSError as exc:
                raise ValueError(f"{path}: cannot read the export: {exc.strerror}") from exc
            items = read(handle, mapping)
            shown = shown_as or str(path)
        first = next(items, None)  # header problems raise here, before anything is kept
        export_id = rec.start_export(name or (table or Path(source).name), shown)
        rows: list[ExportRow] = []
        errors: list[StoredError] = []
        for item in _chain(first, items):
            if isinstance(item, RowError):
                errors.append(StoredError(item.row, item.column, item.reason))
            else:
                rows.append(item)
            if len(rows) >= CHUNK or len(errors) >= CHUNK:
                _write(ctx, export_id, rows, errors)
                rows, errors = [], []
        _write(ctx, export_id, rows, errors)
    info = next(e for e in rec.exports() if e.export_id == export_id)
    return ImportReport(info, tuple(rec.errors(export_id, limit=ERRORS_SHOWN)),
                        rec.changes(export_id, previous.export_id if previous else None))


def _chain(first: ExportRow | RowError | None,
           rest: Iterator[ExportRow | RowError]) -> Iterator[ExportRow | RowError]:
    if first is not None:
        yield first
    yield from rest


def _write(ctx: IngestContext, export_id: int, rows: Sequence[ExportRow],
           errors: Sequence[StoredError]) -> None:
    noted = read_notes(rows)
    ctx.index.reconciliation.add_rows(export_id, [stored_row(r) for r in noted], errors)


def stored_row(r: ExportRow) -> StoredRow:
    events = tuple((e.kind, e.outcome, e.date, e.text, e.column, e.confidence)
                   for e in r.events)
    digest = hashlib.sha256(json.dumps([r.values, r.notes]).encode()).hexdigest()
    return StoredRow(r.row, r.key, r.values, r.notes, events, digest)


def export_row(s: StoredRow) -> ExportRow:
    return ExportRow(s.row, s.key, s.values, s.notes,
                     tuple(NotesEvent(*e) for e in s.events))


def paper_persons(ctx: IngestContext) -> list[PaperPerson]:
    """Every person on paper (a document no run linked is a person of its own), with
    the decisions and permissions to work its documents' fields and events state."""
    docs = {d.document_id: d for d in identities(ctx)}
    person_of = {m.document_id: m.person_id or m.document_id for m in person_export(ctx)}
    statuses = _statuses(ctx)
    batches = ctx.index.reconciliation.batches_of(list(docs))
    members: dict[str, list[str]] = {}
    for d in docs:
        members.setdefault(person_of.get(d, d), []).append(d)
    return [PaperPerson(pid, tuple(docs[d] for d in ds),
                        tuple(s for d in ds for s in statuses.get(d, ())),
                        next((batches[d] for d in ds if d in batches), None))
            for pid, ds in members.items()]


def _statuses(ctx: IngestContext) -> dict[str, list[PaperStatus]]:
    """Each document's statuses, reading the index in document id order, a chunk at a time."""
    out: dict[str, list[PaperStatus]] = {}
    after: str | None = None
    while True:
        rows = ctx.index.identity_documents(STATUS_FIELDS, after=after, limit=READ_CHUNK)
        events = ctx.index.reconciliation.events_of([r.document_id for r in rows])
        for row in rows:
            found = [*_field_statuses(row),
                     *_event_statuses(row.document_id, events.get(row.document_id, []))]
            if found:
                out[row.document_id] = found
        if len(rows) < READ_CHUNK:
            return out
        after = rows[-1].document_id


def _field_statuses(row: DocumentRow) -> list[PaperStatus]:
    dated = next((str(f.value) for f in row.fields
                  if f.name == "decision_date" and f.value and f.status == "confirmed"), None)
    out = []
    for f in row.fields:
        if f.name not in ("decision", "permission_to_work") or f.value is None \
                or f.status != "confirmed":
            continue
        value = ("true" if f.value else "false") if isinstance(f.value, bool) else str(f.value)
        out.append(PaperStatus(f.name, value, dated if f.name == "decision" else None,
                               row.document_id, f.page, f.bbox, f.confidence, "field"))
    return out


def _event_statuses(document_id: str, events: Sequence[EventRow]) -> list[PaperStatus]:
    out = []
    for e in events:
        field = EVENT_FIELD.get(e.kind)
        if field is None or e.status != "confirmed":
            continue
        value = PTW_VALUE[e.outcome] if field == "permission_to_work" else e.outcome
        out.append(PaperStatus(field, value, e.date, document_id, e.page, e.bbox,
                               e.confidence, "event"))
    return out


def run(ctx: IngestContext, settings: LinkSettings | None = None) -> RunRow:
    """Reconcile the latest export against the paper and keep the findings."""
    rec = ctx.index.reconciliation
    export = rec.latest_export()
    if export is None:
        raise LookupError("no export imported yet: run `casescan reconcile import` first")
    persons = paper_persons(ctx)
    decided = [judgement(j) for j in ctx.index.judgements()]
    result = reconcile_export(_stored_batches(ctx, export.export_id), persons, decided,
                              settings or LinkSettings())
    nationality = {p.person_id: _nationality(p) for p in persons}
    batch = {p.person_id: p.batch for p in persons}
    return rec.write_run(export.export_id, export.rows, len(persons),
                         [finding_write(f, batch, nationality) for f in result.findings])


def _stored_batches(ctx: IngestContext, export_id: int) -> Iterator[list[ExportRow]]:
    after = 0
    while True:
        rows = ctx.index.reconciliation.rows(export_id, after=after, limit=CHUNK * 5)
        if not rows:
            return
        yield [export_row(r) for r in rows]
        after = rows[-1].row


def _nationality(p: PaperPerson) -> str | None:
    seen = [o for d in p.documents for o in d.nationality]
    return max(seen, key=lambda o: o.confidence).value if seen else None


def finding_write(f: Finding, batch: dict[str, str | None],
                  nationality: dict[str, str | None]) -> FindingWrite:
    evidence = json.dumps([asdict(e) for e in f.evidence])
    digest = hashlib.sha256(f"{f.summary}\n{evidence}".encode()).hexdigest()
    first = f.persons[0] if f.persons else None
    return FindingWrite(f.fingerprint, f.kind, f.harm, f.keys, f.persons, f.field, f.summary,
                        evidence, f.match_weight, digest, batch.get(first) if first else None,
                        nationality.get(first) if first else _row_nationality(f))


def _row_nationality(f: Finding) -> str | None:
    return next((e.db_value for e in f.evidence if e.field == "nationality"), None)


def findings(ctx: IngestContext, *, kind: str | None = None, state: str | None = None,
             limit: int = 50, offset: int = 0) -> list[FindingRow]:
    """The latest run's findings, most harmful first."""
    return ctx.index.reconciliation.findings(kind=kind, state=state, limit=limit,
                                             offset=offset)


def finding(ctx: IngestContext, finding_id: int) -> tuple[FindingRow, list[ResolutionRow]]:
    """One finding with every resolution and re-opening, oldest first (LookupError if
    there is none)."""
    found = ctx.index.reconciliation.finding(finding_id)
    if found is None:
        raise LookupError(f"no finding {finding_id}")
    return found


def resolve(ctx: IngestContext, finding_id: int, *, by: str, reason: str) -> ResolutionRow:
    """Close a finding with the reason; it is kept and re-opens if either side changes."""
    return ctx.index.reconciliation.resolve(finding_id, by, reason)


SUMMARY_BY: Final = ("kind", "batch", "nationality")


def summary(ctx: IngestContext, *, min_count: int,
            by: Sequence[str] = SUMMARY_BY) -> list[Report]:
    """The latest run's findings by kind, by batch and by nationality (or those of `by`);
    small counts suppressed as every report is."""
    out = []
    for group in by:
        rows = ctx.index.reconciliation.counts(group)
        if group == "kind":
            out.append(Report("findings by kind", ("kind", "findings"), tuple(
                (r.group, suppress(r.count, min_count)) for r in rows)))
        else:
            out.append(Report(f"findings by {group}", ("kind", group, "findings"), tuple(
                (r.group, r.value or "unknown", suppress(r.count, min_count))
                for r in rows)))
    return out


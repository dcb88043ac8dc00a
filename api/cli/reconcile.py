"""`casescan reconcile ...`: import an export of the live case database, reconcile it
against the paper, list, show and resolve findings, and summarise them.

The same under `/api/reconcile` (api/routes/reconcile.py) and the `/reconcile` pages.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from api.cli import render
from api.cli.errors import context, exits, fail, found
from api.csvout import write_findings
from api.models import (
    ExportImportOut,
    FindingDetailOut,
    FindingOut,
    ReconcileRunOut,
    ReportOut,
    ResolutionOut,
)
from api.settings import get_settings
from casework import reconcile
from reconcile.records import FINDING_KINDS
from storage.index.reconcile_records import FINDING_STATES

JsonOpt = Annotated[bool, typer.Option("--json", help="JSON (one object per line)")]
CsvOpt = Annotated[bool, typer.Option("--csv", help="CSV with a header row")]
app = typer.Typer(help="Check an export of the case database against the paper.",
                  no_args_is_help=True)


@app.command("import")
def import_export(
        export: Annotated[str, typer.Argument(help="CSV export of the case database, or "
                                              "a database URL with --table")],
        mapping: Annotated[Path, typer.Option("--mapping", help="TOML mapping of columns "
                                              "onto case fields", exists=True,
                                              dir_okay=False)],
        name: Annotated[str | None, typer.Option("--name", help="Name of this export")] = None,
        table: Annotated[str | None, typer.Option(
            "--table", help="Read this table (schema.table) of the database EXPORT names")
                         ] = None,
        as_json: JsonOpt = False) -> None:
    """Import an export beside any earlier one; bad cells are listed by row and column."""
    ctx = context()
    with exits():
        report = ExportImportOut.of(reconcile.import_export(ctx, export, mapping, name,
                                                            table=table))
    if as_json:
        render.emit(report)
        return
    render.say(f"export {report.export_id} {report.name!r}: {report.rows} rows, "
               f"{report.errors} bad cells or rows")
    for e in report.first_errors:
        render.say(f"  row {e.row}, column {e.column or '-'}: {e.reason}")
    if report.previous_export_id is not None:
        render.say(f"since export {report.previous_export_id}: {report.added} added, "
                   f"{report.removed} removed, {report.changed} changed "
                   f"{' '.join(report.examples)}")


@app.command("run")
def run(as_json: JsonOpt = False) -> None:
    """Reconcile the latest export against the paper; keep the findings."""
    ctx = context()
    with exits():
        out = ReconcileRunOut.of(reconcile.run(ctx))
    if as_json:
        render.emit(out)
    else:
        render.say(f"run {out.run_id}: {out.rows} rows against {out.persons} persons on "
                   f"paper, {out.findings} findings ({out.reopened} re-opened)")


@app.command("findings")
def findings(kind: Annotated[str | None, typer.Option("--kind", help=", ".join(
                 FINDING_KINDS))] = None,
             state: Annotated[str | None, typer.Option("--state", help=", ".join(
                 FINDING_STATES))] = None,
             limit: Annotated[int, typer.Option(min=1, max=20_000)] = 50,
             offset: Annotated[int, typer.Option(min=0)] = 0,
             as_json: JsonOpt = False, as_csv: CsvOpt = False) -> None:
    """The latest run's findings, most harmful first (status and merged identity)."""
    if kind is not None and kind not in FINDING_KINDS:
        fail(f"--kind must be one of {', '.join(FINDING_KINDS)}")
    if state is not None and state not in FINDING_STATES:
        fail(f"--state must be one of {', '.join(FINDING_STATES)}")
    ctx = context()
    with exits():
        rows = [FindingOut.of(f) for f in reconcile.findings(ctx, kind=kind, state=state,
                                                             limit=limit, offset=offset)]
    if as_json:
        render.emit_all(rows)
    elif as_csv:
        write_findings(rows, sys.stdout)
    else:
        render.table(("id", "kind", "state", "rows", "persons", "summary"),
                     ([str(f.finding_id), f.kind, f.state, ", ".join(f.keys),
                       ", ".join(f.persons), f.summary] for f in rows),
                     "no findings (run `casescan reconcile run` first)")


@app.command("show")
def show(finding_id: Annotated[int, typer.Argument(help="Finding id")],
         as_json: JsonOpt = False) -> None:
    """One finding with its evidence and every resolution."""
    ctx = context()
    f, resolutions = found(lambda: ctx.index.reconciliation.finding(finding_id),
                           f"no finding {finding_id}")
    out = FindingDetailOut.of_detail(f, resolutions)
    if as_json:
        render.emit(out)
        return
    render.say(f"finding {out.finding_id} ({out.kind}, {out.state}): {out.summary}")
    for e in out.evidence:
        paper = "; ".join(f"{v.value} (doc {v.document_id[:12]} p{v.page} box {v.bbox} "
                          f"conf {v.confidence:.2f})" for v in e.paper)
        render.say(f"  {e.field}: database {e.db_value!r} | paper {paper or '-'} {e.note}")
    for r in out.resolutions:
        render.say(f"  {r.at} {r.action} by {r.by}: {r.reason}")


@app.command("resolve")
def resolve(finding_id: Annotated[int, typer.Argument(help="Finding id")],
            reason: Annotated[str, typer.Option("--reason", help="Why, for the record")],
            by: Annotated[str, typer.Option("--by", help="Who resolves it")],
            as_json: JsonOpt = False) -> None:
    """Close a finding with the reason (kept; re-opens if either side changes)."""
    ctx = context()
    with exits():
        r = reconcile.resolve(ctx, finding_id, by=by, reason=reason)
    if as_json:
        render.emit(ResolutionOut.of(r))
    else:
        render.say(f"finding {r.finding_id} resolved by {r.by}")


@app.command("summary")
def summary(as_json: JsonOpt = False, as_csv: CsvOpt = False) -> None:
    """Findings by kind, by batch and by nationality; small counts suppressed."""
    ctx = context()
    with exits():
        reports = reconcile.summary(ctx, min_count=get_settings().report_min_count)
    for r in reports:
        if as_json:
            render.emit(ReportOut.of(r))
        else:
            render.report(r, False, as_csv)

"""`casescan report ...`: counts for analysts, with small counts shown as <N."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer

import casework
from api.cli import render
from api.cli.errors import context, exits, fail
from api.settings import get_settings
from casework.reports import persons as persons_report
from ingest.chain import IngestContext

app = typer.Typer(help="Counts for analysts; small counts are shown as <N.", no_args_is_help=True)
GROUPS = ("application_type", "decision", "year", "permission_to_work")
JsonOpt = Annotated[bool, typer.Option("--json", help="One JSON object per row")]
CsvOpt = Annotated[bool, typer.Option("--csv", help="CSV with a header row")]


def run(build: Callable[[IngestContext, int], casework.Report], as_json: bool,
        as_csv: bool) -> None:
    """Build one report with the configured smallest count shown, and print it."""
    if as_json and as_csv:
        fail("choose one of --json and --csv")
    ctx = context()
    with exits():
        report = build(ctx, get_settings().report_min_count)
    render.report(report, as_json, as_csv)


@app.command("counts")
def counts(
    by: Annotated[str, typer.Option(help=f"Comma-separated: {', '.join(GROUPS)}")
                  ] = "application_type,decision,year",
    application_type: Annotated[str | None, typer.Option()] = None,
    decision: Annotated[str | None, typer.Option()] = None,
    year: Annotated[int | None, typer.Option(help="Year of the decision")] = None,
    as_json: JsonOpt = False, as_csv: CsvOpt = False,
) -> None:
    """Cases by application type, decision and year of decision (or any of GROUPS)."""
    group = [g.strip() for g in by.split(",") if g.strip()]
    run(lambda ctx, n: casework.counts(ctx, group, min_count=n,
                                      application_type=application_type,
                                      decision=decision, year=year), as_json, as_csv)


@app.command("permission-to-work")
def permission_to_work(
    year: Annotated[int, typer.Option(help="Year of the decision")],
    application_type: Annotated[str, typer.Option()] = "asylum",
    as_json: JsonOpt = False, as_csv: CsvOpt = False,
) -> None:
    """How many applicants decided in YEAR were granted permission to work."""
    run(lambda ctx, n: casework.permission_to_work(
        ctx, year, min_count=n, application_type=application_type), as_json, as_csv)


@app.command("quality")
def quality(
    batch: Annotated[int | None, typer.Option(help="Only this batch id")] = None,
    as_json: JsonOpt = False, as_csv: CsvOpt = False,
) -> None:
    """Missing and to-review case fields, by batch and field."""
    run(lambda ctx, n: casework.data_quality(ctx, min_count=n, batch_id=batch),
        as_json, as_csv)


@app.command("persons")
def persons(as_json: JsonOpt = False, as_csv: CsvOpt = False) -> None:
    """How many people the files hold: documents, persons, and documents by link status."""
    run(lambda ctx, n: persons_report(ctx, min_count=n), as_json, as_csv)

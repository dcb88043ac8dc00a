"""The `casescan` command: ingest, search, show, review, correct, entities, batches, serve,
generate, demo.

Commands are thin: they read Settings, open the shared context and call the
same library functions as the HTTP routes. Machine-readable output (--json)
goes to stdout one object per line; progress and messages go to stderr.
"""

from __future__ import annotations

import contextlib
import csv
import json
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

import casework
from api.deps import build_context
from api.settings import get_settings
from ingest.batch import expand, run_batch
from ingest.chain import IngestContext
from ingest.errors import SetupError
from ingest.outcome import CASE_FIELDS, DocumentOutcome, correction_json
from storage.index.records import SearchFilters, SearchHit

app = typer.Typer(help="Digitise scanned case files into searchable, structured records.",
                  no_args_is_help=True, add_completion=False)
T = TypeVar("T")
err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)


def context() -> IngestContext:
    """The configured store and index, or a one-line error and exit code 2."""
    try:
        return build_context(get_settings())
    except ValidationError as exc:
        problems = "; ".join(f"CASESCAN_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}"
                             for e in exc.errors())
        err.print(f"[red]error[/red] bad configuration: {problems}", highlight=False)
    except SetupError as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False)
    except OSError as exc:
        err.print(f"[red]error[/red] data directory not usable: {exc}", highlight=False)
    raise typer.Exit(2)


def emit(obj: object) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def print_outcome(outcome: DocumentOutcome) -> None:
    if outcome.status == "failed":
        err.print(f"[red]failed[/red] {outcome.error}", highlight=False)
        return
    found = sum(v is not None for v in outcome.fields.values())
    review = sum(r.status == "needs_review" for r in outcome.results.values())
    note = " (already ingested)" if outcome.duplicate else ""
    note += f", {review} to review" if review else ""
    out.print(f"[green]done[/green] {outcome.source} -> {outcome.document_id[:12]}"  # type: ignore[index]
              f" {outcome.pages} page(s), {found}/{len(CASE_FIELDS)} fields{note}",
              highlight=False)
    print_page_problems(outcome, err)


def found(lookup: Callable[[], T | None], missing: str) -> T:
    """What a lookup by document id found: a bad id exits 2, an absent one exits 1,
    each with one line naming it."""
    try:
        result = lookup()
    except ValueError as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False)
        raise typer.Exit(2) from exc
    if result is None:
        err.print(f"[red]error[/red] {missing}", highlight=False)
        raise typer.Exit(1)
    return result


def print_page_problems(outcome: DocumentOutcome, console: Console) -> None:
    """Pages that could not be read, and pages read so poorly that a person must read them."""
    for error in outcome.page_errors:
        console.print(f"  [yellow]page error[/yellow] {error}", highlight=False)
    for number in outcome.flagged_pages:
        console.print(f"  [yellow]check page {number}[/yellow]: OCR read it poorly even after "
                      "retries; a person should read it", highlight=False)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of PDF/TIFF/PNG/JPEG")],
    batch: Annotated[str | None, typer.Option(help="Batch name (default: a timestamp)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per document")] = False,
    workers: Annotated[int | None, typer.Option(help="Worker processes for page work")] = None,
) -> None:
    """Digitise files into the index; every file's outcome is recorded in the batch."""
    ctx = context()
    settings = get_settings()
    name = batch or datetime.now().strftime("batch-%Y%m%d-%H%M%S")
    total = sum(1 for _ in expand(paths))
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(f"files of {name}", total=total)
        pages = bar.add_task("pages read", total=0)

        def page_progress(known: int, read: int) -> None:
            bar.update(pages, total=(bar.tasks[pages].total or 0) + known, advance=read)

        def progress(outcome: DocumentOutcome) -> None:
            bar.advance(task)
            if as_json:
                emit(outcome.as_json())
            else:
                print_outcome(outcome)

        result = run_batch(paths, name, ctx, workers=workers or settings.workers,
                           progress=progress, page_progress=page_progress)
    err.print(f"batch {result.name!r} (#{result.batch_id}): {len(result.outcomes)} file(s), "
              f"{result.failed} failed", highlight=False)
    if result.failed:
        raise typer.Exit(1)


def parse_day(value: str | None, option: str) -> date | None:
    """An ISO date from the command line, or a one-line error naming the option."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        err.print(f"[red]error[/red] {option} must be a date like 1985-03-02, got {value!r}",
                  highlight=False)
        raise typer.Exit(2) from None


def hit_json(hit: SearchHit) -> dict[str, object]:
    return {"document_id": hit.document_id, "page": hit.page, "score": round(hit.score, 4),
            "snippet": hit.snippet, "bbox": list(hit.bbox) if hit.bbox else None,
            "source": hit.source}


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find (all must match); may be empty")
                     ] = "",
    surname: Annotated[str | None, typer.Option(help="Surname, fuzzy (two letters may differ)")
                       ] = None,
    given_names: Annotated[str | None, typer.Option(help="First given name, fuzzy")] = None,
    dob: Annotated[str | None, typer.Option(help="Date of birth YYYY-MM-DD")] = None,
    born_from: Annotated[str | None, typer.Option(help="Born on or after YYYY-MM-DD")] = None,
    born_to: Annotated[str | None, typer.Option(help="Born on or before YYYY-MM-DD")] = None,
    nationality: Annotated[str | None, typer.Option(help="ISO 3166 alpha-3, e.g. NGA")] = None,
    reference: Annotated[str | None, typer.Option(help="Home Office reference, exact")] = None,
    application_type: Annotated[str | None, typer.Option(help="e.g. asylum")] = None,
    decision: Annotated[str | None, typer.Option(help="granted, refused, ...")] = None,
    decided_from: Annotated[str | None, typer.Option(help="Decided on or after")] = None,
    decided_to: Annotated[str | None, typer.Option(help="Decided on or before")] = None,
    batch: Annotated[int | None, typer.Option(help="Batch id (see `casescan batches`)")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 20,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per hit")] = False,
) -> None:
    """Search pages by their words and cases by their fields, best first."""
    filters = SearchFilters(
        surname=surname, given_names=given_names, date_of_birth=parse_day(dob, "--dob"),
        born_from=parse_day(born_from, "--born-from"), born_to=parse_day(born_to, "--born-to"),
        nationality=nationality, reference=reference, application_type=application_type,
        decision=decision, decided_from=parse_day(decided_from, "--decided-from"),
        decided_to=parse_day(decided_to, "--decided-to"), batch_id=batch)
    if not query.strip() and filters.is_empty():
        err.print("[red]error[/red] give words to search for or at least one filter "
                  "(--surname, --reference, ...)", highlight=False)
        raise typer.Exit(2)
    ctx = context()
    try:
        hits = casework.search(ctx, query, filters=filters, limit=limit, offset=offset,
                              max_query_chars=get_settings().max_query_chars)
    except ValueError as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False)
        raise typer.Exit(2) from exc
    except SetupError as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False)
        raise typer.Exit(2) from exc
    if as_json:
        for hit in hits:
            emit(hit_json(hit))
        return
    table = Table("document", "page", "score", "snippet", "source")
    for hit in hits:
        table.add_row(hit.document_id[:12], str(hit.page), f"{hit.score:.3g}",
                      " / ".join(hit.snippet.split("\n")), hit.source)
    out.print(table if hits else "no matches")


report_app = typer.Typer(help="Counts for analysts; small counts are shown as <N.",
                         no_args_is_help=True)
app.add_typer(report_app, name="report")
GROUPS = ("application_type", "decision", "year", "permission_to_work")


def print_report(report: casework.Report, as_json: bool, as_csv: bool) -> None:
    if as_json:
        for item in report.as_dicts():
            emit(item)
    elif as_csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(report.columns)
        writer.writerows([["" if v is None else v for v in row] for row in report.rows])
    else:
        table = Table(*report.columns, title=report.title)
        for row in report.rows:
            table.add_row(*("-" if v is None else str(v) for v in row))
        out.print(table if report.rows else f"{report.title}: no cases")


def run_report(build: Callable[[IngestContext, int], casework.Report], as_json: bool,
               as_csv: bool) -> None:
    if as_json and as_csv:
        err.print("[red]error[/red] choose one of --json and --csv", highlight=False)
        raise typer.Exit(2)
    ctx = context()
    try:
        report = build(ctx, get_settings().report_min_count)
    except (ValueError, SetupError) as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False)
        raise typer.Exit(2) from exc
    print_report(report, as_json, as_csv)


JsonOpt = Annotated[bool, typer.Option("--json", help="One JSON object per row")]
CsvOpt = Annotated[bool, typer.Option("--csv", help="CSV with a header row")]


@report_app.command("counts")
def report_counts(
    by: Annotated[str, typer.Option(help=f"Comma-separated: {', '.join(GROUPS)}")
                  ] = "application_type,decision,year",
    application_type: Annotated[str | None, typer.Option()] = None,
    decision: Annotated[str | None, typer.Option()] = None,
    year: Annotated[int | None, typer.Option(help="Year of the decision")] = None,
    as_json: JsonOpt = False, as_csv: CsvOpt = False,
) -> None:
    """Cases by application type, decision and year of decision (or any of GROUPS)."""
    group = [g.strip() for g in by.split(",") if g.strip()]
    run_report(lambda ctx, n: casework.counts(ctx, group, min_count=n,
                                             application_type=application_type,
                                             decision=decision, year=year), as_json, as_csv)


@report_app.command("permission-to-work")
def report_permission_to_work(
    year: Annotated[int, typer.Option(help="Year of the decision")],
    application_type: Annotated[str, typer.Option()] = "asylum",
    as_json: JsonOpt = False, as_csv: CsvOpt = False,
) -> None:
    """How many applicants decided in YEAR were granted permission to work."""
    run_report(lambda ctx, n: casework.permission_to_work(
        ctx, year, min_count=n, application_type=application_type), as_json, as_csv)


@report_app.command("quality")
def report_quality(
    batch: Annotated[int | None, typer.Option(help="Only this batch id")] = None,
    as_json: JsonOpt = False, as_csv: CsvOpt = False,
) -> None:
    """Missing and to-review case fields, by batch and field."""
    run_report(lambda ctx, n: casework.data_quality(ctx, min_count=n, batch_id=batch),
               as_json, as_csv)


@app.command()
def show(
    document_id: Annotated[str, typer.Argument(help="Document id (or a unique prefix of 8+)")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """A document's fields, with page, box and confidence for each, and its text."""
    ctx = context()
    outcome = found(lambda: casework.show(ctx, document_id), f"no document {document_id!r}")
    if as_json:
        emit(outcome.as_json())
        return
    out.print(f"[bold]{outcome.document_id}[/bold]  {outcome.source}  {outcome.pages} page(s)")
    for name in CASE_FIELDS:
        print_field(outcome, name)
    print_page_problems(outcome, out)
    out.print()
    out.print(outcome.text, highlight=False)


def evidence(text: str | None, confidence: float | None, page: int | None,
             bbox: object) -> str:
    if page is None:
        return ""
    box = ",".join(map(str, bbox)) if isinstance(bbox, list | tuple) else "-"
    return f"printed {text!r}  conf {confidence or 0:.2f}  page {page}  box {box}"


def print_field(outcome: DocumentOutcome, name: str) -> None:
    """One field: its effective value and status, candidates awaiting review, corrections."""
    result = outcome.results.get(name)
    shown = outcome.effective(name)
    if shown is not None:
        extracted = outcome.fields.get(name)
        status = str(shown["status"])
        line = f"  {name:22} [bold]{shown['value']}[/bold]  [green]{status}[/green]"
        if status == "corrected":
            line += f" by {shown['corrected_by']} at {shown['corrected_at']}"
            line += f" (extracted: {extracted.value if extracted else '-'})"
        if extracted is not None:
            line += "  " + evidence(extracted.text, extracted.confidence, extracted.page,
                                    extracted.bbox)
        out.print(line, highlight=False)
        if extracted is None and result is not None:
            for v in result.values:  # what the correction settled
                out.print(f"  {'':22}   was {result.status}: {v.value}  "
                          + evidence(v.text, v.confidence, v.page, v.bbox), highlight=False)
        return
    if result is not None and result.status == "needs_review":
        out.print(f"  {name:22} [yellow]needs review[/yellow]: {result.reason}", highlight=False)
        for v in result.values:
            out.print(f"  {'':22}   {v.value}  " + evidence(v.text, v.confidence, v.page, v.bbox),
                      highlight=False)
        return
    reason = result.reason if result is not None else None
    out.print(f"  {name:22} [dim]- missing{': ' + reason if reason else ''}[/dim]",
              highlight=False)


@app.command()
def review(
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    document: Annotated[str | None, typer.Option(help="Only this document")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per field")] = False,
) -> None:
    """Fields awaiting a person's review (uncertain, or two different values), oldest first."""
    ctx = context()
    try:
        items = casework.review(ctx, limit=limit, offset=offset, document_id=document)
    except (LookupError, ValueError) as exc:
        err.print(f"[red]error[/red] {exc.args[0] if exc.args else exc}", highlight=False)
        raise typer.Exit(2) from exc
    if as_json:
        for item in items:
            emit({"document_id": item.document_id, "source": item.source, "field": item.name,
                  "reason": item.reason,
                  "values": [{"value": v.value, "text": v.text,
                              "confidence": round(v.confidence, 3), "page": v.page,
                              "bbox": None if v.bbox is None else list(v.bbox)}
                             for v in item.values]})
        return
    table = Table("document", "field", "values (page)", "why", "source")
    for item in items:
        values = "; ".join(f"{v.value} ({v.text!r}, p{v.page}, {v.confidence:.2f})"
                           for v in item.values)
        table.add_row(item.document_id[:12], item.name, values, item.reason or "", item.source)
    out.print(table if items else "nothing awaits review")
    err.print(f"{ctx.index.count_review()} field(s) await review in all", highlight=False)


@app.command()
def correct(
    document_id: Annotated[str, typer.Argument(help="Document id (or a unique prefix of 8+)")],
    field: Annotated[str, typer.Argument(help="Case field, e.g. surname")],
    value: Annotated[str, typer.Argument(help="The right value, e.g. 12/03/1987 or Nigerian")],
    by: Annotated[str, typer.Option("--by", help="Who makes the correction")],
    note: Annotated[str | None, typer.Option(help="Why, for the record")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Correct a field. The extracted value and earlier corrections are kept, with who/when."""
    ctx = context()
    try:
        row = casework.correct(ctx, document_id, field, value, by, note)
    except (LookupError, ValueError) as exc:
        err.print(f"[red]error[/red] {exc.args[0] if exc.args else exc}", highlight=False)
        raise typer.Exit(2) from exc
    if as_json:
        emit({"document_id": row.document_id, "field": row.name} | correction_json(row))
        return
    out.print(f"corrected {row.name} of {row.document_id[:12]} to [bold]{row.value}[/bold] "
              f"(extracted: {row.extracted}) by {row.by} at {row.at:%Y-%m-%d %H:%M} UTC",
              highlight=False)


@app.command()
def entities(
    text: Annotated[str | None, typer.Argument(help="Text the entity contains")] = None,
    label: Annotated[str | None, typer.Option(
        help="PERSON, DATE, GPE, NORP, ORG, HO_REF or POSTCODE")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Entities found in free text (letters, notes, minutes), by label and/or text."""
    ctx = context()
    try:
        hits = casework.entities(ctx, label=label, text=text, limit=limit, offset=offset)
    except ValueError as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False)
        raise typer.Exit(2) from exc
    if as_json:
        for h in hits:
            emit({"document_id": h.document_id, "source": h.source, "label": h.label,
                  "text": h.text, "page": h.page, "start": h.start, "end": h.end})
        return
    table = Table("document", "page", "label", "text", "source")
    for h in hits:
        table.add_row(h.document_id[:12], str(h.page), h.label, h.text, h.source)
    out.print(table if hits else "no entities found")


@app.command()
def pdf(
    document_id: Annotated[str, typer.Argument(help="Document id (or a unique prefix of 8+)")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the PDF")],
) -> None:
    """Save a document's searchable PDF (page images with an invisible text layer)."""
    ctx = context()
    data = found(lambda: casework.searchable_pdf(ctx, document_id),
                 f"no searchable PDF of document {document_id!r}")
    output.write_bytes(data)
    err.print(f"wrote {output} ({len(data)} bytes)", highlight=False)


@app.command()
def batches(limit: Annotated[int, typer.Option(min=1)] = 20) -> None:
    """Recent batches and how each file fared."""
    ctx = context()
    for b in casework.batches(ctx, limit):
        bad = sum(f.status == "failed" for f in b.files)
        out.print(f"[bold]#{b.batch_id} {b.name}[/bold] {b.created_at:%Y-%m-%d %H:%M} "
                  f"{len(b.files)} file(s), {bad} failed", highlight=False)
        for f in b.files:
            mark = "[red]failed[/red]" if f.status == "failed" else "[green]done[/green]"
            out.print(f"  {mark} {f.error or f.source}", highlight=False)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
) -> None:
    """The HTTP API (FastAPI): /health, /documents, /search, /batches."""
    import uvicorn

    settings = get_settings()
    uvicorn.run("api.app:create_app", factory=True, host=host or settings.host,
                port=port or settings.port)


@app.command()
def generate(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write files and truth.json into")],
    count: Annotated[int, typer.Option(min=1)] = 6,
    degradation: Annotated[str, typer.Option(help="clean, moderate or heavy")] = "moderate",
    fmt: Annotated[str, typer.Option("--format", help="png, jpeg, tiff or pdf")] = "png",
    seed: Annotated[int, typer.Option()] = 0,
) -> None:
    """Write synthetic scanned case files with their true field values."""
    from synth import generate_batch

    try:
        truths = generate_batch(out_dir, count, seed=seed, fmt=fmt, degradation=degradation)
    except ValueError as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False)
        raise typer.Exit(2) from exc
    err.print(f"wrote {len(truths)} file(s) and truth.json to {out_dir}")


@app.command()
def demo(count: Annotated[int, typer.Option(min=1)] = 6) -> None:
    """Generate a sample batch of degraded scans, digitise it and search it."""
    from synth import generate_batch

    settings = get_settings()
    sample = settings.data_dir / "sample"
    truths = generate_batch(sample / "scans", count, seed=2026, fmt="png",
                            degradation=["clean", "moderate"])
    (sample / "truth.json").write_text(json.dumps([t.as_json() for t in truths], indent=1))
    (sample / "scans" / "truth.json").unlink(missing_ok=True)
    err.print(f"generated {len(truths)} sample scans in {sample / 'scans'}")
    with contextlib.suppress(typer.Exit):
        ingest([sample / "scans"], batch="demo", as_json=False, workers=None)
    surname = next((t.fields["surname"] for t in truths if t.fields.get("surname")), "asylum")
    err.print(f"\n$ casescan search {surname}")
    search(str(surname), None, None, None, None, None, None, None, None, None, None, None,
           None, 5, 0, False)
    hits = casework.search(context(), str(surname), limit=1)
    if hits:
        err.print(f"\n$ casescan show {hits[0].document_id[:12]}")
        show(hits[0].document_id, as_json=False)


if __name__ == "__main__":
    app()

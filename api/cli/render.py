"""Everything the CLI shows: JSON lines on stdout, tables and messages for a person.

Machine-readable output (--json, --csv) goes to stdout, one object per line; progress and
messages go to stderr, so a pipe gets only data.

Only rich is imported up front; the records shown are types for the checker, and the few
helpers that need a stage's code import it where they run, so every command (and
`casescan --help`) starts without loading what it does not use.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table

if TYPE_CHECKING:
    from api.models import BatchStatusOut, Model
    from casework import Report
    from casework.persons import LinkReview, PersonHit, PersonView
    from extraction.fields import FieldValue
    from ingest.outcome import DocumentOutcome
    from storage.index.person_records import LinkPairRow, LinkRunRow, MemberRow
    from storage.index.records import (
        BatchRow,
        EntityHit,
        FieldRow,
        PairHit,
        ReviewItem,
        SearchHit,
    )

err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)


def emit(obj: Model | dict[str, object]) -> None:
    """One JSON object on its own line of stdout, flushed at once for a pipe."""
    data = obj if isinstance(obj, dict) else obj.as_json()
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def emit_all(models: Iterable[Model]) -> None:
    for model in models:
        emit(model)


def say(text: str) -> None:
    """A message for a person, on stderr."""
    err.print(text, highlight=False)


def table(columns: Sequence[str], rows: Iterable[Sequence[str]], empty: str,
          title: str | None = None) -> None:
    """A table on stdout, or the line that says there is nothing to show."""
    grid = Table(*columns, title=title)
    for row in rows:
        grid.add_row(*row)
    out.print(grid if grid.row_count else empty)


def outcome(o: DocumentOutcome) -> None:
    """One ingested file: done (with what was found) or failed (with why)."""
    from extraction.fields import CASE_FIELDS

    if o.status == "failed":
        err.print(f"[red]failed[/red] {o.error}", highlight=False)
        return
    found = sum(v is not None for v in o.fields.values())
    review = sum(r.status == "needs_review" for r in o.results.values())
    note = " (already ingested)" if o.duplicate else ""
    note += f", {review} to review" if review else ""
    out.print(f"[green]done[/green] {o.source} -> {(o.document_id or '')[:12]}"
              f" {o.pages} page(s), {found}/{len(CASE_FIELDS)} fields{note}", highlight=False)
    page_problems(o, err)


def page_problems(o: DocumentOutcome, console: Console) -> None:
    """Pages that could not be read, and pages read so poorly that a person must read them."""
    for error in o.page_errors:
        console.print(f"  [yellow]page error[/yellow] {error}", highlight=False)
    for number in o.flagged_pages:
        console.print(f"  [yellow]check page {number}[/yellow]: OCR read it poorly even after "
                      "retries; a person should read it", highlight=False)


def document(o: DocumentOutcome) -> None:
    """A document's fields with their evidence, its page problems, then its text."""
    out.print(f"[bold]{o.document_id}[/bold]  {o.source}  {o.pages} page(s)")
    for name in o.field_names():
        field(o, name)
    form_pairs(o)
    page_problems(o, out)
    case_timeline(o)
    out.print()
    out.print(o.text, highlight=False)


def form_pairs(o: DocumentOutcome) -> None:
    """Every key-value pair printed on the form pages, with its evidence."""
    if not o.pairs:
        return
    out.print("[bold]Key-value pairs[/bold]")
    for p in o.pairs:
        value = escape(p.value) if p.value else "[dim](empty)[/dim]"
        box = ",".join(map(str, p.value_bbox)) if p.value_bbox else "-"
        out.print(f"  p{p.page}  {escape(p.key)}: {value}  conf {p.confidence:.2f}  box {box}",
                  highlight=False)


def evidence(v: FieldValue | FieldRow) -> str:
    if v.page is None:
        return ""
    box = ",".join(map(str, v.bbox)) if v.bbox is not None else "-"
    return f"printed {v.text!r}  conf {v.confidence or 0:.2f}  page {v.page}  box {box}"


def field(o: DocumentOutcome, name: str) -> None:
    """One field: its effective value and status, candidates awaiting review, corrections."""
    result = o.results.get(name)
    shown = o.effective(name)
    if shown is not None:
        line = f"  {name:22} [bold]{shown.value}[/bold]  [green]{shown.status}[/green]"
        if shown.correction is not None:
            line += f" by {shown.correction.by} at {shown.correction.at.isoformat()}"
            line += f" (extracted: {shown.extracted.value if shown.extracted else '-'})"
        if shown.extracted is not None:
            line += "  " + evidence(shown.extracted)
        out.print(line, highlight=False)
        if shown.extracted is None and result is not None:
            for v in result.values:  # what the correction settled
                out.print(f"  {'':22}   was {result.status}: {v.value}  " + evidence(v),
                          highlight=False)
        return
    if result is not None and result.status == "needs_review":
        out.print(f"  {name:22} [yellow]needs review[/yellow]: {result.reason}", highlight=False)
        for v in result.values:
            out.print(f"  {'':22}   {v.value}  " + evidence(v), highlight=False)
        return
    reason = result.reason if result is not None else None
    out.print(f"  {name:22} [dim]- missing{': ' + reason if reason else ''}[/dim]",
              highlight=False)


def hits(found: Sequence[SearchHit]) -> None:
    table(("document", "page", "score", "snippet", "source"),
          ((h.document_id[:12], str(h.page), f"{h.score:.3g}",
            " / ".join(h.snippet.split("\n")), h.source) for h in found), "no matches")


def entities(found: Sequence[EntityHit]) -> None:
    table(("document", "page", "label", "text", "source"),
          ((h.document_id[:12], str(h.page), h.label, h.text, h.source) for h in found),
          "no entities found")


def pairs(found: Sequence[PairHit]) -> None:
    table(("document", "page", "key", "value", "conf", "source"),
          ((h.document_id[:12], str(h.page), h.key, h.value, f"{h.confidence:.2f}", h.source)
           for h in found), "no pairs found")


def review_items(items: Sequence[ReviewItem]) -> None:
    table(("document", "field", "values (page)", "why", "source"),
          ((i.document_id[:12], i.name,
            "; ".join(f"{v.value} ({v.text!r}, p{v.page}, {v.confidence:.2f})"
                      for v in i.values), i.reason or "", i.source) for i in items),
          "nothing awaits review")


def report(r: Report, as_json: bool, as_csv: bool) -> None:
    if as_json:
        for row in r.as_dicts():
            emit(row)
    elif as_csv:
        from api.csvout import write_csv

        write_csv(r, sys.stdout)
    else:
        table(r.columns, (["-" if v is None else str(v) for v in row] for row in r.rows),
              f"{r.title}: no cases", title=r.title)


STATE_MARKS = {"done": "[green]done[/green]", "failed": "[red]failed[/red]",
               "queued": "[yellow]queued[/yellow]", "processing": "[yellow]processing[/yellow]",
               "quarantined": "[red]quarantined[/red]"}


def batches(found: Sequence[BatchRow]) -> None:
    """Each batch with its files per state: files never processed are shown, never hidden."""
    for b in found:
        states = Counter(f.status for f in b.files)
        counted = ", ".join(f"{n} {state}" for state, n in states.items())
        open_files = states["queued"] + states["processing"]
        note = f" [yellow]unfinished: {open_files} not processed[/yellow]" if open_files else ""
        out.print(f"[bold]#{b.batch_id} {b.name}[/bold] {b.created_at:%Y-%m-%d %H:%M} "
                  f"{len(b.files)} file(s): {counted or 'none'}{note}", highlight=False)
        for f in b.files:
            mark = STATE_MARKS.get(f.status, f.status)
            out.print(f"  {mark} {f.error or f.source}", highlight=False)


def batch_status(s: BatchStatusOut) -> None:
    """One batch's progress for a person."""
    rate = f"{s.pages_per_minute:g} pages/min" if s.pages_per_minute else "rate unknown"
    eta = "" if s.eta_seconds is None else f", about {_duration(s.eta_seconds)} left"
    out.print(f"[bold]#{s.batch_id} {s.name}[/bold] {s.state}: {s.files_total} file(s), "
              f"{s.done} done, {s.failed} failed, {s.quarantined} quarantined, "
              f"{s.processing} processing, {s.queued} queued; pages {s.pages_done}/"
              f"{s.pages_total}; {rate}{eta}", highlight=False)
    for f in s.files:
        if f.status != "done":
            pages = f" ({f.pages_done}/{f.pages_total} pages)" if f.pages_total else ""
            out.print(f"  {STATE_MARKS.get(f.status, f.status)} {f.error or f.source}{pages}",
                      highlight=False)


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s"
def members(rows: Sequence[MemberRow]) -> None:
    table(("document", "person", "status", "source"),
          ((m.document_id[:12], m.person_id or "-", m.status, m.source) for m in rows),
          "no documents")


def person_hits(hits: Sequence[PersonHit]) -> None:
    table(("person", "status", "documents"),
          ((h.person_id or "-", h.status, ", ".join(f"{m.document_id[:12]} ({m.source})"
                                                    for m in h.documents)) for h in hits),
          "no persons found")


def waterfall(p: LinkPairRow) -> None:
    """A pair's match weight and each comparison's part in it, with both values read."""
    out.print(f"  {p.left[:12]} ~ {p.right[:12]}  weight {p.match_weight:+.2f}  "
              f"p {p.probability:.4f}  {p.decision}{'  (to review)' if p.review else ''}",
              highlight=False)
    for c in p.contributions:
        sides = [f"{o.value!r} ({o.confidence:.2f}, p{o.page})" if o else "-"
                 for o in (c.left, c.right)]
        out.print(f"    {c.match_weight:+7.2f}  {c.comparison:14} {c.level:24} "
                  f"{sides[0]} / {sides[1]}", highlight=False)


def person(view: PersonView) -> None:
    d = view.detail
    out.print(f"[bold]person {d.person.person_id}[/bold]  {d.person.status}  "
              f"{len(d.members)} document(s)", highlight=False)
    for flag in d.person.flags:
        out.print(f"  [yellow]check[/yellow] {flag}", highlight=False)
    values = dict(view.values)
    for m in d.members:
        out.print(f"  [bold]{m.document_id[:12]}[/bold] {m.source}  {m.status}", highlight=False)
        for f in values.get(m.document_id, ()):
            out.print(f"    {f.name:22} {f.value}  " + evidence(f), highlight=False)
    for title, pairs in (("links", d.links), ("to review", d.review)):
        if pairs:
            out.print(f" {title}:")
            for p in pairs:
                waterfall(p)
    for t in d.two_people:
        out.print(f"  [red]two people[/red] {t.document_id[:12]}: {'; '.join(t.reasons)}",
                  highlight=False)
    for r in d.rescans:
        out.print(f"  rescan {r.document_id[:12]} of {r.original_id[:12]}: {r.reason}",
                  highlight=False)
    for j in d.judgements:
        out.print(f"  decided: {j.action} {j.left[:12]} {j.right[:12]} by {j.by} at "
                  f"{j.at:%Y-%m-%d %H:%M}: {j.why}", highlight=False)


def link_review(queue: LinkReview) -> None:
    if not queue.pairs and not queue.two_people:
        out.print("no links await review")
    for p in queue.pairs:
        waterfall(p)
    for t in queue.two_people:
        out.print(f"  [red]two people[/red] {t.document_id[:12]}: {'; '.join(t.reasons)}",
                  highlight=False)
    say(f"{queue.total_pairs} pair(s) and {queue.total_two_people} two-people flag(s) "
        "await review in all")


def link_run(run: LinkRunRow) -> None:
    say(f"linked {run.documents} document(s) into {run.persons} person(s); {run.review} "
        f"pair(s) to review, {run.two_people} two-people flag(s), {run.rescans} rescan(s)")
def case_timeline(o: DocumentOutcome) -> None:
    """Every dated event and dated field of the file in date order (issue 11), then the
    sentences that looked like decisions but were not taken, with why."""
    from extraction.timeline import timeline

    entries = timeline(o.results, o.events)
    if entries:
        out.print("[bold]timeline[/bold]")
    for t in entries:
        what = t.name if t.kind == "field" else f"{t.kind} {t.value}"
        flag = "" if t.status == "confirmed" else f"  [yellow]{t.status}[/yellow] {t.reason}"
        box = ",".join(map(str, t.bbox))
        out.print(f"  {t.date}  {what:32} page {t.page}  box {box}  {t.text!r}{flag}",
                  highlight=False)
    for e in (e for e in o.events if e.status == "refused"):
        out.print(f"  [dim]not an event (page {e.page}): {e.text!r}: {e.reason}[/dim]",
                  highlight=False)

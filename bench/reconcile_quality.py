"""Reconciliation quality and speed: a generated paper population against a generated
case-database export with known faults and harmless differences.

In one run (bench/reconcile_population.py makes the paper and the export):
- the export is written as CSV and read back through `reconcile.export.read` with the
  declared mapping, notes read by extraction's events reader;
- paper persons are either the truth (`--paper truth`: reconciliation alone) or what
  identity linking makes of the documents (`--paper linked`: end to end, linking's own
  splits and merges included);
- precision and recall per finding kind, for the tuning and the held-out styles;
  harmless differences that raised no finding; permissions to work read from notes;
- the baseline in the same run: exact join on the reference (what a spreadsheet does):
  its status disagreements and vanished records, scored the same way;
- time: --scale-rows database rows (one per person, the rest records with no paper)
  against --scale persons on paper.

    .venv/bin/python bench/reconcile_quality.py --persons 2000 --paper linked
    .venv/bin/python bench/reconcile_quality.py --persons 500 --scale 100000 --scale-rows 1000000
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reconcile_population import (  # noqa: E402
    COLUMNS,
    GIVEN,
    MAPPING,
    NATIONALITIES,
    SURNAMES,
    Generated,
    generate_export,
    write_csv,
)
from run_record import default_out, ratio, shown, write_figures  # noqa: E402

from identity.link import link  # noqa: E402
from identity.settings import LinkSettings  # noqa: E402
from reconcile.export import read  # noqa: E402
from reconcile.mapping import load  # noqa: E402
from reconcile.notes import read_notes  # noqa: E402
from reconcile.records import ExportRow, Finding, PaperPerson, Reconciliation, RowError  # noqa: E402
from reconcile.run import reconcile_export  # noqa: E402

SEED, SCALE_SEED = 11, 53
BATCH = 20_000
KINDS = ("merged_identity", "status_disagreement", "duplicate", "vanished_paper",
         "vanished_db")


def batches(path: Path, mapping_path: Path, errors: list[RowError],
            size: int = BATCH) -> Iterator[list[ExportRow]]:
    """The export read back as the importer reads it, notes included, in batches."""
    mapping = load(mapping_path)
    with path.open("rb") as f:
        batch: list[ExportRow] = []
        for item in read(f, mapping):
            if isinstance(item, RowError):
                errors.append(item)
                continue
            batch.append(item)
            if len(batch) >= size:
                yield read_notes(batch)
                batch = []
        if batch:
            yield read_notes(batch)


def linked_paper(gen: Generated, settings: LinkSettings) -> list[PaperPerson]:
    """Paper persons as identity linking makes them (statuses follow their documents)."""
    result = link([d for p in gen.paper for d in p.documents], [], settings)
    docs = {d.document_id: d for p in gen.paper for d in p.documents}
    statuses = {s.document_id: [] for p in gen.paper for s in p.statuses}
    for p in gen.paper:
        for s in p.statuses:
            statuses[s.document_id].append(s)
    return [PaperPerson(c.person_key, tuple(docs[d] for d in c.documents),
                        tuple(s for d in c.documents for s in statuses.get(d, ())))
            for c in result.clusters]


def _ident(f: Finding, truth_of: dict[str, str]) -> tuple[str, ...]:
    if f.kind == "vanished_paper":
        return (f.kind, *sorted({truth_of[p] for p in f.persons}))
    if f.kind == "duplicate":
        return (f.kind, *f.keys)
    if f.kind == "status_disagreement":
        return (f.kind, f.keys[0], f.field or "")
    return (f.kind, f.keys[0])


def _person_truth(gen: Generated, paper: Sequence[PaperPerson]) -> dict[str, str]:
    out = {}
    for p in paper:
        votes = Counter(gen.truth_of_document[d.document_id] for d in p.documents)
        out[p.person_id] = votes.most_common(1)[0][0]
    return out


def score(gen: Generated, result: Reconciliation, paper: Sequence[PaperPerson],
          control: Reconciliation | None = None) -> dict[str, Any]:
    truth_of = _person_truth(gen, paper)
    expected = {}
    for e in gen.expected:
        if e.kind == "vanished_paper":
            ident: tuple[str, ...] = (e.kind, str(e.person))
        elif e.kind == "duplicate":
            ident = (e.kind, *sorted(e.keys))
        elif e.kind == "status_disagreement":
            ident = (e.kind, next(iter(e.keys)), str(e.field))
        else:
            ident = (e.kind, next(iter(e.keys)))
        expected[ident] = e.heldout
    found: dict[tuple[str, ...], bool] = {}
    for f in result.findings:
        if f.kind not in KINDS:
            continue
        ident = _ident(f, truth_of)
        if f.kind == "vanished_paper":
            person = ident[1] if len(ident) > 1 else ""
        else:
            person = gen.person_of_key.get(f.keys[0].removesuffix("-D").removesuffix("-X"), "")
        found[ident] = expected.get(ident, person in gen.heldout)
    out: dict[str, Any] = {}
    for split, held in (("tuning", False), ("held_out", True)):
        per = {}
        for kind in KINDS:
            exp = {i for i, h in expected.items() if i[0] == kind and h == held}
            got = {i for i, h in found.items() if i[0] == kind and h == held}
            per[kind] = {"expected": len(exp), "found": len(got), "right": len(exp & got),
                         "precision": ratio(len(exp & got), len(got)),
                         "recall": ratio(len(exp & got), len(exp))}
        out[split] = per
    sure = [f for f in result.findings if f.kind == "vanished_paper" and f.field is None]
    got = {_ident(f, truth_of) for f in sure}
    exp = {i for i in expected if i[0] == "vanished_paper"}
    out["vanished_paper_confident_only"] = {
        "found": len(got), "precision": ratio(len(exp & got), len(got)),
        "recall": ratio(len(exp & got), len(exp))}
    out["harmless"] = harmless(gen, result, control)
    out["other_findings"] = dict(Counter(f.kind for f in result.findings
                                         if f.kind not in KINDS))
    return out


def harmless(gen: Generated, result: Reconciliation, control: Reconciliation | None
             ) -> dict[str, Any]:
    """Rows carrying a harmless difference that raised no finding; and, against the same
    export with the differences undone (control), rows where the difference itself raised
    one (a sparse record may sit in the review band with or without it)."""
    def keyed(r: Reconciliation) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for f in r.findings:
            for k in f.keys:
                out.setdefault(k, set()).add(f"{f.kind}:{f.field or ''}")
        return out

    flagged = keyed(result)
    before = keyed(control) if control else {}
    out: dict[str, Any] = {}
    for split, held in (("tuning", False), ("held_out", True)):
        rows = [k for k, (_, h) in gen.harmless.items() if h == held]
        quiet = [k for k in rows if k not in flagged]
        raised = [k for k in rows if flagged.get(k, set()) - before.get(k, set())]
        out[split] = {"rows": len(rows), "no_finding": ratio(len(quiet), len(rows)),
                      "not_raised_by_difference": ratio(len(rows) - len(raised), len(rows)),
                      "raised_by_difference": dict(Counter(gen.harmless[k][0]
                                                           for k in raised))}
    return out


def notes_read(gen: Generated, rows: Sequence[ExportRow]) -> dict[str, Any]:
    """Permissions to work stated only in notes that the events reader read right."""
    from reconcile.findings import EVENT_VALUE

    right = total = 0
    for r in rows:
        stated = gen.notes_truth.get(r.key)
        if stated is None:
            continue
        total += 1
        ptw = [e for e in r.events if e.kind == "permission_to_work"]
        right += bool(ptw) and EVENT_VALUE[ptw[-1].outcome] == stated
    return {"rows": total, "read_right": ratio(right, total)}


def baseline(gen: Generated, rows: Sequence[ExportRow], paper: Sequence[PaperPerson]
             ) -> dict[str, Any]:
    """Exact join on the reference: the first paper person holding the row's reference."""
    from reconcile.findings import latest

    by_ref: dict[str, str] = {}
    for p in paper:
        for d in p.documents:
            for o in d.reference:
                by_ref.setdefault(o.value, p.person_id)
    persons = {p.person_id: p for p in paper}
    findings: list[Finding] = []
    reached = set()
    for r in rows:
        pid = by_ref.get(r.get("reference") or "")
        if pid is None:
            findings.append(Finding("vanished_db", (r.key,), (), ""))
            continue
        reached.add(pid)
        for name in ("decision", "permission_to_work"):
            last = latest(persons[pid].statuses, name)
            if last and r.get(name) and r.get(name) != last.value:
                findings.append(Finding("status_disagreement", (r.key,), (pid,), "", (), None,
                                        name))
    findings += [Finding("vanished_paper", (), (p,), "") for p in persons if p not in reached]
    scored = score(gen, Reconciliation((), tuple(findings)), paper)
    return {s: {k: scored[s][k] for k in ("status_disagreement", "vanished_paper",
                                          "vanished_db")} for s in ("tuning", "held_out")}


def quality(persons: int, paper_mode: str, settings: LinkSettings) -> dict[str, Any]:
    gen = generate_export(persons, SEED)
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = write_csv(gen.rows, Path(tmp) / "export.csv")
        control_path = write_csv(gen.control_rows(), Path(tmp) / "control.csv")
        mapping = Path(tmp) / "mapping.toml"
        mapping.write_text(MAPPING)
        errors: list[RowError] = []
        rows = [r for b in batches(csv_path, mapping, errors) for r in b]
        control_rows = [r for b in batches(control_path, mapping, []) for r in b]
    t0 = time.perf_counter()
    paper = linked_paper(gen, settings) if paper_mode == "linked" else gen.paper
    link_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = reconcile_export([rows], paper, [], settings)
    seconds = time.perf_counter() - t0
    control = reconcile_export([control_rows], paper, [], settings)
    return {"persons": len(gen.paper), "paper_persons": len(paper),
            "documents": sum(len(p.documents) for p in gen.paper), "rows": len(rows),
            "row_errors": len(errors), "paper": paper_mode,
            "link_seconds": round(link_seconds, 1), "reconcile_seconds": round(seconds, 1),
            "findings": dict(Counter(f.kind for f in result.findings)),
            "casescan": score(gen, result, paper, control), "notes": notes_read(gen, rows),
            "baseline_reference_join": baseline(gen, rows, paper)}


def _extra_rows(n: int, start: int, rng: random.Random) -> Iterator[dict[str, str]]:
    for i in range(n):
        born = date(1945, 1, 1) + timedelta(days=rng.randrange(365 * 62))
        yield {"case_id": f"X{start + i:08d}",
               "ho_ref": rng.choice("ABCDHKMS") + f"{rng.randrange(10**7):07d}",
               "family_name": rng.choice(SURNAMES), "forenames": rng.choice(GIVEN),
               "dob": born.strftime("%d/%m/%Y"), "nationality": rng.choice(NATIONALITIES),
               "app_type": "asylum", "decision": rng.choice(("GRT", "REF", "")),
               "decision_date": "", "ptw": "", "ptw_date": "", "notes": ""}


def timing(persons: int, rows: int, settings: LinkSettings) -> dict[str, Any]:
    """Read and reconcile `rows` database rows against `persons` persons on paper."""
    import csv

    t0 = time.perf_counter()
    gen = generate_export(persons, SCALE_SEED, fault_rate=0.05)
    generate_seconds = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.csv"
        write_csv(gen.rows, path)
        with path.open("a", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=COLUMNS)
            w.writerows(_extra_rows(max(0, rows - len(gen.rows)), 0, random.Random(5)))
        mapping = Path(tmp) / "mapping.toml"
        mapping.write_text(MAPPING)
        errors: list[RowError] = []
        t0 = time.perf_counter()
        result = reconcile_export(batches(path, mapping, errors), gen.paper, [], settings)
        seconds = time.perf_counter() - t0
    return {"persons": len(gen.paper), "documents": sum(len(p.documents) for p in gen.paper),
            "rows": max(rows, len(gen.rows)), "generate_seconds": round(generate_seconds, 1),
            "seconds": round(seconds, 1), "rows_per_second": round(max(rows, 1) / seconds),
            "findings": len(result.findings)}


def print_table(figures: dict[str, Any]) -> None:
    q = figures["quality"]
    print(f"paper: {q['paper']}, {q['persons']} persons, {q['documents']} documents, "
          f"{q['rows']} rows, reconcile {q['reconcile_seconds']} s")
    print(f"{'kind':<22}{'split':<10}{'exp':>5}{'found':>7}{'P':>7}{'R':>7}"
          f"{'base P':>8}{'base R':>8}")
    for split in ("tuning", "held_out"):
        for kind in KINDS:
            c = q["casescan"][split][kind]
            b = q["baseline_reference_join"][split].get(kind)
            print(f"{kind:<22}{split:<10}{c['expected']:>5}{c['found']:>7}"
                  f"{shown(c['precision'], '.3f'):>7}{shown(c['recall'], '.3f'):>7}"
                  f"{shown(b['precision'] if b else None, '.3f'):>8}"
                  f"{shown(b['recall'] if b else None, '.3f'):>8}")
    v = q["casescan"]["vanished_paper_confident_only"]
    print(f"vanished_paper, identifiers read with high confidence only: found {v['found']}, "
          f"P {shown(v['precision'], '.3f')}, R {shown(v['recall'], '.3f')}")
    h = q["casescan"]["harmless"]
    print("harmless, no finding: " + ", ".join(
        f"{s} {shown(h[s]['no_finding'], '.3f')} of {h[s]['rows']}" for s in h))
    print("harmless, no finding raised by the difference: " + ", ".join(
        f"{s} {shown(h[s]['not_raised_by_difference'], '.3f')} "
        f"{h[s]['raised_by_difference']}" for s in h))
    print(f"notes read right: {shown(q['notes']['read_right'], '.3f')} of {q['notes']['rows']}")
    if "timing" in figures:
        t = figures["timing"]
        print(f"time: {t['rows']} rows vs {t['persons']} persons: {t['seconds']} s "
              f"({t['rows_per_second']} rows/s)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--persons", type=int, default=2000)
    ap.add_argument("--paper", choices=("truth", "linked"), default="linked")
    ap.add_argument("--scale", type=int, default=0, help="persons on paper for the timing")
    ap.add_argument("--scale-rows", type=int, default=0, help="database rows for the timing")
    ap.add_argument("--out", type=Path, default=default_out("reconcile_quality"))
    args = ap.parse_args(argv)
    settings = LinkSettings()
    figures: dict[str, Any] = {"settings": {"link_weight": settings.link_weight,
                                            "review_weight": settings.review_weight},
                               "quality": quality(args.persons, args.paper, settings)}
    if args.scale:
        figures["timing"] = timing(args.scale, args.scale_rows or args.scale, settings)
    print_table(figures)
    write_figures(args.out, figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

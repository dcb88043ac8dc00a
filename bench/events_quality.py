"""Events and whole case files: decisions read from letters and minutes, case fields read
from multi-page files, and the permission-to-work report, against known truth.

Material (synth/casefiles.py), both splits reported, the held-out split being the score:
1. single letters and minute sheets (PNG, 300 dpi) stating 1-3 events among decoys
   (conditionals, advice, undecided requests, another person, no date, impossible or
   future dates) and plain sentences. An event is right when kind, outcome and date
   equal a stated event; precision = right / confirmed events, recall = right / stated
   events; any confirmed event from a decoy sentence is counted apart.
2. three-page case files (form + letter + decision notice or minute sheet, one page
   sideways) at 200 and 300 dpi, read by casescan's own OCR the way ingest reads a PDF.
   Recall = confirmed values equal to the truth / fields printed anywhere in the file;
   wrong = confirmed values that differ (or that the file does not state); right page =
   confirmed right values on a page that prints the field.
3. the report: the files of part 2 are indexed (SQLite) and `permission_granted(year)`
   is compared with the truth (files whose permission to work was granted that year).

Baseline in the same run: the main branch at --baseline (a temporary `git worktree` run
in a subprocess on the same OCR words). It has no events, so its event figures are 0 and
its case-file figures are what its form reader gets.

    .venv/bin/python bench/events_quality.py --pages 40 --files 16
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SPLITS = ("train", "heldout")
NAMES = ("surname", "given_names")


def _words(path: Path) -> list[Any]:
    from ocr.records import Word
    return [Word(w[0], w[1], tuple(w[2]), w[3]) for w in json.loads(path.read_text())]


def score_mode(work: Path, out: Path) -> None:
    """Run this checkout's extract() on every OCR'd file under `work` (no synth import:
    the baseline checkout may not have the new generator)."""
    from extraction.extract import ExtractOptions, extract
    from ocr.records import PageReading
    found: dict[str, Any] = {}
    for words_dir in sorted(work.glob("**/*.words")):
        pages = [PageReading(int(p.stem), 0, 0, tuple(_words(p)), "ocr")
                 for p in sorted(words_dir.glob("*.json"), key=lambda p: int(p.stem))]
        x = extract(pages, ExtractOptions(entities=False))
        found[str(words_dir.relative_to(work))] = {
            "fields": {n: [r.status, [[v.value, v.page] for v in r.values]]
                       for n, r in x.results.items()},
            "events": [[e.kind, e.outcome, e.date, e.status, e.text, e.page]
                       for e in getattr(x, "events", ())],
            "kinds": [k.kind for k in getattr(x, "page_kinds", ())]}
    out.write_text(json.dumps(found))


def _ocr(job: tuple[str, str, int, str]) -> None:
    """One page of a file, read as ingest reads it; its words saved under words_dir."""
    from ingest.limits import Limits
    from ingest.read import read_page_of
    from ocr.pipeline import OcrOptions
    path, media, number, words_dir = job
    target = Path(words_dir) / f"{number}.json"
    if target.exists():
        return
    art = read_page_of(Path(path), media, path, number, OcrOptions(), Limits())
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps([[w.text, w.conf, list(w.bbox), w.line]
                                  for w in art.reading.words]))


def generate(work: Path, args: argparse.Namespace) -> dict[str, list[Any]]:
    """The material, or with --reuse the material an earlier run left in --work (its OCR
    words with it), so a re-run after a change to extraction reads nothing again."""
    from synth.casefiles import generate_case_files, generate_event_pages, read_file_truths
    if args.reuse:
        return {str(p.parent.relative_to(work)): read_file_truths(p)
                for p in sorted(work.glob("*/**/truth.json"))}
    sets: dict[str, list[Any]] = {}
    for split in SPLITS:
        sets[f"pages/{split}"] = generate_event_pages(work / "pages" / split, args.pages,
                                                      split=split, seed=args.seed)
        for dpi in args.dpis:
            sets[f"files/{split}/{dpi}"] = generate_case_files(
                work / "files" / split / str(dpi), args.files, split=split, dpi=dpi,
                seed=args.seed + dpi)
    return sets


def read_all(work: Path, sets: dict[str, list[Any]], workers: int) -> None:
    jobs = []
    for key, truths in sets.items():
        for t in truths:
            path = work / key / t.file
            media = "image/png" if t.file.endswith(".png") else "application/pdf"
            for n in range(1, len(t.page_kinds) + 1):
                jobs.append((str(path), media, n, str(work / key / f"{t.file}.words")))
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_ocr, jobs, chunksize=1))


def baseline(work: Path, commit: str) -> dict[str, Any]:
    """The baseline commit's extract() on the same words, from a temporary worktree."""
    with tempfile.TemporaryDirectory(prefix="casescan-main-") as tmp:
        tree = Path(tmp) / "main"
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(tree),
                        commit], check=True, capture_output=True)
        try:
            out = Path(tmp) / "found.json"
            subprocess.run([sys.executable, str(Path(__file__).resolve()), "--score", str(work),
                            str(out)], check=True, cwd=tree,
                           env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"})
            return dict(json.loads(out.read_text()))
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(tree)],
                           check=False, capture_output=True)


def same(name: str, got: object, want: object) -> bool:
    if name in NAMES and isinstance(got, str) and isinstance(want, str):
        return got.casefold() == want.casefold()
    return got == want


def score_events(truths: list[Any], key: str, found: dict[str, Any]) -> dict[str, Any]:
    counts: dict[str, int] = defaultdict(int)
    for t in truths:
        mine = found.get(f"{key}/{t.file}.words", {"events": []})["events"]
        got = [(k, o, d) for k, o, d, status, *_ in mine if status == "confirmed"]
        want = {(e.kind, e.outcome, e.date) for e in t.events}
        decoy_texts = [d.text for d in t.decoys]
        counts["stated"] += len(want)
        counts["confirmed"] += len(got)
        counts["right"] += len(set(got) & want)
        counts["review"] += sum(status == "needs_review" for _, _, _, status, *_ in mine)
        for k, o, d, status, text, _ in mine:
            if status == "confirmed" and (k, o, d) not in want and any(
                    _overlap(text, dt) for dt in decoy_texts):
                counts["from_decoy"] += 1
    return _rates(counts, "stated")


def _overlap(read: str, printed: str) -> bool:
    a, b = set(read.lower().split()), set(printed.lower().split())
    return len(a & b) >= 0.6 * max(1, len(b))


def score_files(truths: list[Any], key: str, found: dict[str, Any]) -> dict[str, Any]:
    counts: dict[str, int] = defaultdict(int)
    for t in truths:
        mine = found.get(f"{key}/{t.file}.words")
        if mine is None:
            continue
        for name, want in t.fields.items():
            status, values = mine["fields"].get(name, ["missing", []])
            got = values[0] if status == "confirmed" and values else None
            if want is not None:
                counts["printed"] += 1
                counts["review"] += status == "needs_review"
            if got is None:
                continue
            if want is not None and same(name, got[0], want):
                counts["right"] += 1
                counts["right_page"] += got[1] in t.printed_on.get(name, [])
            else:
                counts["wrong"] += 1
        counts["events_stated"] += len(t.events)
        got_events = {(k, o, d) for k, o, d, s, *_ in mine["events"] if s == "confirmed"}
        counts["events_right"] += len(got_events & {(e.kind, e.outcome, e.date)
                                                    for e in t.events})
        counts["kinds_right"] += sum(a == b for a, b in zip(mine["kinds"], t.page_kinds,
                                                             strict=False))
        counts["pages"] += len(t.page_kinds)
    return _rates(counts, "printed")


def _rates(counts: dict[str, int], whole: str) -> dict[str, Any]:
    from run_record import ratio
    out: dict[str, Any] = dict(counts)
    if whole == "stated":
        out["precision"] = ratio(counts["right"], counts["confirmed"])
        out["recall"] = ratio(counts["right"], counts["stated"])
    else:
        out["recall"] = ratio(counts["right"], counts["printed"])
        out["right_page"] = ratio(counts["right_page"], counts["right"])
        out["event_recall"] = ratio(counts["events_right"], counts["events_stated"])
        out["page_kinds"] = ratio(counts["kinds_right"], counts["pages"])
    return out


def report_check(truths: list[Any], key: str, found: dict[str, Any]) -> dict[str, Any]:
    """Index the files (SQLite) from what was found and compare the report with truth."""
    from casework.context import case_columns
    from extraction.events import Event
    from extraction.values import FieldResult, FieldValue
    from ingest.outcome import event_rows, field_rows
    from storage.index import Index
    from storage.index.records import DocumentRow
    truth_years: dict[int, int] = defaultdict(int)
    for t in truths:
        years = {int(e.date[:4]) for e in t.events
                 if e.kind == "permission_to_work" and e.outcome == "granted"}
        for y in years:
            truth_years[y] += 1
    with tempfile.TemporaryDirectory() as tmp:
        index = Index(f"sqlite:///{tmp}/index.db", case_columns=case_columns())
        for i, t in enumerate(truths):
            mine = found[f"{key}/{t.file}.words"]
            results = {n: FieldResult(n, s, tuple(FieldValue(v, str(v), 1.0, p, (0, 0, 1, 1),
                                                             s, None) for v, p in vals))
                       for n, (s, vals) in mine["fields"].items()}
            events = [Event(k, o, d, text, page, (0, 0, 1, 1), 1.0, s)
                      for k, o, d, s, text, page in mine["events"]]
            doc_id = f"{i:064d}"
            index.add_document(DocumentRow(doc_id, doc_id, t.file, "application/pdf", "k",
                                           "done", None, (), field_rows(results), (),
                                           events=event_rows(events)))
        years = sorted(set(truth_years) | {y for y in range(1990, 2025)})
        got = {y: index.permission_granted(y)[0] for y in years}
        index.close()
    wrong = {y: (got[y], truth_years.get(y, 0)) for y in years if got[y] != truth_years.get(y, 0)}
    return {"years": len(years), "granted_total_truth": sum(truth_years.values()),
            "granted_total_found": sum(got.values()), "years_wrong": wrong,
            "equal": not wrong}


def table(figures: dict[str, Any]) -> None:
    from run_record import shown
    print(f"{'set':28} {'who':9} {'prec':>6} {'recall':>6} {'wrong':>5} {'decoy':>5} "
          f"{'review':>6} {'evrec':>6} {'kinds':>6}")
    for key, who in figures["scores"].items():
        for name, s in who.items():
            print(f"{key:28} {name:9} {shown(s.get('precision'), '.3f'):>6} "
                  f"{shown(s.get('recall'), '.3f'):>6} {s.get('wrong', 0):>5} "
                  f"{s.get('from_decoy', 0):>5} {s.get('review', 0):>6} "
                  f"{shown(s.get('event_recall'), '.3f'):>6} "
                  f"{shown(s.get('page_kinds'), '.3f'):>6}")
    for key, r in figures["report"].items():
        print(f"report {key}: equal={r['equal']} truth={r['granted_total_truth']} "
              f"found={r['granted_total_found']} wrong_years={r['years_wrong']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=40, help="letters/minutes per split")
    parser.add_argument("--files", type=int, default=16, help="case files per split and dpi")
    parser.add_argument("--dpis", type=lambda s: [int(x) for x in s.split(",")],
                        default=[200, 300])
    parser.add_argument("--seed", type=int, default=23)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--baseline", default="3c23d86")
    parser.add_argument("--work", type=Path, default=None, help="keep data and OCR here")
    parser.add_argument("--reuse", action="store_true",
                        help="score the material and OCR an earlier run left in --work")
    parser.add_argument("--score", nargs=2, type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    if args.score:
        score_mode(*args.score)
        return
    sys.path.insert(0, str(HERE))
    from run_record import default_out, write_figures
    began = time.monotonic()
    work = args.work or Path(tempfile.mkdtemp(prefix="events-quality-"))
    sets = generate(work, args)
    read_all(work, sets, args.workers)
    mine_path = work / "found-this.json"
    score_mode(work, mine_path)
    found = {"this": json.loads(mine_path.read_text()), "main": baseline(work, args.baseline)}
    scores: dict[str, Any] = {}
    report: dict[str, Any] = {}
    for key, truths in sets.items():
        score = score_events if key.startswith("pages") else score_files
        scores[key] = {who: score(truths, key, f) for who, f in found.items()}
        if key.startswith("files"):
            report[key] = report_check(truths, key, found["this"])
    figures = {"scores": scores, "report": report,
               "args": {k: str(v) for k, v in vars(args).items()},
               "seconds": round(time.monotonic() - began)}
    table(figures)
    out = write_figures(args.out or default_out("events_quality"), figures)
    print(f"wrote {out} ({figures['seconds']} s)")


if __name__ == "__main__":
    main()

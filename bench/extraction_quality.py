"""Extraction quality: are the stored case fields right, and how many are found?

Two parts, in one run:

1. Generated case files (known truth), read by casescan's own OCR, in sets (`SETS`):
   single pages of the generator's TRAIN split (what the rules were tuned on) and of its
   HELD-OUT split (templates, layouts, wordings, fonts and damage extraction was never
   tuned on; half of them scanned at 200 dpi) at each degradation level, and held-out
   3-page files at 200 dpi (personal details on page 1, notes, a decision sheet; one
   page scanned sideways), scored on the fields of their form pages. Per field and set:
   - precision = confirmed values that equal the truth / all confirmed values
     (what casescan stores as right; a confirmed value for a field the page does
     not have counts as wrong);
   - recall = confirmed values that equal the truth / fields the page has;
   - F1 of the two; and, separately, how many fields went to review
     (needs_review) and how many of those hold the true value among their
     candidates. Values awaiting review are never counted as right.
   Some fields are left off the pages (--missing-rate) so inventing a value is
   punished. With --baseline REF the same pages (the same cached OCR readings) are
   scored by REF's extraction too, from a temporary `git worktree` in a subprocess.

2. FUNSD (real scanned forms, ../shared/data/funsd, training split): for every
   question the annotators linked to an answer, casescan's layout pairing
   (`extraction.pairing.value_options`: rest of the cell, next cell, cell below)
   is given the question's words and asked for the value. Measured on the
   annotated word boxes (the geometry alone, no OCR): a pairing is right when
   the text it returns equals the linked answer's text (case and spacing
   ignored); precision = right / questions it returned a value for, recall =
   right / questions that have an answer. A looser figure counts a value that
   starts inside the linked answer (multi-line answers are cut at their first
   line). This measures where casescan looks for a value, not label
   recognition: FUNSD's questions are not case-field labels.

    .venv/bin/python bench/extraction_quality.py --files 30 --baseline 3c23d86
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image

from extraction.extract import ExtractOptions, extract
from extraction.fields import CASE_FIELDS
from extraction.layout import Cell, page_cells
from extraction.pairing import split_lines, value_options
from ocr.pipeline import OcrOptions, read_page
from ocr.records import PageReading, Word
from synth import generate_batch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run_record import default_out, ratio, shown, write_figures  # noqa: E402

LEVELS = ("clean", "moderate", "heavy")
HERE = Path(__file__).resolve().parent
# FUNSD_DIR: where a checkout keeps FUNSD when not at ../shared/data/funsd (a worktree)
FUNSD = Path(os.environ.get("FUNSD_DIR", HERE.parents[1] / "shared" / "data" / "funsd")
             ) / "training_data"
CACHE = HERE / "results" / "ocr-cache"
# A cached reading is only reused while the OCR code that made it is unchanged (the
# modules that read a page image: not the PDF rasteriser, the crop re-reader or the
# searchable-PDF writer).
NOT_PAGE_READING = frozenset({"pdf.py", "reread.py", "searchable.py"})
OCR_CODE = b"".join(p.read_bytes() for p in sorted((HERE.parent / "ocr").glob("*.py"))
                    if p.name not in NOT_PAGE_READING)


def same(field: str, found: object, truth: object) -> bool:
    if field in ("surname", "given_names") and isinstance(found, str) and isinstance(truth, str):
        return found.casefold() == truth.casefold()
    return found == truth


def cpu_now() -> float:
    """CPU seconds of this process and its finished children (Tesseract runs as one)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def reading_of(path: Path, key: str, frame: int = 0) -> PageReading:
    """casescan's OCR of one generated page (`frame` of a multi-page file), cached by file
    identity (OCR is the slow part), with the page image its boxes refer to (for
    re-reading) and the CPU the OCR took."""
    cached = CACHE / f"{key}-{frame}.json"
    number = frame + 1
    if cached.exists():
        data = json.loads(cached.read_text())
        words = tuple(Word(w[0], w[1], tuple(w[2]), w[3]) for w in data["words"])  # type: ignore[arg-type]
        return PageReading(number, data["width"], data["height"], words, "ocr")
    with Image.open(path) as image:
        image.seek(frame)
        gray = np.array(image.convert("L"))
    began = cpu_now()
    result = read_page(gray, number, OcrOptions())
    spent = cpu_now() - began
    reading = result.reading
    CACHE.mkdir(parents=True, exist_ok=True)
    Image.fromarray(result.page_image).save(CACHE / f"{key}-{frame}.png")
    cached.write_text(json.dumps({"width": reading.width, "height": reading.height,
                                  "ocr_cpu_s": round(spent, 3), "words": [
        [w.text, w.conf, list(w.bbox), w.line] for w in reading.words]}))
    return reading


def ocr_cpu(key: str, pages: int) -> float | None:
    """The CPU the cached readings of a file took (None: read before it was recorded)."""
    spent = [json.loads((CACHE / f"{key}-{k}.json").read_text()).get("ocr_cpu_s")
             for k in range(pages)]
    return None if None in spent else float(sum(spent))


def rereader_of(key: str, pages: int) -> object | None:
    """ingest's re-reader over the cached page images, when the extraction scored here
    takes one (a baseline commit may not)."""
    if "reread" not in inspect.signature(extract).parameters:
        return None
    from ingest.rereading import page_rereader
    images = {k + 1: np.array(Image.open(CACHE / f"{key}-{k}.png").convert("L"))
              for k in range(pages) if (CACHE / f"{key}-{k}.png").exists()}
    return page_rereader(images)


def score_file(job: dict) -> dict:
    """One file scored by the extraction importable here (this branch, or the baseline's
    worktree when run with --score-jobs)."""
    readings = [reading_of(Path(job["path"]), job["key"], k) for k in range(job["pages"])]
    reread = rereader_of(job["key"], job["pages"])
    began = cpu_now()
    options = ExtractOptions(entities=False)
    found = extract(readings, options, reread) if reread else extract(readings, options)  # type: ignore[call-arg]
    results = found.results
    cpu = cpu_now() - began
    truth = job["truth"]
    rows = {}
    for name in CASE_FIELDS:
        true = truth["fields"][name]
        r = results[name]
        rows[name] = {
            "truth": true, "status": r.status, "reason": r.reason,
            "values": [v.value for v in r.values], "texts": [v.text for v in r.values],
            "confidences": [round(v.confidence, 3) for v in r.values],
            "repairs": [getattr(v, "repair", None) for v in r.values],
            "right": r.status == "confirmed" and same(name, r.values[0].value, true),
            "review_has_truth": r.status == "needs_review"
            and any(same(name, v.value, true) for v in r.values),
        }
    return {"file": job["key"], "level": job["set"], "template": truth["template"],
            "extract_cpu_s": round(cpu, 4), "ocr_cpu_s": ocr_cpu(job["key"], job["pages"]),
            "fields": rows}


def summarise(files: list[dict]) -> dict:
    per: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for f in files:
        for name, r in f["fields"].items():
            for key in (name, "all"):
                s = per[key]
                s["present"] += r["truth"] is not None
                s["confirmed"] += r["status"] == "confirmed"
                s["right"] += r["right"]
                s["review"] += r["status"] == "needs_review"
                s["review_has_truth"] += r["review_has_truth"]
                s["missing"] += r["status"] == "missing"
    out = {}
    for key, s in per.items():
        p = ratio(s["right"], s["confirmed"])  # None: nothing confirmed, nothing to score
        rc = s["right"] / s["present"] if s["present"] else 1.0
        f1 = None if p is None else (2 * p * rc / (p + rc) if p + rc else 0.0)
        out[key] = {**s, "wrong": s["confirmed"] - s["right"], "precision": p, "recall": rc,
                    "f1": f1}
    return out


# (name, split, level, pages, dpi): single pages of both splits at each level, and the form
# pages of held-out 3-page files (personal details, notes, a decision sheet; one page
# sideways) at 200 dpi.
SETS: tuple[tuple[str, str, str, int, int | None], ...] = (
    *((f"train/{lv}", "train", lv, 1, None) for lv in LEVELS),
    *((f"heldout/{lv}", "heldout", lv, 1, None) for lv in LEVELS),
    ("heldout/3-page-200dpi", "heldout", "moderate", 3, 200),
)


def make_jobs(args: argparse.Namespace, tmp: Path) -> list[dict]:
    jobs = []
    for i, (name, split, level, pages, dpi) in enumerate(SETS):
        if split not in args.splits:
            continue
        folder = tmp / name.replace("/", "-")
        fmt = "tiff" if pages > 1 else "png"
        count = args.files if split == "heldout" else args.train_files
        count = args.multipage_files if pages > 1 else count
        truths = generate_batch(folder, count, seed=args.seed * 10 + i, degradation=level,
                                split=split, missing_rate=args.missing_rate, pages=pages,
                                fmt=fmt, dpi=dpi)
        for t in truths:
            data = (folder / t.file).read_bytes()  # cache key: page bytes + OCR code
            key = f"{level}-{hashlib.sha256(data + OCR_CODE).hexdigest()[:24]}"
            jobs.append({"path": str(folder / t.file), "key": key, "pages": pages,
                         "set": name, "truth": t.as_json()})
    return jobs


def score_jobs(jobs: list[dict], workers: int) -> list[dict]:
    with ProcessPoolExecutor(workers) as pool:
        return list(pool.map(score_file, jobs))


def baseline_files(ref: str, jobs: list[dict], workers: int, tmp: Path) -> list[dict]:
    """The same jobs scored by the extraction of commit `ref`, from a temporary worktree,
    in a subprocess (same cached OCR readings, so only extraction differs)."""
    tree = tmp / "baseline"
    subprocess.run(["git", "-C", str(HERE.parent), "worktree", "add", "--detach", str(tree),
                    ref], check=True, capture_output=True)
    try:
        (tmp / "jobs.json").write_text(json.dumps(jobs))
        subprocess.run([sys.executable, str(Path(__file__).resolve()), "--score-jobs",
                        str(tmp / "jobs.json"), "--workers", str(workers)],
                       check=True, cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)})
        return list(json.loads((tmp / "jobs.json.scores").read_text()))
    finally:
        subprocess.run(["git", "-C", str(HERE.parent), "worktree", "remove", "--force",
                        str(tree)], check=False, capture_output=True)


def by_set(files: list[dict]) -> dict:
    return {name: summarise([f for f in files if f["level"] == name]) for name, *_ in SETS
            if any(f["level"] == name for f in files)}


def run_generated(args: argparse.Namespace) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        jobs = make_jobs(args, tmp)
        files = score_jobs(jobs, args.workers)
        base = baseline_files(args.baseline, jobs, args.workers, tmp) if args.baseline else None
    summary = by_set(files)
    baseline = by_set(base) if base is not None else None
    for split in args.splits:
        names = [name for name, s, *_ in SETS if s == split]
        count = args.files if split == "heldout" else args.train_files
        print_generated({n: summary[n] for n in names}, count, names,
                        f"{split} split, this branch")
        if baseline is not None:
            print_generated({n: baseline[n] for n in names}, count, names,
                            f"{split} split, baseline {args.baseline}")
    cpu = {name: median_cpu(files, name) for name in summary}
    out: dict = {"summary": summary, "extract_cpu_s_median": cpu, "files": files}
    if base is not None:
        out["baseline"] = {"ref": args.baseline, "summary": baseline,
                           "extract_cpu_s_median": {n: median_cpu(base, n) for n in summary},
                           "files": base}
        out["page_cpu_ratio"] = {n: page_cpu_ratio(files, base, n) for n in summary}
        print("CPU a file (OCR + extraction with re-reading), this / baseline, median: " +
              ", ".join(f"{n} {shown(r, '.3f')}" for n, r in out["page_cpu_ratio"].items()))
    return out


def page_cpu_ratio(files: list[dict], base: list[dict], name: str) -> float | None:
    """Median over the set's files of (OCR + this extraction) / (OCR + the baseline's): what
    re-reading adds to a page's whole cost, on the same OCR."""
    theirs = {f["file"]: f["extract_cpu_s"] for f in base if f["level"] == name}
    ratios = [(f["ocr_cpu_s"] + f["extract_cpu_s"]) / (f["ocr_cpu_s"] + theirs[f["file"]])
              for f in files if f["level"] == name and f.get("ocr_cpu_s") and f["file"] in theirs]
    return round(statistics.median(ratios), 3) if ratios else None


def median_cpu(files: list[dict], name: str) -> float | None:
    times = [f["extract_cpu_s"] for f in files if f["level"] == name and "extract_cpu_s" in f]
    return round(statistics.median(times), 4) if times else None


def print_generated(summary: dict, count: int, columns: tuple[str, ...] | list[str] = LEVELS,
                    title: str = "Held-out templates and wordings") -> None:
    print(f"{title}, {count} files a column "
          "(precision over confirmed values; review = needs_review, not counted as right)")
    print(f"{'field':22} " + " ".join(f"{col + ' P/R/F1':>22} {'rev':>4} {'bad':>3}"
                                       for col in columns))
    for name in (*CASE_FIELDS, "all"):
        cells = []
        for col in columns:
            s = summary[col].get(name)
            if s is None:
                cells.append(f"{'-':>22} {'-':>4} {'-':>3}")
                continue
            cells.append(f"{shown(s['precision'], '.3f'):>8}/{s['recall']:>5.2f}/"
                         f"{shown(s['f1'], '.2f'):>5}   "
                         f"{s['review']:>4} {s['wrong']:>3}")
        print(f"{name:22} " + " ".join(cells))


# ---------- FUNSD question -> answer pairing on annotated word boxes ----------


def squeeze(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


def funsd_form(annotation: Path) -> dict:
    form = json.loads(annotation.read_text())["form"]
    by_id = {e["id"]: e for e in form}
    words, owner = [], {}
    for e in form:
        for w in e["words"]:
            if not w["text"].strip():
                continue
            word = Word(w["text"], 1.0, tuple(w["box"]), 0)  # type: ignore[arg-type]
            words.append(word)
            owner[(word.text, word.bbox)] = e["id"]
    cells = split_lines(page_cells(words))
    where: dict[int, list[tuple[int, int, int]]] = defaultdict(list)  # entity -> (i, j, k)
    for i, line in enumerate(cells):
        for j, cell in enumerate(line):
            for k, t in enumerate(cell.tokens):
                if (eid := owner.get((t.text, t.bbox))) is not None:
                    where[eid].append((i, j, k))
    questions = {e["id"] for e in form if e["label"] == "question"}

    def is_label(i: int, j: int) -> bool:
        cell: Cell = cells[i][j]
        return owner.get((cell.tokens[0].text, cell.tokens[0].bbox)) in questions

    right = returned = asked = started = 0
    for e in form:
        answers = [by_id[b] for a, b in e["linking"] if a == e["id"] and b in by_id
                   and by_id[b]["label"] == "answer"]
        if e["label"] != "question" or not answers or not where[e["id"]]:
            continue
        asked += 1
        i, j, k = max(where[e["id"]])  # the question's last word: its value follows it
        options = value_options(cells, i, j, k + 1, is_label)
        if not options:
            continue
        returned += 1
        tokens = options[0][0]
        got = squeeze(" ".join(t.text for t in tokens))
        right += any(got == squeeze(a["text"]) for a in answers)
        # looser: the value returned starts in the linked answer (multi-line answers are
        # cut at their first line, a value may run on into the next label)
        started += owner.get((tokens[0].text, tokens[0].bbox)) in {a["id"] for a in answers}
    return {"form": annotation.stem, "asked": asked, "returned": returned, "right": right,
            "started": started}


def inside(box: tuple[int, ...], area: tuple[int, ...], slack: int = 3) -> bool:
    """The centre of `box` lies in `area`."""
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return area[0] - slack <= cx <= area[2] + slack and area[1] - slack <= cy <= area[3] + slack


def funsd_end_to_end(annotation: Path) -> dict:
    """One FUNSD form read from its image by casescan's OCR; its key-value pairs
    (extraction.pairs) scored against the annotated question -> answer links, and the
    OCR's words against the annotated words."""
    from extraction.pairs import page_pairs  # this branch's; a baseline may not have it

    image = annotation.parent.parent / "images" / f"{annotation.stem}.png"
    key = f"funsd-{hashlib.sha256(image.read_bytes() + OCR_CODE).hexdigest()[:24]}"
    reading = reading_of(image, key)
    form = json.loads(annotation.read_text())["form"]
    by_id = {e["id"]: e for e in form}
    questions = [e for e in form if e["label"] == "question"]
    linked = {q["id"]: [by_id[b] for a, b in q["linking"] if a == q["id"] and b in by_id
                        and by_id[b]["label"] == "answer"] for q in questions}
    pairs = [p for p in page_pairs(reading) if p.value.text]
    returned = right = exact = keyed = 0
    for p in pairs:
        question = next((q for q in questions if inside(p.key.bbox, q["box"])), None)
        if question is None:
            continue
        keyed += 1
        answers = linked[question["id"]]
        returned += 1
        box = p.value.bbox or (0, 0, 0, 0)
        first = next((w.bbox for w in reading.words if w.text == p.value.text.split()[0]
                      and inside(w.bbox, box, 0)), box)
        right += any(inside(first, a["box"]) for a in answers)
        exact += any(squeeze(p.value.text) == squeeze(a["text"]) for a in answers)
    asked = sum(1 for q in questions if linked[q["id"]])
    truth_words = [w for e in form for w in e["words"] if squeeze(w["text"])]
    found = sum(any(squeeze(o.text) == squeeze(w["text"]) and inside(o.bbox, w["box"], 6)
                    for o in reading.words) for w in truth_words)
    return {"form": annotation.stem, "asked": asked, "pairs": len(pairs), "keyed": keyed,
            "returned": returned, "right": right, "exact": exact,
            "words": len(truth_words), "words_found": found}


def run_funsd_end_to_end(count: int, workers: int) -> dict | None:
    if count <= 0 or not FUNSD.is_dir():
        return None
    forms = sorted((FUNSD / "annotations").glob("*.json"))[:count]
    with ProcessPoolExecutor(workers) as pool:
        rows = list(pool.map(funsd_end_to_end, forms))
    total = {k: sum(r[k] for r in rows) for k in ("asked", "pairs", "keyed", "returned",
                                                   "right", "exact", "words", "words_found")}
    p, rc = ratio(total["right"], total["returned"]), total["right"] / max(1, total["asked"])
    summary = {"forms": len(rows), **total, "precision": p, "recall": rc,
               "precision_all_pairs": ratio(total["right"], total["pairs"]),
               "exact_precision": ratio(total["exact"], total["returned"]),
               "word_recall": total["words_found"] / max(1, total["words"])}
    print(f"FUNSD end to end from the image (casescan OCR + extraction.pairs), {len(rows)} "
          f"forms, {total['asked']} linked questions, {total['pairs']} pairs with a value:")
    every = shown(summary["precision_all_pairs"], ".3f")
    print(f"  value starts in the linked answer: precision {shown(p, '.3f')} (over pairs keyed "
          f"on a question), recall {rc:.3f}; over every pair {every}")
    print(f"  word recall of the OCR: {summary['word_recall']:.3f}")
    return {"summary": summary, "forms": rows}


def run_funsd(count: int, workers: int) -> dict | None:
    if count <= 0 or not FUNSD.is_dir():
        print("FUNSD: skipped" + ("" if count <= 0 else " (no ../shared/data/funsd)"))
        return None
    forms = sorted((FUNSD / "annotations").glob("*.json"))[:count]
    with ProcessPoolExecutor(workers) as pool:
        rows = list(pool.map(funsd_form, forms))
    asked = sum(r["asked"] for r in rows)
    returned = sum(r["returned"] for r in rows)
    right = sum(r["right"] for r in rows)
    started = sum(r["started"] for r in rows)
    p, rc = right / max(1, returned), right / max(1, asked)
    sp, src = started / max(1, returned), started / max(1, asked)
    summary = {"forms": len(rows), "linked_questions": asked, "returned": returned,
               "right": right, "precision": p, "recall": rc,
               "f1": 2 * p * rc / (p + rc) if p + rc else 0.0,
               "starts_in_answer": started, "start_precision": sp, "start_recall": src}
    print(f"FUNSD question->answer pairing on annotated word boxes, {len(rows)} forms, "
          f"{asked} linked questions, {returned} values returned:")
    print(f"  exact answer text:        precision {p:.3f}, recall {rc:.3f}, "
          f"F1 {summary['f1']:.3f}")
    print(f"  value starts in answer:   precision {sp:.3f}, recall {src:.3f}")
    return {"summary": summary, "forms": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=12,
                        help="held-out single-page files per degradation level")
    parser.add_argument("--splits", type=lambda v: tuple(v.split(",")),
                        default=("train", "heldout"), help="train,heldout (both by default)")
    parser.add_argument("--train-files", type=int, default=12,
                        help="train split (tuned on) files per degradation level")
    parser.add_argument("--multipage-files", type=int, default=12,
                        help="held-out 3-page files at 200 dpi")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--missing-rate", type=float, default=0.1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--funsd", type=int, default=149, help="FUNSD forms (0 to skip)")
    parser.add_argument("--funsd-images", type=int, default=0,
                        help="FUNSD forms read end to end from the image (OCR: slow; 0 skips)")
    parser.add_argument("--out", type=Path, default=default_out("extraction_quality"))
    parser.add_argument("--baseline", default=None,
                        help="a commit whose extraction scores the same pages in the same run")
    parser.add_argument("--score-jobs", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.score_jobs is not None:  # the baseline's half of a run: score, write, stop
        jobs = json.loads(args.score_jobs.read_text())
        Path(f"{args.score_jobs}.scores").write_text(json.dumps(score_jobs(jobs, args.workers)))
        return
    began = time.monotonic()
    generated = run_generated(args) if args.files > 0 else None
    funsd = run_funsd(args.funsd, args.workers)
    funsd_e2e = run_funsd_end_to_end(args.funsd_images, args.workers)
    write_figures(args.out, {"generated": generated, "funsd": funsd,
                             "funsd_end_to_end": funsd_e2e,
                             "args": {k: str(v) for k, v in vars(args).items()}})
    print(f"wrote {args.out} ({time.monotonic() - began:.0f} s)")


if __name__ == "__main__":
    main()

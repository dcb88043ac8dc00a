"""OCR quality benchmark: casescan against bare Tesseract, OCRmyPDF and RapidOCR alone.

In one run, on the same generated pages (synth, known truth) at each degradation
level, every engine reads every page and is scored on:
- values: the share of the true printed field values found in its text;
- CER: character error rate of the printed values, labels and notes, each aligned to its
  best-matching stretch of the engine's text (edit distance / reference length);
- CPU seconds per page: child-process CPU time for the command-line engines
  (`tesseract`, `ocrmypdf`), process CPU time (plus Tesseract children) for in-process
  ones (casescan, RapidOCR); medians and means, and the ratio to bare Tesseract;
- memory: the largest resident set size of a worker (or its child programs).
Then word recall on real scanned forms: the FUNSD training forms in ../shared/data/funsd
(read from there, never copied), casescan against bare Tesseract and RapidOCR.

    .venv/bin/python bench/ocr_quality.py                    # 8 pages a level, 50 forms
    .venv/bin/python bench/ocr_quality.py --pages 24 --funsd 149 --workers 2
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pipeline import FUNSD, LEVELS, squeeze, values_in, word_counts  # noqa: E402
from run_record import default_out, write_figures  # noqa: E402

from ocr import rapid  # noqa: E402
from ocr.pipeline import OcrOptions, read_page  # noqa: E402
from synth import generate_batch  # noqa: E402

ENGINES = ("casescan", "tesseract", "ocrmypdf", "rapidocr")
TOOL_ENV = {"OMP_THREAD_LIMIT": "1", "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
            "HOME": os.environ.get("HOME", "/tmp")}


def cpu_seconds() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def max_rss_mb() -> float:
    """Peak resident memory of this worker or of its largest child program, in MB."""
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(me, kids) / 1024.0


class ReadFailed(Exception):
    """An engine gave up on a page. The page is scored as read with no text, as before,
    and counted as failed, so a table never passes a crashed baseline off as a poor one."""


def read_casescan(path: str) -> str:
    image = np.array(Image.open(path).convert("L"))
    return read_page(image, 1, OcrOptions()).reading.text


def read_tesseract(path: str) -> str:
    done = subprocess.run(["tesseract", path, "stdout"], capture_output=True, text=True,
                          env=TOOL_ENV, check=False)
    return done.stdout


def read_ocrmypdf(path: str) -> str:
    with tempfile.TemporaryDirectory(prefix="bench-ocrmypdf-") as tmp:
        sidecar = Path(tmp) / "text.txt"
        done = subprocess.run(
            ["ocrmypdf", "--deskew", "--clean", "--rotate-pages", "--image-dpi", "300",
             "-j", "1", "--sidecar", str(sidecar), "--output-type", "pdf", "-q",
             path, str(Path(tmp) / "out.pdf")],
            capture_output=True, text=True, env=TOOL_ENV, check=False)
        if done.returncode != 0:
            reason = done.stderr.strip()[-300:] or f"exit code {done.returncode}"
            print(f"ocrmypdf failed on {path}: {reason}", file=sys.stderr)
            raise ReadFailed(reason)
        return sidecar.read_text()


def read_rapidocr(path: str) -> str:
    words = rapid.read_words(np.array(Image.open(path).convert("L")))
    lines: dict[int, list[str]] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w.text)
    return "\n".join(" ".join(ws) for _, ws in sorted(lines.items()))


READERS: dict[str, Callable[[str], str]] = {
    "casescan": read_casescan, "tesseract": read_tesseract,
    "ocrmypdf": read_ocrmypdf, "rapidocr": read_rapidocr,
}


def errors_in(text: str, references: list[str]) -> tuple[int, int]:
    """Edit distance of each reference to its best-aligned stretch of `text`, summed,
    and the references' total length: the character error rate's numerator and
    denominator."""
    flat = squeeze(text)
    edits = chars = 0
    for ref in (squeeze(r) for r in references if r):
        chars += len(ref)
        if not flat:
            edits += len(ref)
            continue
        at = fuzz.partial_ratio_alignment(ref, flat)
        stretch = flat[at.dest_start:at.dest_end] if at else ""
        edits += min(len(ref), Levenshtein.distance(ref, stretch))
    return edits, chars


def read_with(engine: str, path: str) -> tuple[str, str | None]:
    """The engine's text of a page and, where it gave up, why (its text is then empty)."""
    try:
        return READERS[engine](path), None
    except ReadFailed as failure:
        return "", str(failure)


def measure(job: tuple[str, str, dict]) -> dict:
    engine, path, truth = job
    start = cpu_seconds()
    text, failed = read_with(engine, path)
    cpu = cpu_seconds() - start
    references = [*(v for v in truth["printed"].values() if v),
                  *(v for v in truth["labels"].values() if v), truth.get("notes") or ""]
    return {"engine": engine, "file": Path(path).name, "level": truth["degradation"],
            "found": values_in(text, truth["printed"]), "errors": errors_in(text, references),
            "cpu": cpu, "rss_mb": max_rss_mb(), "failed": failed}


def funsd_form(job: tuple[str, Path]) -> dict:
    engine, annotation = job
    truth = word_counts([w["text"] for e in json.loads(annotation.read_text())["form"]
                         for w in e["words"]])
    image = str(FUNSD / "images" / f"{annotation.stem}.png")
    start = cpu_seconds()
    text, failed = read_with(engine, image)
    got = word_counts(text.split())
    return {"engine": engine, "form": annotation.stem, "words": sum(truth.values()),
            "found": sum(min(c, got[w]) for w, c in truth.items()),
            "cpu": cpu_seconds() - start, "rss_mb": max_rss_mb(), "failed": failed}


def run_engine(fn: Callable[[tuple], dict], jobs: list[tuple], workers: int) -> list[dict]:
    """One engine's jobs on a fresh pool, so its memory figure is its own."""
    with ProcessPoolExecutor(workers) as pool:
        return list(pool.map(fn, jobs))


def summarise(rows: list[dict], bare: list[dict]) -> dict:
    found = sum(r["found"][0] for r in rows), sum(r["found"][1] for r in rows)
    edits = sum(r["errors"][0] for r in rows), sum(r["errors"][1] for r in rows)
    cpu = [r["cpu"] for r in rows]
    bare_mean = statistics.mean(r["cpu"] for r in bare)
    return {"pages": len(rows), "failed": sum(r["failed"] is not None for r in rows),
            "values_found": found[0] / max(1, found[1]),
            "values": f"{found[0]}/{found[1]}", "cer": edits[0] / max(1, edits[1]),
            "cpu_median": statistics.median(cpu), "cpu_mean": statistics.mean(cpu),
            "cpu_ratio": statistics.mean(cpu) / bare_mean if bare_mean else None,
            "max_rss_mb": max(r["rss_mb"] for r in rows)}


def generated_jobs(folder: Path, pages: int, seed: int) -> list[tuple[str, dict]]:
    jobs = []
    for i, level in enumerate(LEVELS):
        out = folder / level
        for t in generate_batch(out, pages, seed=seed * 10 + i, degradation=level):
            jobs.append((str(out / t.file), t.as_json()))
    return jobs


def print_table(table: dict[str, dict[str, dict]]) -> None:
    print(f"{'level':9} {'engine':10} {'failed':>6} {'values':>9} {'share':>6} {'CER':>6} "
          f"{'cpu med':>8} {'cpu mean':>8} {'x tess':>6} {'max RSS':>8}")
    for level, engines in table.items():
        for engine, s in engines.items():
            print(f"{level:9} {engine:10} {s['failed']:>6} {s['values']:>9} "
                  f"{s['values_found']:>6.3f} {s['cer']:>6.3f} {s['cpu_median']:>8.2f} "
                  f"{s['cpu_mean']:>8.2f} {s['cpu_ratio']:>6.2f} {s['max_rss_mb']:>7.0f}M")
    print("(failed: pages the engine gave up on, scored as read with no text)")


def run_funsd(count: int, workers: int, engines: tuple[str, ...]) -> dict | None:
    if count <= 0 or not FUNSD.is_dir():
        print("FUNSD: skipped (no ../shared/data/funsd)" if count else "FUNSD: skipped")
        return None
    forms = sorted((FUNSD / "annotations").glob("*.json"))[:count]
    summary, rows = {}, []
    for engine in engines:
        done = run_engine(funsd_form, [(engine, f) for f in forms], workers)
        rows += done
        words = sum(r["words"] for r in done)
        summary[engine] = {"forms": len(done), "words": words,
                           "failed": sum(r["failed"] is not None for r in done),
                           "word_recall": sum(r["found"] for r in done) / words,
                           "cpu_mean": statistics.mean(r["cpu"] for r in done),
                           "max_rss_mb": max(r["rss_mb"] for r in done)}
    print(f"FUNSD word recall, {len(forms)} forms:")
    for engine, s in summary.items():
        print(f"  {engine:10} {s['word_recall']:.3f}  ({s['words']} words, "
              f"{s['failed']} forms failed, cpu mean {s['cpu_mean']:.2f} s/form, "
              f"max RSS {s['max_rss_mb']:.0f}M)")
    return {"summary": summary, "forms": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=8, help="pages per degradation level")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--funsd", type=int, default=50, help="FUNSD forms (0 to skip)")
    parser.add_argument("--engines", default=",".join(ENGINES),
                        help=f"comma-separated subset of {','.join(ENGINES)}")
    parser.add_argument("--funsd-engines", default="casescan,tesseract,rapidocr")
    parser.add_argument("--out", type=Path, default=default_out("ocr_quality"))
    args = parser.parse_args()
    engines = tuple(e for e in args.engines.split(",") if e)
    if "tesseract" not in engines:
        engines = ("tesseract", *engines)  # the baseline every ratio is against
    began = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        jobs = generated_jobs(Path(tmp), args.pages, args.seed)
        rows: list[dict] = []
        for engine in engines:
            print(f"reading {len(jobs)} pages with {engine} ...", file=sys.stderr)
            rows += run_engine(measure, [(engine, p, t) for p, t in jobs], args.workers)
    table = {}
    for level in (*LEVELS, "all"):
        at = [r for r in rows if level in ("all", r["level"])]
        bare = [r for r in at if r["engine"] == "tesseract"]
        table[level] = {e: summarise([r for r in at if r["engine"] == e], bare)
                        for e in engines}
    print_table(table)
    print(f"(CPU s/page; 'x tess' = mean CPU / bare Tesseract's mean on the same pages; "
          f"{args.workers} workers, wall {time.monotonic() - began:.0f} s)")
    funsd = run_funsd(args.funsd, args.workers,
                      tuple(e for e in args.funsd_engines.split(",") if e))
    write_figures(args.out, {"summary": table, "pages": rows, "funsd": funsd})
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()

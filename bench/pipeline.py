"""End-to-end benchmark: casescan's page reading and field extraction against bare Tesseract.

On generated case files at each degradation level (known truth), measures:
- values in text: the share of printed field values found in the page text
  (bare `tesseract PAGE stdout` versus casescan's reading);
- field precision and recall of casescan's extracted, normalised fields;
- CPU seconds per page (this process plus its children, so Tesseract counts);
- word recall on real scanned forms: the FUNSD training forms in ../shared/data/funsd
  (research licence; read from there, never copied), bare Tesseract against casescan.

    .venv/bin/python bench/pipeline.py --pages 8      # writes bench/figures/pipeline.json
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image

from extraction.extract import ExtractOptions, extract
from extraction.fields import CASE_FIELDS
from ocr.pipeline import OcrOptions, read_page
from synth import generate_batch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run_record import default_out, ratio, shown, write_figures  # noqa: E402

LEVELS = ("clean", "moderate", "heavy")
FUNSD = Path(__file__).resolve().parents[2] / "shared" / "data" / "funsd" / "training_data"


def cpu_seconds() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def values_in(text: str, printed: dict[str, str | None]) -> tuple[int, int]:
    shown = [v for v in printed.values() if v]
    flat = squeeze(text)
    return sum(squeeze(v) in flat for v in shown), len(shown)


def same(field: str, found: object, truth: object) -> bool:
    if field in ("surname", "given_names") and isinstance(found, str) and isinstance(truth, str):
        return found.casefold() == truth.casefold()
    return found == truth


def measure(job: tuple[str, dict]) -> dict:
    path, truth = job
    start = cpu_seconds()
    bare = subprocess.run(["tesseract", path, "stdout"], capture_output=True, text=True,
                          env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"}, check=False)
    bare_cpu = cpu_seconds() - start
    start = cpu_seconds()
    image = np.array(Image.open(path).convert("L"))
    reading = read_page(image, 1, OcrOptions()).reading
    fields = extract([reading], ExtractOptions(entities=False)).fields
    ours_cpu = cpu_seconds() - start
    right = wrong = 0
    found = []
    for name in CASE_FIELDS:
        got = fields[name]
        if got is not None:
            ok = same(name, got.value, truth["fields"][name])
            right, wrong = right + ok, wrong + (not ok)
            found.append({"field": name, "value": got.value, "text": got.text, "right": ok,
                          "confidence": round(got.confidence, 3),
                          "truth": truth["fields"][name]})
    return {
        "file": path, "level": truth["degradation"],
        "bare_found": values_in(bare.stdout, truth["printed"]),
        "ours_found": values_in(reading.text, truth["printed"]),
        "right": right, "wrong": wrong,
        "truth_fields": sum(truth["fields"][n] is not None for n in CASE_FIELDS),
        "bare_cpu": bare_cpu, "ours_cpu": ours_cpu, "chain": list(reading.chain),
        "fields": found,
    }


def word_counts(words: list[str]) -> Counter[str]:
    return Counter(w for w in (re.sub(r"[^\w]", "", x.casefold()) for x in words) if w)


def funsd_form(annotation: Path) -> dict:
    """Word recall of bare Tesseract and of casescan on one FUNSD form (multiset match)."""
    truth = word_counts([w["text"] for e in json.loads(annotation.read_text())["form"]
                         for w in e["words"]])
    image = FUNSD / "images" / f"{annotation.stem}.png"
    bare = subprocess.run(["tesseract", str(image), "stdout"], capture_output=True, text=True,
                          env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"}, check=False)
    ours = read_page(np.array(Image.open(image).convert("L")), 1, OcrOptions()).reading
    found = {name: word_counts(words) for name, words in
             (("bare", bare.stdout.split()), ("ours", [w.text for w in ours.words]))}
    return {"form": annotation.stem, "words": sum(truth.values()),
            **{name: sum(min(c, got[w]) for w, c in truth.items()) for name, got in found.items()}}


def summarise(rows: list[dict]) -> dict:
    def share(key: str) -> float:
        return sum(r[key][0] for r in rows) / max(1, sum(r[key][1] for r in rows))

    right, wrong = sum(r["right"] for r in rows), sum(r["wrong"] for r in rows)
    truth = sum(r["truth_fields"] for r in rows)
    bare = statistics.median(r["bare_cpu"] for r in rows)
    ours = statistics.median(r["ours_cpu"] for r in rows)
    return {
        "pages": len(rows), "bare_values_in_text": share("bare_found"),
        "ours_values_in_text": share("ours_found"),
        "precision": ratio(right, right + wrong), "recall": right / max(1, truth),
        "wrong_values": wrong, "bare_cpu_median": bare, "ours_cpu_median": ours,
        "cpu_ratio": ours / bare if bare else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=8, help="pages per degradation level")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--funsd", type=int, default=30, help="FUNSD forms (0 to skip)")
    parser.add_argument("--out", type=Path, default=default_out("pipeline"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        jobs = []
        for i, level in enumerate(LEVELS):
            folder = Path(tmp) / level
            for t in generate_batch(folder, args.pages, seed=args.seed * 10 + i, degradation=level):
                jobs.append((str(folder / t.file), t.as_json()))
        began = time.monotonic()
        with ProcessPoolExecutor(args.workers) as pool:
            rows = list(pool.map(measure, jobs))
        wall = time.monotonic() - began
    table = {level: summarise([r for r in rows if r["level"] == level]) for level in LEVELS}
    header = (f"{'level':9} {'pages':>5} {'tess vals':>9} {'ours vals':>9} {'precision':>9} "
              f"{'recall':>6} {'wrong':>5} {'tess cpu':>8} {'ours cpu':>8} {'ratio':>5}")
    print(header)
    for level, s in table.items():
        print(f"{level:9} {s['pages']:>5} {s['bare_values_in_text']:>9.2f} "
              f"{s['ours_values_in_text']:>9.2f} {shown(s['precision'], '.3f'):>9} "
              f"{s['recall']:>6.2f} "
              f"{s['wrong_values']:>5} {s['bare_cpu_median']:>8.2f} {s['ours_cpu_median']:>8.2f} "
              f"{s['cpu_ratio']:>5.2f}")
    print(f"(CPU s/page are medians; wall time {wall:.0f} s with {args.workers} workers)")
    funsd = run_funsd(args.funsd, args.workers)
    write_figures(args.out, {"summary": table, "pages": rows, "funsd": funsd})
    print(f"wrote {args.out}")


def run_funsd(count: int, workers: int) -> dict | None:
    if count <= 0 or not FUNSD.is_dir():
        print("FUNSD: skipped (no ../shared/data/funsd)" if count else "FUNSD: skipped")
        return None
    forms = sorted((FUNSD / "annotations").glob("*.json"))[:count]
    with ProcessPoolExecutor(workers) as pool:
        rows = list(pool.map(funsd_form, forms))
    words = sum(r["words"] for r in rows)
    summary = {"forms": len(rows), "words": words,
               "bare_word_recall": sum(r["bare"] for r in rows) / words,
               "ours_word_recall": sum(r["ours"] for r in rows) / words}
    print(f"FUNSD word recall, {len(rows)} forms, {words} words: tesseract "
          f"{summary['bare_word_recall']:.3f}, casescan {summary['ours_word_recall']:.3f}")
    return {"summary": summary, "forms": rows}


if __name__ == "__main__":
    main()

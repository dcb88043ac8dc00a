"""Linking the whole index end to end: read every document's identifying values from the
index, link them (identity.link.link, DuckDB), keep the result (persons, memberships,
pair evidence, flags), and export one line per document. SQLite or PostgreSQL.

A generated population (bench/identity_population.py) is indexed first, each value with
its confidence as a field row and each page's hash kept as a linking run would keep it.
Baseline for the read: loading each document whole, as `casescan show` does
(`Index.get_document`), instead of the column queries a run uses. Integrity is checked
on the stored result: every indexed document in exactly one person, every pair's
evidence kept, and the stored persons the same as the model's.

    python bench/link_index.py --persons 5000            # ~20,000 documents
    python bench/link_index.py --persons 25000 --db postgresql://127.0.0.1/test
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from identity_population import generate
from run_record import default_out, write_figures

from casework import persons
from casework.context import open_context
from casework.identities import IDENTITY_FIELDS, judgement
from identity.link import link
from identity.records import DocumentIdentity
from identity.settings import LinkSettings
from storage.index.records import DocumentRow, FieldRow, PageRow

BATCH = 5000
SAMPLE = 200  # documents read whole for the baseline (its rate is extrapolated)


def document_row(doc: DocumentIdentity) -> DocumentRow:
    """The document as the index holds it: a field row per value read, both values of a
    field with two kept for review."""
    fields: list[FieldRow] = []
    for name, attr in IDENTITY_FIELDS.items():
        values = getattr(doc, attr)
        status = "needs_review" if len(values) > 1 else "confirmed"
        for k, o in enumerate(values):
            fields.append(FieldRow(name, o.value, o.value, o.confidence, o.page or 1,
                                   o.bbox or (10, 10 + 40 * k, 300, 40 + 40 * k), status,
                                   "different values found" if k or len(values) > 1 else None,
                                   k))
    page = PageRow(1, 2480, 3508, "ocr", 0.9, doc.text, None, None)
    return DocumentRow(doc.document_id, doc.sha256, f"{doc.document_id}.pdf", "image/png",
                       f"originals/{doc.sha256}", "done", None, (page,), tuple(fields), ())


def timed(what: str, times: dict[str, float], func: Any, *args: Any) -> Any:
    start = time.perf_counter()
    result = func(*args)
    times[what] = round(time.perf_counter() - start, 2)
    print(f"  {what:24} {times[what]:8.2f} s", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--persons", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--db", default=None, help="index URL (default: a fresh SQLite file)")
    parser.add_argument("--out", type=Path, default=default_out("link_index"))
    args = parser.parse_args()
    population = generate(args.persons, args.seed)
    folder = Path(tempfile.mkdtemp(prefix="casescan-link-bench-"))
    url = args.db or f"sqlite:///{folder / 'index.sqlite3'}"
    ctx = open_context(str(folder / "objects"), url)
    times: dict[str, float] = {}
    try:
        first = {d.sha256: d.document_id for d in reversed(population.documents)}
        kept = set(first.values())  # a byte-identical copy is the same document: not again
        rows = [document_row(d) for d in population.documents if d.document_id in kept]

        def index_all() -> int:
            added = sum(ctx.index.add_documents(rows[k:k + BATCH])
                        for k in range(0, len(rows), BATCH))
            ctx.index.add_page_hashes([(d.document_id, n, h) for d in population.documents
                                       if d.document_id in kept
                                       for n, h in enumerate(d.page_hashes, start=1)])
            return added

        indexed = timed("index", times, index_all)
        ids = [d.document_id for d in population.documents]
        sample = ids[:: max(1, len(ids) // SAMPLE)][:SAMPLE]
        start = time.perf_counter()
        for doc_id in sample:
            ctx.index.get_document(doc_id)
        whole_rate = (time.perf_counter() - start) / len(sample)
        documents = timed("read (column queries)", times, persons.identities, ctx)
        times["read whole (baseline)"] = round(whole_rate * len(documents), 2)
        print(f"  {'read whole (baseline)':24} {times['read whole (baseline)']:8.2f} s "
              f"(extrapolated from {len(sample)} documents)")
        decided = [judgement(j) for j in ctx.index.judgements()]
        result = timed("link (model)", times, link, documents, decided, LinkSettings())
        run = timed("write result", times, persons.write_result, ctx, result)
        exported = timed("export", times, lambda: list(persons.export(ctx)))
        stored = {m.document_id: m.person_id for m in exported}
        model = {d: c.person_key for c in result.clusters for d in c.documents}
        checks = {
            "every document in one person": len(stored) == indexed == len(model)
            and all(p is not None for p in stored.values()),
            "stored persons are the model's": stored == model,
            "persons": run.persons == len(result.clusters),
        }
    finally:
        ctx.index.close()
        shutil.rmtree(folder, ignore_errors=True)
    total = sum(times[k] for k in ("read (column queries)", "link (model)", "write result"))
    baseline_total = total - times["read (column queries)"] + times["read whole (baseline)"]
    print(f"\n{indexed} documents ({len(population.documents) - indexed} byte-identical copies "
          f"deduplicated), {run.persons} persons, {run.review} pairs to review, "
          f"{run.two_people} two-people flags, {run.rescans} rescans")
    print(f"read + link + write: {total:.1f} s (baseline read: {baseline_total:.1f} s; "
          f"read {times['read whole (baseline)'] / max(times['read (column queries)'], 0.01):.1f}x"
          " faster)")
    for name, ok in checks.items():
        print(f"  {'ok' if ok else 'FAILED':6} {name}")
    write_figures(args.out, {
        "backend": url.split(":", 1)[0], "documents": indexed, "persons": run.persons,
        "review_pairs": run.review, "two_people": run.two_people, "rescans": run.rescans,
        "seconds": times, "read_link_write_seconds": round(total, 2),
        "baseline_read_link_write_seconds": round(baseline_total, 2),
        "median_seconds": statistics.median(times.values()), "checks": checks})
    if not all(checks.values()):
        raise SystemExit(1)


if __name__ == "__main__":
    main()

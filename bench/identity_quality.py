"""Identity linking quality and speed on a generated population, against two baselines.

In one run, on one generated population (bench/identity_population.py: twins, common
names, transliteration variants, OCR slips, swapped day and month, missing fields,
marriage, swapped names, rescans, two-person documents):
- casescan's `identity.link.link` (Splink scores + clusters that cannot chain + checks);
- the naive baseline: documents with the same surname and date of birth are one person;
- Splink's default clustering: connected components over the same scores at the same
  link threshold (no cannot-link, no checks).
Measured: pairwise precision and recall of automatic links, recall once the review band
is settled (a reviewer confirms the true pairs), share of documents sent to review, share
of two-person documents flagged, rescans recorded; each for the tuning persons and the
held-out persons (transliteration groups and OCR slip kinds never seen while tuning).
Then time: linking --scale documents, and --batch new against --scale existing.
The model is trained (u by random sampling, m by EM) on a separate population of tuning
persons only, and checked there against its labels.

    .venv/bin/python bench/identity_quality.py --persons 5000 --scale 100000 --batch 1000
    .venv/bin/python bench/identity_quality.py --train --persons 4000  # retrain the shipped model
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from identity_population import Population, generate  # noqa: E402
from run_record import default_out, ratio, shown, write_figures  # noqa: E402

from identity.link import link, link_new  # noqa: E402
from identity.normalise import prepare  # noqa: E402
from identity.records import LinkResult  # noqa: E402
from identity.settings import DEFAULT_MODEL, LinkSettings  # noqa: E402
from identity.train import train  # noqa: E402

TRAIN_SEED, EVAL_SEED, SCALE_SEED = 100, 7, 31
Pair = tuple[str, str]


def pairs_of(groups: Iterable[Sequence[str]]) -> set[Pair]:
    out: set[Pair] = set()
    for g in groups:
        out.update((a, b) if a < b else (b, a) for a, b in combinations(g, 2))
    return out


def components(nodes: Iterable[str], edges: Iterable[Pair]) -> list[list[str]]:
    parent = {n: n for n in nodes}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        parent[find(a)] = find(b)
    groups: dict[str, list[str]] = defaultdict(list)
    for n in parent:
        groups[find(n)].append(n)
    return list(groups.values())


def truth_pairs(pop: Population) -> set[Pair]:
    by_person: dict[str, list[str]] = defaultdict(list)
    for d, p in pop.person_of.items():
        by_person[p].append(d)
    return pairs_of(by_person.values())


def scores(pop: Population, predicted: set[Pair], split: str) -> dict[str, Any]:
    """Precision and recall of `predicted` pairs over the persons of `split`."""
    def keep(p: Pair) -> bool:
        held = pop.person_of[p[0]] in pop.heldout or pop.person_of[p[1]] in pop.heldout
        return held == (split == "held_out")

    truth = {p for p in truth_pairs(pop) if keep(p)}
    mine = {p for p in predicted if keep(p)}
    right = len(mine & truth)
    return {"pairs_linked": len(mine), "false_merges": len(mine) - right,
            "precision": ratio(right, len(mine)), "recall": ratio(right, len(truth))}


def measure(pop: Population, result: LinkResult, settings: LinkSettings) -> dict[str, Any]:
    """The issue's measures for casescan and connected components on the same scores."""
    auto = pairs_of(c.documents for c in result.clusters)
    true = truth_pairs(pop)
    settled = [(r.left, r.right) for r in result.review if (r.left, r.right) in true]
    with_review = pairs_of(components([d.document_id for d in pop.documents],
                                      [*auto, *settled]))
    strong = [(p.left, p.right) for c in result.clusters for p in c.links
              if p.match_weight >= settings.link_weight]
    strong += [(r.left, r.right) for r in result.review if r.match_weight >= settings.link_weight]
    cc = pairs_of(components([d.document_id for d in pop.documents], strong))
    reviewed = {d for c in result.clusters if c.status == "needs_review" for d in c.documents}
    reviewed |= {d for r in result.review for d in (r.left, r.right)}
    flagged = {t.document_id for t in result.two_people}
    rescans = {r.document_id: r.original_id for r in result.rescans}
    out: dict[str, Any] = {}
    for split in ("tuning", "held_out"):
        out[split] = {"casescan": scores(pop, auto, split),
                      "casescan_with_review": scores(pop, with_review, split),
                      "connected_components": scores(pop, cc, split),
                      "naive_surname_dob": scores(pop, naive(pop), split)}
    out["review_share"] = len(reviewed) / len(pop.documents)
    out["two_people_flagged"] = ratio(len(flagged & pop.two_people), len(pop.two_people))
    out["two_people_false_flags"] = len(flagged - pop.two_people)
    out["rescans_recorded"] = ratio(sum(1 for d in pop.rescans if d in rescans),
                                    len(pop.rescans))
    out["rescans_false"] = sum(1 for d in rescans if d not in pop.rescans)
    return out


def naive(pop: Population) -> set[Pair]:
    """The baseline: the same surname and date of birth (as read) is the same person."""
    today = date.today()
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for d in pop.documents:
        row = prepare(d, today).row
        if row["surname"] and row["dob"]:
            groups[(row["surname"], row["dob"])].append(d.document_id)
    return pairs_of(groups.values())


def timing(scale: int, batch: int, settings: LinkSettings) -> dict[str, Any]:
    """Seconds to link `scale` documents, then `batch` new against them."""
    persons = max(1, round(scale / 4.5))
    pop = generate(persons, SCALE_SEED)
    docs = pop.documents[:scale]
    old, new = docs[:len(docs) - batch], docs[len(docs) - batch:]
    started, cpu = time.perf_counter(), time.process_time()
    first = link(old, [], settings)
    whole, whole_cpu = time.perf_counter() - started, time.process_time() - cpu
    started, cpu = time.perf_counter(), time.process_time()
    link_new(new, old, [], settings, first)
    incremental = time.perf_counter() - started
    incremental_cpu = time.process_time() - cpu
    # CPU seconds (every thread of the process) beside wall-clock seconds: on a shared
    # machine the wall clock measures the other jobs too.
    return {"documents": len(old), "link_seconds": round(whole, 1),
            "link_cpu_seconds": round(whole_cpu, 1), "batch": len(new),
            "incremental_seconds": round(incremental, 1),
            "incremental_cpu_seconds": round(incremental_cpu, 1),
            "load_average": round(os.getloadavg()[0], 1)}


def retrain(persons: int, out: Path) -> dict[str, Any]:
    """Train on tuning persons only (no held-out variants) and write the model."""
    pop = generate(persons, TRAIN_SEED, heldout_share=0.0)
    today = date.today()
    model = train([prepare(d, today).row for d in pop.documents])
    out.write_text(json.dumps(model, indent=1) + "\n")
    return model


def print_table(figures: dict[str, Any]) -> None:
    for split in ("tuning", "held_out"):
        print(f"\n{split}: method                precision  recall  false merges")
        for method, s in figures[split].items():
            print(f"  {method:30} {shown(s['precision'], '.4f'):>9} "
                  f"{shown(s['recall'], '.4f'):>7} {s['false_merges']:>6}")
    print(f"\nreview share {figures['review_share']:.3f}   two-people flagged "
          f"{shown(figures['two_people_flagged'], '.3f')}   rescans recorded "
          f"{shown(figures['rescans_recorded'], '.3f')}")
    if "timing" in figures:
        t = figures["timing"]
        print(f"link {t['documents']} documents: {t['link_seconds']} s "
              f"({t['link_cpu_seconds']} s CPU); {t['batch']} new against them: "
              f"{t['incremental_seconds']} s ({t['incremental_cpu_seconds']} s CPU); "
              f"load average {t['load_average']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--persons", type=int, default=5000)
    parser.add_argument("--scale", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--train", action="store_true",
                        help="retrain identity/default_model.json and stop")
    parser.add_argument("--out", type=Path, default=default_out("identity_quality"))
    args = parser.parse_args(argv)
    settings = LinkSettings()
    if args.train:
        retrain(args.persons, DEFAULT_MODEL)
        return 0
    pop = generate(args.persons, EVAL_SEED)
    started = time.perf_counter()
    result = link(pop.documents, [], settings)
    figures: dict[str, Any] = {
        "population": {"persons": len(set(pop.person_of.values())),
                       "documents": len(pop.documents),
                       "two_people": len(pop.two_people), "rescans": len(pop.rescans),
                       "link_seconds": round(time.perf_counter() - started, 1)},
        "settings": {"link_weight": settings.link_weight,
                     "review_weight": settings.review_weight},
        **measure(pop, result, settings)}
    if args.scale:
        figures["timing"] = timing(args.scale, args.batch, settings)
    print_table(figures)
    write_figures(args.out, figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Search and reports at scale: bulk-load synthetic cases into PostgreSQL and SQLite and
time casescan's own search and report functions.

Documents are generated directly (fields and a 150-300 word caseworker note, no OCR);
surnames follow a Zipf law over ~40,000 names, so common ones hit tens of thousands of
rows at a million documents. For each backend it measures:
- bulk indexing rate (documents a second through `Index.add_documents`, and the whole
  load's rate with the generation of the documents included);
- p50/p95 wall milliseconds over --runs varied queries of six shapes, through
  `casework` (the CLI's and HTTP API's functions): ranked free text with
  snippets, fuzzy surname, fuzzy surname + date of birth, reference, a filtered count
  (the permission-to-work question) and a grouped report over all documents;
- fuzzy-name recall: 300 surnames with one letter changed, share whose true surname is
  among the first 20 hits;
and, in the same run on PostgreSQL, the issue's baseline: pg_trgm alone for the recall,
and the grouped report as a GROUP BY over every case.

    .venv/bin/python bench/search_scale.py --docs 100000          # quick
    .venv/bin/python bench/search_scale.py --docs 1000000         # the target size
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import statistics
import string
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import psycopg
from sqlalchemy import create_engine, text

from casework import counts, open_context, permission_to_work, search
from ingest.chain import IngestContext
from storage.index.records import DocumentRow, FieldRow, PageRow, SearchFilters

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run_record import default_out, write_figures  # noqa: E402

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "casescan_bench"
PG_BENCH_URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_BENCH_DB}"
SHAPES = ("free_text", "fuzzy_surname", "fuzzy_surname_dob", "reference", "filtered_count",
          "grouped_report")
TARGET_MS = {"free_text": 50, "fuzzy_surname": 10, "fuzzy_surname_dob": 10, "reference": 10,
             "filtered_count": 10, "grouped_report": 20}
TYPES = ["asylum"] * 5 + ["spouse_visa", "indefinite_leave_to_remain", "student_visa",
                          "work_permit", "naturalisation", "family_reunion", "visit_visa"]
DECISIONS = ["granted"] * 4 + ["refused"] * 4 + ["withdrawn", "pending"]
NATIONS = ["NGA", "AFG", "IRN", "IRQ", "ERI", "SDN", "SYR", "PAK", "IND", "ALB", "VNM", "CHN",
           "BGD", "SOM", "ETH", "GBR", "JAM", "POL", "ROU", "LKA"]
COMMON = ["SMITH", "KHAN", "ALI", "AHMED", "HUSSAIN", "MOHAMMED", "OKAFOR", "NGUYEN", "SINGH",
          "PATEL", "JONES", "WILLIAMS", "BROWN", "TAYLOR", "HASSAN", "IBRAHIM", "ABDI", "YILMAZ",
          "KOWALSKI", "POPESCU", "RAHMAN", "BEGUM", "ISLAM", "HOSSAIN", "MENSAH", "OSEI"]
GIVEN = ["JOHN", "MOHAMMED", "FATIMA", "AMINA", "CHINEDU", "ADA", "MARIA", "ALI", "OMAR",
         "SARAH", "DAVID", "GRACE", "YUSUF", "LEILA", "HASSAN", "NOOR", "ELENA", "IVAN"]
NOTE_VOCABULARY = (
    "the applicant stated that he she had travelled from through by lorry boat via interview "
    "asylum claim refused granted appeal tribunal evidence credible medical report family "
    "children wife husband mother father brother sister detained released reporting "
    "conditions bail solicitor interpreter home office caseworker decision letter served "
    "removal directions judicial review fresh submissions persecution political opinion "
    "religion ethnicity military service torture scars passport identity documents birth "
    "certificate marriage employment student college university sponsor salary accommodation "
    "address council benefits healthcare london manchester birmingham leeds glasgow cardiff "
    "belfast croydon liverpool lagos kabul tehran baghdad asmara khartoum damascus karachi "
    "delhi tirana hanoi permission to work was not requested in october january march "
    "previously returned again later note file minute review outcome pending further"
)
WORDS = NOTE_VOCABULARY.split()


def surname_pool(rng: random.Random, size: int) -> list[str]:
    """Real common surnames first, then made-up ones of 4-11 letters, all distinct."""
    names = list(dict.fromkeys(COMMON))
    seen = set(names)
    syllables = ["ka", "mo", "ra", "li", "an", "do", "fe", "go", "ha", "ju", "ke", "lo", "ma",
                 "ne", "ok", "pa", "qu", "ri", "sa", "ta", "uz", "ve", "wa", "ya", "zi", "ch",
                 "sh", "th", "ba", "ni", "el", "or", "us", "im", "en", "ad", "ow", "ey"]
    while len(names) < size:
        name = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 5))).upper()
        if 4 <= len(name) <= 11 and name not in seen:
            seen.add(name)
            names.append(name)
    return names


class Generator:
    """Synthetic cases, reproducible from the seed, with Zipf-distributed surnames."""

    def __init__(self, seed: int, distinct_surnames: int = 40_000) -> None:
        self.rng = random.Random(seed)
        self.surnames = surname_pool(self.rng, distinct_surnames)
        weights = [1.0 / (rank + 1) for rank in range(len(self.surnames))]
        total = sum(weights)
        cumulative, running = [], 0.0
        for w in weights:
            running += w / total
            cumulative.append(running)
        self.cumulative = cumulative

    def surname(self, rng: random.Random) -> str:
        return rng.choices(self.surnames, cum_weights=self.cumulative)[0]

    def document(self, n: int, rng: random.Random) -> DocumentRow:
        sha = hashlib.sha256(f"bench-{n}".encode()).hexdigest()
        surname, given = self.surname(rng), rng.choice(GIVEN)
        born = date(1950, 1, 1) + timedelta(days=rng.randrange(55 * 365))
        decided = date(2010, 1, 1) + timedelta(days=rng.randrange(14 * 365))
        app_type, decision = rng.choice(TYPES), rng.choice(DECISIONS)
        reference = f"HO-{n:07d}"
        note = " ".join(rng.choices(WORDS, k=rng.randint(150, 300)))
        box = (120, 300, 680, 340)
        fields = [
            FieldRow("home_office_reference", reference, reference, 0.95, 1, box),
            FieldRow("surname", surname, surname.title(), 0.93, 1, box),
            FieldRow("given_names", given, given.title(), 0.92, 1, box),
            FieldRow("date_of_birth", born.isoformat(), born.strftime("%d/%m/%Y"), 0.9, 1, box),
            FieldRow("nationality", rng.choice(NATIONS), "", 0.9, 1, box),
            FieldRow("application_type", app_type, app_type, 0.9, 1, box),
            FieldRow("decision", decision, decision, 0.9, 1, box),
            FieldRow("decision_date", decided.isoformat(), "", 0.9, 1, box),
        ]
        if rng.random() < 0.8:
            fields.append(FieldRow("permission_to_work", rng.random() < 0.4,
                                   "", 0.9, 1, box))
        page_text = (f"Home Office reference {reference} Surname {surname} Given names "
                     f"{given} {app_type} {decision}\n\n{note}")
        page = PageRow(1, 2480, 3508, "synthetic", 1.0, page_text, None, None)
        return DocumentRow(sha, sha, f"bench/{n}.pdf", "application/pdf",
                           f"originals/{sha[:2]}/{sha}/original.pdf", "done", None, (page,),
                           tuple(fields), ())


Person = tuple[str, date]


def load(ctx: IngestContext, gen: Generator, args: argparse.Namespace,
         people: list[Person]) -> dict[str, float]:
    """Bulk-index --docs documents in chunks, --writers at a time (each chunk is one
    transaction); keep every 500th person for the queries.

    Two rates: `docs_per_s` over the whole load, the bench's own generation of the
    documents included (the figure earlier runs reported), and `index_docs_per_s` over
    the time some `add_documents` call was running, which is the index's own rate.
    """
    docs, chunk = args.docs, args.chunk
    writers = args.writers or (2 if ctx.index.url.startswith("postgresql") else 1)
    started, cpu0 = time.perf_counter(), time.process_time()
    done = 0
    spans: list[tuple[float, float]] = []

    def one_chunk(first: int) -> int:
        rng = random.Random(args.seed * 1_000_003 + first)
        batch = [gen.document(n, rng) for n in range(first, min(docs, first + chunk))]
        t0 = time.perf_counter()
        ctx.index.add_documents(batch)
        spans.append((t0, time.perf_counter()))
        for doc in batch[::500]:
            values = {f.name: f.value for f in doc.fields}
            people.append((str(values["surname"]),
                           date.fromisoformat(str(values["date_of_birth"]))))
        return len(batch)

    with ThreadPoolExecutor(writers) as pool:
        for loaded in pool.map(one_chunk, range(0, docs, chunk)):
            done += loaded
            rate = done / (time.perf_counter() - started)
            print(f"\r  loaded {done:,}/{docs:,} ({rate:,.0f} docs/s)", end="",
                  file=sys.stderr)
    print(file=sys.stderr)
    people.sort()
    seconds = time.perf_counter() - started
    indexing = busy_seconds(spans)
    return {"seconds": round(seconds, 1), "docs_per_s": round(docs / seconds),
            "index_seconds": round(indexing, 1), "index_docs_per_s": round(docs / indexing),
            "cpu_seconds": round(time.process_time() - cpu0, 1), "writers": writers,
            "load_average": [round(x, 1) for x in os.getloadavg()]}


def busy_seconds(spans: list[tuple[float, float]]) -> float:
    """The length of the union of the (start, end) spans: time something was running."""
    total, reach = 0.0, float("-inf")
    for start, end in sorted(spans):
        if end > reach:
            total += end - max(start, reach)
            reach = end
    return total


def typo(rng: random.Random, name: str) -> str:
    """The name with one letter replaced by a different one."""
    i = rng.randrange(len(name))
    letter = rng.choice([c for c in string.ascii_uppercase if c != name[i]])
    return name[:i] + letter + name[i + 1:]


def shapes(ctx: IngestContext, docs: int, people: list[Person], rng: random.Random
           ) -> dict[str, Callable[[], object]]:
    """The six query shapes, each drawing fresh parameters on every call."""

    def free_text() -> object:
        return search(ctx, " ".join(rng.sample(WORDS, 2)), limit=20)

    def fuzzy_surname() -> object:
        return search(ctx, filters=SearchFilters(surname=typo(rng, rng.choice(people)[0])),
                      limit=20)

    def fuzzy_surname_dob() -> object:
        surname, born = rng.choice(people)
        return search(ctx, filters=SearchFilters(surname=typo(rng, surname),
                                                 date_of_birth=born), limit=20)

    def reference() -> object:
        return search(ctx, filters=SearchFilters(reference=f"HO-{rng.randrange(docs):07d}"))

    def filtered_count() -> object:
        return permission_to_work(ctx, rng.randint(2010, 2023), min_count=5,
                                  application_type=rng.choice(TYPES))

    def grouped_report() -> object:
        group = rng.choice([["application_type", "decision", "year"],
                            ["application_type", "year"], ["decision", "year"]])
        return counts(ctx, group, min_count=5)

    return {"free_text": free_text, "fuzzy_surname": fuzzy_surname,
            "fuzzy_surname_dob": fuzzy_surname_dob, "reference": reference,
            "filtered_count": filtered_count, "grouped_report": grouped_report}


def time_shapes(run: dict[str, Callable[[], object]], runs: int) -> dict[str, dict[str, float]]:
    """p50 and p95 wall milliseconds of each shape (after five warm-up calls)."""
    results = {}
    for name, call in run.items():
        for _ in range(5):
            call()
        wall = []
        for _ in range(runs):
            t0 = time.perf_counter()
            call()
            wall.append((time.perf_counter() - t0) * 1000)
        wall.sort()
        results[name] = {"p50_ms": round(statistics.median(wall), 2),
                         "p95_ms": round(wall[int(0.95 * (len(wall) - 1))], 2),
                         "target_p95_ms": TARGET_MS[name]}
        print(f"  {name:18} p50 {results[name]['p50_ms']:8.2f} ms  "
              f"p95 {results[name]['p95_ms']:8.2f} ms", file=sys.stderr)
    return results


def recall(ctx: IngestContext, people: list[Person], rng: random.Random,
           trials: int = 300) -> float:
    """Share of one-letter typos whose true surname is among the first 20 hits."""
    found = 0
    for surname, _ in rng.sample(people, min(trials, len(people))):
        hits = search(ctx, filters=SearchFilters(surname=typo(rng, surname)), limit=20)
        found += any(f"[{surname}]" in hit.snippet for hit in hits)
    return round(found / min(trials, len(people)), 3)


def sample_people(url: str, size: int = 2000) -> list[Person]:
    """(surname, date of birth) of `size` cases spread over the index (ids are hashes)."""
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT surname, date_of_birth FROM cases "
                                 "ORDER BY document_id LIMIT :n"), {"n": size}).all()
    engine.dispose()
    return [(str(s), d if isinstance(d, date) else date.fromisoformat(str(d))) for s, d in rows]


def pg_baseline(url: str, people: list[Person], rng: random.Random, runs: int
                ) -> dict[str, float]:
    """The issue's baseline on the same data: pg_trgm alone for names (trigram GIN on the
    case surnames, 20 most similar rows), and the grouped report as a GROUP BY scan."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        conn.execute(text("CREATE INDEX IF NOT EXISTS bench_trgm ON cases "
                          "USING gin (surname_key gin_trgm_ops)"))
    found = 0
    trials = rng.sample(people, min(300, len(people)))
    with engine.connect() as conn:
        conn.execute(text("SET pg_trgm.similarity_threshold = 0.3"))
        for surname, _ in trials:
            rows = conn.execute(text(
                "SELECT surname_key FROM cases WHERE surname_key % :q "
                "ORDER BY similarity(surname_key, :q) DESC LIMIT 20"),
                {"q": typo(rng, surname)}).scalars().all()
            found += surname in rows
        wall = []
        for _ in range(max(20, runs // 10)):
            t0 = time.perf_counter()
            conn.execute(text("SELECT application_type, decision, decision_year, count(*) "
                              "FROM cases GROUP BY 1, 2, 3")).all()
            wall.append((time.perf_counter() - t0) * 1000)
    engine.dispose()
    wall.sort()
    return {"trgm_recall": round(found / len(trials), 3),
            "group_by_scan_p50_ms": round(statistics.median(wall), 1),
            "group_by_scan_p95_ms": round(wall[int(0.95 * (len(wall) - 1))], 1)}


def fresh_pg() -> str:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{PG_BENCH_DB}"')
    return PG_BENCH_URL


def drop_pg() -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_BENCH_DB}" WITH (FORCE)')


def run_backend(name: str, url: str, args: argparse.Namespace, work: Path) -> dict[str, object]:
    print(f"{name}: {args.docs:,} documents", file=sys.stderr)
    ctx = open_context(str(work / "objects"), url)
    gen = Generator(args.seed)
    people: list[Person] = []
    if args.reuse:  # an index kept by an earlier --keep run: sample its people
        result: dict[str, object] = {"load": "reused"}
        people.extend(sample_people(url))
    else:
        result = {"load": load(ctx, gen, args, people)}
    if name == "postgresql":
        engine = create_engine(url)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
        engine.dispose()
    else:
        with ctx.index._session() as session:  # noqa: SLF001 - planner statistics
            session.connection().exec_driver_sql("ANALYZE")
    rng = random.Random(args.seed + 1)
    result["load_average_before_queries"] = [round(x, 1) for x in os.getloadavg()]
    result["queries"] = time_shapes(shapes(ctx, args.docs, people, rng), args.runs)
    result["recall"] = recall(ctx, people, random.Random(args.seed + 2))
    print(f"  fuzzy-name recall@20 {result['recall']}", file=sys.stderr)
    if name == "postgresql" and args.baseline:
        result["baseline"] = pg_baseline(url, people, random.Random(args.seed + 2), args.runs)
        print(f"  baseline {result['baseline']}", file=sys.stderr)
    ctx.index.close()
    return result


def table(results: dict[str, dict[str, object]], docs: int) -> str:
    lines = [f"search at {docs:,} documents (p95 ms, target in brackets)", "",
             "| shape | " + " | ".join(results) + " | target p95 |",
             "|---|" + "---|" * len(results) + "---|"]
    for shape in SHAPES:
        cells = []
        for res in results.values():
            q = res["queries"][shape]  # type: ignore[index]
            cells.append(f"{q['p50_ms']} / {q['p95_ms']}")
        lines.append(f"| {shape} (p50 / p95 ms) | " + " | ".join(cells)
                     + f" | {TARGET_MS[shape]} |")
    for key, label in (("index_docs_per_s", "bulk indexing docs/s"),
                       ("docs_per_s", "bulk load docs/s, generation included")):
        lines.append(f"| {label} | " + " | ".join(
            str(r["load"][key]) if isinstance(r["load"], dict) else str(r["load"])
            for r in results.values()) + " | 3000 |")
    lines.append("| fuzzy-name recall@20 | " + " | ".join(
        str(r["recall"]) for r in results.values()) + " | 0.98 |")
    for name, res in results.items():
        if "baseline" in res:
            lines.append(f"\nbaseline on {name}: {res['baseline']}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--chunk", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--writers", type=int, default=None,
                        help="concurrent bulk writers (default 2 on PostgreSQL, 1 on SQLite, "
                             "whose single writer lock makes more pointless)")
    parser.add_argument("--backends", default="postgresql,sqlite")
    parser.add_argument("--no-baseline", dest="baseline", action="store_false")
    parser.add_argument("--keep", action="store_true", help="keep the bench databases")
    parser.add_argument("--reuse", action="store_true",
                        help="time the queries on databases kept by an earlier --keep run")
    parser.add_argument("--sqlite-path", type=Path, default=None,
                        help="SQLite file to use (default: a temporary one)")
    parser.add_argument("--out", type=Path, default=default_out("search_scale"))
    args = parser.parse_args()
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="casescan-bench-") as tmp:
        work = Path(tmp)
        for backend in args.backends.split(","):
            sqlite_url = f"sqlite:///{args.sqlite_path or work / 'bench.sqlite3'}"
            if backend == "postgresql":
                url = PG_BENCH_URL if args.reuse else fresh_pg()
            else:
                url = sqlite_url
                if args.sqlite_path and not args.reuse:
                    args.sqlite_path.unlink(missing_ok=True)
            try:
                results[backend] = run_backend(backend, url, args, work)
            finally:
                if backend == "postgresql" and not args.keep:
                    drop_pg()
    report = table(results, args.docs)
    print(report)
    write_figures(args.out, {"docs": args.docs, "runs": args.runs, "results": results})


if __name__ == "__main__":
    main()

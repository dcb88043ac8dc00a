"""A generated population on paper and a generated case-database export of it, with known
faults and harmless differences injected, for reconciliation's tests and benchmark.

The paper is identity linking's generated population (bench/identity_population.py:
twins, namesakes, transliteration, OCR slips, marriage, rescans, two-person documents),
plus a decision and a permission to work on some documents of each person. The export
holds one row per person, its values what the person's documents mostly say (what a
correct database would hold), then:

Faults (each with the finding it must raise):
- merged identity: the row holds another person's reference (tuning style) or another
  person's names and date of birth (held-out style);
- status: the decision swapped granted <-> refused (tuning) or the permission to work
  flipped (held-out);
- duplicate: an exact copy under a new key (tuning) or a copy with the date of birth in
  another format, the names in lower case and no reference (held-out);
- deleted: the row removed (vanished paper); phantom: a row for no one on paper
  (vanished database record);
- permission to work only in the notes: the column left empty and the notes saying it,
  half the time saying the wrong thing (a status finding), in a tuning or held-out phrasing.

Harmless differences (must raise nothing): another transliteration of the given name,
the date of birth in another format, names in another case or with accents or spaces.

Held out, decided before any tuning: persons identity's generator holds out (its
held-out transliteration groups and OCR slip kinds) get the held-out fault and difference
styles; the others the tuning styles. The benchmark reports both splits.
"""

from __future__ import annotations

import csv
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from identity_population import (
    GIVEN,
    HELD_OUT_GROUPS,
    NATIONALITIES,
    SURNAMES,
    TUNING_GROUPS,
    Population,
    generate,
)

from identity.records import DocumentIdentity
from reconcile.records import PaperPerson, PaperStatus

COLUMNS = ("case_id", "ho_ref", "family_name", "forenames", "dob", "nationality",
           "app_type", "decision", "decision_date", "ptw", "ptw_date", "notes")
MAPPING = """key = "case_id"
date_formats = ["%Y-%m-%d", "%d/%m/%Y", "%d %B %Y"]
notes = ["notes"]
[columns]
reference = "ho_ref"
surname = "family_name"
given_names = "forenames"
date_of_birth = "dob"
nationality = "nationality"
application_type = "app_type"
decision = "decision"
decision_date = "decision_date"
permission_to_work = "ptw"
permission_to_work_date = "ptw_date"
[values.decision]
GRT = "granted"
REF = "refused"
"""
NOTES_TUNING = ("Permission to work granted on {d}.", "Permission to work refused on {d}.")
NOTES_HELD_OUT = ("Applicant was granted permission to work on {d}.",
                  "The applicant's request for permission to work was refused on {d}.")
CHATTER = ("Called applicant, no answer.", "Address updated.", "File reviewed by SEO.",
           "Interpreter booked for interview.", "")
ACCENTS = {"A": "Á", "E": "É", "I": "Í", "O": "Ó", "U": "Ú"}


@dataclass(frozen=True)
class Expected:
    """A finding the export must raise: kind, the row keys, the truth person, field."""

    kind: str
    keys: frozenset[str]
    person: str | None
    field: str | None
    heldout: bool


@dataclass
class Generated:
    paper: list[PaperPerson]
    truth_of_document: dict[str, str]  # document id -> truth person key
    rows: list[dict[str, str]]
    expected: list[Expected]
    harmless: dict[str, tuple[str, bool]]  # row key -> (difference, held out)
    notes_truth: dict[str, str]  # row key -> the permission to work its notes state
    heldout: frozenset[str]
    population: Population
    tags: dict[str, str] = field(default_factory=dict)  # row key -> fault style
    person_of_key: dict[str, str] = field(default_factory=dict)  # row key -> truth person
    originals: dict[str, dict[str, str]] = field(default_factory=dict)  # before a difference

    def control_rows(self) -> list[dict[str, str]]:
        """The export with every harmless difference undone: what the rows would raise
        without the difference (a sparse record may be in the review band either way)."""
        return [self.originals.get(r["case_id"], r) for r in self.rows]


def _mode(values: Iterable[tuple[str, float]]) -> str | None:
    """The value the documents most say, each reading counted by its confidence."""
    weights: Counter[str] = Counter()
    for value, confidence in values:
        weights[value] += confidence
    counted = weights.most_common(1)
    return counted[0][0] if counted else None


def _real_date(value: str | None) -> str | None:
    try:
        return date.fromisoformat(value).isoformat() if value else None
    except ValueError:
        return None  # a database holds no impossible date


def _truth(docs: Sequence[DocumentIdentity]) -> dict[str, str | None]:
    def vals(attr: str) -> list[tuple[str, float]]:
        return [(o.value, o.confidence) for d in docs for o in getattr(d, attr)]
    return {"ho_ref": _mode(vals("reference")), "family_name": _mode(vals("surname")),
            "forenames": _mode(vals("given_names")),
            "dob": _real_date(_mode(vals("date_of_birth"))),
            "nationality": _mode(vals("nationality"))}


def _statuses(rng: random.Random, docs: Sequence[DocumentIdentity]) -> list[PaperStatus]:
    out = []
    if rng.random() < 0.8:
        d = rng.choice(docs)
        when = date(2005, 1, 1) + timedelta(days=rng.randrange(6000))
        out.append(PaperStatus("decision", rng.choice(("granted", "refused")),
                               when.isoformat(), d.document_id, 2, (120, 400, 380, 30),
                               round(rng.uniform(0.85, 0.99), 3), "field"))
    if rng.random() < 0.6:
        d = rng.choice(docs)
        when = date(2005, 1, 1) + timedelta(days=rng.randrange(6000))
        out.append(PaperStatus("permission_to_work", rng.choice(("true", "false")),
                               when.isoformat(), d.document_id, 3, (100, 220, 500, 40),
                               round(rng.uniform(0.8, 0.99), 3), "event"))
    return out


def _latest(statuses: Sequence[PaperStatus], name: str) -> PaperStatus | None:
    mine = [s for s in statuses if s.field == name]
    return max(mine, key=lambda s: s.date or "") if mine else None


def _dob_format(iso: str, held: bool) -> str:
    day = date.fromisoformat(iso)
    return f"{day.day} {day.strftime('%B')} {day.year}" if held else day.strftime("%d/%m/%Y")


def _respell(given: str, held: bool) -> str | None:
    for group in HELD_OUT_GROUPS if held else TUNING_GROUPS:
        if given in group:
            return next(g for g in group if g != given)
    return None


def generate_export(persons: int, seed: int, fault_rate: float = 0.3) -> Generated:
    """The paper and its export: about `fault_rate` of persons carry one fault."""
    pop = generate(persons, seed)
    rng = random.Random(seed * 7 + 1)
    by_person: dict[str, list[DocumentIdentity]] = {}
    for d in pop.documents:
        by_person.setdefault(pop.person_of[d.document_id], []).append(d)
    paper: list[PaperPerson] = []
    rows: list[dict[str, str]] = []
    base: dict[str, dict[str, str]] = {}
    for n, (pkey, docs) in enumerate(by_person.items()):
        statuses = _statuses(rng, docs)
        paper.append(PaperPerson(pkey, tuple(docs), tuple(statuses),
                                 batch=f"box-{n % 20:02d}"))
        truth = _truth(docs)
        row = {c: "" for c in COLUMNS}
        row.update({k: v or "" for k, v in truth.items()})
        row["case_id"] = f"C{seed}-{n:07d}"
        row["app_type"] = "asylum"
        dec, ptw = _latest(statuses, "decision"), _latest(statuses, "permission_to_work")
        if dec:
            row["decision"] = "GRT" if dec.value == "granted" else "REF"
            row["decision_date"] = str(dec.date)
        if ptw:
            row["ptw"] = "Yes" if ptw.value == "true" else "No"
            row["ptw_date"] = str(ptw.date)
        row["notes"] = rng.choice(CHATTER)
        base[pkey] = row
        rows.append(row)
    gen = Generated(paper, dict(pop.person_of), rows, [], {}, {}, pop.heldout, pop)
    gen.person_of_key.update({r["case_id"]: p for p, r in base.items()})
    _inject(rng, gen, base, fault_rate)
    return gen


def _inject(rng: random.Random, gen: Generated, base: dict[str, dict[str, str]],
            rate: float) -> None:
    keys = list(base)
    people = {p.person_id: p for p in gen.paper}
    deleted: set[str] = set()
    for pkey in keys:
        row = base[pkey]
        held = pkey in gen.heldout
        if rng.random() >= rate:
            _harmless(rng, gen, row, held)
            continue
        fault = rng.choice(("merged", "status", "duplicate", "deleted", "phantom", "notes"))
        if fault == "merged":
            other = base[rng.choice(keys)]
            if other is row or not other["ho_ref"] or not row["ho_ref"]:
                continue
            if held:
                for c in ("family_name", "forenames", "dob"):
                    row[c] = other[c]
            else:
                row["ho_ref"] = other["ho_ref"]
            gen.expected.append(Expected("merged_identity", frozenset({row["case_id"]}), pkey,
                                         None, held))
        elif fault == "status":
            name = "ptw" if held else "decision"
            if not row[name]:
                continue
            row[name] = {"GRT": "REF", "REF": "GRT", "Yes": "No", "No": "Yes"}[row[name]]
            gen.expected.append(Expected("status_disagreement", frozenset({row["case_id"]}),
                                         pkey, "permission_to_work" if held else "decision",
                                         held))
        elif fault == "duplicate":
            copy = dict(row)
            copy["case_id"] = row["case_id"] + "-D"
            if held:
                copy["dob"] = _dob_format(row["dob"], True) if row["dob"] else ""
                copy["family_name"], copy["forenames"] = (row["family_name"].lower(),
                                                          row["forenames"].lower())
                copy["ho_ref"] = ""
            gen.rows.append(copy)
            gen.expected.append(Expected("duplicate", frozenset({row["case_id"],
                                                                 copy["case_id"]}), pkey,
                                         None, held))
        elif fault == "deleted":
            deleted.add(row["case_id"])
            gen.expected.append(Expected("vanished_paper", frozenset(), pkey, None, held))
        elif fault == "phantom":
            gen.rows.append(_phantom(rng, row["case_id"] + "-X"))
            gen.expected.append(Expected("vanished_db", frozenset({row["case_id"] + "-X"}),
                                         None, None, held))
        else:
            _notes_only(rng, gen, row, people[pkey], held)
    gen.rows[:] = [r for r in gen.rows if r["case_id"] not in deleted]


def _harmless(rng: random.Random, gen: Generated, row: dict[str, str], held: bool) -> None:
    kind = rng.choice(("transliteration", "date format", "case and accents"))
    original = dict(row)
    if kind == "transliteration":
        other = _respell(row["forenames"], held)
        if other is None:
            return
        row["forenames"] = other
    elif kind == "date format":
        if not row["dob"]:
            return
        row["dob"] = _dob_format(row["dob"], held)
    elif held:
        row["family_name"] = "".join(ACCENTS.get(c, c) for c in row["family_name"])
        row["forenames"] = "  " + row["forenames"].title() + " "
    else:
        row["family_name"], row["forenames"] = (row["family_name"].title(),
                                                row["forenames"].lower())
    gen.harmless[row["case_id"]] = (kind, held)
    gen.originals[row["case_id"]] = original


def _notes_only(rng: random.Random, gen: Generated, row: dict[str, str],
                person: PaperPerson, held: bool) -> None:
    if not row["ptw"]:
        return
    truth = "true" if row["ptw"] == "Yes" else "false"
    wrong = rng.random() < 0.5
    stated = {"true": "false", "false": "true"}[truth] if wrong else truth
    day = date.fromisoformat(row["ptw_date"])
    phrasing = NOTES_HELD_OUT if held else NOTES_TUNING
    text = phrasing[0 if stated == "true" else 1].format(d=f"{day.day} {day.strftime('%B')} "
                                                           f"{day.year}")
    row["notes"] = f"{rng.choice(CHATTER)} {text}".strip()
    row["ptw"] = row["ptw_date"] = ""
    gen.notes_truth[row["case_id"]] = stated
    gen.tags[row["case_id"]] = "notes wrong" if wrong else "notes right"
    if wrong:
        gen.expected.append(Expected("status_disagreement", frozenset({row["case_id"]}),
                                     person.person_id, "permission_to_work", held))


def _phantom(rng: random.Random, key: str) -> dict[str, str]:
    born = date(1945, 1, 1) + timedelta(days=rng.randrange(365 * 62))
    return {"case_id": key, "ho_ref": "Z" + "".join(rng.choice("0123456789") for _ in range(7)),
            "family_name": rng.choice(SURNAMES), "forenames": rng.choice(GIVEN),
            "dob": born.isoformat(), "nationality": rng.choice(NATIONALITIES),
            "app_type": "asylum", "decision": "", "decision_date": "", "ptw": "",
            "ptw_date": "", "notes": ""}


def write_csv(rows: Iterable[dict[str, str]], path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(rows)
    return path

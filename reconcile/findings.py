"""From scored pairs to findings: where the database disagrees with the paper.

Matching follows identity linking's decisions and never forces one: a row matches a
paper person at or above the link weight; in the review band it is sent to a person; a
reviewer's never-link between two paper persons, or a hard conflict between them (the
rule identity's clusters apply), means one row matching both is a merged identity, not a
link. A row whose identifying values split between two persons on paper (each person
agreeing on what the other contradicts, each named by a strong identifier of its own: a
reference, or names with the date of birth) is a merged identity too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from identity.clusters import Constraints, hard_conflict, pair
from identity.normalise import Prepared, latin_name, name_key
from identity.records import Judgement
from identity.settings import LinkSettings
from reconcile.match import Scored
from reconcile.records import (
    Evidence,
    ExportRow,
    Finding,
    PaperPerson,
    PaperStatus,
    PaperValue,
    Reconciliation,
    RowMatch,
)

STRONG: Final = ("reference", "dob", "surname", "given")
COMPARED: Final = {"surname": "surname", "given": "given_names", "dob": "date_of_birth",
                   "nationality": "nationality", "reference": "reference"}
VALUE_FIELDS: Final = ("surname", "given_names", "date_of_birth", "nationality")
STATUS_CONFIDENCE: Final = 0.6  # a status read below this is not evidence against the database
EVENT_VALUE: Final = {"granted": "true", "refused": "false"}


@dataclass(frozen=True)
class Paper:
    """The paper side, indexed for a run."""

    persons: Mapping[str, PaperPerson]
    person_of: Mapping[str, str]  # document id -> person id
    prepared: Mapping[str, Prepared]
    apart: frozenset[tuple[str, str]]  # person pairs a reviewer said never link

    @classmethod
    def of(cls, persons: Sequence[PaperPerson], prepared: Mapping[str, Prepared],
           judgements: Sequence[Judgement]) -> Paper:
        person_of = {d.document_id: p.person_id for p in persons for d in p.documents}
        apart = frozenset(pair(person_of[a], person_of[b])
                          for a, b in Constraints.of(judgements).apart
                          if a in person_of and b in person_of)
        return cls({p.person_id: p for p in persons}, person_of, prepared, apart)


@dataclass
class _Candidate:
    person_id: str
    best: Scored
    agree: set[str]
    against: set[str]  # comparisons some document of the person contradicts

    @property
    def specific(self) -> bool:
        """Named by a strong identifier of its own, not by one common value."""
        return "reference" in self.agree or {"dob", "surname", "given"} <= self.agree

    def conflicts(self) -> set[str]:
        """Strong comparisons the person's documents contradict and none agrees with."""
        return {c for c in STRONG if c in self.against and c not in self.agree}


class Run:
    """One reconciliation, fed batch by batch (rows with their scored pairs), so that an
    export of millions of rows is never whole in memory; `finish` adds what needs every
    row (duplicates, persons no row reached)."""

    def __init__(self, paper: Paper, settings: LinkSettings) -> None:
        self.paper, self.settings = paper, settings
        self.findings: list[Finding] = []
        self.matches: list[RowMatch] = []
        self.matched: dict[str, list[str]] = defaultdict(list)
        self.touched: set[str] = set()

    def add(self, rows: Iterable[ExportRow], scored: Iterable[Scored]) -> None:
        by_row: dict[str, list[Scored]] = defaultdict(list)
        for s in scored:
            by_row[s.key].append(s)
        for row in rows:
            self._row(row, by_row.get(row.key, []))

    def _row(self, row: ExportRow, scored: list[Scored]) -> None:
        cands = _candidates(scored, self.paper)
        d = _decide(row, cands, self.paper, self.settings)
        self.findings.extend(d.findings)
        self.touched.update(c.person_id for c in d.owners)
        # a person the row may be (in the review band or above, or named by a strong
        # identifier and contradicting none) has not vanished: the row is theirs or a
        # reviewer looks at it
        self.touched.update(c.person_id for c in cands
                            if c.best.match_weight >= self.settings.review_weight
                            or (c.specific and not c.conflicts()))
        for c in d.matched:
            self.matches.append(RowMatch(row.key, c.person_id, c.best.match_weight, "link",
                                         c.best.document_id))
            self.matched[c.person_id].append(row.key)
            self.findings.extend(_compare(row, c, self.paper, self.settings))
        if d.review is not None:
            self.matches.append(RowMatch(row.key, d.review.person_id,
                                         d.review.best.match_weight, "review",
                                         d.review.best.document_id))

    def finish(self) -> Reconciliation:
        findings = [*self.findings, *_duplicates(self.matched),
                    *_vanished_paper(self.paper, self.touched, self.settings.confident)]
        return Reconciliation(tuple(self.matches), tuple(sorted(findings, key=lambda f: (
            f.harm, f.kind, f.keys, f.persons, f.field or ""))))


def reconcile(rows: Iterable[ExportRow], scored: Iterable[Scored], paper: Paper,
              settings: LinkSettings) -> Reconciliation:
    """Every finding of one export (rows and their scored pairs) against the paper."""
    run = Run(paper, settings)
    run.add(rows, scored)
    return run.finish()


def _candidates(scored: Sequence[Scored], paper: Paper) -> list[_Candidate]:
    out: dict[str, _Candidate] = {}
    for s in scored:
        pid = paper.person_of.get(s.document_id)
        if pid is None:
            continue
        c = out.get(pid)
        if c is None:
            out[pid] = c = _Candidate(pid, s, set(), set())
        elif s.match_weight > c.best.match_weight:
            c.best = s
        c.agree.update(n for n in COMPARED if s.agrees(n))
        c.against.update(n for n in COMPARED if s.conflicts(n))
    return sorted(out.values(), key=lambda c: -c.best.match_weight)


@dataclass(frozen=True)
class _Decision:
    """What became of one row: findings about its identity, the persons it matches, a
    review-band person, and the persons whose record it is (not vanished from it)."""

    findings: list[Finding]
    matched: list[_Candidate]
    review: _Candidate | None
    owners: list[_Candidate]


def _decide(row: ExportRow, cands: list[_Candidate], paper: Paper,
            settings: LinkSettings) -> _Decision:
    linked = [c for c in cands if c.best.match_weight >= settings.link_weight]
    if len(linked) >= 2:
        for i, a in enumerate(linked):
            for b in linked[i + 1:]:
                why = _apart(a, b, paper, settings)
                if not why:
                    continue
                alone = [c for c in (a, b) if not c.conflicts()]
                if len(alone) == 1:  # the row is wholly one person's: the other's paper
                    return _Decision([], alone, None, [a, b])  # differs from it, not the row
                return _Decision([_merged(row, a, b, why)], [], None, [a, b])
        return _Decision([], linked, None, linked)  # paper persons not yet joined
    if len(linked) == 1:
        one = linked[0]
        other = _explains(one, [c for c in cands if c is not one])
        if other is not None:
            return _Decision([_merged(row, one, other, "values of another person on paper: "
                                      + ", ".join(sorted(one.conflicts() or other.agree
                                                         - one.agree)))], [], None, [one])
        return _Decision([], [one], None, [one])
    split = _split(cands)
    if split is not None:
        # whose record it is cannot be told: it holds identifiers of both
        return _Decision([_merged(row, *split, "identity split between two persons on "
                                  "paper")], [], None, list(split))
    review = next((c for c in cands if c.best.match_weight >= settings.review_weight), None)
    if review is not None:
        return _Decision([_review(row, review, paper)], [], review, [review])
    return _Decision([Finding("vanished_db", (row.key,), (), "database record with no paper "
                              "found (reported, not judged)", _row_evidence(row))],
                     [], None, [])


def _apart(a: _Candidate, b: _Candidate, paper: Paper, settings: LinkSettings) -> str | None:
    if pair(a.person_id, b.person_id) in paper.apart:
        return "a reviewer said these persons are never one"
    pa, pb = paper.prepared.get(a.best.document_id), paper.prepared.get(b.best.document_id)
    return hard_conflict(pa, pb, settings) if pa and pb else None


def _explains(a: _Candidate, others: Sequence[_Candidate]) -> _Candidate | None:
    """The one other person the row's values come from, beside the person `a` it
    matches: one whose values are those the row contradicts `a` on, or one named by an
    identifier `a`'s paper does not hold (another person's reference on `a`'s record),
    whose paper contradicts only what `a`'s paper supports."""
    conflicts = a.conflicts()
    fits = [c for c in others if c.specific and (
        (conflicts and conflicts <= c.agree)
        or (c.conflicts() and c.conflicts() <= a.agree and _own_identifier(c, a)))]
    return fits[0] if len(fits) == 1 else None


def _own_identifier(b: _Candidate, a: _Candidate) -> bool:
    """`b` agrees with the row on a strong identifier that `a` does not."""
    extra = b.agree - a.agree
    return "reference" in extra or "dob" in extra


def _split(cands: Sequence[_Candidate]) -> tuple[_Candidate, _Candidate] | None:
    """The pair of persons each named by its own strong identifier, each agreeing where
    the other is contradicted. Several such pairs sharing one person (another's
    reference, and names that two namesakes hold) still say the record is merged: the
    shared person and the strongest of the others."""
    found = []
    specific = [c for c in cands if c.specific]
    for i, a in enumerate(specific):
        for b in specific[i + 1:]:
            ca, cb = a.conflicts(), b.conflicts()
            if (ca or cb) and ca <= b.agree and cb <= a.agree and (ca or cb) and \
                    (_own_identifier(a, b) or _own_identifier(b, a)):
                found.append((a, b))
    if len(found) <= 1:
        return found[0] if found else None
    shared = set.intersection(*({a.person_id, b.person_id} for a, b in found))
    if len(shared) != 1:
        return None
    common = next(c for c in specific if c.person_id in shared)
    other = max((b if a is common else a for a, b in found),
                key=lambda c: c.best.match_weight)
    return common, other


def _merged(row: ExportRow, a: _Candidate, b: _Candidate, why: str) -> Finding:
    ev = tuple(Evidence(COMPARED[n], row.get(COMPARED[n]), (), f"{pid}: {label} ({w:+.1f})")
               for c in (a, b) for pid in (c.person_id,)
               for n, label, w in c.best.levels if n in COMPARED)
    return Finding("merged_identity", (row.key,), tuple(sorted((a.person_id, b.person_id))),
                   f"one database record, two persons on paper: {why}", ev,
                   max(a.best.match_weight, b.best.match_weight))


def _review(row: ExportRow, c: _Candidate, paper: Paper) -> Finding:
    ev = tuple(_paper_evidence(row, c, paper, f) for f in VALUE_FIELDS)
    return Finding("value_disagreement", (row.key,), (c.person_id,),
                   "match in the review band: a person must say whether this record is "
                   "this person", ev, c.best.match_weight, "identity")


def _row_evidence(row: ExportRow) -> tuple[Evidence, ...]:
    return tuple(Evidence(f, v, ()) for f, v in row.values)


def _paper_values(c_person: PaperPerson, field: str) -> list[PaperValue]:
    return [PaperValue.of(d.document_id, o) for d in c_person.documents
            for o in getattr(d, field)]


def _paper_evidence(row: ExportRow, c: _Candidate, paper: Paper, field: str) -> Evidence:
    return Evidence(field, row.get(field), tuple(_paper_values(paper.persons[c.person_id],
                                                               field)))


def _compare(row: ExportRow, c: _Candidate, paper: Paper,
             settings: LinkSettings) -> list[Finding]:
    """Value and status disagreements of a row with the person it matches."""
    person = paper.persons[c.person_id]
    out = []
    for field in VALUE_FIELDS:
        why = _value_differs(row, c, person, field, settings)
        if why:
            out.append(Finding("value_disagreement", (row.key,), (c.person_id,), why,
                               (_paper_evidence(row, c, paper, field),),
                               c.best.match_weight, field))
    for field in ("decision", "permission_to_work"):
        f = _status_differs(row, person, field, c.best.match_weight)
        if f:
            out.append(f)
    return out


def _value_differs(row: ExportRow, c: _Candidate, person: PaperPerson, field: str,
                   settings: LinkSettings) -> str | None:
    """Why the database value is not what the paper says, or None when the paper agrees
    or OCR confidence and transliteration explain the difference."""
    db = row.get(field)
    comparison = next(n for n, f in COMPARED.items() if f == field)
    if db is None or comparison in c.agree:
        return None
    values = _paper_values(person, field)
    if not values or any(_explained(field, db, v, settings) for v in values):
        return None
    sure = [v for v in values if v.confidence >= settings.confident]
    if not sure:
        return None
    return (f"{field.replace('_', ' ')}: database {db!r}, paper "
            f"{', '.join(sorted({v.value for v in sure}))!r} read with high confidence")


def _explained(field: str, db: str, v: PaperValue, settings: LinkSettings) -> bool:
    if field in ("surname", "given_names"):
        a, b = latin_name(db), latin_name(v.value)
        if a is None or b is None:
            return True  # another script: not evidence either way
        if a == b or name_key(a) == name_key(b) or JaroWinkler.similarity(a, b) >= 0.92:
            return True
        return v.confidence < settings.confident and DamerauLevenshtein.distance(a, b) <= 1
    if field == "date_of_birth":
        x, y = db, v.value.strip()
        swapped = len(x) == len(y) == 10 and x[:4] == y[:4] and x[5:7] == y[8:10] \
            and x[8:10] == y[5:7]
        return x == y or swapped or (v.confidence < settings.confident
                                     and DamerauLevenshtein.distance(x, y) <= 1)
    return db.upper() == v.value.upper()


def _db_status(row: ExportRow, field: str) -> tuple[str | None, str | None, str]:
    """(value, date, where) the database gives: the column, else its notes' latest event."""
    if field == "decision":
        value, when = row.get("decision"), row.get("decision_date")
        kind = "claim_decision"
    else:
        value, when = row.get("permission_to_work"), row.get("permission_to_work_date")
        kind = "permission_to_work"
    if value is not None:
        return value, when, "column"
    events = sorted((e for e in row.events if e.kind == kind), key=lambda e: e.date or "")
    if not events:
        return None, None, ""
    e = events[-1]
    value = e.outcome if field == "decision" else EVENT_VALUE[e.outcome]
    return value, e.date, f"notes column {e.column!r}: {e.text!r}"


def latest(statuses: Iterable[PaperStatus], field: str) -> PaperStatus | None:
    """The latest status of `field` on paper read with enough confidence (undated
    evidence counts as older than dated)."""
    kept = [s for s in statuses if s.field == field and s.confidence >= STATUS_CONFIDENCE]
    return max(kept, key=lambda s: (s.date or "", s.confidence), default=None)


def _status_differs(row: ExportRow, person: PaperPerson, field: str,
                    weight: float) -> Finding | None:
    db, db_date, where = _db_status(row, field)
    last = latest(person.statuses, field)
    if db is None or last is None or db == last.value:
        return None
    if db_date and last.date and date.fromisoformat(db_date) > date.fromisoformat(last.date):
        return None  # the database records a later decision than any paper: not judged
    paper = (PaperValue(last.document_id, last.value, last.confidence, last.page, last.bbox),)
    note = f"database value from {where}" if where != "column" else ""
    return Finding("status_disagreement", (row.key,), (person.person_id,),
                   f"{field.replace('_', ' ')}: database {db!r}, latest paper {last.value!r}"
                   f" ({last.date or 'undated'})", (Evidence(field, db, paper, note),),
                   weight, field)


def _duplicates(matched: Mapping[str, list[str]]) -> Iterable[Finding]:
    for pid, rows in matched.items():
        if len(rows) > 1:
            keys = tuple(sorted(rows))
            yield Finding("duplicate", keys, (pid,), f"{len(rows)} database records for one "
                          "person on paper", tuple(Evidence("key", k, ()) for k in keys))


def _vanished_paper(paper: Paper, touched: set[str], confident: float
                    ) -> Iterable[Finding]:
    """Persons no row reached. One whose every identifier was read doubtfully (an OCR
    slip, often a fragment identity linking could not join) is weak evidence that a
    record is missing: it is still reported (field "doubtful"), after the others."""
    for pid, person in paper.persons.items():
        if pid not in touched:
            sure = _matchable(person, paper.prepared, confident)
            ev = tuple(Evidence(f, None, tuple(_paper_values(person, f)))
                       for f in ("reference", "surname", "given_names", "date_of_birth"))
            yield Finding("vanished_paper", (), (pid,), "person with paper files and no "
                          "database record" + ("" if sure else " (identifiers read "
                                               "doubtfully: a record may not match them)"),
                          ev, field=None if sure else "doubtful")


def _matchable(person: PaperPerson, prepared: Mapping[str, Prepared], confident: float
               ) -> bool:
    """A reference, or a date of birth with a surname, read with high confidence."""
    for d in person.documents:
        chosen = prepared[d.document_id].chosen if d.document_id in prepared else {}
        sure = {f for f, o in chosen.items() if o.confidence >= confident}
        if "reference" in sure or {"date_of_birth", "surname"} <= sure:
            return True
    return False

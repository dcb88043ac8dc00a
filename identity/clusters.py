"""From scored pairs to persons, without chaining strangers together.

Splink's connected components joins A-B-C when A-B and B-C score high, even if A and C
were never alike. Here clusters grow one link at a time, strongest first, and two
clusters merge only when every pair across them is compatible: no pair scored strongly
unlike, no hard conflict (dates of birth or given names that differ, both read with high
confidence), no reviewer's never-link or split between them. A link refused for that goes
to review. A person's confirm is applied first and a never is never overridden.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from identity.normalise import HIGH_CONFIDENCE, Prepared
from identity.records import Judgement
from identity.scoring import Scored
from identity.settings import LinkSettings

Pair = tuple[str, str]


def pair(a: str, b: str) -> Pair:
    return (a, b) if a < b else (b, a)


def person_key(documents: Iterable[str]) -> str:
    """Stable for a person across runs: derived from its first document id, not a counter."""
    return "p-" + hashlib.sha256(min(documents).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Constraints:
    """Reviewers' decisions, latest per pair: pairs to link, pairs never to share a person."""

    confirmed: tuple[Pair, ...]
    apart: frozenset[Pair]

    @classmethod
    def of(cls, judgements: Sequence[Judgement]) -> Constraints:
        latest: dict[Pair, Judgement] = {}
        for j in sorted(judgements, key=lambda j: j.at):
            latest[pair(j.left, j.right)] = j
        confirmed = tuple(p for p, j in latest.items() if j.action == "confirm")
        apart = frozenset(p for p, j in latest.items() if j.action in ("never", "split"))
        return cls(confirmed, apart)


# Given names less alike than this (Jaro-Winkler) are two names, not one spelt two ways
# or misread twice: AMINA and FATIMA (0.78) are twins; MOSTAFA and a misread MUTAFA
# (0.88), OLUWASEUN and OLUWASEYI, are one person.
UNLIKE_NAMES = 0.8


def _swapped(a: Prepared, b: Prepared) -> bool:
    """One document has the given and family names the other way round."""
    ra, rb = a.row, b.row
    return bool(ra["given_key"] == rb["surname_key"] or ra["surname_key"] == rb["given_key"])


def hard_conflict(a: Prepared, b: Prepared, settings: LinkSettings) -> str | None:
    """Why `a` and `b` cannot be one person whatever else agrees, or None."""
    da, db = a.chosen.get("date_of_birth"), b.chosen.get("date_of_birth")
    if da and db and min(da.confidence, db.confidence) >= settings.confident:
        x, y = da.value, db.value
        swapped = x[:4] == y[:4] and x[5:7] == y[8:10] and x[8:10] == y[5:7]
        if x != y and not swapped and DamerauLevenshtein.distance(x, y) > 1:
            return f"dates of birth {x} and {y} read with high confidence"
    ga, gb = a.chosen.get("given_names"), b.chosen.get("given_names")
    if ga and gb and min(ga.confidence, gb.confidence) >= settings.confident:
        fa, fb = ga.value.split(" ")[0], gb.value.split(" ")[0]
        # Different names, not one misread (an OCR slip changes one character) nor a
        # transliteration nor names swapped: twins, or a namesake.
        if a.row["given_key"] != b.row["given_key"] and DamerauLevenshtein.distance(fa, fb) > 1 \
                and JaroWinkler.similarity(fa, fb) < UNLIKE_NAMES \
                and not _swapped(a, b):
            return f"given names {ga.value} and {gb.value} read with high confidence"
    return None


def doubtful(a: Prepared, b: Prepared) -> str | None:
    """Why `a` and `b` should not be joined without a person looking, or None.

    Different references are not proof of different people (a person may be given a new
    one), but two documents whose references are more than one character apart (not one
    misread) must not be joined on the strength of other links: the cluster goes to
    review instead."""
    ra, rb = a.chosen.get("reference"), b.chosen.get("reference")
    if not (ra and rb):
        return None
    # One misread on each side puts two readings of one reference two characters apart;
    # read with high confidence, one character is all a misread explains.
    sure = min(ra.confidence, rb.confidence) >= HIGH_CONFIDENCE
    if DamerauLevenshtein.distance(ra.value, rb.value) > (1 if sure else 2):
        return f"references {ra.value} and {rb.value} differ"
    return None


@dataclass
class Grouping:
    """Union of documents into would-be persons, refusing incompatible merges."""

    prepared: Mapping[str, Prepared]
    unlike: frozenset[Pair]
    constraints: Constraints
    settings: LinkSettings
    group_of: dict[str, str] = field(default_factory=dict)
    members: dict[str, list[str]] = field(default_factory=dict)

    def add(self, documents: Sequence[str]) -> None:
        """Start a group (one document, or a previous run's person)."""
        head = documents[0]
        self.members[head] = list(documents)
        for d in documents:
            self.group_of[d] = head

    fixed: set[str] = field(default_factory=set)  # in a previous run's person

    def why_not(self, a: str, b: str, confirmed: bool = False) -> str | None:
        """Why the groups of a and b must not merge, or None."""
        found = self.blocker(a, b, confirmed)
        return found[2] if found else None

    def blocker(self, a: str, b: str, confirmed: bool = False) -> tuple[str, str, str] | None:
        """The first pair (x in a's group, y in b's) that keeps the groups apart, and why."""
        ga, gb = self.group_of[a], self.group_of[b]
        if ga == gb:
            return None
        return self.first_blocker(self.members[ga], self.members[gb], confirmed)

    def fits(self, d: str, other: str) -> bool:
        """Whether document `d` alone could join the group of `other`."""
        return self.first_blocker([d], self.members[self.group_of[other]]) is None

    def first_blocker(self, left: Sequence[str], right: Sequence[str],
                      confirmed: bool = False) -> tuple[str, str, str] | None:
        """The first pair (x in left, y in right) that must not share a person, and why."""
        for x in left:
            for y in right:
                p = pair(x, y)
                if p in self.constraints.apart:
                    return x, y, f"a reviewer said {x} and {y} are different people"
                if confirmed:
                    continue
                if p in self.unlike:
                    return x, y, f"{x} and {y} scored strongly unlike"
                if x in self.prepared and y in self.prepared:
                    px, py = self.prepared[x], self.prepared[y]
                    why = hard_conflict(px, py, self.settings) or doubtful(px, py)
                    if why:
                        return x, y, f"{x} and {y}: {why}"
        return None

    def detach(self, d: str, adjacent: Mapping[str, set[str]]) -> None:
        """Take `d` out of its group; the rest fall apart into what the links in
        `adjacent` (automatic links and confirms) still hold together."""
        head = self.group_of[d]
        rest = [m for m in self.members.pop(head) if m != d]
        self.add([d])
        inside = set(rest)
        seen: set[str] = set()
        for start in rest:
            if start in seen:
                continue
            part, todo = [start], [start]
            seen.add(start)
            while todo:
                for n in adjacent.get(todo.pop(), ()):
                    if n in inside and n not in seen:
                        seen.add(n)
                        part.append(n)
                        todo.append(n)
            self.add(part)

    def merge(self, a: str, b: str) -> None:
        ga, gb = self.group_of[a], self.group_of[b]
        if len(self.members[ga]) < len(self.members[gb]):
            ga, gb = gb, ga
        for d in self.members.pop(gb):
            self.group_of[d] = ga
            self.members[ga].append(d)


@dataclass(frozen=True)
class Grouped:
    groups: tuple[tuple[str, ...], ...]
    refused_links: tuple[tuple[Scored, str], ...]  # link-strength pairs kept apart, and why


def group(grouping: Grouping, edges: Sequence[Scored]) -> Grouped:
    """Apply confirms, then automatic links strongest first; return the groups and the
    links refused because their clusters were incompatible."""
    for a, b in grouping.constraints.confirmed:
        if a in grouping.group_of and b in grouping.group_of \
                and grouping.why_not(a, b, confirmed=True) is None:
            grouping.merge(a, b)
    refused: list[tuple[Scored, str]] = []
    strong = sorted((e for e in edges if e.automatic),
                    key=lambda e: (-e.match_weight, e.left, e.right))
    contested: set[str] = set()
    for e in strong:
        if grouping.group_of[e.left] == grouping.group_of[e.right]:
            continue
        found = grouping.blocker(e.left, e.right)
        if found is None:
            grouping.merge(e.left, e.right)
            continue
        x, y, why = found
        refused.append((e, why))
        # A document strongly linked to two people who cannot be one could be either:
        # it goes to review rather than to whichever link came first (a reviewer's
        # never or split has already said where it stands). Only a document that could
        # join the other person is contested: one that conflicts with a member of it
        # (a date of birth read confidently and far apart) is where it belongs, and
        # taking it out would only break up its person.
        if pair(x, y) not in grouping.constraints.apart:
            contested.update(d for d, other in ((e.left, e.right), (e.right, e.left))
                             if grouping.fits(d, other))
    _detach(grouping, contested, strong)
    groups = tuple(tuple(sorted(m)) for m in grouping.members.values())
    return Grouped(groups, tuple(refused))


def _detach(grouping: Grouping, contested: set[str], strong: Sequence[Scored]) -> None:
    """Contested documents leave the persons this run formed (a previous run's person,
    or a reviewer's confirm, is kept)."""
    confirmed = set(grouping.constraints.confirmed)
    held = {d for p in confirmed for d in p} | grouping.fixed
    adjacent: dict[str, set[str]] = defaultdict(set)
    for a, b in [*((e.left, e.right) for e in strong), *confirmed]:
        adjacent[a].add(b)
        adjacent[b].add(a)
    for d in sorted(contested - held):
        if len(grouping.members[grouping.group_of[d]]) > 1:
            grouping.detach(d, adjacent)


class Edge(Protocol):
    """A scored link: this run's (Scored) or a previous run's (PairEvidence)."""

    @property
    def left(self) -> str: ...
    @property
    def right(self) -> str: ...
    @property
    def match_weight(self) -> float: ...
    @property
    def automatic(self) -> bool: ...


def bridges(documents: Sequence[str], links: Sequence[Edge], confirmed: set[Pair],
            settings: LinkSettings) -> list[str]:
    """Links whose removal splits the cluster and that are weak: the person rests on them."""
    strong = [e for e in links if e.automatic or pair(e.left, e.right) in confirmed]
    flags: list[str] = []
    if len(documents) < 3:
        return flags
    for e in strong:
        if pair(e.left, e.right) in confirmed:
            continue
        if e.match_weight >= settings.link_weight + settings.bridge_margin:
            continue
        rest = [x for x in strong if x is not e]
        if not _connected(documents, rest, confirmed):
            flags.append(f"bridge: {e.left}-{e.right} at weight {e.match_weight:.1f} "
                         "holds the cluster together")
    return flags


def _connected(documents: Sequence[str], links: Sequence[Edge], confirmed: set[Pair]) -> bool:
    adjacent: dict[str, set[str]] = defaultdict(set)
    for a, b in [(e.left, e.right) for e in links] + list(confirmed):
        adjacent[a].add(b)
        adjacent[b].add(a)
    seen, todo = {documents[0]}, [documents[0]]
    while todo:
        for n in adjacent[todo.pop()]:
            if n not in seen:
                seen.add(n)
                todo.append(n)
    return seen >= set(documents)

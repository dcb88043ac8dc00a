"""The entry points: link documents to persons, in one run or incrementally.

    link(documents, judgements, settings) -> LinkResult
    link_new(new, existing, judgements, settings, previous) -> LinkResult

Order of work: rescans are set aside (another scan of paper already held is not evidence);
documents holding two people are flagged and linked no further; values that cannot be
evidence are refused with the reason; Splink scores the blocked pairs of the rest; the
clusters grow without chaining (identity.clusters); checks flag doubtful clusters.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from rapidfuzz.distance import DamerauLevenshtein

from identity.clusters import Constraints, Edge, Grouping, bridges, group, pair, person_key
from identity.model import chance
from identity.normalise import Prepared, prepare
from identity.records import (
    Cluster,
    DocumentIdentity,
    Judgement,
    LinkResult,
    LinkStatus,
    PairDecision,
    PairEvidence,
    Rescan,
    TwoPeople,
)
from identity.rescans import find_rescans
from identity.scoring import Explainer, Scored, predictions
from identity.settings import LinkSettings
from identity.splinkdb import duckdb_api, frequencies, linker, register


def load_model(settings: LinkSettings) -> dict[str, Any]:
    """The trained Splink model the settings name."""
    with open(settings.model_path, encoding="utf-8") as f:
        model: dict[str, Any] = json.load(f)
    # The waterfall needs each pair's level per comparison (gamma), which Splink keeps
    # only with the matching columns.
    model["retain_matching_columns"] = True
    model["retain_intermediate_calculation_columns"] = True
    return model


def link(documents: Sequence[DocumentIdentity], judgements: Sequence[Judgement],
         settings: LinkSettings, db: Any | None = None) -> LinkResult:
    """Decide which of `documents` are one person. `db`: a Splink database API (DuckDB
    in-process when None; a SparkAPI runs the same model on Spark)."""
    return _run(documents, (), judgements, settings, None, db)


def link_new(new: Sequence[DocumentIdentity], existing: Sequence[DocumentIdentity],
             judgements: Sequence[Judgement], settings: LinkSettings,
             previous: LinkResult, db: Any | None = None) -> LinkResult:
    """Link a batch of new documents against those already linked in `previous`, scoring
    only pairs that involve a new document; previous persons are kept as they were
    (they grow, never split by this run) unless a reviewer has since split them or said
    two of their documents are different people: those persons are linked again."""
    apart = Constraints.of(judgements).apart
    broken = {d for c in previous.clusters
              if any(pair(a, b) in apart for i, a in enumerate(c.documents)
                     for b in c.documents[i + 1:])
              for d in c.documents}
    if broken:
        new = [*new, *(d for d in existing if d.document_id in broken)]
        existing = [d for d in existing if d.document_id not in broken]
        previous = _without(previous, broken)
    return _run(new, existing, judgements, settings, previous, db)


def _without(previous: LinkResult, documents: set[str]) -> LinkResult:
    """The previous result less the persons holding `documents` (to be linked again)."""
    return LinkResult(
        tuple(c for c in previous.clusters if not documents & set(c.documents)),
        tuple(p for p in previous.review if not {p.left, p.right} & documents),
        tuple(t for t in previous.two_people if t.document_id not in documents),
        tuple(r for r in previous.rescans if r.document_id not in documents),
        tuple(r for r in previous.refused if r[0] not in documents))


@dataclass(frozen=True)
class _Sorted:
    """The documents of a run, sorted by what happens to them."""

    prepared: dict[str, Prepared]
    rescans: tuple[Rescan, ...]
    two_people: tuple[TwoPeople, ...]
    refused: tuple[tuple[str, str], ...]
    linkable_new: tuple[str, ...]
    linkable_old: tuple[str, ...]


def _sort(new: Sequence[DocumentIdentity], existing: Sequence[DocumentIdentity],
          previous: LinkResult | None, settings: LinkSettings) -> _Sorted:
    known = {r.document_id: r.original_id for r in previous.rescans} if previous else None
    rescans = tuple(find_rescans(new, existing, settings.rescan_text_similarity,
                                 settings.rescan_hash_distance, known))
    old_rescans = {r.document_id for r in previous.rescans} if previous else set()
    skip = {r.document_id for r in rescans} | old_rescans
    today = date.today()
    prepared = {d.document_id: prepare(d, today) for d in [*existing, *new]
                if d.document_id not in skip}
    new_ids = [d.document_id for d in new if d.document_id not in skip]
    two = tuple(TwoPeople(i, prepared[i].two_people) for i in new_ids
                if prepared[i].two_people)
    refused = [(i, why) for i in new_ids for why in prepared[i].refused]
    refused += [(i, "no identifying field to link on") for i in new_ids
                if not prepared[i].identifying]
    old_two = {t.document_id for t in previous.two_people} if previous else set()
    barred = {t.document_id for t in two} | old_two

    def linkable(ids: Iterable[str]) -> tuple[str, ...]:
        return tuple(i for i in ids if i not in barred and prepared[i].identifying)

    old_ids = [d.document_id for d in existing if d.document_id not in skip]
    return _Sorted(prepared, rescans, two, tuple(refused), linkable(new_ids),
                   linkable(old_ids))


def _score(docs: _Sorted, model: dict[str, Any], settings: LinkSettings,
           db: Any | None, explainer: Explainer) -> tuple[list[Scored], frozenset[tuple[str, str]]]:
    """Candidate edges (at or above the review weight) and pairs scored strongly unlike."""
    if not docs.linkable_new:
        return [], frozenset()
    db = duckdb_api() if db is None else db
    average = chance(model)
    new_rows = [docs.prepared[i].row for i in docs.linkable_new]
    old_rows = [docs.prepared[i].row for i in docs.linkable_old]
    if old_rows:
        lk = linker(db, old_rows, model, "existing")
        frequencies(db, lk, [*old_rows, *new_rows], average, settings.frequency_prior_documents)
        new_sdf = register(db, new_rows, "new")
        tables = [lk.inference.predict_within(new_sdf),
                  lk.inference.predict_between(new_sdf, lk._input_tables_dict["existing"])]
    else:
        lk = linker(db, new_rows, model, "new")
        frequencies(db, lk, new_rows, average, settings.frequency_prior_documents)
        tables = [lk.inference.predict()]
    scored = [s for t in tables
              for s in predictions(t, settings.review_weight, settings.link_weight,
                                   settings.conflict_weight, explainer.names)]
    edges = [replace(s, automatic=s.match_weight >= settings.link_weight
                     and explainer.corroborated(s))
             for s in scored if s.match_weight >= settings.review_weight]
    unlike = frozenset((s.left, s.right) for s in scored
                       if s.match_weight < settings.conflict_weight)
    return edges, unlike


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """A run builds millions of small records with no reference cycles; reference counting
    frees them, while Python's cycle collector would scan them again and again (half the
    time of a run over 100,000 documents). It is switched back on afterwards."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _run(new: Sequence[DocumentIdentity], existing: Sequence[DocumentIdentity],
         judgements: Sequence[Judgement], settings: LinkSettings,
         previous: LinkResult | None, db: Any | None) -> LinkResult:
    with _no_cycle_collection():
        return _linked(new, existing, judgements, settings, previous, db)


def _linked(new: Sequence[DocumentIdentity], existing: Sequence[DocumentIdentity],
            judgements: Sequence[Judgement], settings: LinkSettings,
            previous: LinkResult | None, db: Any | None) -> LinkResult:
    docs = _sort(new, existing, previous, settings)
    model = load_model(settings)
    explainer = Explainer(model)
    edges, unlike = _score(docs, model, settings, db, explainer)
    constraints = Constraints.of(judgements)
    grouping = Grouping(docs.prepared, unlike, constraints, settings)
    linkable = set(docs.linkable_old) | set(docs.linkable_new)
    for start in _starting_groups(previous, docs.linkable_old):
        kept = [d for d in start if d in linkable]
        grouping.add(kept)
        if len(kept) > 1:
            grouping.fixed.update(kept)
    for d in docs.linkable_new:
        grouping.add([d])
    grouped = group(grouping, edges)
    return _result(docs, grouped.groups, edges, grouped.refused_links, grouping, explainer,
                   previous, settings)


def _starting_groups(previous: LinkResult | None, old: Sequence[str]) -> list[list[str]]:
    """Previous persons (their linkable documents) and the other existing documents."""
    groups: list[list[str]] = []
    placed: set[str] = set()
    old_set = set(old)
    for c in previous.clusters if previous else ():
        if c.status == "flagged_two_people":
            continue
        members = [d for d in c.documents if d in old_set and d not in placed]
        if members:
            groups.append(members)
            placed.update(members)
    groups += [[d] for d in old if d not in placed]
    return groups


def _evidence(e: Scored, decision: PairDecision, explainer: Explainer,
              prepared: Mapping[str, Prepared]) -> PairEvidence:
    return PairEvidence(e.left, e.right, round(e.match_weight, 3), e.probability, decision,
                        explainer.contributions(e, prepared))


def _result(docs: _Sorted, groups: Sequence[Sequence[str]], edges: Sequence[Scored],
            refused_links: Sequence[tuple[Scored, str]], grouping: Grouping,
            explainer: Explainer, previous: LinkResult | None,
            settings: LinkSettings) -> LinkResult:
    group_of = grouping.group_of
    within: dict[str, list[Scored]] = {}
    between: list[Scored] = []
    for e in edges:
        if group_of[e.left] == group_of[e.right]:
            within.setdefault(group_of[e.left], []).append(e)
        else:
            between.append(e)
    kept_apart: dict[str, list[str]] = {}
    for e, why in refused_links:
        if "a reviewer said" in why:
            between.remove(e)
            continue
        for d in (e.left, e.right):
            kept_apart.setdefault(group_of[d], []).append(f"kept apart: {why}")
    chosen = _one_per_pair_of_persons(between, group_of)
    review = [_evidence(e, "review", explainer, docs.prepared) for e in chosen]
    in_review = {d for e in chosen for d in (e.left, e.right)}
    review += _still_open(previous, group_of)
    originals: dict[str, list[str]] = {}
    for r in [*(previous.rescans if previous else ()), *docs.rescans]:
        originals.setdefault(r.original_id, []).append(r.document_id)
    old_links = _previous_links(previous)
    confirmed = set(grouping.constraints.confirmed)
    clusters = []
    for members in groups:
        head = group_of[members[0]]
        links = within.get(head, [])
        fresh = {pair(e.left, e.right) for e in links}
        member_set = set(members)
        kept = [p for m in members for p in old_links.get(m, ())
                if p.right in member_set and pair(p.left, p.right) not in fresh]
        flags = _checks(members, [*links, *kept], docs.prepared, confirmed, settings)
        evidence = [_evidence(e, "link" if e.automatic else "review", explainer,
                              docs.prepared) for e in links]
        evidence += kept
        status = _status(members, flags, in_review)
        allof = tuple(sorted([*members, *(r for m in members for r in originals.get(m, ()))]))
        clusters.append(Cluster(person_key(members), allof, status, tuple(evidence),
                                tuple(flags + kept_apart.get(head, []))))
    clusters += _apart_clusters(docs, grouping, originals, previous)
    return LinkResult(tuple(sorted(clusters, key=lambda c: c.person_key)), tuple(review),
                      (*(previous.two_people if previous else ()), *docs.two_people),
                      (*(previous.rescans if previous else ()), *docs.rescans),
                      (*(previous.refused if previous else ()), *docs.refused))


def _one_per_pair_of_persons(between: Sequence[Scored],
                             group_of: Mapping[str, str]) -> list[Scored]:
    """The strongest pair between each two would-be persons: one question for a reviewer
    (are these two persons one?), shown with its best evidence, not one per pair of
    their documents. A confirm joins the two persons at the next run."""
    best: dict[tuple[str, str], Scored] = {}
    for e in between:
        key = pair(group_of[e.left], group_of[e.right])
        # Weights rounded as the evidence keeps them, then ids: the same choice on every
        # backend (Spark and DuckDB sum the same weights a few ulps apart).
        if key not in best or _rank(e) > _rank(best[key]):
            best[key] = e
    return sorted(best.values(), key=lambda e: (e.left, e.right))


def _rank(e: Scored) -> tuple[float, str, str]:
    return round(e.match_weight, 3), e.left, e.right


def _status(members: Sequence[str], flags: Sequence[str], in_review: set[str]) -> LinkStatus:
    if flags:
        return "needs_review"
    if len(members) == 1:
        return "needs_review" if members[0] in in_review else "unlinked"
    return "linked"


def _checks(members: Sequence[str], links: Sequence[Edge], prepared: Mapping[str, Prepared],
            confirmed: set[tuple[str, str]], settings: LinkSettings) -> list[str]:
    """What looks wrong with a cluster: a weak bridge, too many documents, two references
    read with high confidence."""
    flags = bridges(members, links, confirmed, settings)
    if len(members) > settings.max_cluster_size:
        flags.append(f"too large: {len(members)} documents (limit "
                     f"{settings.max_cluster_size})")
    refs = sorted({o.value for m in members if (o := prepared[m].chosen.get("reference"))
                   and o.confidence >= settings.confident})
    apart = [(a, b) for i, a in enumerate(refs) for b in refs[i + 1:]
             if DamerauLevenshtein.distance(a, b) > 1]  # one character off: a misread
    if apart:
        flags.append("two references read with high confidence: "
                     + ", ".join(sorted({r for p in apart for r in p})[:5]))
    return flags


def _previous_links(previous: LinkResult | None) -> dict[str, list[PairEvidence]]:
    """Previous runs' link evidence by its left document."""
    out: dict[str, list[PairEvidence]] = {}
    for c in previous.clusters if previous else ():
        for p in c.links:
            out.setdefault(p.left, []).append(p)
    return out


def _still_open(previous: LinkResult | None, group_of: Mapping[str, str]) -> list[PairEvidence]:
    """Previous review items whose documents are still apart."""
    if previous is None:
        return []
    return [p for p in previous.review if p.left in group_of and p.right in group_of
            and group_of[p.left] != group_of[p.right]]


def _apart_clusters(docs: _Sorted, grouping: Grouping, originals: Mapping[str, list[str]],
                    previous: LinkResult | None) -> list[Cluster]:
    """Documents outside the linking: two-people (flagged) and those with nothing to link
    on (a person of their own)."""
    out = []
    flagged = {t.document_id: t.reasons for t in docs.two_people}
    if previous:
        flagged.update({t.document_id: t.reasons for t in previous.two_people})
    for d in docs.prepared:
        if d in grouping.group_of:
            continue
        allof = tuple(sorted([d, *originals.get(d, ())]))
        if d in flagged:
            out.append(Cluster(person_key([d]), allof, "flagged_two_people", (),
                               tuple(f"two people: {r}" for r in flagged[d])))
        else:
            out.append(Cluster(person_key([d]), allof, "unlinked", (),
                               ("nothing to link on",)))
    return out

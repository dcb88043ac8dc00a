"""The one mapping between the index's rows and identity linking's records.

Storage does not import identity and identity does not import storage; this module
reads a stored document into a `DocumentIdentity` and turns a `LinkResult` into the rows
the index keeps (and judgements back into the model's records).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

from identity.records import (
    LINK_STATUSES,
    Cluster,
    Contribution,
    DocumentIdentity,
    Judgement,
    LinkResult,
    LinkStatus,
    Observed,
    PairDecision,
    PairEvidence,
    Rescan,
    ReviewAction,
    TwoPeople,
)
from storage.index.person_records import (
    ContributionRow,
    JudgementRow,
    LinkPairRow,
    LinkWrite,
    Membership,
    ObservedRow,
    PersonRow,
    RefusedRow,
    RescanRow,
    TwoPeopleRow,
)
from storage.index.records import CorrectionRow, DocumentRow, FieldRow

# Which case field fills which identifying value of a DocumentIdentity (one place).
IDENTITY_FIELDS: Final[dict[str, str]] = {
    "surname": "surname",
    "given_names": "given_names",
    "date_of_birth": "date_of_birth",
    "nationality": "nationality",
    "home_office_reference": "reference",
}
READ: Final = ("confirmed", "needs_review")  # a value awaiting review is still evidence
CORRECTED_CONFIDENCE: Final = 1.0  # a person typed it


def document_identity(row: DocumentRow, page_hashes: Sequence[str] = ()) -> DocumentIdentity:
    """The identifying values of a stored document, each with confidence, page and box.

    Every distinct value read for a field is kept (two dates of birth in one file are
    evidence of two people, not a choice to make here); a person's latest correction
    replaces what was read for that field, at full confidence."""
    values = {attr: _observed(row, name) for name, attr in IDENTITY_FIELDS.items()}
    return DocumentIdentity(document_id=row.document_id, sha256=row.sha256,
                            page_hashes=tuple(page_hashes), text=row.text, **values)


def _observed(row: DocumentRow, name: str) -> tuple[Observed, ...]:
    read = [f for f in row.fields if f.name == name and f.status in READ
            and f.value is not None and str(f.value).strip()]
    corrected = _latest(row.corrections, name)
    if corrected is not None:
        return _corrected(corrected, read)
    best: dict[str, FieldRow] = {}
    for f in read:
        key = str(f.value)
        if key not in best or f.confidence > best[key].confidence:
            best[key] = f
    return tuple(Observed(str(f.value), f.confidence, f.page, f.bbox) for f in best.values())


def _latest(corrections: Sequence[CorrectionRow], name: str) -> CorrectionRow | None:
    mine = [c for c in corrections if c.name == name]
    return mine[-1] if mine else None


def _corrected(c: CorrectionRow, read: Sequence[FieldRow]) -> tuple[Observed, ...]:
    """A correction points at the page and box where its value was read, if it was."""
    if c.value is None or not str(c.value).strip():
        return ()
    where = next((f for f in read if str(f.value) == str(c.value)), None)
    return (Observed(str(c.value), CORRECTED_CONFIDENCE, where.page if where else None,
                     where.bbox if where else None),)


def judgement(row: JudgementRow) -> Judgement:
    """A stored judgement as the model reads it."""
    actions: dict[str, ReviewAction] = {"confirm": "confirm", "split": "split", "never": "never"}
    if row.action not in actions:
        raise ValueError(f"judgement {row.judgement_id} has unknown action {row.action!r}")
    return Judgement(action=actions[row.action], left=row.left, right=row.right, by=row.by,
                     at=row.at, why=row.why)


def link_write(result: LinkResult) -> LinkWrite:
    """The rows a run's result is kept as: persons, memberships, evidence, flags."""
    flagged = {t.document_id for t in result.two_people}
    reviewed = {d for p in result.review for d in (p.left, p.right)}
    return LinkWrite(
        persons=tuple(PersonRow(c.person_key, c.status, c.documents, c.flags)
                      for c in result.clusters),
        members=tuple(Membership(d, c.person_key, _member_status(c, d, flagged, reviewed))
                      for c in result.clusters for d in c.documents),
        pairs=tuple(_pairs(result)),
        two_people=tuple(TwoPeopleRow(t.document_id, t.reasons) for t in result.two_people),
        rescans=tuple(RescanRow(r.document_id, r.original_id, r.similarity, r.reason)
                      for r in result.rescans),
        refused=tuple(RefusedRow(d, tuple(why)) for d, why in _reasons(result.refused).items()))


def _reasons(refused: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Every reason a document was not linked on its evidence, gathered per document."""
    by: dict[str, list[str]] = {}
    for document_id, why in refused:
        by.setdefault(document_id, []).append(why)
    return by


def link_result(rows: LinkWrite) -> LinkResult:
    """The kept decisions back as the model's result (what `link_new` builds on): each
    person's links are the pairs inside it, the review pairs those in the band."""
    inside: dict[str, list[PairEvidence]] = {}
    for p in rows.pairs:
        if p.person_id is not None:
            inside.setdefault(p.person_id, []).append(_evidence(p))
    return LinkResult(
        clusters=tuple(Cluster(p.person_id, p.documents, _status(p.status),
                               tuple(inside.get(p.person_id, ())), p.flags)
                       for p in rows.persons),
        review=tuple(_evidence(p) for p in rows.pairs if p.review),
        two_people=tuple(TwoPeople(t.document_id, t.reasons) for t in rows.two_people),
        rescans=tuple(Rescan(r.document_id, r.original_id, r.similarity, r.reason)
                      for r in rows.rescans),
        refused=tuple((r.document_id, why) for r in rows.refused for why in r.reasons))


def _status(status: str) -> LinkStatus:
    known: dict[str, LinkStatus] = {s: s for s in LINK_STATUSES}
    if status not in known:
        raise ValueError(f"unknown link status {status!r} in the index")
    return known[status]


def _evidence(p: LinkPairRow) -> PairEvidence:
    decisions: dict[str, PairDecision] = {"link": "link", "review": "review",
                                          "separate": "separate"}
    if p.decision not in decisions:
        raise ValueError(f"unknown pair decision {p.decision!r} in the index")
    return PairEvidence(p.left, p.right, p.match_weight, p.probability,
                        decisions[p.decision], tuple(
                            Contribution(c.comparison, c.level, c.match_weight,
                                         _observed_of(c.left), _observed_of(c.right))
                            for c in p.contributions))


def _observed_of(o: ObservedRow | None) -> Observed | None:
    return None if o is None else Observed(o.value, o.confidence, o.page, o.bbox)


def _member_status(c: Cluster, document_id: str, flagged: set[str], reviewed: set[str]) -> str:
    """A flagged document says so whatever its cluster; a document alone but waiting in
    a review pair needs review, not `unlinked`."""
    if document_id in flagged:
        return "flagged_two_people"
    if c.status == "unlinked" and document_id in reviewed:
        return "needs_review"
    return c.status


def _pairs(result: LinkResult) -> Iterable[LinkPairRow]:
    """Each compared pair once: a cluster's links carry its person, review pairs say so."""
    owner = {d: c.person_key for c in result.clusters for d in c.documents}
    review = {(p.left, p.right) for p in result.review}
    seen: set[tuple[str, str]] = set()
    for p in [link for c in result.clusters for link in c.links] + list(result.review):
        key = (p.left, p.right)
        if key in seen:
            continue
        seen.add(key)
        same = owner.get(p.left) if owner.get(p.left) == owner.get(p.right) else None
        yield _pair_row(p, same, key in review)


def _pair_row(p: PairEvidence, person_id: str | None, review: bool) -> LinkPairRow:
    return LinkPairRow(p.left, p.right, p.match_weight, p.probability, p.decision,
                   tuple(_contribution(c) for c in p.contributions), person_id, review)


def _contribution(c: Contribution) -> ContributionRow:
    return ContributionRow(c.comparison, c.level, c.match_weight, _observed_row(c.left),
                           _observed_row(c.right))


def _observed_row(o: Observed | None) -> ObservedRow | None:
    return None if o is None else ObservedRow(o.value, o.confidence, o.page, o.bbox)

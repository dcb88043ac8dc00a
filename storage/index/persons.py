"""Persons and links in the index: write a run's decisions, append judgements, read
persons, their evidence and the review queue. Plain SQLAlchemy on both dialects;
`storage.index.Index` exposes these as methods.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, Final

from sqlalchemy import Connection, and_, delete, func, or_, select, text
from sqlalchemy.orm import Session

from storage.index.bulk import insert_many
from storage.index.mapping import as_utc, correction_row, field_bbox, field_value
from storage.index.models import CorrectionModel, DocumentModel, FieldModel, PageModel
from storage.index.person_models import (
    JudgementModel,
    LinkPairModel,
    LinkRefusalModel,
    LinkRunModel,
    PageHashModel,
    PersonDocumentModel,
    PersonModel,
    RescanModel,
    TwoPeopleModel,
)
from storage.index.person_records import (
    JUDGEMENT_ACTIONS,
    MAX_BY,
    MAX_WHY,
    MEMBER_STATUSES,
    PAIR_DECISIONS,
    ContributionRow,
    JudgementRow,
    LinkPairRow,
    LinkRunRow,
    LinkWrite,
    MemberRow,
    Membership,
    ObservedRow,
    PersonCounts,
    PersonDetail,
    PersonRow,
    RefusedRow,
    RescanRow,
    TwoPeopleRow,
)
from storage.index.records import CorrectionRow, DocumentRow, FieldRow, PageRow
from storage.index.window import MAX_LIST_ROWS, check_window

# The model's decisions, children first: what a new run replaces (judgements are not here).
_REPLACED: Final = (LinkPairModel, PersonDocumentModel, PersonModel,
                    TwoPeopleModel, RescanModel, LinkRefusalModel)
IN_CHUNK: Final = 500  # ids in one IN (...) list
_PG_LINK_LOCK: Final = 0x6C696E6B  # 'link'


def write_links(session: Session, result: LinkWrite) -> LinkRunRow:
    """Replace the model's previous decisions with `result`, in one transaction."""
    _check_write(result)
    conn = session.connection()
    if conn.dialect.name == "postgresql":  # one run writes at a time
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LINK_LOCK})
    _check_known(conn, {m.document_id for m in result.members})
    now = as_utc(datetime.now(UTC))
    run = LinkRunModel(created_at=now, documents=len(result.members),
                       persons=len(result.persons), review=sum(p.review for p in result.pairs),
                       two_people=len(result.two_people), rescans=len(result.rescans))
    session.add(run)
    session.flush()
    for model in _REPLACED:
        conn.execute(delete(model))
    _insert_decisions(conn, run.id, result)
    return _run_row(run)


def _insert_decisions(conn: Connection, run_id: int, result: LinkWrite) -> None:
    insert_many(conn, PersonModel.__table__, [
        {"person_id": p.person_id, "run_id": run_id, "status": p.status,
         "flags_json": json.dumps(list(p.flags))} for p in result.persons])
    insert_many(conn, PersonDocumentModel.__table__, [
        {"document_id": m.document_id, "person_id": m.person_id, "status": m.status}
        for m in result.members])
    insert_many(conn, TwoPeopleModel.__table__, [
        {"document_id": t.document_id, "reasons_json": json.dumps(list(t.reasons))}
        for t in result.two_people])
    insert_many(conn, RescanModel.__table__, [
        {"document_id": r.document_id, "original_id": r.original_id,
         "similarity": r.similarity, "reason": r.reason} for r in result.rescans])
    insert_many(conn, LinkRefusalModel.__table__, [
        {"document_id": r.document_id, "reasons_json": json.dumps(list(r.reasons))}
        for r in result.refused])
    _insert_pairs(conn, result.pairs)


def _insert_pairs(conn: Connection, pairs: Sequence[LinkPairRow]) -> None:
    """Each pair with its waterfall, one statement for them all."""
    insert_many(conn, LinkPairModel.__table__, [
        {"left_id": p.left, "right_id": p.right, "person_id": p.person_id,
         "match_weight": p.match_weight, "probability": p.probability,
         "decision": p.decision, "review": p.review,
         "contributions_json": json.dumps([_bar(c) for c in p.contributions])}
        for p in pairs])


def _check_write(result: LinkWrite) -> None:
    """Refuse a result the tables could not hold faithfully, before anything is written."""
    members = [m.document_id for m in result.members]
    if len(set(members)) != len(members):
        raise ValueError("a document appears in more than one person")
    persons = {p.person_id for p in result.persons}
    if len(persons) != len(result.persons):
        raise ValueError("a person id appears twice")
    for m in result.members:
        if m.person_id not in persons:
            raise ValueError(f"document {m.document_id} belongs to unknown person {m.person_id}")
        if m.status not in MEMBER_STATUSES:
            raise ValueError(f"document {m.document_id} has unknown status {m.status!r}")
    member_set = set(members)
    for p in result.pairs:
        if p.decision not in PAIR_DECISIONS:
            raise ValueError(f"pair {p.left}/{p.right} has unknown decision {p.decision!r}")
        if not {p.left, p.right} <= member_set:
            raise ValueError(f"pair {p.left}/{p.right} names a document not in the run")
    for kind, docs in (("two-people flag", [t.document_id for t in result.two_people]),
                       ("rescan", [r.document_id for r in result.rescans]),
                       ("refusal", [r.document_id for r in result.refused])):
        if len(set(docs)) != len(docs):
            raise ValueError(f"a document has more than one {kind}")
        for doc in docs:
            if doc not in member_set:
                raise ValueError(f"document {doc} has a {kind} but is not in the run")


def _check_known(conn: Connection, ids: set[str]) -> None:
    """Every document a run names must be indexed (evidence about nothing is refused)."""
    known: set[str] = set()
    for chunk in _chunks(sorted(ids)):
        known.update(conn.execute(select(DocumentModel.document_id).where(
            DocumentModel.document_id.in_(chunk))).scalars())
    missing = ids - known
    if missing:
        raise ValueError(f"linking names {len(missing)} unindexed document(s), e.g. "
                         f"{sorted(missing)[0]}")


def add_judgement(session: Session, row: JudgementRow) -> JudgementRow:
    """Append a person's decision; earlier ones stay as they were."""
    if row.action not in JUDGEMENT_ACTIONS:
        raise ValueError(f"unknown action {row.action!r}; one of {', '.join(JUDGEMENT_ACTIONS)}")
    if row.left == row.right:
        raise ValueError(f"a judgement needs two different documents, got {row.left} twice")
    by, why = row.by.strip(), row.why.strip()
    if not by or len(by) > MAX_BY:
        raise ValueError(f"who decides must be 1 to {MAX_BY} characters")
    if not why or len(why) > MAX_WHY:
        raise ValueError(f"why must be 1 to {MAX_WHY} characters")
    _check_known(session.connection(), {row.left, row.right})
    left, right = sorted((row.left, row.right)) if row.action != "split" else (row.left, row.right)
    model = JudgementModel(action=row.action, left_id=left, right_id=right, by=by,
                           at=as_utc(row.at), why=why)
    session.add(model)
    session.flush()
    return _judgement_row(model)


def judgements(session: Session, document_ids: Iterable[str] | None = None
               ) -> list[JudgementRow]:
    """Every judgement in the order made (or those touching `document_ids`)."""
    query = select(JudgementModel).order_by(JudgementModel.id)
    if document_ids is None:
        return [_judgement_row(m) for m in session.scalars(query)]
    ids = sorted(set(document_ids))
    found: dict[int, JudgementModel] = {}
    for chunk in _chunks(ids):
        for m in session.scalars(query.where(or_(JudgementModel.left_id.in_(chunk),
                                                 JudgementModel.right_id.in_(chunk)))):
            found[m.id] = m
    return [_judgement_row(found[k]) for k in sorted(found)]


def export(session: Session, after: str | None, limit: int) -> list[MemberRow]:
    """Documents in id order after `after`, each with its person (None before any run)."""
    check_window("person export", limit, most=MAX_LIST_ROWS)
    query = (select(DocumentModel.document_id, DocumentModel.source,
                    PersonDocumentModel.person_id, PersonDocumentModel.status)
             .outerjoin(PersonDocumentModel,
                        PersonDocumentModel.document_id == DocumentModel.document_id)
             .order_by(DocumentModel.document_id).limit(limit))
    if after is not None:
        query = query.where(DocumentModel.document_id > after)
    return [MemberRow(d, s, p, st or "unlinked") for d, s, p, st in session.execute(query)]


def members_of(session: Session, document_ids: Sequence[str]) -> list[MemberRow]:
    """The given documents with their persons, in the order given (unknown ones left out)."""
    rows: dict[str, MemberRow] = {}
    for chunk in _chunks(list(dict.fromkeys(document_ids))):
        query = (select(DocumentModel.document_id, DocumentModel.source,
                        PersonDocumentModel.person_id, PersonDocumentModel.status)
                 .outerjoin(PersonDocumentModel,
                            PersonDocumentModel.document_id == DocumentModel.document_id)
                 .where(DocumentModel.document_id.in_(chunk)))
        for d, s, p, st in session.execute(query):
            rows[d] = MemberRow(d, s, p, st or "unlinked")
    return [rows[d] for d in document_ids if d in rows]


def person(session: Session, person_id: str) -> PersonDetail | None:
    """One person with its documents, link evidence, review pairs, flags and judgements."""
    model = session.get(PersonModel, person_id)
    if model is None:
        return None
    members = [MemberRow(d, s, person_id, st) for d, s, st in session.execute(
        select(PersonDocumentModel.document_id, DocumentModel.source, PersonDocumentModel.status)
        .join(DocumentModel, DocumentModel.document_id == PersonDocumentModel.document_id)
        .where(PersonDocumentModel.person_id == person_id)
        .order_by(PersonDocumentModel.document_id))]
    ids = [m.document_id for m in members]
    pairs = _pairs(session, _touching(LinkPairModel, ids))
    docs = set(ids)
    return PersonDetail(
        person=PersonRow(person_id, model.status, tuple(ids), tuple(json.loads(model.flags_json))),
        members=tuple(members),
        links=tuple(p for p in pairs if p.person_id == person_id),
        review=tuple(p for p in pairs if p.review and p.person_id != person_id),
        judgements=tuple(judgements(session, ids)),
        two_people=tuple(t for t in _two_people(session, ids)),
        rescans=tuple(r for r in _rescans(session, ids) if r.document_id in docs),
        refused=tuple(_refusals(session, ids)))


def review_pairs(session: Session, limit: int, offset: int) -> list[LinkPairRow]:
    """Pairs in the review band no person has judged yet, strongest first."""
    check_window("link review", limit, offset, most=MAX_LIST_ROWS)
    query = (select(LinkPairModel).where(LinkPairModel.review, ~_judged())
             .order_by(LinkPairModel.match_weight.desc(), LinkPairModel.id)
             .limit(limit).offset(offset))
    return _pairs(session, query)


def pairs_between(session: Session, left: Sequence[str], right: Sequence[str]) -> list[LinkPairRow]:
    """Pairs with one document on each side (either order), in the order written."""
    m = LinkPairModel
    a, b = list(left)[:MAX_LIST_ROWS], list(right)[:MAX_LIST_ROWS]
    query = select(m).where(or_(and_(m.left_id.in_(a), m.right_id.in_(b)),
                                and_(m.left_id.in_(b), m.right_id.in_(a)))).order_by(m.id)
    return _pairs(session, query)


def count_review_pairs(session: Session) -> int:
    query = select(func.count()).select_from(LinkPairModel).where(LinkPairModel.review,
                                                                    ~_judged())
    return session.scalar(query) or 0


def two_people_queue(session: Session, limit: int, offset: int) -> list[TwoPeopleRow]:
    """Documents flagged as holding two people, in id order."""
    check_window("two-people flags", limit, offset, most=MAX_LIST_ROWS)
    query = select(TwoPeopleModel).order_by(TwoPeopleModel.document_id).limit(limit).offset(offset)
    return [TwoPeopleRow(m.document_id, tuple(json.loads(m.reasons_json)))
            for m in session.scalars(query)]


def count_two_people(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(TwoPeopleModel)) or 0


def counts(session: Session) -> PersonCounts:
    """Documents, persons (a document never linked counts as its own person) and statuses."""
    documents = session.scalar(select(func.count()).select_from(DocumentModel)) or 0
    linked = session.scalar(select(func.count()).select_from(PersonDocumentModel)) or 0
    persons = session.scalar(select(func.count(func.distinct(PersonDocumentModel.person_id)))) or 0
    by: dict[str, int] = {status: n for status, n in session.execute(
        select(PersonDocumentModel.status, func.count()).group_by(PersonDocumentModel.status))}
    by["unlinked"] = by.get("unlinked", 0) + documents - linked
    return PersonCounts(documents, persons + documents - linked,
                        tuple((s, by.get(s, 0)) for s in MEMBER_STATUSES))


def state(session: Session) -> LinkWrite:
    """The model's decisions as the last run left them, in the shape a run writes."""
    persons = [PersonRow(m.person_id, m.status, (), tuple(json.loads(m.flags_json)))
               for m in session.scalars(select(PersonModel).order_by(PersonModel.person_id))]
    members = [Membership(d, p, st) for d, p, st in session.execute(
        select(PersonDocumentModel.document_id, PersonDocumentModel.person_id,
               PersonDocumentModel.status).order_by(PersonDocumentModel.document_id))]
    docs: dict[str, list[str]] = {}
    for m in members:
        docs.setdefault(m.person_id, []).append(m.document_id)
    return LinkWrite(
        persons=tuple(PersonRow(p.person_id, p.status, tuple(docs.get(p.person_id, ())),
                                p.flags) for p in persons),
        members=tuple(members),
        pairs=tuple(_pairs(session, select(LinkPairModel).order_by(LinkPairModel.id))),
        two_people=tuple(TwoPeopleRow(m.document_id, tuple(json.loads(m.reasons_json)))
                         for m in session.scalars(select(TwoPeopleModel))),
        rescans=tuple(RescanRow(m.document_id, m.original_id, m.similarity, m.reason)
                      for m in session.scalars(select(RescanModel))),
        refused=tuple(RefusedRow(m.document_id, tuple(json.loads(m.reasons_json)))
                      for m in session.scalars(select(LinkRefusalModel))))


def last_run(session: Session) -> LinkRunRow | None:
    model = session.scalar(select(LinkRunModel).order_by(LinkRunModel.id.desc()).limit(1))
    return None if model is None else _run_row(model)


def add_page_hashes(session: Session, rows: Sequence[tuple[str, int, str]]) -> None:
    """Keep page hashes (document id, page number, hash); a page hashed already is kept."""
    have = page_hashes(session, [d for d, _p, _h in rows])
    fresh = {(d, p): h for d, p, h in rows if p not in dict(have.get(d, ()))}
    insert_many(session.connection(), PageHashModel.__table__, [
        {"document_id": d, "page": p, "hash": h} for (d, p), h in fresh.items()])


def page_hashes(session: Session, document_ids: Sequence[str]
                ) -> dict[str, tuple[tuple[int, str], ...]]:
    """Each document's (page, hash) pairs in page order; documents without any left out."""
    found: dict[str, list[tuple[int, str]]] = {}
    for chunk in _chunks(sorted(set(document_ids))):
        query = (select(PageHashModel).where(PageHashModel.document_id.in_(chunk))
                 .order_by(PageHashModel.document_id, PageHashModel.page))
        for m in session.scalars(query):
            found.setdefault(m.document_id, []).append((m.page, m.hash))
    return {d: tuple(pages) for d, pages in found.items()}


def identity_documents(session: Session, after: str | None, limit: int,
                       names: Sequence[str]) -> list[DocumentRow]:
    """Documents in id order after `after` with only what linking reads: the fields
    `names` (every candidate), their corrections, and the pages' text. Column queries,
    three per chunk, instead of loading every document's whole graph."""
    check_window("document list", limit, most=MAX_LIST_ROWS)
    d = DocumentModel
    query = (select(d.document_id, d.sha256, d.source, d.media_type, d.original_key, d.status,
                    d.error, d.created_at).order_by(d.document_id).limit(limit))
    if after is not None:
        query = query.where(d.document_id > after)
    heads = session.execute(query).all()
    ids = [h.document_id for h in heads]
    fields: dict[str, list[FieldRow]] = {i: [] for i in ids}
    f = FieldModel
    for r in session.execute(select(
            f.document_id, f.name, f.value_json, f.text, f.confidence, f.page, f.bbox_json,
            f.status, f.reason, f.candidate)
            .where(f.document_id.in_(ids), f.name.in_(list(names)))
            .order_by(f.document_id, f.position, f.candidate)):
        fields[r.document_id].append(FieldRow(
            r.name, field_value(r.value_json), r.text, r.confidence, r.page,
            None if r.bbox_json is None else field_bbox(r.bbox_json), r.status, r.reason,
            r.candidate))
    fixes: dict[str, list[CorrectionRow]] = {i: [] for i in ids}
    for c in session.scalars(select(CorrectionModel).where(
            CorrectionModel.document_id.in_(ids), CorrectionModel.name.in_(list(names)))
            .order_by(CorrectionModel.id)):
        fixes[c.document_id].append(correction_row(c))
    pages: dict[str, list[PageRow]] = {i: [] for i in ids}
    p = PageModel
    for g in session.execute(select(p.document_id, p.number, p.width, p.height, p.source,
                                    p.quality, p.text, p.image_key, p.words_key, p.error)
                             .where(p.document_id.in_(ids)).order_by(p.document_id, p.number)):
        pages[g.document_id].append(PageRow(g.number, g.width, g.height, g.source, g.quality,
                                            g.text, g.image_key, g.words_key, g.error))
    return [DocumentRow(h.document_id, h.sha256, h.source, h.media_type, h.original_key,
                        h.status, h.error, tuple(pages[h.document_id]),
                        tuple(fields[h.document_id]), (), as_utc(h.created_at),
                        tuple(fixes[h.document_id])) for h in heads]


def _judged() -> Any:
    """A pair some judgement already settles (either order)."""
    j = JudgementModel
    same = and_(j.left_id == LinkPairModel.left_id, j.right_id == LinkPairModel.right_id)
    swapped = and_(j.left_id == LinkPairModel.right_id, j.right_id == LinkPairModel.left_id)
    return select(j.id).where(or_(same, swapped)).exists()


def _touching(model: Any, ids: Sequence[str]) -> Any:
    return select(model).where(or_(model.left_id.in_(ids), model.right_id.in_(ids))).order_by(
        model.id)


def _pairs(session: Session, query: Any) -> list[LinkPairRow]:
    return [LinkPairRow(m.left_id, m.right_id, m.match_weight, m.probability, m.decision,
                    tuple(_contribution(b) for b in json.loads(m.contributions_json)),
                    m.person_id, m.review) for m in session.scalars(query)]


def _two_people(session: Session, ids: Sequence[str]) -> list[TwoPeopleRow]:
    return [TwoPeopleRow(m.document_id, tuple(json.loads(m.reasons_json))) for m in
            session.scalars(select(TwoPeopleModel).where(TwoPeopleModel.document_id.in_(ids)))]


def _refusals(session: Session, ids: Sequence[str]) -> list[RefusedRow]:
    query = select(LinkRefusalModel).where(LinkRefusalModel.document_id.in_(ids))
    return [RefusedRow(m.document_id, tuple(json.loads(m.reasons_json)))
            for m in session.scalars(query)]


def _rescans(session: Session, ids: Sequence[str]) -> list[RescanRow]:
    query = select(RescanModel).where(or_(RescanModel.document_id.in_(ids),
                                          RescanModel.original_id.in_(ids)))
    return [RescanRow(m.document_id, m.original_id, m.similarity, m.reason)
            for m in session.scalars(query)]


def _bar(c: ContributionRow) -> dict[str, Any]:
    return {"comparison": c.comparison, "level": c.level, "match_weight": c.match_weight,
            "left": _observed_json(c.left), "right": _observed_json(c.right)}


def _contribution(bar: dict[str, Any]) -> ContributionRow:
    return ContributionRow(bar["comparison"], bar["level"], bar["match_weight"],
                           _observed(bar["left"]), _observed(bar["right"]))


def _observed_json(o: ObservedRow | None) -> dict[str, Any] | None:
    if o is None:
        return None
    return {"value": o.value, "confidence": o.confidence, "page": o.page,
            "bbox": None if o.bbox is None else list(o.bbox)}


def _observed(data: dict[str, Any] | None) -> ObservedRow | None:
    if data is None:
        return None
    box = data["bbox"]
    return ObservedRow(data["value"], data["confidence"], data["page"],
                       None if box is None else (box[0], box[1], box[2], box[3]))


def _judgement_row(m: JudgementModel) -> JudgementRow:
    return JudgementRow(m.action, m.left_id, m.right_id, m.by, as_utc(m.at), m.why, m.id)


def _run_row(m: LinkRunModel) -> LinkRunRow:
    return LinkRunRow(m.id, as_utc(m.created_at), m.documents, m.persons, m.review,
                      m.two_people, m.rescans)


def _chunks(items: Sequence[str] | Sequence[int]) -> Iterable[list[Any]]:
    for start in range(0, len(items), IN_CHUNK):
        yield list(items[start:start + IN_CHUNK])

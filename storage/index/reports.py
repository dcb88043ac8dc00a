"""Reports over the cases: counts read from the maintained `case_counts` table, and the
data-quality report from the field rows of each batch.

Counts here are exact; suppressing small ones for publication is the caller's choice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from sqlalchemy import Connection, Subquery, and_, distinct, exists, func, select, union
from sqlalchemy.orm import InstrumentedAttribute

from storage.index.models import (
    BatchFileModel,
    BatchModel,
    CaseCountModel,
    CaseModel,
    CorrectionModel,
    EventModel,
    FieldModel,
)
from storage.index.records import CountRow, QualityRow

# Any: the columns differ in type (text, year), and each count row mixes them.
GROUPS: Final[dict[str, InstrumentedAttribute[Any]]] = {
    "application_type": CaseCountModel.application_type,
    "decision": CaseCountModel.decision,
    "year": CaseCountModel.decision_year,
    "permission_to_work": CaseCountModel.permission_to_work,
}


def counts(conn: Connection, group_by: Sequence[str], *, application_type: str | None = None,
           decision: str | None = None, year: int | None = None,
           permission_to_work: bool | None = None) -> list[CountRow]:
    """Case counts grouped by any of GROUPS, optionally restricted; unknown is None."""
    unknown = [name for name in group_by if name not in GROUPS]
    if unknown or len(set(group_by)) != len(group_by):
        raise ValueError(f"cannot group by {', '.join(unknown) or 'a repeated column'}; "
                         f"choose from {', '.join(GROUPS)}")
    columns = [GROUPS[name] for name in group_by]
    where = []
    if application_type is not None:
        where.append(CaseCountModel.application_type == application_type)
    if decision is not None:
        where.append(CaseCountModel.decision == decision)
    if year is not None:
        where.append(CaseCountModel.decision_year == year)
    if permission_to_work is not None:
        where.append(CaseCountModel.permission_to_work == ("yes" if permission_to_work else "no"))
    total = func.sum(CaseCountModel.cases)
    query = select(*columns, total).where(and_(True, *where)).group_by(*columns)
    query = query.order_by(*columns).having(total > 0)
    return [CountRow(tuple(_known(v) for v in row[:-1]), int(row[-1]))
            for row in conn.execute(query)]


def _known(value: str | int) -> str | int | None:
    return None if value in ("", 0) else value


def data_quality(conn: Connection, field_names: Sequence[str],
                 batch_id: int | None = None) -> list[QualityRow]:
    """Per batch and field: documents, values stored as right (confirmed or corrected),
    values awaiting review (not yet corrected), and missing (neither). Documents are the
    batch's indexed ones, duplicates included."""
    members = select(BatchFileModel.batch_id, BatchFileModel.document_id).where(
        BatchFileModel.document_id.is_not(None)).distinct()
    if batch_id is not None:
        members = members.where(BatchFileModel.batch_id == batch_id)
    m = members.subquery()
    per_batch = select(m.c.batch_id, func.count()).group_by(m.c.batch_id)
    docs: dict[int, int] = {int(b): int(n) for b, n in conn.execute(per_batch)}
    names = {int(i): str(n) for i, n in conn.execute(
        select(BatchModel.id, BatchModel.name).where(BatchModel.id.in_(list(docs))))}
    right = union(
        select(FieldModel.document_id, FieldModel.name).where(FieldModel.status == "confirmed"),
        select(CorrectionModel.document_id, CorrectionModel.name),
    ).subquery()
    corrected = exists().where(CorrectionModel.document_id == FieldModel.document_id,
                               CorrectionModel.name == FieldModel.name)
    waiting = select(FieldModel.document_id, FieldModel.name).where(
        FieldModel.status == "needs_review", ~corrected).subquery()
    present = _per_batch_field(conn, m, right)
    review = _per_batch_field(conn, m, waiting)
    rows = []
    for batch in sorted(docs):
        for name in field_names:
            have, doubt = present.get((batch, name), 0), review.get((batch, name), 0)
            rows.append(QualityRow(batch, names.get(batch, ""), name, docs[batch], have,
                                   docs[batch] - have - doubt, doubt))
    return rows


def _per_batch_field(conn: Connection, members: Subquery, pairs: Subquery
                     ) -> dict[tuple[int, str], int]:
    """Distinct documents per (batch, field name) among `pairs` of (document_id, name)."""
    query = (select(members.c.batch_id, pairs.c.name, func.count(distinct(pairs.c.document_id)))
             .join(pairs, pairs.c.document_id == members.c.document_id)
             .group_by(members.c.batch_id, pairs.c.name))
    return {(int(b), str(n)): int(k) for b, n, k in conn.execute(query)}


def permission_granted(conn: Connection, year: int,
                       application_type: str | None) -> tuple[int, int]:
    """(files whose permission to work was granted on a date in `year`, files whose papers
    say it was granted but give no date anywhere), per file, for one application type
    (None: every file). The grant's date comes from a confirmed event (a letter, minute or
    note stating the grant); a form's "Permission to work: Yes" has no date of its own."""
    grants = select(EventModel.document_id, EventModel.date).where(
        EventModel.kind == "permission_to_work", EventModel.outcome == "granted",
        EventModel.status == "confirmed", EventModel.date.is_not(None))
    typed = select(CaseModel.document_id)
    if application_type is not None:
        typed = typed.where(CaseModel.application_type == application_type)
    g = grants.subquery()
    in_year = select(func.count(distinct(g.c.document_id))).where(
        g.c.date.like(f"{year:04d}-%"), g.c.document_id.in_(typed))
    undated = select(func.count(distinct(CaseModel.document_id))).where(
        CaseModel.permission_to_work.is_(True), CaseModel.document_id.in_(typed),
        CaseModel.document_id.not_in(select(g.c.document_id)))
    return int(conn.execute(in_year).scalar_one()), int(conn.execute(undated).scalar_one())

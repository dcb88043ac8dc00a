"""Reports over the cases: counts read from the maintained `case_counts` table, and the
data-quality report from the field rows of each batch.

Counts here are exact; suppressing small ones for publication is the caller's choice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from sqlalchemy import Connection, and_, case, distinct, func, select

from storage.models import BatchFileModel, BatchModel, CaseCountModel, FieldModel
from storage.records import CountRow, QualityRow

GROUPS: Final = {
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
    return [CountRow(tuple(_known(v) for v in row[:-1]), int(row[-1]))  # type: ignore[arg-type]
            for row in conn.execute(query)]


def _known(value: str | int) -> str | int | None:
    return None if value in ("", 0) else value


def data_quality(conn: Connection, field_names: Sequence[str], review_below: float,
                 batch_id: int | None = None) -> list[QualityRow]:
    """Per batch and field: documents, values present, missing, and to review (confidence
    under `review_below`). Documents are the batch's indexed ones, duplicates included."""
    members = select(BatchFileModel.batch_id, BatchFileModel.document_id).where(
        BatchFileModel.document_id.is_not(None)).distinct()
    if batch_id is not None:
        members = members.where(BatchFileModel.batch_id == batch_id)
    m = members.subquery()
    per_batch = select(m.c.batch_id, func.count()).group_by(m.c.batch_id)
    docs: dict[int, int] = {int(b): int(n) for b, n in conn.execute(per_batch)}
    names = {int(i): str(n) for i, n in conn.execute(
        select(BatchModel.id, BatchModel.name).where(BatchModel.id.in_(list(docs))))}
    present_q = (
        select(m.c.batch_id, FieldModel.name, func.count(distinct(FieldModel.document_id)),
               func.sum(case((FieldModel.confidence < review_below, 1), else_=0)))
        .join(FieldModel, FieldModel.document_id == m.c.document_id)
        .group_by(m.c.batch_id, FieldModel.name)
    )
    present = {(b, n): (int(p), int(r or 0)) for b, n, p, r in conn.execute(present_q)}
    rows = []
    for batch in sorted(docs):
        for name in field_names:
            have, review = present.get((batch, name), (0, 0))
            rows.append(QualityRow(batch, names.get(batch, ""), name, docs[batch], have,
                                   docs[batch] - have, review))
    return rows

"""Searching stored key-value pairs: "place of birth: Kabul" finds the pairs whose key
holds "place of birth" and whose value holds "kabul" (case and spacing ignored)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.index.mapping import pair_norm, pair_row
from storage.index.models import DocumentModel, PairModel
from storage.index.records import PairHit
from storage.index.window import MAX_LIST_ROWS, check_window

# A pair query is a key and a value; longer text is no pair anyone printed.
MAX_PAIR_QUERY = 500


def split_query(query: str) -> tuple[str, str]:
    """("place of birth", "kabul") from "Place of birth: Kabul"; no colon: a key only."""
    if not query.strip() or len(query) > MAX_PAIR_QUERY:
        raise ValueError(f"a pair query is 1 to {MAX_PAIR_QUERY} characters, "
                         "e.g. 'place of birth: Kabul'")
    key, _, value = query.partition(":")
    key, value = pair_norm(key), pair_norm(value)
    if not (key or value):
        raise ValueError("give a key, a value or both, e.g. 'place of birth: Kabul'")
    return key, value


def find_pairs(session: Session, query: str, limit: int, offset: int) -> list[PairHit]:
    check_window("pair", limit, offset, most=MAX_LIST_ROWS)
    key, value = split_query(query)
    sql = (select(PairModel, DocumentModel.source)
           .join(DocumentModel, DocumentModel.document_id == PairModel.document_id))
    if key:
        sql = sql.where(PairModel.key_norm.contains(key, autoescape=True))
    if value:
        sql = sql.where(PairModel.value_norm.contains(value, autoescape=True))
    sql = sql.order_by(PairModel.document_id, PairModel.id).limit(limit).offset(offset)
    hits = []
    for model, source in session.execute(sql).all():
        row = pair_row(model)
        hits.append(PairHit(row.page, row.key, row.key_bbox, row.value, row.value_bbox,
                            row.confidence, document_id=model.document_id, source=source))
    return hits

"""Writing case rows with what depends on them: the name lexicon and the report counts.

Everything here runs inside the caller's transaction, so a document, its case row, its
names and its counts are committed together or not at all. The same code serves one
document (ingest), a batch of them (bulk indexing) and a changed field (corrections).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, delete, select

from storage.index.bulk import insert_many
from storage.index.case_rows import CaseRow, deletion_variants
from storage.index.models import CaseCountModel, CaseModel, NameModel, NameVariantModel

NAME_KINDS = ("surname", "given")
_CHUNK = 500


def case_values(document_id: str, case: CaseRow) -> dict[str, Any]:
    """Column values of the `cases` row for `case`."""
    return {
        "document_id": document_id,
        "surname": case.surname,
        "surname_key": case.surname_key,
        "given_names": case.given_names,
        "given_key": case.given_key,
        "date_of_birth": case.date_of_birth,
        "nationality": case.nationality,
        "reference": case.reference,
        "application_type": case.application_type,
        "decision": case.decision,
        "decision_date": case.decision_date,
        "decision_year": case.decision_year,
        "permission_to_work": case.permission_to_work,
    }


def add_cases(conn: Connection, cases: Sequence[tuple[str, CaseRow]]) -> None:
    """Insert new case rows and add them to the names and counts."""
    if not cases:
        return
    insert_many(conn, CaseModel.__table__, [case_values(doc, case) for doc, case in cases])
    _shift(conn, [case for _, case in cases], +1)


def replace_case(conn: Connection, document_id: str, new: CaseRow) -> None:
    """Rewrite one document's case row after a field changed, moving its counts."""
    old_row = conn.execute(select(CaseModel).where(CaseModel.document_id == document_id)).first()
    if old_row is not None:
        old = CaseRow(surname=old_row.surname, given_names=old_row.given_names,
                      date_of_birth=old_row.date_of_birth, nationality=old_row.nationality,
                      reference=old_row.reference, application_type=old_row.application_type,
                      decision=old_row.decision, decision_date=old_row.decision_date,
                      permission_to_work=old_row.permission_to_work)
        conn.execute(delete(CaseModel).where(CaseModel.document_id == document_id))
        _shift(conn, [old], -1)
    add_cases(conn, [(document_id, new)])


def _shift(conn: Connection, cases: Iterable[CaseRow], sign: int) -> None:
    counts: Counter[tuple[str, str, int, str]] = Counter()
    names: Counter[tuple[str, str]] = Counter()
    for case in cases:
        counts[case.count_key()] += 1
        for kind, key in (("surname", case.surname_key), ("given", case.given_key)):
            if key:
                names[(kind, key)] += 1
    _upsert_counts(conn, counts, sign)
    if sign > 0:
        _add_variants(conn, list(names))
    _upsert_names(conn, names, sign)


def _upsert_counts(conn: Connection, counts: Counter[tuple[str, str, int, str]],
                   sign: int) -> None:
    rows = [{"application_type": a, "decision": d, "decision_year": y,
             "permission_to_work": w, "cases": sign * n}
            for (a, d, y, w), n in sorted(counts.items())]
    insert_many(conn, CaseCountModel.__table__, rows, conflict=(
        "ON CONFLICT (application_type, decision, decision_year, permission_to_work) "
        "DO UPDATE SET cases = case_counts.cases + excluded.cases"))


def _upsert_names(conn: Connection, names: Counter[tuple[str, str]], sign: int) -> None:
    rows = [{"kind": kind, "name_key": key, "cases": sign * n}
            for (kind, key), n in sorted(names.items())]
    insert_many(conn, NameModel.__table__, rows, conflict=(
        "ON CONFLICT (kind, name_key) DO UPDATE SET cases = names.cases + excluded.cases"))


def _add_variants(conn: Connection, names: list[tuple[str, str]]) -> None:
    """Add the deletion neighbourhood of every name the lexicon does not know yet."""
    known: set[tuple[str, str]] = set()
    for kind in sorted({kind for kind, _ in names}):  # one key range per kind: index probes
        keys = sorted(key for k, key in names if k == kind)
        for start in range(0, len(keys), _CHUNK):
            query = select(NameModel.name_key).where(
                NameModel.kind == kind, NameModel.name_key.in_(keys[start:start + _CHUNK]))
            known.update((kind, key) for key in conn.execute(query).scalars())
    rows = [{"kind": kind, "variant": variant, "name_key": key}
            for kind, key in sorted(set(names) - known)
            for variant in sorted(deletion_variants(key))]
    insert_many(conn, NameVariantModel.__table__, rows, conflict="ON CONFLICT DO NOTHING")

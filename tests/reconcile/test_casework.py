"""Reconciliation end to end on a real index (SQLite and PostgreSQL): the documents of
`tests/linkresults.py` linked into persons, an export of the case database imported
through a declared mapping, findings kept, resolved, re-opened when the database
changes; nothing of casescan's own records touched by an export."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from dbexport import HEADER, ROWS, write
from linkresults import doc_id, documents
from services import empty_pg_tables
from sqlalchemy import create_engine, text

from casework import persons, reconcile
from casework.context import open_context
from ingest.chain import IngestContext


@pytest.fixture(params=["sqlite", "postgresql"])
def ctx(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[IngestContext]:
    url = (f"sqlite:///{tmp_path / 'index.db'}" if request.param == "sqlite"
           else request.getfixturevalue("pg_url"))
    made = open_context(str(tmp_path / "objects"), url)
    if request.param == "postgresql":
        empty_pg_tables(url)
    made.index.add_documents(documents())
    persons.link(made)
    yield made
    made.index.close()


def by_kind(ctx: IngestContext) -> dict[str, list[tuple[tuple[str, ...], str | None]]]:
    out: dict[str, list[tuple[tuple[str, ...], str | None]]] = {}
    for f in reconcile.findings(ctx, limit=500):
        out.setdefault(f.kind, []).append((f.keys, f.field))
    return out


def test_an_export_is_checked_against_the_paper(ctx: IngestContext, tmp_path: Path) -> None:
    before = (list(persons.export(ctx)), ctx.index.person_counts(), ctx.index.judgements(),
              ctx.index.get_document(doc_id("a")))
    report = reconcile.import_export(ctx, *write(tmp_path, ROWS))
    assert (report.export.rows, report.export.errors) == (6, 0)
    ada = next(r for r in ctx.index.reconciliation.rows(report.export.export_id)
               if r.key == "C-2")
    assert ada.events == (("permission_to_work", "refused", "2019-07-02",
                           "Permission to work refused on 2 July 2019.", "notes", 1.0),)
    run = reconcile.run(ctx)
    found = by_kind(ctx)
    assert found["status_disagreement"] == [(("C-1",), "decision")]
    assert found["merged_identity"] == [(("M-1",), None)]
    assert found["duplicate"] == [(("C-4", "C-4B"), None)]
    assert found["vanished_db"] == [(("Z-9",), None)]
    chinedu = persons.show(ctx, doc_id("a"))
    emeka = persons.show(ctx, doc_id("c"))
    assert chinedu is not None and emeka is not None
    vanished = [f for f in reconcile.findings(ctx, kind="vanished_paper")]
    assert emeka.detail.person.person_id in {p for f in vanished for p in f.persons}
    assert chinedu.detail.person.person_id not in {p for f in vanished for p in f.persons}
    # the most harmful first: status and merged identity lead the queue
    queue = reconcile.findings(ctx)
    assert {queue[0].kind, queue[1].kind} == {"status_disagreement", "merged_identity"}
    status = queue[0] if queue[0].kind == "status_disagreement" else queue[1]
    assert '"page": 1' in status.evidence_json and '"confidence": 0.7' in status.evidence_json
    assert run.findings == len(queue)
    # nothing of casescan's own records changed because of an export
    after = (list(persons.export(ctx)), ctx.index.person_counts(), ctx.index.judgements(),
             ctx.index.get_document(doc_id("a")))
    assert after == before


def test_a_resolved_finding_stays_closed_until_a_side_changes(ctx: IngestContext,
                                                              tmp_path: Path) -> None:
    reconcile.import_export(ctx, *write(tmp_path, ROWS))
    reconcile.run(ctx)
    status = reconcile.findings(ctx, kind="status_disagreement")[0]
    reconcile.resolve(ctx, status.finding_id, by="r.ahmed",
                      reason="refusal overturned on appeal; paper notice predates it")
    reconcile.run(ctx)
    again = reconcile.findings(ctx, kind="status_disagreement")[0]
    assert (again.finding_id, again.state) == (status.finding_id, "resolved")
    changed = ROWS.replace("C-1,HO-1234567,Okafor,Chinedu,02/03/1985,NGA,REF",
                           "C-1,HO-1234567,Okafor,Chinedu,02/03/1985,NGA,void")
    report = reconcile.import_export(ctx, *write(tmp_path, changed, "newer.csv"))
    assert (report.changes.added, report.changes.removed, report.changes.changed) == (0, 0, 1)
    assert report.changes.examples == ("~C-1",)
    assert len(ctx.index.reconciliation.exports()) == 2  # the older export is kept
    run = reconcile.run(ctx)
    reopened = reconcile.findings(ctx, kind="status_disagreement")[0]
    assert (reopened.finding_id, reopened.state, run.reopened) == (status.finding_id, "open", 1)
    detail = ctx.index.reconciliation.finding(status.finding_id)
    assert detail is not None
    assert [(r.action, r.by) for r in detail[1]] == [("resolved", "r.ahmed"),
                                                      ("reopened", "casescan")]


def test_bad_input_is_named_by_row_and_column_and_the_rest_imported(
        ctx: IngestContext, tmp_path: Path) -> None:
    export, mapping = write(tmp_path, ROWS)
    bad = (HEADER.replace(",nat,", ",nationality_code,").encode()
           + b"C-1,HO-1234567,Okafor,Chinedu,30/02/1985,NGA,GRT,,,\n"
           + b"C-2,HO-2222222,Oka\xff\xfeor,Ada,01/01/1990,NGA,REF,,,\n"
           + b"C-1,HO-1234567,Okafor,Chinedu,02/03/1985,NGA,GRT,,,\n"
           + b"C-5,HO-5555555,Smith,John,15/06/2099,GBR,maybe,,,\n")
    export.write_bytes(bad)
    report = reconcile.import_export(ctx, export, mapping)
    errors = {(e.row, e.column): e.reason for e in report.errors}
    assert "missing" in errors[(0, "nat")]
    assert "impossible date of birth '30/02/1985'" in errors[(1, "dob")]
    assert "undecodable" in errors[(2, "family_name")]
    assert "duplicate key 'C-1' (first at row 1)" in errors[(3, "case_id")]
    assert "in the future" in errors[(4, "dob")]
    assert "unknown decision 'maybe'" in errors[(4, "decision")]
    assert report.export.rows == 3  # rows 1, 2 and 4, without their bad cells
    rows = {r.key: dict(r.values) for r in ctx.index.reconciliation.rows(
        report.export.export_id)}
    assert "date_of_birth" not in rows["C-1"] and rows["C-1"]["decision"] == "granted"
    assert "surname" not in rows["C-2"] and rows["C-2"]["given_names"] == "Ada"


def test_an_export_that_is_a_postgresql_table_is_read_the_same_way(
        ctx: IngestContext, tmp_path: Path, pg_url: str) -> None:
    columns = HEADER.strip().split(",")
    engine = create_engine(pg_url)
    # The case database's table lives in a schema of its own, dropped afterwards: the
    # session's index database must hold only casescan's tables (migration test).
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS case_db CASCADE"))
        conn.execute(text("CREATE SCHEMA case_db"))
        conn.execute(text("CREATE TABLE case_db.case_export (" + ", ".join(
            f"{c} {'date' if c in ('dob', 'decided') else 'text'}" for c in columns) + ")"))
        for line in ROWS.splitlines():
            cells = next(csv.reader([line]))
            values = {c: (v or None) for c, v in zip(columns, cells, strict=True)}
            for c in ("dob", "decided"):
                if values[c]:
                    values[c] = datetime.strptime(str(values[c]), "%d/%m/%Y").date() \
                        if "/" in str(values[c]) else date.fromisoformat(str(values[c]))
            conn.execute(text(f"INSERT INTO case_db.case_export ({', '.join(columns)}) VALUES ("
                              + ", ".join(f":{c}" for c in columns) + ")"), values)
    try:
        _read_the_table(ctx, tmp_path, pg_url)
    finally:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA case_db CASCADE"))
        engine.dispose()


def _read_the_table(ctx: IngestContext, tmp_path: Path, pg_url: str) -> None:
    _, mapping = write(tmp_path, ROWS)
    secret = pg_url.replace("postgres@", "postgres:s3cret@")  # trust: any password
    report = reconcile.import_export(ctx, secret, mapping, table="case_db.case_export")
    assert (report.export.rows, report.export.errors) == (6, 0)
    assert "s3cret" not in report.export.source  # the password is never kept
    reconcile.run(ctx)
    found = by_kind(ctx)
    assert found["status_disagreement"] == [(("C-1",), "decision")]
    assert found["merged_identity"] == [(("M-1",), None)]
    assert found["duplicate"] == [(("C-4", "C-4B"), None)]
    with pytest.raises(ValueError, match="no table 'nowhere'"):
        reconcile.import_export(ctx, pg_url, mapping, table="nowhere")

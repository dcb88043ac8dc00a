"""Reconciliation on a generated paper population and a generated export of it with
injected faults (bench/reconcile_population.py): the export read back through the CSV
reader and the mapping, notes read by the events reader, findings against the truth."""

from __future__ import annotations

from pathlib import Path

import pytest
from reconcile_population import MAPPING, Generated, generate_export, write_csv

from identity.settings import LinkSettings
from reconcile.export import read
from reconcile.mapping import load
from reconcile.notes import read_notes
from reconcile.records import ExportRow, Reconciliation
from reconcile.run import reconcile_export


@pytest.fixture(scope="module")
def generated() -> Generated:
    return generate_export(160, seed=5, fault_rate=0.4)


def rows_of(gen: Generated, tmp: Path) -> list[ExportRow]:
    path = write_csv(gen.rows, tmp / "export.csv")
    (tmp / "mapping.toml").write_text(MAPPING)
    with path.open("rb") as f:
        rows = [r for r in read(f, load(tmp / "mapping.toml")) if isinstance(r, ExportRow)]
    return read_notes(rows)


@pytest.fixture(scope="module")
def result(generated: Generated, tmp_path_factory: pytest.TempPathFactory
           ) -> tuple[list[ExportRow], Reconciliation]:
    rows = rows_of(generated, tmp_path_factory.mktemp("export"))
    return rows, reconcile_export([rows[:70], rows[70:]], generated.paper, [], LinkSettings())


def test_every_injected_fault_of_these_kinds_is_found(
        generated: Generated, result: tuple[list[ExportRow], Reconciliation]) -> None:
    _, r = result
    keyed = {(f.kind, k) for f in r.findings for k in f.keys}
    persons = {(f.kind, p) for f in r.findings for p in f.persons}
    for e in generated.expected:
        if e.kind in ("merged_identity", "status_disagreement", "vanished_db", "duplicate"):
            assert all((e.kind, k) in keyed for k in e.keys), e
        elif e.kind == "vanished_paper":
            assert (e.kind, e.person) in persons, e
    assert any(e.kind == "merged_identity" for e in generated.expected)


def test_no_finding_of_a_harmful_kind_that_was_not_injected(
        generated: Generated, result: tuple[list[ExportRow], Reconciliation]) -> None:
    _, r = result
    injected = {(e.kind, k) for e in generated.expected for k in e.keys}
    for f in r.findings:
        if f.kind in ("merged_identity", "status_disagreement"):
            assert (f.kind, f.keys[0]) in injected, f


def test_a_permission_to_work_only_in_the_notes_is_read_from_them(
        generated: Generated, result: tuple[list[ExportRow], Reconciliation]) -> None:
    rows, _ = result
    noted = [r for r in rows if r.key in generated.notes_truth]
    assert noted
    for r in noted:
        ptw = [e for e in r.events if e.kind == "permission_to_work"]
        assert ptw and ptw[-1].column == "notes"
        assert {"granted": "true", "refused": "false"}[ptw[-1].outcome] == \
            generated.notes_truth[r.key]

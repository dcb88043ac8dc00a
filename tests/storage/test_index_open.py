"""An index that cannot be opened says so with StoreUnavailable, never leaking passwords."""

from __future__ import annotations

from pathlib import Path

import pytest

from casework.context import case_columns
from storage.errors import StoreUnavailable
from storage.index import CaseColumn, Index
from storage.index.facade import masked_url

COLUMNS = case_columns()  # the case fields' columns, as casework opens the index


def test_nonexistent_directory(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'missing' / 'index.db'}"
    with pytest.raises(StoreUnavailable, match="missing/index.db"):
        Index(url, case_columns=COLUMNS)
    assert not (tmp_path / "missing").exists()


def test_directory_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("x")
    with pytest.raises(StoreUnavailable, match="cannot open index"):
        Index(f"sqlite:///{tmp_path / 'blocker' / 'index.db'}", case_columns=COLUMNS)


def test_unparseable_url() -> None:
    with pytest.raises(StoreUnavailable, match="cannot open index"):
        Index("not a url", case_columns=COLUMNS)


def test_password_is_masked() -> None:
    assert "s3cret" not in masked_url("postgresql://user:s3cret@db.example/casescan")
    with pytest.raises(StoreUnavailable) as caught:
        Index("postgresql://user:s3cret@127.0.0.1:1/casescan", case_columns=COLUMNS)
    assert "s3cret" not in str(caught.value)
    assert "127.0.0.1" in str(caught.value)


def test_memory_index_works() -> None:
    with Index("sqlite://", case_columns=COLUMNS) as index:
        assert index.list_batches() == []
        assert index.search("anything") == []


def test_case_columns_must_be_columns_of_the_case_row() -> None:
    with pytest.raises(ValueError, match="no column 'ni_number'"):
        Index("sqlite://", case_columns=(*COLUMNS, CaseColumn("ni_number", "ni_number")))


OPENER = """
import sys, time
from pathlib import Path
from storage.index import Index
folder, rounds = Path(sys.argv[1]), int(sys.argv[2])
(folder / f"ready-{sys.argv[3]}").touch()
for n in range(rounds):
    while not (folder / f"go-{n}").exists():
        time.sleep(0.001)
    Index(f"sqlite:///{folder / f'index-{n}.db'}", case_columns=()).close()
    (folder / f"done-{n}-{sys.argv[3]}").touch()
"""


def test_processes_opening_a_new_sqlite_index_at_once_make_it_once(tmp_path: Path) -> None:
    """A worker and an ingest starting together on a fresh data folder: each round, three
    real processes open the same brand-new index at the same moment; all succeed and the
    index is migrated once."""
    import subprocess
    import sys
    import time

    from sqlalchemy import create_engine, text

    from storage.index.schema import head

    rounds, procs = 4, 3
    repo = Path(__file__).resolve().parents[2]
    opened = [subprocess.Popen([sys.executable, "-c", OPENER, str(tmp_path), str(rounds),
                                str(i)], cwd=repo, stderr=subprocess.PIPE, text=True)
              for i in range(procs)]
    def wait_for(pattern: str) -> None:
        deadline = time.monotonic() + 300
        while len(list(tmp_path.glob(pattern))) < procs and time.monotonic() < deadline:
            if any(p.poll() is not None for p in opened):
                return  # one failed: its error is shown below
            time.sleep(0.02)

    wait_for("ready-*")
    for n in range(rounds):  # all waiting on the same file: released together
        (tmp_path / f"go-{n}").touch()
        wait_for(f"done-{n}-*")
    errors = [p.communicate(timeout=300)[1] for p in opened]
    assert [p.returncode for p in opened] == [0] * procs, "\n".join(errors)
    for n in range(rounds):
        engine = create_engine(f"sqlite:///{tmp_path / f'index-{n}.db'}")
        with engine.connect() as conn:
            versions = conn.execute(text("SELECT version_num FROM alembic_version")).all()
            tables = {r[0] for r in conn.execute(text(
                "SELECT name FROM sqlite_master WHERE type = 'table'"))}
        engine.dispose()
        assert versions == [(head(),)]
        assert {"documents", "batches", "batch_files", "work_units"} <= tables

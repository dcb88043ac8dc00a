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

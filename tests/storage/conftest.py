"""Shared fixtures for the storage tests: a real folder store and a real index on each
backend (SQLite, and a fresh PostgreSQL database for the test run)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from services import empty_pg_tables

from casework.context import case_columns
from storage.index import Index
from storage.index.records import DocumentRow, EntityRow, FieldRow, PageRow
from storage.objects import LocalFolderStore

COLUMNS = case_columns()  # the case fields' columns, as casework opens the index

MakeDocument = Callable[..., DocumentRow]


@pytest.fixture
def store(tmp_path: Path) -> LocalFolderStore:
    return LocalFolderStore(tmp_path / "objects")


@pytest.fixture(params=["sqlite", "postgresql"])
def index(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Index]:
    """An empty index on each backend (PostgreSQL tables are emptied between tests)."""
    if request.param == "sqlite":
        idx = Index(f"sqlite:///{tmp_path / 'index.db'}", case_columns=COLUMNS)
    else:
        idx = Index(request.getfixturevalue("pg_url"), case_columns=COLUMNS)
        empty_pg_tables(idx.url)
    yield idx
    idx.close()




def page(number: int, text: str) -> PageRow:
    return PageRow(
        number=number,
        width=2480,
        height=3508,
        source="ocr",
        quality=0.9,
        text=text,
        image_key=f"pages/{number}.png",
        words_key=f"pages/{number}.json",
    )


@pytest.fixture
def make_document() -> MakeDocument:
    """Build a DocumentRow whose id and sha256 are the hash of `seed`, one page per text."""

    def build(seed: str, *texts: str, source: str | None = None) -> DocumentRow:
        sha = hashlib.sha256(seed.encode()).hexdigest()
        return DocumentRow(
            document_id=sha,
            sha256=sha,
            source=source or f"{seed}.pdf",
            media_type="application/pdf",
            original_key=f"originals/{sha[:2]}/{sha}/original.pdf",
            status="indexed",
            error=None,
            pages=tuple(page(n, text) for n, text in enumerate(texts or ("blank",), start=1)),
            fields=(
                FieldRow("surname", "OKAFOR", "Okafor", 0.97, 1, (10, 20, 110, 40)),
                FieldRow("permission_to_work", False, "No", 0.8, 1, (5, 6, 7, 8)),
                FieldRow("decision_date", None, "", 0.0, 1, (0, 0, 0, 0)),
            ),
            entities=(EntityRow("PERSON", "Okafor", 1, 0, 6),),
        )

    return build

"""Every file of a batch is recorded, failures included, in the order it was recorded."""

from __future__ import annotations

import pytest

from storage.index import Index
from storage.index.records import BatchFileRow

OK = BatchFileRow("a.pdf", "a" * 64, "a" * 64, "indexed", None)
FAILED = BatchFileRow("b.tiff", None, None, "failed", "CorruptFile: b.tiff: truncated TIFF")
DUPLICATE = BatchFileRow("a-copy.pdf", "a" * 64, "a" * 64, "duplicate", None, duplicate=True)


def outcomes(rows: tuple[BatchFileRow, ...]) -> list[tuple[object, ...]]:
    """What was recorded of each file (not where it stood in the batch, or when)."""
    return [(r.source, r.sha256, r.document_id, r.status, r.error, r.duplicate) for r in rows]


def test_batch_records_all_outcomes(index: Index) -> None:
    batch_id = index.start_batch("inbox 2024-05-01")
    for row in (OK, FAILED, DUPLICATE):
        index.record_file(batch_id, row)
    batch = index.get_batch(batch_id)
    assert batch is not None
    assert batch.batch_id == batch_id and batch.name == "inbox 2024-05-01"
    assert outcomes(batch.files) == outcomes((OK, FAILED, DUPLICATE))
    assert batch.created_at.tzinfo is not None


def test_names_may_repeat_and_newest_comes_first(index: Index) -> None:
    first = index.start_batch("nightly")
    second = index.start_batch("nightly")
    index.record_file(first, FAILED)
    assert first != second
    batches = index.list_batches()
    assert [b.batch_id for b in batches] == [second, first]
    assert outcomes(batches[1].files) == outcomes((FAILED,)) and batches[0].files == ()
    assert [b.batch_id for b in index.list_batches(limit=1)] == [second]


def test_files_stay_with_their_batch(index: Index) -> None:
    one, two = index.start_batch("one"), index.start_batch("two")
    index.record_file(one, OK)
    index.record_file(two, FAILED)
    index.record_file(one, DUPLICATE)
    assert outcomes(index.get_batch(one).files) == outcomes((OK, DUPLICATE))  # type: ignore[union-attr]
    assert outcomes(index.get_batch(two).files) == outcomes((FAILED,))  # type: ignore[union-attr]


def test_unknown_batch(index: Index) -> None:
    assert index.get_batch(999) is None
    with pytest.raises(ValueError, match="no batch with id 999"):
        index.record_file(999, OK)
    with pytest.raises(ValueError):
        index.list_batches(limit=0)

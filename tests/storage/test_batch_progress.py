"""The batch record on both backends: files registered up front, moved between states,
pages counted, progress computed by counting rows, failed originals found."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from storage.index import Index
from storage.index.records import BatchFileRow, DocumentRow


def queued(source: str) -> BatchFileRow:
    return BatchFileRow(source, None, None, "queued", None)


def test_files_move_from_queued_to_their_outcome(index: Index) -> None:
    batch_id, positions = index.start_batch_with(
        "box 4", [queued("a.pdf"), queued("b.pdf"), queued("c.pdf"),
                  BatchFileRow("bad\x00name.pdf", None, None, "failed", "bad\x00name.pdf: "
                               "file name contains control characters")],
        separator="blank", runner="host:1:2")
    assert positions == [0, 1, 2, 3]
    index.set_file_state(batch_id, 0, "processing", sha256="a" * 64, pages_total=3,
                         original_key="originals/aa/x/original.pdf")
    index.add_pages_done(batch_id, 0)
    index.add_pages_done(batch_id, 0, 2)
    index.set_file_state(batch_id, 0, "done", document_id="a" * 64, pages_done=3)
    index.set_file_state(batch_id, 1, "processing", sha256="b" * 64, pages_total=5)
    index.add_pages_done(batch_id, 1)
    counts = index.batch_counts(batch_id)
    assert counts is not None
    assert counts.states == {"queued": 1, "processing": 1, "done": 1, "failed": 1,
                             "quarantined": 0, "split": 0}
    assert (counts.files, counts.pages_done, counts.pages_total) == (4, 4, 8)
    assert (counts.pages_open, counts.files_open_uncounted, counts.files_counted) == (4, 1, 2)
    assert counts.separator == "blank" and counts.runner == "host:1:2"
    assert counts.first_started is not None and counts.last_change is not None
    assert counts.finished_at is None
    index.finish_batch(batch_id)
    assert index.batch_counts(batch_id).finished_at is not None  # type: ignore[union-attr]
    batch = index.get_batch(batch_id)
    assert batch is not None
    assert [f.status for f in batch.files] == ["done", "processing", "queued", "failed"]
    assert batch.files[3].source == "bad\\x00name.pdf"  # kept as text, fit for any database
    assert batch.files[0].started_at is not None and batch.files[0].finished_at is not None
    with pytest.raises(ValueError, match="unknown file state"):
        index.set_file_state(batch_id, 2, "lost")
    with pytest.raises(ValueError, match="no file at position 9"):
        index.set_file_state(batch_id, 9, "done")


def test_batches_are_found_by_name_newest_first_or_by_id(index: Index) -> None:
    first, _ = index.start_batch_with("nightly", [queued("a.pdf")])
    second, _ = index.start_batch_with("nightly", [queued("b.pdf")])
    assert index.find_batch("nightly") == second
    assert index.find_batch(str(first)) == first
    assert index.find_batch("never") is None and index.find_batch("99999") is None


def test_failed_files_not_indexed_are_listed(index: Index,
                                             make_document: Callable[..., DocumentRow]) -> None:
    doc = make_document("kept", "page text")
    assert index.add_document(doc)
    batch_id, _ = index.start_batch_with("mixed", [queued("ok.pdf"), queued("bad.pdf"),
                                                   queued("later-ok.pdf")])
    index.set_file_state(batch_id, 0, "done", sha256=doc.sha256, document_id=doc.document_id)
    index.set_file_state(batch_id, 1, "failed", sha256="e" * 64, error="bad.pdf: corrupt",
                         original_key="originals/ee/e/original.pdf")
    index.set_file_state(batch_id, 2, "failed", sha256=doc.sha256, error="store was down")
    [orphan] = index.failed_originals()
    assert (orphan.source, orphan.sha256, orphan.error) == ("bad.pdf", "e" * 64,
                                                            "bad.pdf: corrupt")
    assert orphan.original_key == "originals/ee/e/original.pdf" and orphan.batch == "mixed"

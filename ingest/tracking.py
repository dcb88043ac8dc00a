"""The batch record as the driver sees it: every file registered when the batch starts,
then moved from queued to processing to done or failed, and its pages counted as read.

The driver calls these at a few marked places; everything it needs to know about where
the record lives and how a state is written is here, so the record survives whatever
runs the pages. Workers over a broker write their part themselves (`ingest.units`): the
pages read, and each file's outcome once its document is settled, so a batch sent with
`--no-wait` is right with nobody waiting on it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

from ingest.outcome import DocumentOutcome
from ingest.runner import runner_id
from storage.index import Index
from storage.index.records import BatchFileRow


class BatchRecord:
    """One batch's file rows in the index, handed out to the driver in their order."""

    def __init__(self, index: Index, batch_id: int, positions: Sequence[int]) -> None:
        self.index, self.batch_id = index, batch_id
        self._queued = deque(positions)  # registered, not yet handed to the driver
        self._open: deque[int] = deque()  # handed out, outcome not yet recorded
        self._by_sha: dict[str, int] = {}

    @classmethod
    def open(cls, index: Index, name: str, sources: Sequence[str], *,
             separator: str | None = None, by_workers: bool = False) -> BatchRecord:
        """Start a batch with every file it was given registered as queued. A batch run
        `by_workers` (over a broker, on any machine) has no one process whose end would
        stop it: it is stalled only when its rows stop moving."""
        batch_id, positions = index.start_batch_with(
            name, [BatchFileRow(s, None, None, "queued", None) for s in sources],
            separator=separator, runner=None if by_workers else runner_id())
        return cls(index, batch_id, positions)

    @classmethod
    def open_rows(cls, index: Index, name: str, rows: Sequence[BatchFileRow], *,
                  separator: str | None = None,
                  separator_code: str | None = None) -> BatchRecord:
        """Start a batch with these file rows; the queued ones are handed to the driver
        (box files already cut are listed as `split`)."""
        batch_id, positions = index.start_batch_with(
            name, rows, separator=separator, separator_code=separator_code,
            runner=runner_id())
        return cls(index, batch_id, [p for p, r in zip(positions, rows, strict=True)
                                     if r.status == "queued"])

    @staticmethod
    def queued_files(index: Index, batch_id: int) -> tuple[str, list[BatchFileRow]]:
        """The batch's name and its queued files in order (e.g. uploads accepted at the
        door), to be run with a record of their positions."""
        batch = index.get_batch(batch_id)
        if batch is None:
            raise ValueError(f"no batch with id {batch_id}")
        return batch.name, [f for f in batch.files if f.status == "queued"]

    def claim(self) -> int:
        """The position of the next file the driver takes up, in the order given."""
        position = self._queued.popleft()
        self._open.append(position)
        return position

    def processing(self, position: int, sha256: str, pages: int, original_key: str, *,
                   duplicate: bool = False) -> None:
        """The file is read, kept and its pages counted: its pages are being read
        (`duplicate`: the same bytes as an earlier file of the batch)."""
        self._by_sha.setdefault(sha256, position)
        self.index.set_file_state(self.batch_id, position, "processing", sha256=sha256,
                                  pages_total=pages, original_key=original_key,
                                  duplicate=duplicate)

    def page_done(self, sha256: str, pages: int = 1) -> None:
        """More pages of the file with these bytes are read and stored."""
        position = self._by_sha.get(sha256)
        if position is not None and pages > 0:
            self.index.add_pages_done(self.batch_id, position, pages)

    def finished(self, outcome: DocumentOutcome, position: int | None = None) -> None:
        """Record the outcome of the file at `position`, by default the oldest file still
        open (outcomes come in file order)."""
        if position is None:
            position = self._open.popleft()
        else:
            self._open.remove(position)
        if outcome.sha256 is not None and self._by_sha.get(outcome.sha256) == position:
            del self._by_sha[outcome.sha256]
        record_outcome(self.index, self.batch_id, position, outcome)

    def close(self) -> None:
        """Every file was dealt with: the run is over."""
        self.index.finish_batch(self.batch_id)


def record_outcome(index: Index, batch_id: int, position: int,
                   outcome: DocumentOutcome) -> None:
    """Write a file's outcome into its batch: done or failed, with its reason and pages
    (the driver's and the workers' one way of writing it)."""
    index.set_file_state(
        batch_id, position, "done" if outcome.status == "done" else "failed",
        sha256=outcome.sha256, document_id=outcome.document_id, error=outcome.error,
        duplicate=outcome.duplicate, pages_total=outcome.pages or None,
        pages_done=outcome.pages if outcome.status == "done" else None)

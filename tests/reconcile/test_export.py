"""The export reader streams: a large export is read row by row with memory that does
not grow with it, and a header it cannot use is refused before anything is read."""

from __future__ import annotations

import io
import tracemalloc
from collections.abc import Iterator

import pytest

from reconcile.errors import ExportError, MappingError
from reconcile.export import read
from reconcile.mapping import parse
from reconcile.records import ExportRow

MAPPING = parse({"key": "id", "columns": {"surname": "name", "date_of_birth": "born"},
                 "date_formats": ["%d/%m/%Y"]})


class Lines(io.RawIOBase):
    """A file of `n` generated rows, made as it is read (never whole in memory)."""

    def __init__(self, n: int) -> None:
        self._rows: Iterator[bytes] = self._make(n)
        self._buffer = b""

    @staticmethod
    def _make(n: int) -> Iterator[bytes]:
        yield b"id,name,born\n"
        for i in range(n):
            yield f"K{i},SURNAME{i % 97},{1 + i % 28:02d}/0{1 + i % 9}/19{50 + i % 50}\n".encode()

    def readable(self) -> bool:
        return True

    def readinto(self, b: bytearray) -> int:  # type: ignore[override]
        while len(self._buffer) < len(b):
            chunk = next(self._rows, None)
            if chunk is None:
                break
            self._buffer += chunk
        n = min(len(b), len(self._buffer))
        b[:n], self._buffer = self._buffer[:n], self._buffer[n:]
        return n


def peak_reading(n: int) -> tuple[int, int]:
    tracemalloc.start()
    count = sum(isinstance(x, ExportRow) for x in read(io.BufferedReader(Lines(n)), MAPPING))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return count, peak


def test_a_large_export_is_read_in_memory_that_does_not_grow_with_it() -> None:
    small, small_peak = peak_reading(1_000)
    large, large_peak = peak_reading(30_000)
    assert (small, large) == (1_000, 30_000)
    # only the seen keys grow (for duplicate detection): far less than the rows themselves
    assert large_peak < small_peak + 30_000 * 200


def test_an_export_without_its_key_column_is_refused_whole() -> None:
    with pytest.raises(ExportError, match="key column 'id' is missing"):
        list(read(io.BytesIO(b"name,born\nA,01/01/1990\n"), MAPPING))
    with pytest.raises(ExportError, match="empty"):
        list(read(io.BytesIO(b""), MAPPING))


def test_a_mapping_must_name_known_case_fields_and_a_key() -> None:
    with pytest.raises(MappingError, match="`key`"):
        parse({"columns": {"surname": "x"}})
    with pytest.raises(MappingError, match="unknown encoding"):
        parse({"key": "id", "columns": {"surname": "x"}, "encoding": "klingon"})

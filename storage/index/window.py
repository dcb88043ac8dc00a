"""The window of results a caller asks the index for (a limit and an offset), checked in
one place against named limits, so every list refuses a bad window the same way."""

from __future__ import annotations

from typing import Final

# Ranked search hits in one window: ranking more is slow and nobody reads them.
MAX_SEARCH_HITS: Final = 500
# Rows in one window of a plain list (review queue, entities).
MAX_LIST_ROWS: Final = 1000
# Batches listed at once, newest first.
MAX_BATCHES: Final = 1000


def check_window(what: str, limit: int, offset: int = 0, *, most: int) -> None:
    """Refuse a window of `what` that is empty, negative or larger than `most` rows."""
    if not 1 <= limit <= most:
        raise ValueError(f"{what} limit must be between 1 and {most}, got {limit}")
    if offset < 0:
        raise ValueError(f"{what} offset must not be negative, got {offset}")

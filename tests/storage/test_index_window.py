"""Every list the index gives refuses a bad window (limit, offset) the same way, each
against its own named limit."""

from __future__ import annotations

import pytest

from storage.index import Index
from storage.index.window import MAX_BATCHES, MAX_LIST_ROWS, MAX_SEARCH_HITS


def test_each_list_refuses_a_window_over_its_own_limit(index: Index) -> None:
    with pytest.raises(ValueError, match=f"search limit must be between 1 and {MAX_SEARCH_HITS}"):
        index.search("asylum", limit=MAX_SEARCH_HITS + 1)
    with pytest.raises(ValueError, match=f"review queue limit .* 1 and {MAX_LIST_ROWS}, got 0"):
        index.review_queue(limit=0)
    with pytest.raises(ValueError, match="entity offset must not be negative, got -1"):
        index.find_entities(label="PERSON", offset=-1)
    with pytest.raises(ValueError, match=f"batch list limit .* {MAX_BATCHES}, got"):
        index.list_batches(limit=MAX_BATCHES + 1)


def test_a_window_at_the_limits_is_accepted(index: Index) -> None:
    assert index.search("asylum", limit=MAX_SEARCH_HITS, offset=0) == []
    assert index.review_queue(limit=MAX_LIST_ROWS) == []
    assert index.find_entities(label="PERSON", limit=1, offset=10) == []
    assert index.list_batches(limit=MAX_BATCHES) == []

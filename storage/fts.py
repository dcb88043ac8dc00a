"""Full-text search over page text with SQLite FTS5.

User text never reaches FTS5 as syntax: `match_query` turns it into quoted phrases, so
operators, stray quotes and brackets are searched for as words (or ignored), never parsed.
"""

from __future__ import annotations

import unicodedata
from typing import Final

from sqlalchemy import Connection, text

from storage.records import SearchHit

MAX_QUERY_CHARS: Final = 1000
MAX_LIMIT: Final = 500
SNIPPET_OPEN: Final = "["
SNIPPET_CLOSE: Final = "]"
SNIPPET_ELLIPSIS: Final = "…"
SNIPPET_TOKENS: Final = 16

CREATE_PAGE_FTS: Final = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS page_fts USING fts5("
    "text, document_id UNINDEXED, page UNINDEXED, "
    "tokenize='unicode61 remove_diacritics 2')"
)

_INSERT_PAGE = text("INSERT INTO page_fts (text, document_id, page) VALUES (:text, :doc, :page)")

_SEARCH = text(
    "SELECT page_fts.document_id, page_fts.page, bm25(page_fts) AS rank, "
    "snippet(page_fts, 0, :open, :close, :ellipsis, :tokens) AS snippet, d.source "
    "FROM page_fts JOIN documents AS d ON d.document_id = page_fts.document_id "
    "WHERE page_fts MATCH :query "
    "ORDER BY rank, page_fts.document_id, page_fts.page LIMIT :limit OFFSET :offset"
)


def match_query(query: str) -> str | None:
    """Return an FTS5 expression matching every word of `query`, or None if it has none.

    Each whitespace-separated chunk becomes one double-quoted phrase (inner quotes
    doubled), so "HO-123456" still matches as adjacent tokens and FTS5 keywords such
    as OR, NEAR or * are plain text. Phrases are joined by FTS5's implicit AND. Control
    characters and lone surrogates become spaces: FTS5 stops reading a string at NUL.
    """
    if len(query) > MAX_QUERY_CHARS:
        raise ValueError(f"search query is {len(query)} characters; the limit is {MAX_QUERY_CHARS}")
    cleaned = "".join(" " if unicodedata.category(ch) in ("Cc", "Cs") else ch for ch in query)
    chunks = [chunk for chunk in cleaned.split() if any(ch.isalnum() for ch in chunk)]
    if not chunks:
        return None
    return " ".join('"' + chunk.replace('"', '""') + '"' for chunk in chunks)


def check_window(limit: int, offset: int) -> None:
    """Refuse a results window that is negative or unreasonably large."""
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"search limit must be between 1 and {MAX_LIMIT}, got {limit}")
    if offset < 0:
        raise ValueError(f"search offset must not be negative, got {offset}")


def add_pages(conn: Connection, document_id: str, pages: list[tuple[int, str]]) -> None:
    """Add one FTS row per (page number, text) so that a hit names its page."""
    if pages:
        conn.execute(
            _INSERT_PAGE, [{"text": body, "doc": document_id, "page": n} for n, body in pages]
        )


def search_pages(conn: Connection, expression: str, limit: int, offset: int) -> list[SearchHit]:
    """Run a prepared FTS5 `expression`, best first (bm25 is negated so higher is better)."""
    params = {
        "query": expression,
        "open": SNIPPET_OPEN,
        "close": SNIPPET_CLOSE,
        "ellipsis": SNIPPET_ELLIPSIS,
        "tokens": SNIPPET_TOKENS,
        "limit": limit,
        "offset": offset,
    }
    rows = conn.execute(_SEARCH, params).all()
    return [
        SearchHit(
            document_id=row.document_id,
            page=int(row.page),
            score=-float(row.rank),
            snippet=row.snippet,
            source=row.source,
        )
        for row in rows
    ]

"""Full-text search over page text with SQLite FTS5.

User text never reaches FTS5 as syntax: `match_query` turns it into quoted phrases, so
operators, stray quotes and brackets are searched for as words (or ignored), never parsed.
"""

from __future__ import annotations

import unicodedata
from typing import Final

from sqlalchemy import Connection, text

MAX_QUERY_CHARS: Final = 1000
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



def check_query(query: str) -> None:
    """Refuse a query longer than MAX_QUERY_CHARS with a clear message."""
    if len(query) > MAX_QUERY_CHARS:
        raise ValueError(f"search query is {len(query)} characters; the limit is {MAX_QUERY_CHARS}")


def query_words(query: str) -> list[str]:
    """The whitespace-separated chunks of `query` that hold a letter or digit.

    Control characters and lone surrogates become spaces: FTS5 stops reading a string
    at NUL and PostgreSQL refuses NUL and unencodable text outright.
    """
    check_query(query)
    cleaned = "".join(" " if unicodedata.category(ch) in ("Cc", "Cs") else ch for ch in query)
    return [chunk for chunk in cleaned.split() if any(ch.isalnum() for ch in chunk)]


def match_query(query: str) -> str | None:
    """Return an FTS5 expression matching every word of `query`, or None if it has none.

    Each whitespace-separated chunk becomes one double-quoted phrase (inner quotes
    doubled), so "HO-123456" still matches as adjacent tokens and FTS5 keywords such
    as OR, NEAR or * are plain text. Phrases are joined by FTS5's implicit AND.
    """
    chunks = query_words(query)
    if not chunks:
        return None
    return " ".join('"' + chunk.replace('"', '""') + '"' for chunk in chunks)


def add_pages(conn: Connection, rows: list[dict[str, object]]) -> None:
    """Add FTS rows (keys text, doc, page), one per page, so that a hit names its page."""
    if rows:
        conn.execute(_INSERT_PAGE, rows)

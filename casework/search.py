"""Search: ranked pages and cases, each hit with its page and, where known, its box."""

from __future__ import annotations

import unicodedata
from dataclasses import replace

from casework.context import unavailable_as_setup_error
from ingest.chain import IngestContext
from storage.errors import StorageError
from storage.index.records import BBox, SearchFilters, SearchHit
from storage.objects.artefacts import PageWordsFile, page_words_key


def search(ctx: IngestContext, query: str = "", *, filters: SearchFilters | None = None,
           limit: int = 20, offset: int = 0, max_query_chars: int | None = None,
           boxes: bool = True) -> list[SearchHit]:
    """Ranked hits for free text and fielded filters; each names its page and, where the
    page's stored words allow, the box of the first matched word.

    Raises ValueError (a clear message) for a query over `max_query_chars`.
    """
    for text in (query, *(getattr(filters, n, None) or "" for n in _TEXT_FILTERS)):
        if max_query_chars is not None and len(text) > max_query_chars:
            raise ValueError(f"search text is {len(text)} characters; the limit is "
                             f"{max_query_chars}")
    with unavailable_as_setup_error():
        hits = ctx.index.search(query, filters=filters, limit=limit, offset=offset)
    if not boxes or not query.strip():
        return hits
    return [hit if hit.bbox else replace(hit, bbox=_word_box(ctx, hit, query)) for hit in hits]


_TEXT_FILTERS = ("surname", "given_names", "reference", "nationality", "application_type",
                 "decision")


def _word_box(ctx: IngestContext, hit: SearchHit, query: str) -> BBox | None:
    """The box of the first word on the hit's page that is one of the query's words."""
    wanted = {_fold(w) for w in query.split()} - {""}
    key = page_words_key(hit.document_id, hit.page)
    try:
        stored = PageWordsFile.load(ctx.store.get(key))
    except (StorageError, ValueError):
        return None  # no stored words (a text-layer or bulk-loaded page): page only
    return next((word.bbox for word in stored.words if _fold(word.text) in wanted), None)


def _fold(word: str) -> str:
    plain = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in plain if ch.isalnum()).casefold()

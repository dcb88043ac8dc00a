"""The bounds every HTTP input is held to before it reaches casework or the index: ids,
numbers, windows and free text, declared once and used by every route, so a request with
a 100-digit offset, a zero limit or a three-letter id is a 422 at the edge, never a 500
(or a 31-second query) inside."""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import Path, Query

from storage.index.accounts import MAX_USER_NAME
from storage.index.window import MAX_LIST_ROWS, MAX_SEARCH_HITS

MAX_OFFSET: Final = 1_000_000           # deeper than anyone pages; beyond it, refine the query
MAX_ID: Final = 2**31 - 1               # a batch id (an INTEGER column on both dialects)
MIN_YEAR, MAX_YEAR = 1900, 2200         # a decision's year
MAX_PAGE: Final = 10_000                # above any file's max_pages
MAX_NAME_CHARS: Final = 100             # a name filter (fuzzy search grows with its length)
MAX_WORD_CHARS: Final = 200             # a label, a group list, a category
MAX_REASON_CHARS: Final = 2000         # why a finding was resolved, for the record
MAX_VALUE_CHARS: Final = 500           # a corrected value, as a person types it
DATE_CHARS: Final = 10                  # an ISO date, 1985-03-02
MIN_DOCUMENT_ID: Final = 8              # a document id prefix (the index's MIN_ID_PREFIX)
DOCUMENT_ID: Final = rf"^[0-9a-f]{{{MIN_DOCUMENT_ID},64}}$"

Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
ListLimit = Annotated[int, Query(ge=1, le=MAX_LIST_ROWS)]
HitLimit = Annotated[int, Query(ge=1, le=MAX_SEARCH_HITS)]
FindingId = Annotated[int, Path(ge=1, le=MAX_ID)]
BatchId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
Year = Annotated[int, Query(ge=MIN_YEAR, le=MAX_YEAR)]
DocumentId = Annotated[str, Path(pattern=DOCUMENT_ID, description="a document id, or a "
                                 f"unique prefix of at least {MIN_DOCUMENT_ID} characters")]
PageNumber = Annotated[int, Path(ge=1, le=MAX_PAGE)]
FieldName = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
UserName = Annotated[str, Path(min_length=1, max_length=MAX_USER_NAME)]
Word = Annotated[str | None, Query(max_length=MAX_WORD_CHARS)]
YearFilter = Annotated[int | None, Query(ge=MIN_YEAR, le=MAX_YEAR)]

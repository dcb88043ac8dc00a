"""Search: ranked pages and cases, each hit with its page and, where known, its box.

The search filters are derived from the field registry (`extraction.fields.FIELDS`):
`search_options` describes them for the CLI and the HTTP API, `search_filters` reads
what was given for them into the index's `SearchFilters`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Literal

from casework.context import unavailable_as_setup_error
from extraction.fields import FIELDS, FieldScalar, FieldSpec, typed_value
from ingest.chain import IngestContext
from storage.errors import StorageError
from storage.index.records import BBox, FieldFilter, SearchFilters, SearchHit
from storage.objects.artefacts import PageWordsFile, page_words_key

# How an option's text is read: as given, an ISO date, or a yes/no answer.
OptionKind = Literal["text", "date", "boolean"]
# name: fuzzy; exact: equal once normalised; from / to: a date range's ends; boolean: yes/no.
OptionMatch = Literal["name", "exact", "from", "to", "boolean"]


@dataclass(frozen=True)
class SearchOption:
    """One search filter: `--born-from` on the command line, `?born_from=` over HTTP.

    `filter` is the `SearchFilters` attribute it fills; None for a field without its own
    case-row column, searched on its stored values instead.
    """

    name: str
    field: str
    kind: OptionKind
    match: OptionMatch
    help: str
    filter: str | None


def search_options(fields: Sequence[FieldSpec] = FIELDS) -> tuple[SearchOption, ...]:
    """Every search filter the fields offer, in field order."""
    options: list[SearchOption] = []
    for f in fields:
        how, option, bounds = f.search.how, f.search.option, f.search.range
        column = f.column if f.column in SearchFilters.__dataclass_fields__ else None
        if option is not None:
            kind: OptionKind = ("date" if f.column_kind == "date" and how == "exact" else
                                "boolean" if how == "boolean" else "text")
            options.append(SearchOption(option, f.name, kind, how, f.search.help, column))
        if bounds is not None:
            if f.column is None:
                raise ValueError(f"{f.name}: a field searched by range needs a case-row column")
            (start, stop), (start_help, stop_help) = bounds, f.search.range_help
            options += [SearchOption(start, f.name, "date", "from", start_help, start),
                        SearchOption(stop, f.name, "date", "to", stop_help, stop)]
    return tuple(options)


class OptionError(ValueError):
    """A search option given a value it cannot read. `option` is its name as the field
    registry spells it, so each edge can name it its own way (`--dob`, `?dob=`)."""

    def __init__(self, option: str, reason: str) -> None:
        super().__init__(f"{option} {reason}")
        self.option, self.reason = option, reason


def search_filters(given: Mapping[str, str | None], *, batch_id: int | None = None,
                   fields: Sequence[FieldSpec] = FIELDS) -> SearchFilters:
    """The filters for the options given (by `SearchOption.name`; None: not given).

    Raises OptionError naming the option for a value it cannot read (a date that is not
    YYYY-MM-DD, a yes/no that is neither), ValueError for an option no field offers.
    """
    options = {o.name: o for o in search_options(fields)}
    unknown = sorted(set(given) - set(options))
    if unknown:
        raise ValueError(f"no search option {unknown[0]!r}; options are {', '.join(options)}")
    chosen: dict[str, Any] = {}
    stored: list[FieldFilter] = []
    for name, text in given.items():
        option = options[name]
        if text is None:
            continue
        if option.filter is None:
            stored.append(FieldFilter(option.field, _typed(option, text, fields)))
        else:
            chosen[option.filter] = _option_value(option, text, fields)
    return SearchFilters(**chosen, batch_id=batch_id, fields=tuple(stored))


def _option_value(option: SearchOption, text: str,
                  fields: Sequence[FieldSpec]) -> FieldScalar | date:
    """What an option's text means: a date, a yes/no, or the text as given, which the
    index normalises as it does its column."""
    if option.kind == "date":
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise OptionError(option.name, f"must be a date like 1985-03-02, "
                                           f"got {text!r}") from None
    if option.kind == "boolean":
        return _typed(option, text, fields)
    return text


def _typed(option: SearchOption, text: str, fields: Sequence[FieldSpec]) -> FieldScalar:
    """The field's own reading of a typed value (as for a correction)."""
    try:
        return typed_value(option.field, text, fields)
    except ValueError as exc:
        raise OptionError(option.name, str(exc).removeprefix(f"{option.field}: ")) from None


def search(ctx: IngestContext, query: str = "", *, filters: SearchFilters | None = None,
           limit: int = 20, offset: int = 0, max_query_chars: int | None = None,
           boxes: bool = True) -> list[SearchHit]:
    """Ranked hits for free text and fielded filters; each names its page and, where the
    page's stored words allow, the box of the first matched word.

    Raises ValueError (a clear message) for a query over `max_query_chars`.
    """
    given = (getattr(filters, n, None) or "" for n in _TEXT_FILTERS) if filters else ()
    stored = (str(f.value) for f in filters.fields) if filters else ()
    for text in (query, *given, *stored):
        if max_query_chars is not None and len(text) > max_query_chars:
            raise ValueError(f"search text is {len(text)} characters; the limit is "
                             f"{max_query_chars}")
    with unavailable_as_setup_error():
        hits = ctx.index.search(query, filters=filters, limit=limit, offset=offset)
    if not boxes or not query.strip():
        return hits
    return [hit if hit.bbox else replace(hit, bbox=_word_box(ctx, hit, query)) for hit in hits]


_TEXT_FILTERS = tuple(o.filter for o in search_options() if o.kind == "text" and o.filter)


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

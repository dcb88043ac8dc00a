"""`casescan search`: pages by their words and cases by their fields, best first."""

from __future__ import annotations

from typing import Annotated

import typer

import casework
from api.cli import render
from api.cli.errors import context, exits, fail
from api.filters import cli_option, with_search_options
from api.models import SearchHitOut
from api.settings import get_settings
from storage.index.window import MAX_SEARCH_HITS


@with_search_options(cli_option)
def search(
    query: Annotated[str, typer.Argument(help="Words to find (all must match); may be empty")
                     ] = "",
    *,
    batch: Annotated[int | None, typer.Option(help="Batch id (see `casescan batches`)")] = None,
    limit: Annotated[int, typer.Option(min=1, max=MAX_SEARCH_HITS)] = 20,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per hit")] = False,
    **given: str | None,
) -> None:
    """Search pages by their words and cases by their fields, best first. The field
    options come from the field registry (`extraction/fields.py`)."""
    with exits():
        filters = casework.search_filters(given, batch_id=batch)
    if not query.strip() and filters.is_empty():
        fail("give words to search for or at least one filter (--surname, --reference, ...)")
    ctx = context()
    with exits():
        hits = casework.search(ctx, query, filters=filters, limit=limit, offset=offset,
                               max_query_chars=get_settings().max_query_chars)
    if as_json:
        render.emit_all(SearchHitOut.of(h) for h in hits)
    else:
        render.hits(hits)

"""`casescan search`: pages by their words and cases by their fields, best first."""

from __future__ import annotations

from typing import Annotated

import typer

import casework
from api.cli import render
from api.cli.errors import context, exits, fail
from api.filters import search_filters
from api.models import SearchHitOut
from api.settings import get_settings


def search(
    query: Annotated[str, typer.Argument(help="Words to find (all must match); may be empty")
                     ] = "",
    surname: Annotated[str | None, typer.Option(help="Surname, fuzzy (two letters may differ)")
                       ] = None,
    given_names: Annotated[str | None, typer.Option(help="First given name, fuzzy")] = None,
    dob: Annotated[str | None, typer.Option(help="Date of birth YYYY-MM-DD")] = None,
    born_from: Annotated[str | None, typer.Option(help="Born on or after YYYY-MM-DD")] = None,
    born_to: Annotated[str | None, typer.Option(help="Born on or before YYYY-MM-DD")] = None,
    nationality: Annotated[str | None, typer.Option(help="ISO 3166 alpha-3, e.g. NGA")] = None,
    reference: Annotated[str | None, typer.Option(help="Home Office reference, exact")] = None,
    application_type: Annotated[str | None, typer.Option(help="e.g. asylum")] = None,
    decision: Annotated[str | None, typer.Option(help="granted, refused, ...")] = None,
    decided_from: Annotated[str | None, typer.Option(help="Decided on or after")] = None,
    decided_to: Annotated[str | None, typer.Option(help="Decided on or before")] = None,
    batch: Annotated[int | None, typer.Option(help="Batch id (see `casescan batches`)")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 20,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per hit")] = False,
) -> None:
    """Search pages by their words and cases by their fields, best first."""
    with exits():
        filters = search_filters(dict(
            surname=surname, given_names=given_names, dob=dob, born_from=born_from,
            born_to=born_to, nationality=nationality, reference=reference,
            application_type=application_type, decision=decision, decided_from=decided_from,
            decided_to=decided_to, batch=batch))
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

"""Search options at the edges, derived from the field registry.

Each `casework.SearchOption` is a `--option` of `casescan search` and a `?option=` query
parameter of `GET /search`, with the same name and help, so a field added to the registry
gains both without an edit here. The values reach `casework.search_filters` as given; it
reads them and names the option it cannot read. The HTTP side is declared on first use
(`given_over_http`), so a command, which needs only its own side, never loads FastAPI.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer

import casework
from api.bounds import DATE_CHARS, MAX_NAME_CHARS
from storage.index.fulltext import MAX_QUERY_CHARS

F = TypeVar("F", bound=Callable[..., Any])
OPTIONS = casework.search_options()


def with_search_options(annotation: Callable[[casework.SearchOption], object]
                        ) -> Callable[[F], F]:
    """Declare every search option as a keyword parameter of the decorated function, in
    place of its `**given`: typer and FastAPI read the declared signature, and call the
    function with the options given collected in `given`."""
    def declare(func: F) -> F:
        own = [p for p in inspect.signature(func, eval_str=True).parameters.values()
               if p.kind is not inspect.Parameter.VAR_KEYWORD]
        options = [inspect.Parameter(o.name, inspect.Parameter.KEYWORD_ONLY, default=None,
                                     annotation=annotation(o)) for o in OPTIONS]
        positional = [p for p in own if p.kind is not inspect.Parameter.KEYWORD_ONLY]
        keywords = [p for p in own if p.kind is inspect.Parameter.KEYWORD_ONLY]
        signature = inspect.Signature([*positional, *options, *keywords])
        setattr(func, "__signature__", signature)  # noqa: B010 (a function's own attribute)
        return func
    return declare


def cli_option(option: casework.SearchOption) -> object:
    """`--surname TEXT` and its help."""
    return Annotated[str | None, typer.Option(help=option.help, show_default=False)]


def query_parameter(option: casework.SearchOption) -> object:
    """`?surname=` with its description and the edge's length bound: a name is searched
    fuzzily, so its bound is a name's length, not a query's; a date is ten characters."""
    from fastapi import Query

    longest = {"name": MAX_NAME_CHARS}.get(option.match, MAX_QUERY_CHARS)
    if option.kind == "date":
        longest = DATE_CHARS
    return Annotated[str | None, Query(max_length=longest, description=option.help)]


def _given(**given: str | None) -> dict[str, str | None]:
    return given


def __getattr__(name: str) -> Callable[..., dict[str, str | None]]:
    """`given_over_http`: the search options of one `GET /search`, by name, a FastAPI
    dependency; declared when a route first imports it."""
    if name != "given_over_http":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    declared = with_search_options(query_parameter)(_given)
    globals()[name] = declared
    return declared


def flag(option: str) -> str:
    """An option as the command line spells it: `born_from` is `--born-from`."""
    return "--" + option.replace("_", "-")

"""The one mapping from casescan's errors to a one-line message and an exit code.

Exit codes: 1 when a thing asked for is absent or a file failed, 2 for bad input or a
set-up that cannot work (configuration, unreachable store or index).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, NoReturn, TypeVar

import typer
from pydantic import ValidationError

from api.cli.render import err
from api.settings import get_settings
from ingest.errors import SetupError

if TYPE_CHECKING:
    from ingest.chain import IngestContext

T = TypeVar("T")
FAILED = 1  # a thing asked for is absent, or a file of a batch failed
BAD_INPUT = 2  # bad input, or a set-up that cannot work


def fail(message: str, code: int = BAD_INPUT) -> NoReturn:
    """Say what is wrong in one line on stderr and exit with `code`."""
    err.print(f"[red]error[/red] {message}", highlight=False)
    raise typer.Exit(code)


@contextmanager
def exits() -> Iterator[None]:
    """Bad input (ValueError), an unknown document (LookupError) and an unusable set-up
    (SetupError) become one line and exit code 2, never a traceback."""
    from api.filters import flag
    from casework.search import OptionError

    try:
        yield
    except OptionError as exc:
        fail(f"{flag(exc.option)} {exc.reason}")
    except (LookupError, ValueError, SetupError) as exc:
        fail(str(exc.args[0]) if isinstance(exc, LookupError) and exc.args else str(exc))


def context() -> IngestContext:
    """The configured store and index, or a one-line error and exit code 2."""
    from api.context import build_context

    try:
        return build_context(get_settings())
    except ValidationError as exc:
        problems = "; ".join(f"CASESCAN_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}"
                             for e in exc.errors())
        fail(f"bad configuration: {problems}")
    except SetupError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"data directory not usable: {exc}")


def found(lookup: Callable[[], T | None], missing: str) -> T:
    """What a lookup by document id found: a bad id exits 2, an absent one exits 1,
    each with one line naming it."""
    with exits():
        result = lookup()
    if result is None:
        fail(missing, FAILED)
    return result

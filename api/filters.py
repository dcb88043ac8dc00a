"""Search filters from the edge: the CLI's options and the HTTP query parameters name the
same conditions, so both turn them into `SearchFilters` here and nowhere else.

(Kept to this one function so that it can give way to filters derived from the field
registry in `casework.search`.)
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from storage.index.records import SearchFilters

# Edge names that differ from the filter they set; every other name is the filter's own.
RENAMED = {"dob": "date_of_birth", "batch": "batch_id"}


def search_filters(given: Mapping[str, str | date | int | None]) -> SearchFilters:
    """Filters from edge parameters (`dob`, `surname`, `batch`, ...); unset ones are None.

    A date given as text must be ISO (1985-03-02): a ValueError names the parameter as
    a command-line option, since only the CLI passes dates as text.
    """
    values = {RENAMED.get(name, name): day(name, value) if name in DATES else value
              for name, value in given.items()}
    return SearchFilters(**values)  # type: ignore[arg-type]


DATES = frozenset({"dob", "born_from", "born_to", "decided_from", "decided_to"})


def day(name: str, value: str | date | int | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        option = "--" + name.replace("_", "-")
        raise ValueError(f"{option} must be a date like 1985-03-02, got {value!r}") from None

"""The server's plain log: one line a request with no query string, so no searched name,
date of birth or filter ever reaches it (the audit log keeps those, for admins only)."""

from __future__ import annotations

import copy
import logging
from typing import Any, Final

from uvicorn.config import LOGGING_CONFIG

_PATH_ARG: Final = 2  # uvicorn's access record: (client, method, full path, http, status)


class NoQueryStrings(logging.Filter):
    """Drop the query string from uvicorn's access lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) > _PATH_ARG and isinstance(args[_PATH_ARG], str):
            path = args[_PATH_ARG].split("?", 1)[0]
            record.args = (*args[:_PATH_ARG], path, *args[_PATH_ARG + 1:])
        return True


def log_config() -> dict[str, Any]:
    """uvicorn's logging set-up with the query strings filtered out of access lines."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"no_query": {"()": NoQueryStrings}}
    config["handlers"]["access"]["filters"] = ["no_query"]
    return config

"""The services an app builds from Settings (`api.context.build_context`), and the
dependencies routes receive.

The CLI builds its context once per command; an app holds its settings and opens its
context once, on first use, for every request it serves.
"""

from __future__ import annotations

from threading import Lock
from typing import Annotated

from fastapi import Depends, Request

from api.background import Digitiser
from api.context import build_context
from api.settings import Settings
from ingest.chain import IngestContext


class Services:
    """An app's settings and the context they name, opened on first use rather than at
    start-up, so an unreachable index is a 503 naming it (and retried), not a dead app."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._context: IngestContext | None = None
        self._digitiser: Digitiser | None = None
        self._lock = Lock()

    def digitiser(self) -> Digitiser:
        """The background runner of uploaded batches, started on first use."""
        with self._lock:
            if self._digitiser is None:
                self._digitiser = Digitiser(self.settings)
            return self._digitiser

    def context(self) -> IngestContext:
        with self._lock:
            if self._context is None:
                self._context = build_context(self.settings)
            return self._context


def services(request: Request) -> Services:
    """The app's own services, set by `create_app`."""
    made: Services = request.app.state.services
    return made


def get_context(request: Request) -> IngestContext:
    return services(request).context()


def get_settings(request: Request) -> Settings:
    return services(request).settings


Context = Annotated[IngestContext, Depends(get_context)]
SettingsDep = Annotated[Settings, Depends(get_settings)]

"""Dependencies injected into routes: the settings and the shared ingest context."""

from __future__ import annotations

from functools import cache
from typing import Annotated

from fastapi import Depends

from api.deps import build_context
from api.settings import Settings, get_settings
from ingest.chain import IngestContext


@cache
def _context() -> IngestContext:
    return build_context(get_settings())


def get_context() -> IngestContext:
    return _context()


Context = Annotated[IngestContext, Depends(get_context)]
SettingsDep = Annotated[Settings, Depends(get_settings)]

"""`casescan serve`: the HTTP API on the configured host and port."""

from __future__ import annotations

from typing import Annotated

import typer

from api.settings import get_settings


def serve(
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
) -> None:
    """The HTTP API (FastAPI): /health, /documents, /search, /batches."""
    import uvicorn  # only this command needs the server

    settings = get_settings()
    uvicorn.run("api.app:create_app", factory=True, host=host or settings.host,
                port=port or settings.port)

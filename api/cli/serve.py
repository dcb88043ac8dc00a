"""`casescan serve`: the HTTP API on the configured host and port."""

from __future__ import annotations

from typing import Annotated

import typer

from api.settings import get_settings


def serve(
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
) -> None:
    """The HTTP API (FastAPI): /health, /token, /api/... (signed in). Binds to
    127.0.0.1 unless told otherwise; put a TLS proxy in front of it (README)."""
    import uvicorn  # only this command needs the server

    from api.logs import log_config

    settings = get_settings()
    uvicorn.run("api.app:create_app", factory=True, host=host or settings.host,
                port=port or settings.port, log_config=log_config(),
                proxy_headers=True, forwarded_allow_ips=settings.forwarded_allow_ips)

"""`casescan worker` and `casescan retry`: run ingest's work units over a broker, and
give quarantined units another set of tries."""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli import render
from api.cli.errors import context, fail
from api.models import WorkUnitOut
from api.settings import get_settings
from ingest.units import release
from storage.index.units import PAGE


def worker(
    concurrency: Annotated[int | None, typer.Option(
        min=1, help="Pool processes (default CASESCAN_WORKERS)")] = None,
) -> None:
    """Run ingest work from the broker (CASESCAN_BROKER_URL) until stopped."""
    settings = get_settings()
    if not settings.broker_url:
        fail("CASESCAN_BROKER_URL is not set: a worker needs a broker "
             "(redis://127.0.0.1:6379/0 or amqp://guest:guest@127.0.0.1:5672//)")
    context()  # the index and store must open (and the index be migrated) before work
    from api.worker import redis_eviction_warning, run_worker

    warning = redis_eviction_warning(settings)
    if warning:
        render.say(f"[yellow]warning[/yellow] {warning}")
    run_worker(concurrency or settings.workers, settings)


def retry(
    run: Annotated[bool, typer.Option("--all", help="Queue every quarantined unit again")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per unit")] = False,
) -> None:
    """List quarantined units with their reasons; with --all, give them fresh tries."""
    ctx = context()
    units = ctx.index.units.quarantined()
    if run:
        settings = get_settings()
        if not settings.broker_url:
            fail("CASESCAN_BROKER_URL is not set: nothing to send the units to")
        from api.worker import send

        units = ctx.index.units.requeue([u.key for u in units])
        for unit in units:
            if unit.stage == PAGE:
                send(unit.stage, unit.key)
            else:
                release(ctx, unit.sha256, send)
    if as_json:
        render.emit_all(WorkUnitOut.of(u) for u in units)
        return
    verb = "queued again" if run else "quarantined"
    render.table(("unit", "stage", "page", "tries", "redeliveries", "reason"),
                 ((u.key[:12], u.stage, str(u.page), str(u.tries), str(u.redeliveries),
                   u.last_error or "") for u in units), f"no unit {verb}",
                 title=f"units {verb}")

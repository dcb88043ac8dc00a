"""Celery workers over a broker (Redis or RabbitMQ) running ingest's work units.

The tasks are thin: each calls `ingest.units`, which claims its unit in the index and
does nothing if it is done; so delivery may be at least once and the index stays the
record of what is done. The settings below are what makes "at least once" safe.
"""

from __future__ import annotations

import os
import socket
from functools import cache
from typing import Any, Final

from celery import Celery, Task

from api.context import build_context
from api.settings import Settings, get_settings
from ingest.chain import IngestContext
from ingest.units import Send, run_commit, run_page
from storage.index.units import COMMIT, LEASE, PAGE

PAGE_TASK: Final = "casescan.page"
COMMIT_TASK: Final = "casescan.commit"
TASKS: Final = {PAGE: PAGE_TASK, COMMIT: COMMIT_TASK}
MAX_BACKOFF_S: Final = 60


def celery_config(settings: Settings) -> dict[str, Any]:
    """The Celery settings, each chosen for at-least-once delivery of idempotent tasks."""
    if not settings.broker_url:
        raise ValueError("CASESCAN_BROKER_URL is not set: no broker to run workers over")
    return {
        "broker_url": settings.broker_url,
        "task_default_queue": settings.queue,
        # Acknowledge a task after it ran, not when received: a worker killed mid-page
        # leaves the message with the broker, which gives it to another worker.
        "task_acks_late": True,
        # A pool process killed mid-task (OOM killer, SIGKILL) requeues the message
        # instead of acknowledging it as failed; the unit's tries count it.
        "task_reject_on_worker_lost": True,
        # One message reserved per process: a killed worker holds back at most one page
        # per process, and a long page never keeps queued pages from idle workers.
        "worker_prefetch_multiplier": 1,
        # Redis: a message not acknowledged within this many seconds goes to another
        # worker; it must exceed the longest page, or a slow page would run twice.
        # (RabbitMQ redelivers when the worker's connection drops instead.)
        "broker_transport_options": {"visibility_timeout": settings.visibility_timeout},
        # A broker restart is waited out, never a reason for the worker to exit.
        "broker_connection_retry_on_startup": True,
        "broker_connection_max_retries": None,
        # On connection loss the unacknowledged message is redelivered anyway: stop the
        # running copy so the page is not read twice at once.
        "worker_cancel_long_running_tasks_on_connection_loss": True,
        # No result backend: the index's work units are the record of what is done.
        "task_ignore_result": True,
        "task_serializer": "json",
        "accept_content": ["json"],
        "worker_hijack_root_logger": False,
    }


def make_app(settings: Settings) -> Celery:
    app = Celery("casescan")
    if settings.broker_url:
        app.conf.update(celery_config(settings))
    return app


app: Final = make_app(get_settings())


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@cache
def _context(_pid: int) -> IngestContext:
    """The context of this worker process (keyed by pid: a forked pool child opens its
    own connections rather than sharing its parent's)."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one Tesseract thread per process
    return build_context(get_settings())


def queue_of(stage: str, queue: str) -> str:
    """Commits have a queue of their own that workers also consume, so a document's
    commit waits for about one page a process, not behind every page of the batch."""
    return f"{queue}.commit" if stage == COMMIT else queue


def send(stage: str, key: str) -> None:
    """Hand a unit to the workers through the broker."""
    app.send_task(TASKS[stage], args=[key], queue=queue_of(stage, get_settings().queue))


def sender(celery: Celery, queue: str) -> Send:
    def send_to(stage: str, key: str) -> None:
        celery.send_task(TASKS[stage], args=[key], queue=queue_of(stage, queue))

    return send_to


def _backoff(task: Task[Any, Any]) -> int:
    return int(min(2 ** task.request.retries, MAX_BACKOFF_S))


@app.task(bind=True, name=PAGE_TASK, max_retries=None)  # type: ignore[untyped-decorator]
def page_task(self: Task[Any, Any], key: str) -> str:
    """Read and store one page. A failure that may pass is sent again after a pause;
    the unit's tries in the index, not Celery's retries, decide when it is quarantined."""
    try:
        claim = run_page(_context(os.getpid()), key, worker_name(),
                         get_settings().max_tries, send)
    except Exception as exc:  # ingest's Retry, or the index itself failing (connection cut)
        raise self.retry(exc=exc, countdown=_backoff(self)) from exc
    return _unless_leased(self, claim)


@app.task(bind=True, name=COMMIT_TASK, max_retries=None)  # type: ignore[untyped-decorator]
def commit_task(self: Task[Any, Any], key: str) -> str:
    """Extract, verify and index one document whose pages are all stored."""
    try:
        claim = run_commit(_context(os.getpid()), key, worker_name(), get_settings().max_tries)
    except Exception as exc:
        raise self.retry(exc=exc, countdown=_backoff(self)) from exc
    return _unless_leased(self, claim)


def _unless_leased(task: Task[Any, Any], claim: str) -> str:
    """A copy of a unit another worker is running (its lease live) comes back once the
    lease could have run out: kept, not dropped, in case that worker dies after all.
    (Sooner on a short visibility timeout: Redis would hand out a task held longer.)"""
    if claim == "leased":
        wait = min(LEASE.total_seconds(), get_settings().visibility_timeout / 2)
        raise task.retry(countdown=max(1, int(wait)))
    return claim


def check_broker(celery: Celery) -> str | None:
    """Why the broker cannot be reached, before any work is sent; None when it can."""
    try:
        with celery.connection_for_write() as conn:
            conn.ensure_connection(max_retries=2, interval_start=0.5, interval_step=0.5)
    except Exception as exc:  # noqa: BLE001 - kombu raises the transport's own errors
        return f"broker {celery.conf.broker_url and _masked(celery.conf.broker_url)} " \
               f"not reachable: {exc}"
    return None


def _masked(url: str) -> str:
    from kombu.utils.url import maybe_sanitize_url

    return str(maybe_sanitize_url(url))


def redis_eviction_warning(settings: Settings) -> str | None:
    """Redis evicting keys would drop queued tasks; say so when its policy allows it."""
    url = settings.broker_url or ""
    if not url.startswith("redis"):
        return None
    import redis

    try:
        policy = redis.Redis.from_url(url).config_get("maxmemory-policy")
    except redis.RedisError:
        return None  # CONFIG may be disabled on managed Redis: nothing to check
    value = policy.get("maxmemory-policy")
    if value in (None, "noeviction"):
        return None
    return (f"Redis maxmemory-policy is {value!r}: queued tasks may be evicted; "
            "set it to noeviction")


def run_worker(concurrency: int, settings: Settings) -> None:
    """Start a worker on this machine with `concurrency` pool processes."""
    queues = f"{queue_of(COMMIT, settings.queue)},{settings.queue}"
    app.worker_main(["worker", f"--concurrency={concurrency}", "-Q", queues,
                     "--loglevel=INFO", "-n", f"casescan-{os.getpid()}@%h",
                     "--without-gossip", "--without-mingle"])

"""The one place configuration is read: environment variables prefixed CASESCAN_."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from ingest.limits import Limits
from storage.index.fulltext import MAX_QUERY_CHARS

_LIMITS = Limits()


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CASESCAN_", extra="ignore")

    data_dir: Path = Path("./casescan-data")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default SQLite in the data dir")
    object_store: str | None = Field(
        default=None, description="Folder path, file:// URL or s3://KEY:SECRET@HOST:PORT/BUCKET"
                     "[?secure=false]; default DATA_DIR/objects")
    workers: int = Field(default_factory=lambda: max(1, os.cpu_count() or 1), ge=1)
    ocr_lang: str = "eng"
    min_confidence: float = Field(default=0.6, ge=0.0, le=1.0)
    # The limits' defaults are ingest's (`Limits`), set here only from the environment.
    max_file_bytes: int = Field(default=_LIMITS.max_file_bytes, gt=0)
    max_pages: int = Field(default=_LIMITS.max_pages, gt=0)
    max_page_pixels: int = Field(default=_LIMITS.max_page_pixels, gt=0)
    dpi: int = Field(default=_LIMITS.dpi, ge=72, le=1200)
    max_query_chars: int = Field(default=MAX_QUERY_CHARS, ge=1, le=MAX_QUERY_CHARS,
                                 description="longest search text accepted")
    report_min_count: int = Field(default=5, ge=1,
                                  description="report counts below this are shown as <N")
    # Workers over a broker (issue 12): without a broker URL, ingest runs in a local pool.
    broker_url: str | None = Field(
        default=None, description="Celery broker: redis://HOST:6379/0 or "
                                  "amqp://USER:PASS@HOST:5672//; unset: no broker")
    queue: str = Field(default="casescan", min_length=1, max_length=200,
                       description="broker queue the ingest tasks go to")
    max_tries: int = Field(default=3, ge=1, le=100,
                           description="tries before a unit is quarantined")
    visibility_timeout: int = Field(
        default=3600, ge=5, description="seconds before an unacknowledged task is given "
                                        "to another worker (Redis); above the longest page")
    # Uploads (issue 12): a request's files and bytes are bounded before it is read; each
    # file is then held to max_file_bytes on its own.
    max_upload_files: int = Field(default=1000, ge=1, le=10_000,
                                  description="files accepted in one upload request")
    max_upload_bytes: int = Field(default=4 * 1024**3, gt=0,
                                  description="bytes accepted in one upload request")
    # Sign-in (issue 14): sessions behind a cookie, bearer tokens from POST /token.
    session_idle_minutes: int = Field(default=30, ge=1, le=24 * 60,
                                      description="a session unused this long is over")
    session_max_hours: int = Field(default=12, ge=1, le=24 * 30,
                                   description="a session is over this long after sign-in")
    token_hours: int = Field(default=8, ge=1, le=24 * 30,
                             description="a bearer token from POST /token lasts this long")
    sign_in_max_failures: int = Field(default=5, ge=1, le=1000,
                                      description="failed sign-ins for one name before a wait")
    sign_in_max_failures_address: int = Field(
        default=20, ge=1, le=100_000, description="failed sign-ins from one address before a wait")
    sign_in_window_minutes: int = Field(default=15, ge=1, le=24 * 60,
                                        description="how long failed sign-ins are counted")
    secure_cookies: bool | None = Field(
        default=None, description="Secure flag on the session cookie; unset: when the "
                                  "request came over https (behind a TLS proxy set it true)")
    forwarded_allow_ips: str = Field(
        default="127.0.0.1", description="proxies whose X-Forwarded-For/-Proto are believed "
                                         "(the TLS proxy in front; the audit log's address)")
    host: str = "127.0.0.1"
    port: int = 8000

    @property
    def index_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir.resolve() / 'index.sqlite3'}"

    @property
    def object_store_spec(self) -> str:
        return self.object_store or str(self.data_dir.resolve() / "objects")

    @property
    def limits(self) -> Limits:
        return Limits(max_file_bytes=self.max_file_bytes, max_pages=self.max_pages,
                      max_page_pixels=self.max_page_pixels, dpi=self.dpi)


@cache
def get_settings() -> Settings:
    return Settings()

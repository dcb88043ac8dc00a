"""The one place the store and index are opened from Settings, for the CLI, the HTTP app
and the workers alike (kept apart from `api.deps` so a command need not load the web
framework to open them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from api.privacy import keep_private
from api.settings import Settings

if TYPE_CHECKING:
    from ingest.chain import IngestContext


def build_context(settings: Settings) -> IngestContext:
    """Open the object store and index named by the settings, their files private."""
    from casework.context import open_context

    keep_private(settings.data_dir)
    return open_context(settings.object_store_spec, settings.index_url,
                        limits=settings.limits, lang=settings.ocr_lang,
                        min_confidence=settings.min_confidence)

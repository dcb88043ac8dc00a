"""Build the services the CLI and HTTP routes share, from the one Settings object."""

from __future__ import annotations

from api.settings import Settings
from casework import open_context
from ingest.chain import IngestContext


def build_context(settings: Settings) -> IngestContext:
    """Open the object store and index named by the settings."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return open_context(settings.object_store_spec, settings.index_url,
                        limits=settings.limits, lang=settings.ocr_lang,
                        min_confidence=settings.min_confidence)

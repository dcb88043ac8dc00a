"""The limits ingest enforces, in one place; api/settings.py sets them from the environment."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 200 * 1024 * 1024
    max_pages: int = 500
    # 100 Mpx is an A0 sheet at 300 dpi; larger pages are refused before decoding.
    max_page_pixels: int = 100_000_000
    dpi: int = 300

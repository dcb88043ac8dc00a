"""Perceptual hashes of stored pages, for recognising another scan of the same paper.

Each page is hashed once, from the cleaned image OCR read (or the page image when there
is none), the first time a linking run meets it; the index keeps the hash.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import cv2
import numpy as np

from identity.rescans import page_hash
from ingest.chain import IngestContext
from storage.index.records import DocumentRow, PageRow
from storage.objects.artefacts import cleaned_image_key

NO_IMAGE: Final = ""  # kept for a page with no image to hash, so it is not looked for again


def page_hashes(ctx: IngestContext, rows: Sequence[DocumentRow]) -> dict[str, tuple[str, ...]]:
    """Each document's page hashes in page order, hashing (and keeping) pages not yet hashed."""
    kept = ctx.index.page_hashes([r.document_id for r in rows])
    made: list[tuple[str, int, str]] = []
    out: dict[str, tuple[str, ...]] = {}
    for row in rows:
        have = dict(kept.get(row.document_id, ()))
        for page in row.pages:
            if page.number not in have:
                found = _hash(ctx, row.sha256, page) or NO_IMAGE
                have[page.number] = found
                made.append((row.document_id, page.number, found))
        out[row.document_id] = tuple(have[n] for n in sorted(have) if have[n] != NO_IMAGE)
    ctx.index.add_page_hashes(made)
    return out


def _hash(ctx: IngestContext, sha256: str, page: PageRow) -> str | None:
    """The page's hash, or None when no image of it is stored (or it cannot be decoded:
    then the page is simply no evidence of a rescan)."""
    key = cleaned_image_key(sha256, page.number)
    if not ctx.store.exists(key):
        key = page.image_key or ""
        if not key or not ctx.store.exists(key):
            return None
    image = cv2.imdecode(np.frombuffer(ctx.store.get(key), np.uint8), cv2.IMREAD_GRAYSCALE)
    return None if image is None else page_hash(image)

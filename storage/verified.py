"""Index a document only after checking that its objects are really in the store.

This is the one place that enforces "indexed only once stored and verified", so the
ingest chain cannot index a document whose original or page artefacts went missing.
"""

from __future__ import annotations

from storage.errors import ObjectMissing
from storage.index import Index
from storage.index.records import DocumentRow
from storage.objects import ObjectStore


def index_verified(index: Index, store: ObjectStore, doc: DocumentRow) -> bool:
    """Verify `doc`'s original (by sha256) and page objects, then add it to `index`.

    Returns what `Index.add_document` returns (False for an already indexed sha256).
    Raises ObjectMissing or ChecksumMismatch, indexing nothing, if verification fails.
    """
    store.get(doc.original_key, expect_sha256=doc.sha256)
    for page in doc.pages:
        for key in (page.image_key, page.words_key):
            if key is not None and not store.exists(key):
                raise ObjectMissing(
                    f"document {doc.document_id} page {page.number}: object {key!r} is not "
                    "stored, so the document was not indexed"
                )
    return index.add_document(doc)

"""Object storage and the search index (no imports of ocr, extraction, ingest or api).

`objects` keeps bytes write-once and verified; `index` records documents and batches and
searches page text; `indexing.index_verified` joins the two so nothing unverified is indexed.
"""

from storage.errors import (
    ChecksumMismatch,
    ObjectConflict,
    ObjectMissing,
    StorageError,
    StoreUnavailable,
)
from storage.index import Index
from storage.index.records import (
    BatchFileRow,
    BatchRow,
    BBox,
    CorrectionRow,
    DocumentRow,
    EntityHit,
    EntityRow,
    FieldRow,
    PageRow,
    ReviewItem,
    SearchHit,
)
from storage.objects import (
    LocalFolderStore,
    ObjectStore,
    StoredObject,
    content_key,
    open_object_store,
)
from storage.verified import index_verified

__all__ = [
    "BBox",
    "BatchFileRow",
    "BatchRow",
    "ChecksumMismatch",
    "CorrectionRow",
    "DocumentRow",
    "EntityHit",
    "EntityRow",
    "FieldRow",
    "Index",
    "LocalFolderStore",
    "ObjectConflict",
    "ObjectMissing",
    "ObjectStore",
    "PageRow",
    "ReviewItem",
    "SearchHit",
    "StorageError",
    "StoreUnavailable",
    "StoredObject",
    "content_key",
    "index_verified",
    "open_object_store",
]

"""Object stores: write-once, verified storage of originals and derivatives.

`open_object_store` picks the store a spec names: a local folder (the embedded default)
or S3 through the minio client. `artefacts` owns each stored artefact's key and format.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from storage.objects.local import LocalFolderStore
from storage.objects.store import ObjectStore, StoredObject, check_key, content_key, sha256_hex

__all__ = ["LocalFolderStore", "ObjectStore", "StoredObject", "check_key", "content_key",
           "open_object_store", "sha256_hex"]


def open_object_store(spec: str) -> ObjectStore:
    """Open the store named by `spec`: a local path, `file:///abs/path` or
    `s3://ACCESS:SECRET@HOST:PORT/BUCKET[?secure=false]` (the bucket is created if absent)."""
    if not spec or not spec.strip():
        raise ValueError("object store spec is empty")
    if spec.startswith("s3://"):
        from storage.objects.s3 import S3Store, parse_s3_spec  # minio only when asked for

        return S3Store(parse_s3_spec(spec))
    if spec.startswith("file:"):
        return LocalFolderStore(_file_url_path(spec))
    if "://" in spec:
        raise ValueError(f"object store spec {spec!r} has an unsupported scheme")
    return LocalFolderStore(Path(spec))


def _file_url_path(spec: str) -> Path:
    """Return the absolute local path of a `file://` URL, refusing remote hosts."""
    parts = urlsplit(spec)
    if parts.netloc not in ("", "localhost"):
        raise ValueError(f"object store spec {spec!r} names a remote host; use a local path")
    path = Path(unquote(parts.path))
    if not parts.path or not path.is_absolute():
        raise ValueError(f"object store spec {spec!r} needs an absolute path (file:///abs/path)")
    return path

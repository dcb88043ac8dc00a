"""The object store: write-once, verified storage of originals, page images and word files.

Objects are addressed by relative POSIX keys built by `content_key`. A stored object is
never overwritten or deleted: putting the same bytes again is a no-op, putting different
bytes under a used key is refused with `ObjectConflict`.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable
from urllib.parse import unquote, urlsplit

from storage.errors import ChecksumMismatch, ObjectConflict, ObjectMissing, StoreUnavailable

_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class StoredObject:
    """What a store holds under `key`: the sha256 hex digest and size of its bytes."""

    key: str
    sha256: str
    size: int


@runtime_checkable
class ObjectStore(Protocol):
    """What every object store offers; `LocalFolderStore` is the embedded default.

    An S3-compatible store slots in by implementing these three methods with the same
    promises: put is write-once and verified, get verifies when given a digest.
    """

    def put(
        self, key: str, data: bytes, content_type: str = "application/octet-stream"
    ) -> StoredObject: ...

    def get(self, key: str, *, expect_sha256: str | None = None) -> bytes: ...

    def exists(self, key: str) -> bool: ...


def content_key(kind: str, sha256: str, name: str) -> str:
    """Return the key for `name` belonging to the content `sha256`, e.g. an original.

    This is the one place the key layout is defined; the two-character fan-out keeps
    directories small on local disks.
    """
    if not _SHA256_HEX.fullmatch(sha256):
        raise ValueError(f"content key needs a lowercase sha256 hex digest, got {sha256!r}")
    for label, part in (("kind", kind), ("name", name)):
        if not part or "/" in part:
            raise ValueError(f"content key {label} must be one non-empty segment, got {part!r}")
    return check_key(f"{kind}/{sha256[:2]}/{sha256}/{name}")


def check_key(key: str) -> str:
    """Return `key` if it is a safe relative POSIX key, else raise ValueError.

    Keys come from code, but a bad one could escape the store root or alias another
    object, so anything unusual is refused rather than normalised.
    """
    if not key:
        raise ValueError("object key is empty")
    if "\\" in key or "\x00" in key:
        raise ValueError(f"object key {key!r} contains a backslash or NUL")
    if key.startswith("/") or re.match(r"[A-Za-z]:", key):
        raise ValueError(f"object key {key!r} is absolute; keys are relative")
    for segment in key.split("/"):
        if segment in ("", ".", ".."):
            raise ValueError(f"object key {key!r} has an empty, '.' or '..' segment")
    return key


def sha256_hex(data: bytes) -> str:
    """Return the sha256 hex digest of `data`."""
    return hashlib.sha256(data).hexdigest()


def open_object_store(spec: str) -> ObjectStore:
    """Open the store named by `spec`: a local path, `file:///abs/path` or
    `s3://ACCESS:SECRET@HOST:PORT/BUCKET[?secure=false]` (the bucket is created if absent)."""
    if not spec or not spec.strip():
        raise ValueError("object store spec is empty")
    if spec.startswith("s3://"):
        from storage.s3 import S3Store, parse_s3_spec  # the minio client only when asked for

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


class LocalFolderStore:
    """Objects as files under a root folder, written atomically and verified after writing."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailable(f"cannot create object store at {self.root}: {exc}") from exc
        if not self.root.is_dir():
            raise StoreUnavailable(f"object store root {self.root} is not a directory")

    def __repr__(self) -> str:
        return f"LocalFolderStore({str(self.root)!r})"

    def path_for(self, key: str) -> Path:
        """Return the file that holds (or would hold) `key`."""
        return self.root.joinpath(*check_key(key).split("/"))

    def exists(self, key: str) -> bool:
        """Return True if an object is stored under `key`."""
        return self.path_for(key).is_file()

    def get(self, key: str, *, expect_sha256: str | None = None) -> bytes:
        """Return the bytes under `key`; if `expect_sha256` is given, verify them first."""
        path = self.path_for(key)
        data = self._read(key, path)
        if expect_sha256 is not None:
            actual = sha256_hex(data)
            if actual != expect_sha256.lower():
                raise ChecksumMismatch(
                    f"object {key!r} at {path} has sha256 {actual}, expected {expect_sha256}"
                )
        return data

    def put(
        self, key: str, data: bytes, content_type: str = "application/octet-stream"
    ) -> StoredObject:
        """Store `data` under `key` once; `content_type` is ignored by the local store.

        Identical bytes already stored make this a no-op. Different bytes raise
        `ObjectConflict` and leave the stored object untouched.
        """
        path = self.path_for(key)
        digest = sha256_hex(data)
        stored = StoredObject(key=key, sha256=digest, size=len(data))
        if path.is_dir():
            raise ObjectConflict(f"object key {key!r} names a folder of objects at {path}")
        if path.exists():
            self._check_same(key, path, digest)
            return stored
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            placed = self._place(path, data)
        except OSError as exc:
            raise StoreUnavailable(f"cannot write object {key!r} to {path}: {exc}") from exc
        if not placed:  # another writer got there first
            self._check_same(key, path, digest)
            return stored
        self._verify_written(key, path, digest)
        return stored

    def _read(self, key: str, path: Path) -> bytes:
        try:
            return path.read_bytes()
        except FileNotFoundError as exc:
            raise ObjectMissing(f"no object {key!r} in store {self.root}") from exc
        except IsADirectoryError as exc:
            raise ObjectMissing(f"no object {key!r} in {self.root}: {path} is a folder") from exc
        except OSError as exc:
            raise StoreUnavailable(f"cannot read object {key!r} at {path}: {exc}") from exc

    def _check_same(self, key: str, path: Path, digest: str) -> None:
        """Raise ObjectConflict unless the object at `path` hashes to `digest`."""
        existing = sha256_hex(self._read(key, path))
        if existing != digest:
            raise ObjectConflict(
                f"object {key!r} at {path} already holds different bytes "
                f"(sha256 {existing}, new {digest}); stored objects are never overwritten"
            )

    def _place(self, path: Path, data: bytes) -> bool:
        """Write `data` to `path` via a synced temp file; False if `path` appeared meanwhile.

        The temp file is hard-linked into place, which is atomic and, unlike
        `os.replace`, never clobbers a file another writer placed a moment earlier.
        Filesystems without hard links fall back to `os.replace`.
        """
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            placed = _link_or_replace(tmp, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        _fsync_dir(path.parent)
        return placed

    def _verify_written(self, key: str, path: Path, digest: str) -> None:
        """Re-read a freshly written object; remove it and raise if it does not match."""
        actual = sha256_hex(self._read(key, path))
        if actual != digest:
            with contextlib.suppress(OSError):
                path.unlink()
            raise ChecksumMismatch(
                f"object {key!r} read back from {path} has sha256 {actual}, wrote {digest}; "
                "the bad copy was removed"
            )


def _link_or_replace(tmp: Path, path: Path) -> bool:
    """Move `tmp` to `path` without overwriting; return False if `path` already exists."""
    try:
        os.link(tmp, path)
        return True
    except FileExistsError:
        return False
    except OSError:
        if path.exists():
            return False
        os.replace(tmp, path)
        return True


def _fsync_dir(folder: Path) -> None:
    """Flush a directory entry so a new file survives a crash (no-op where unsupported)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)

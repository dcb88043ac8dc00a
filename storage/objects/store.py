"""What every object store is: the protocol, the stored-object record, and the key rules.

Objects are addressed by relative POSIX keys built by `content_key`. A stored object is
never overwritten or deleted: putting the same bytes again is a no-op, putting different
bytes under a used key is refused with `ObjectConflict`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import BinaryIO, Final, Protocol, runtime_checkable

from storage.errors import ChecksumMismatch

_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
# Bytes read or written at a time when an object is streamed.
CHUNK_BYTES: Final = 1024 * 1024


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

    def put_stream(self, key: str, stream: BinaryIO, size: int, sha256: str,
                   content_type: str = "application/octet-stream") -> StoredObject:
        """Store `size` bytes read from `stream` in chunks (never whole in memory), whose
        SHA-256 the caller has already computed; the same promises as `put`."""
        ...

    def get_into(self, key: str, sink: BinaryIO) -> str:
        """Write the object's bytes to `sink` in chunks; return their SHA-256."""
        ...


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


def copy_hashing(source: BinaryIO, sink: BinaryIO, limit: int | None = None) -> tuple[str, int]:
    """Copy `source` to `sink` in chunks (up to `limit` bytes); return the SHA-256 and size
    of what was copied."""
    digest = hashlib.sha256()
    size = 0
    while limit is None or size < limit:
        chunk = source.read(CHUNK_BYTES if limit is None else min(CHUNK_BYTES, limit - size))
        if not chunk:
            break
        digest.update(chunk)
        sink.write(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def hash_stream(source: BinaryIO) -> tuple[str, int]:
    """The SHA-256 and size of what is left in `source`, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    while chunk := source.read(CHUNK_BYTES):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def check_stream(key: str, stream: BinaryIO, sha256: str) -> None:
    """Refuse a stream whose bytes are not the ones the caller hashed (read in chunks)."""
    got, _ = hash_stream(stream)
    if got != sha256:
        raise ChecksumMismatch(f"object {key!r}: the stream given has sha256 {got}, "
                               f"expected {sha256}; nothing was stored")

"""What every object store is: the protocol, the stored-object record, and the key rules.

Objects are addressed by relative POSIX keys built by `content_key`. A stored object is
never overwritten or deleted: putting the same bytes again is a no-op, putting different
bytes under a used key is refused with `ObjectConflict`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

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

"""Errors raised by the storage package.

Each message names the key, path or database and the reason, so the CLI can print it in
one line and the API can map the class to a status code without parsing text.
"""

from __future__ import annotations


class StorageError(Exception):
    """Base for every error the storage package raises on purpose."""


class StoreUnavailable(StorageError):
    """The object store or index cannot be reached, opened or written (retrying may help)."""


class ObjectMissing(StorageError):
    """No object is stored under the requested key."""


class ChecksumMismatch(StorageError):
    """The bytes read back do not hash to what was written or expected."""


class ObjectConflict(StorageError):
    """A put tried to store different bytes under a key that already holds an object.

    Stored objects are never overwritten, so this is refused rather than resolved.
    """

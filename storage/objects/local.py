"""The embedded object store: files under a root folder, written atomically and verified."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from storage.errors import ChecksumMismatch, ObjectConflict, ObjectMissing, StoreUnavailable
from storage.objects.store import (
    StoredObject,
    check_key,
    check_stream,
    copy_hashing,
    hash_stream,
    sha256_hex,
)


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

    def put_stream(self, key: str, stream: BinaryIO, size: int, sha256: str,
                   content_type: str = "application/octet-stream") -> StoredObject:
        """Store `size` bytes of `stream` under `key`, copied in chunks and verified."""
        path = self.path_for(key)
        stored = StoredObject(key=key, sha256=sha256, size=size)
        if path.is_dir():
            raise ObjectConflict(f"object key {key!r} names a folder of objects at {path}")
        if path.exists():
            check_stream(key, stream, sha256)
            self._check_same_file(key, path, sha256)
            return stored
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            placed, got = self._place_stream(path, stream, size, sha256)
        except OSError as exc:
            raise StoreUnavailable(f"cannot write object {key!r} to {path}: {exc}") from exc
        if got != sha256:  # the stream was not what the caller hashed: nothing was placed
            raise ChecksumMismatch(f"object {key!r}: the stream given has sha256 {got}, "
                                   f"expected {sha256}; nothing was stored")
        if not placed:
            self._check_same_file(key, path, sha256)
            return stored
        self._verify_file(key, path, sha256)
        return stored

    def get_into(self, key: str, sink: BinaryIO) -> str:
        """Copy the object to `sink` in chunks; return the SHA-256 of what was copied."""
        path = self.path_for(key)
        try:
            with path.open("rb") as handle:
                return copy_hashing(handle, sink)[0]
        except FileNotFoundError as exc:
            raise ObjectMissing(f"no object {key!r} in store {self.root}") from exc
        except IsADirectoryError as exc:
            raise ObjectMissing(f"no object {key!r} in {self.root}: {path} is a folder") from exc

    def _place_stream(self, path: Path, stream: BinaryIO, size: int,
                      expected: str) -> tuple[bool, str]:
        """Copy the stream to a synced temp file, then link it into place if it hashes as
        promised; return (placed, the stream's sha256)."""
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as handle:
                got, _ = copy_hashing(stream, handle, size)
                handle.flush()
                os.fsync(handle.fileno())
            placed = got == expected and _link_or_replace(tmp, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        _fsync_dir(path.parent)
        return placed, got

    def _check_same_file(self, key: str, path: Path, digest: str) -> None:
        """Raise ObjectConflict unless the file at `path` hashes to `digest` (read in chunks)."""
        existing = sha256_hex_of_file(path)
        if existing != digest:
            raise ObjectConflict(
                f"object {key!r} at {path} already holds different bytes "
                f"(sha256 {existing}, new {digest}); stored objects are never overwritten"
            )

    def _verify_file(self, key: str, path: Path, digest: str) -> None:
        """Re-read a freshly placed object in chunks; remove it and raise if it differs."""
        actual = sha256_hex_of_file(path)
        if actual != digest:
            with contextlib.suppress(OSError):
                path.unlink()
            raise ChecksumMismatch(
                f"object {key!r} read back from {path} has sha256 {actual}, wrote {digest}; "
                "the bad copy was removed"
            )

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


def sha256_hex_of_file(path: Path) -> str:
    """The SHA-256 of a file, read in chunks."""
    with path.open("rb") as handle:
        return hash_stream(handle)[0]

"""The S3 object store (MinIO in production, SeaweedFS in tests), through the `minio` client.

Same promises as the local folder: keys are content addresses, a put is write-once and
read back to check its SHA-256, a get verifies when given a digest, nothing is ever
overwritten or deleted (a bad copy that this put itself just wrote is the one exception,
as locally). The SHA-256 also travels as object metadata so a conflict is cheap to spot.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO, Final, TypeVar, cast
from urllib.parse import parse_qs, unquote, urlsplit

import urllib3
from minio import Minio
from minio.error import MinioException, S3Error

from storage.errors import ChecksumMismatch, ObjectConflict, ObjectMissing, StoreUnavailable
from storage.objects.store import CHUNK_BYTES, StoredObject, check_key, check_stream, sha256_hex

SHA_META: Final = "sha256"
CONNECT_TIMEOUT_S: Final = 5.0
READ_TIMEOUT_S: Final = 60.0
RETRIES: Final = 2
# Part size of a streamed upload: S3's multipart minimum is 5 MiB; 16 MiB keeps a 200 MB
# file to 13 parts and one part in memory at a time.
PART_BYTES: Final = 16 * 1024 * 1024
_MISSING_CODES: Final = frozenset({"NoSuchKey", "NoSuchObject", "ResourceNotFound"})
T = TypeVar("T")


@dataclass(frozen=True)
class S3Spec:
    """A parsed `s3://ACCESS:SECRET@HOST:PORT/BUCKET[?secure=false]` store address."""

    endpoint: str
    access_key: str
    secret_key: str
    bucket: str
    secure: bool

    @property
    def shown(self) -> str:
        """The address without its keys, fit for messages."""
        scheme = "https" if self.secure else "http"
        return f"s3://***@{self.endpoint}/{self.bucket} ({scheme})"


def parse_s3_spec(spec: str) -> S3Spec:
    """Parse an s3:// store address; ValueError names what is wrong, never the secret."""
    parts = urlsplit(spec)
    masked = "s3://***@" + spec.rsplit("@", 1)[-1] if "@" in spec else spec
    if parts.scheme != "s3" or not parts.hostname:
        raise ValueError(f"object store {masked}: expected s3://ACCESS:SECRET@HOST:PORT/BUCKET")
    if not parts.username or parts.password is None:
        raise ValueError(f"object store {masked}: access key and secret key are required")
    bucket = parts.path.strip("/")
    if not bucket or "/" in bucket:
        raise ValueError(f"object store {masked}: give exactly one bucket name after the host")
    query = parse_qs(parts.query)
    secure_text = (query.get("secure") or ["true"])[-1].lower()
    if secure_text not in ("true", "false", "1", "0"):
        raise ValueError(f"object store {masked}: secure must be true or false")
    try:
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"object store {masked}: bad port") from exc
    endpoint = parts.hostname if port is None else f"{parts.hostname}:{port}"
    return S3Spec(endpoint=endpoint, access_key=unquote(parts.username),
                  secret_key=unquote(parts.password), bucket=bucket,
                  secure=secure_text in ("true", "1"))


class S3Store:
    """Objects in one S3 bucket, created if absent when the store is opened."""

    def __init__(self, spec: S3Spec) -> None:
        self.spec = spec
        http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=CONNECT_TIMEOUT_S, read=READ_TIMEOUT_S),
            retries=urllib3.Retry(total=RETRIES, backoff_factor=0.2,
                                  status_forcelist=[500, 502, 503, 504]),
        )
        self._client = Minio(spec.endpoint, access_key=spec.access_key,
                             secret_key=spec.secret_key, secure=spec.secure, http_client=http)
        try:
            self._call("open bucket", self._ensure_bucket)
        except ValueError as exc:  # the client's own checks, e.g. of the bucket name
            raise ValueError(f"object store {spec.shown}: {exc}") from exc

    def __repr__(self) -> str:
        return f"S3Store({self.spec.shown!r})"

    def exists(self, key: str) -> bool:
        """Return True if an object is stored under `key`."""
        return self._stat(check_key(key)) is not None

    def get(self, key: str, *, expect_sha256: str | None = None) -> bytes:
        """Return the bytes under `key`; if `expect_sha256` is given, verify them first."""
        data = self._read(check_key(key))
        if expect_sha256 is not None:
            actual = sha256_hex(data)
            if actual != expect_sha256.lower():
                raise ChecksumMismatch(f"object {key!r} in {self.spec.shown} has sha256 "
                                       f"{actual}, expected {expect_sha256}")
        return data

    def put(self, key: str, data: bytes,
            content_type: str = "application/octet-stream") -> StoredObject:
        """Store `data` under `key` once and read it back to check it.

        Identical bytes already stored make this a no-op; different bytes raise
        `ObjectConflict` and leave the stored object untouched.
        """
        check_key(key)
        digest = sha256_hex(data)
        stored = StoredObject(key=key, sha256=digest, size=len(data))
        if self._stat(key) is not None:
            self._check_same(key, digest)
            return stored
        self._call(f"write object {key!r}", lambda: self._client.put_object(
            self.spec.bucket, key, io.BytesIO(data), len(data), content_type=content_type,
            metadata={SHA_META: digest}))
        actual = sha256_hex(self._read(key))
        if actual != digest:
            raise ChecksumMismatch(f"object {key!r} read back from {self.spec.shown} has "
                                   f"sha256 {actual}, wrote {digest}")
        return stored

    def put_stream(self, key: str, stream: BinaryIO, size: int, sha256: str,
                   content_type: str = "application/octet-stream") -> StoredObject:
        """Store `size` bytes of `stream` under `key` as a multipart upload of
        PART_BYTES parts (never whole in memory), then read it back in chunks to check it.
        The stream must be seekable: it is hashed before anything is uploaded."""
        check_key(key)
        stored = StoredObject(key=key, sha256=sha256, size=size)
        start = stream.tell()
        check_stream(key, stream, sha256)  # S3 cannot take back a bad upload: hash it first
        stream.seek(start)
        if self._stat(key) is not None:
            self._check_same_stream(key, sha256)
            return stored
        self._call(f"write object {key!r}", lambda: self._client.put_object(
            self.spec.bucket, key, stream, size, content_type=content_type,
            metadata={SHA_META: sha256}, part_size=PART_BYTES))
        actual = self._hash_stored(key)
        if actual != sha256:
            raise ChecksumMismatch(f"object {key!r} read back from {self.spec.shown} has "
                                   f"sha256 {actual}, expected {sha256}")
        return stored

    def get_into(self, key: str, sink: BinaryIO) -> str:
        """Copy the object to `sink` in chunks; return the SHA-256 of what was copied."""
        check_key(key)

        def fetch() -> str:
            response = self._client.get_object(self.spec.bucket, key)
            try:
                digest = hashlib.sha256()
                for chunk in response.stream(CHUNK_BYTES):
                    digest.update(chunk)
                    sink.write(chunk)
                return digest.hexdigest()
            finally:
                response.close()
                response.release_conn()

        return self._call(f"read object {key!r}", fetch)

    def _hash_stored(self, key: str) -> str:
        return self.get_into(key, cast(BinaryIO, _Discard()))

    def _check_same_stream(self, key: str, digest: str) -> None:
        existing = self._hash_stored(key)
        if existing != digest:
            raise ObjectConflict(
                f"object {key!r} in {self.spec.shown} already holds different bytes "
                f"(sha256 {existing}, new {digest}); stored objects are never overwritten")

    def _ensure_bucket(self) -> None:
        if not self._client.bucket_exists(self.spec.bucket):
            try:
                self._client.make_bucket(self.spec.bucket)
            except S3Error as exc:  # another process created it a moment earlier
                if exc.code not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                    raise

    def _check_same(self, key: str, digest: str) -> None:
        existing = sha256_hex(self._read(key))
        if existing != digest:
            raise ObjectConflict(
                f"object {key!r} in {self.spec.shown} already holds different bytes "
                f"(sha256 {existing}, new {digest}); stored objects are never overwritten")

    def _stat(self, key: str) -> object | None:
        try:
            return self._call(f"look up object {key!r}",
                              lambda: self._client.stat_object(self.spec.bucket, key))
        except ObjectMissing:
            return None

    def _read(self, key: str) -> bytes:
        def fetch() -> bytes:
            response = self._client.get_object(self.spec.bucket, key)
            try:
                return response.read()
            finally:
                response.close()
                response.release_conn()

        return self._call(f"read object {key!r}", fetch)

    def _call(self, what: str, action: Callable[[], T]) -> T:
        """Run one client call; translate its failures into the storage errors."""
        try:
            return action()
        except S3Error as exc:
            if exc.code in _MISSING_CODES:
                raise ObjectMissing(f"no object {what.split(' ', 2)[-1]} in "
                                    f"{self.spec.shown}") from exc
            raise StoreUnavailable(f"cannot {what} in {self.spec.shown}: {exc.code}: "
                                   f"{exc.message}") from exc
        except (MinioException, urllib3.exceptions.HTTPError, OSError) as exc:
            raise StoreUnavailable(f"cannot {what} in {self.spec.shown}: "
                                   f"{_short(exc)}") from exc


def _short(exc: BaseException) -> str:
    """urllib3's reason without the pool and retry wrapping."""
    reason = getattr(exc, "reason", None)
    return str(reason or exc).splitlines()[0][:300]


class _Discard(io.RawIOBase):
    """A sink that keeps nothing: reading an object back only to hash it."""

    def writable(self) -> bool:
        return True

    def write(self, data: object) -> int:
        return len(data)  # type: ignore[arg-type]

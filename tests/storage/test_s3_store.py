"""The S3 store keeps the local store's promises against a real S3 server (SeaweedFS)."""

from __future__ import annotations

import hashlib
import io
import uuid

import pytest
from minio import Minio
from services import ACCESS_KEY, SECRET_KEY, Seaweed

from storage.errors import ChecksumMismatch, ObjectConflict, ObjectMissing, StoreUnavailable
from storage.objects import ObjectStore, StoredObject, content_key, open_object_store
from storage.objects.s3 import S3Store, parse_s3_spec

DATA = b"%PDF-1.7 scanned case file"
SHA = hashlib.sha256(DATA).hexdigest()
KEY = content_key("originals", SHA, "original.pdf")


@pytest.fixture
def bucket() -> str:
    return f"casescan-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def s3(seaweed: Seaweed, bucket: str) -> ObjectStore:
    return open_object_store(seaweed.spec(bucket))


def raw_client(seaweed: Seaweed) -> Minio:
    return Minio(f"127.0.0.1:{seaweed.s3_port}", ACCESS_KEY, SECRET_KEY, secure=False)


def test_bucket_is_created_and_round_trip(seaweed: Seaweed, bucket: str, s3: ObjectStore) -> None:
    assert isinstance(s3, S3Store) and isinstance(s3, ObjectStore)
    assert raw_client(seaweed).bucket_exists(bucket)
    assert not s3.exists(KEY)
    assert s3.put(KEY, DATA, "application/pdf") == StoredObject(KEY, SHA, len(DATA))
    assert s3.exists(KEY)
    assert s3.get(KEY, expect_sha256=SHA) == DATA
    stat = raw_client(seaweed).stat_object(bucket, KEY)
    assert stat.content_type == "application/pdf"
    assert stat.metadata.get("x-amz-meta-sha256") == SHA


def test_reopening_an_existing_bucket_keeps_objects(seaweed: Seaweed, bucket: str,
                                                     s3: ObjectStore) -> None:
    s3.put(KEY, DATA)
    again = open_object_store(seaweed.spec(bucket))
    assert again.get(KEY, expect_sha256=SHA) == DATA


def test_identical_put_is_a_no_op_and_different_bytes_conflict(s3: ObjectStore) -> None:
    s3.put(KEY, DATA)
    assert s3.put(KEY, DATA).sha256 == SHA
    with pytest.raises(ObjectConflict, match="never overwritten"):
        s3.put(KEY, b"other bytes")
    assert s3.get(KEY, expect_sha256=SHA) == DATA


def test_tampered_object_fails_verification_and_is_kept(seaweed: Seaweed, bucket: str,
                                                        s3: ObjectStore) -> None:
    s3.put(KEY, DATA)
    raw_client(seaweed).put_object(bucket, KEY, io.BytesIO(b"bit rot"), 7)
    with pytest.raises(ChecksumMismatch, match=SHA):
        s3.get(KEY, expect_sha256=SHA)
    assert s3.get(KEY) == b"bit rot"  # the evidence stays
    with pytest.raises(ObjectConflict):
        s3.put(KEY, DATA)


def test_missing_object(s3: ObjectStore) -> None:
    with pytest.raises(ObjectMissing, match="originals/nope.pdf"):
        s3.get("originals/nope.pdf")


@pytest.mark.parametrize("key", ["", "/etc/passwd", "../outside", "a//b", "a\\b"])
def test_bad_keys_are_rejected(s3: ObjectStore, key: str) -> None:
    for call in (lambda: s3.put(key, DATA), lambda: s3.get(key), lambda: s3.exists(key)):
        with pytest.raises(ValueError):
            call()


def test_wrong_credentials_are_a_clear_unavailable(seaweed: Seaweed, bucket: str) -> None:
    spec = seaweed.spec(bucket).replace(ACCESS_KEY, "intruder")
    with pytest.raises(StoreUnavailable) as caught:
        open_object_store(spec)
    assert "intruder" not in str(caught.value) and "s3cret" not in str(caught.value)


def test_store_that_is_down_is_a_clear_unavailable(bucket: str) -> None:
    from services import free_port

    spec = f"s3://a:b@127.0.0.1:{free_port()}/{bucket}?secure=false"
    with pytest.raises(StoreUnavailable, match="cannot open bucket"):
        open_object_store(spec)


@pytest.mark.parametrize("spec", [
    "s3://host:9000/bucket",  # no keys
    "s3://a:b@host:9000",  # no bucket
    "s3://a:b@host:9000/b/c",  # two segments
    "s3://a:b@host:port/bucket",
    "s3://a:b@host:9000/bucket?secure=maybe",
])
def test_bad_s3_specs(spec: str) -> None:
    with pytest.raises(ValueError) as caught:
        open_object_store(spec)
    assert ":b@" not in str(caught.value)


def test_spec_parsing() -> None:
    spec = parse_s3_spec("s3://AK:s%2Fk@minio.internal:9000/case-files?secure=false")
    assert (spec.endpoint, spec.access_key, spec.secret_key, spec.bucket, spec.secure) == (
        "minio.internal:9000", "AK", "s/k", "case-files", False)
    assert parse_s3_spec("s3://AK:SK@minio.internal/b").secure is True
    assert "SK" not in parse_s3_spec("s3://AK:SK@h/b").shown

"""Both stores take an object as a stream in chunks and give it back into a file, with the
promises of `put`: write-once, verified, a stream that is not what was hashed refused."""

from __future__ import annotations

import hashlib
import io
import os
import uuid
from pathlib import Path

import pytest
from services import Seaweed

from storage.errors import ChecksumMismatch, ObjectConflict
from storage.objects import LocalFolderStore, ObjectStore, content_key, open_object_store
from storage.objects.s3 import PART_BYTES
from storage.objects.store import CHUNK_BYTES


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> ObjectStore:
    if request.param == "local":
        return LocalFolderStore(tmp_path / "objects")
    seaweed: Seaweed = request.getfixturevalue("seaweed")
    return open_object_store(seaweed.spec(f"stream-{uuid.uuid4().hex[:10]}"))


def test_large_stream_round_trip(store: ObjectStore, tmp_path: Path) -> None:
    data = os.urandom(PART_BYTES + 3 * CHUNK_BYTES + 17)  # more than one multipart part
    sha = hashlib.sha256(data).hexdigest()
    key = content_key("originals", sha, "original.pdf")
    stored = store.put_stream(key, io.BytesIO(data), len(data), sha, "application/pdf")
    assert (stored.sha256, stored.size) == (sha, len(data))
    copy = tmp_path / "copy"
    with copy.open("wb") as sink:
        assert store.get_into(key, sink) == sha
    assert copy.read_bytes() == data
    again = store.put_stream(key, io.BytesIO(data), len(data), sha)  # the same bytes: no-op
    assert again == stored
    other = b"%PDF other bytes"
    with pytest.raises(ObjectConflict):  # a used key is never given other bytes
        store.put_stream(key, io.BytesIO(other), len(other), hashlib.sha256(other).hexdigest())
    with pytest.raises(ChecksumMismatch):  # nor bytes passed off as the stored ones
        store.put_stream(key, io.BytesIO(other), len(other), sha)
    assert store.get(key) == data


def test_stream_that_is_not_what_was_hashed_is_refused(store: ObjectStore) -> None:
    data = b"%PDF-1.4 what the caller hashed"
    sha = hashlib.sha256(data).hexdigest()
    key = content_key("originals", sha, "original.pdf")
    with pytest.raises(ChecksumMismatch):
        store.put_stream(key, io.BytesIO(b"%PDF-1.4 something else arrived"), 31, sha)
    assert not store.exists(key)

"""The object store keeps bytes write-once and verified, and refuses unsafe keys."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pytest

from storage.errors import ChecksumMismatch, ObjectConflict, ObjectMissing, StoreUnavailable
from storage.objects import (
    LocalFolderStore,
    ObjectStore,
    StoredObject,
    content_key,
    open_object_store,
)

DATA = b"%PDF-1.7 scanned case file"
SHA = hashlib.sha256(DATA).hexdigest()
KEY = content_key("originals", SHA, "original.pdf")


def test_content_key_layout() -> None:
    assert f"originals/{SHA[:2]}/{SHA}/original.pdf" == KEY
    with pytest.raises(ValueError, match="sha256"):
        content_key("originals", "ABC", "original.pdf")
    with pytest.raises(ValueError, match="name"):
        content_key("originals", SHA, "a/b.pdf")


def test_put_get_round_trip(store: LocalFolderStore) -> None:
    stored = store.put(KEY, DATA, "application/pdf")
    assert stored == StoredObject(key=KEY, sha256=SHA, size=len(DATA))
    assert store.exists(KEY)
    assert store.get(KEY) == DATA
    assert store.get(KEY, expect_sha256=SHA) == DATA
    assert isinstance(store, ObjectStore)


def test_no_temp_files_left_behind(store: LocalFolderStore) -> None:
    store.put(KEY, DATA)
    leftovers = [p.name for p in store.root.rglob("*") if p.is_file()]
    assert leftovers == ["original.pdf"]


def test_identical_put_is_a_no_op(store: LocalFolderStore) -> None:
    first = store.put(KEY, DATA)
    mtime = store.path_for(KEY).stat().st_mtime_ns
    assert store.put(KEY, DATA) == first
    assert store.path_for(KEY).stat().st_mtime_ns == mtime


def test_different_bytes_under_same_key_conflict_and_original_kept(
    store: LocalFolderStore,
) -> None:
    store.put(KEY, DATA)
    with pytest.raises(ObjectConflict, match="never overwritten") as caught:
        store.put(KEY, b"other bytes")
    assert KEY in str(caught.value)
    assert store.get(KEY, expect_sha256=SHA) == DATA


def test_corruption_on_disk_is_detected(store: LocalFolderStore) -> None:
    store.put(KEY, DATA)
    store.path_for(KEY).write_bytes(b"bit rot")
    with pytest.raises(ChecksumMismatch, match=SHA):
        store.get(KEY, expect_sha256=SHA)
    assert store.path_for(KEY).read_bytes() == b"bit rot"  # evidence is kept, not deleted


def test_missing_object(store: LocalFolderStore) -> None:
    assert not store.exists("originals/nope.pdf")
    with pytest.raises(ObjectMissing, match="originals/nope.pdf"):
        store.get("originals/nope.pdf")


@pytest.mark.parametrize(
    "key",
    ["", "/etc/passwd", "../outside", "a/../b", "a//b", "a/./b", "a/", "a\\b", "C:/x", "a\x00b"],
)
def test_bad_keys_are_rejected(store: LocalFolderStore, key: str) -> None:
    with pytest.raises(ValueError):
        store.put(key, DATA)
    with pytest.raises(ValueError):
        store.get(key)
    with pytest.raises(ValueError):
        store.exists(key)
    assert not (store.root.parent / "outside").exists()


def test_key_naming_a_folder_conflicts(store: LocalFolderStore) -> None:
    store.put(KEY, DATA)
    with pytest.raises(ObjectConflict, match="folder"):
        store.put("originals", DATA)


def test_open_object_store_specs(tmp_path: Path) -> None:
    by_path = open_object_store(str(tmp_path / "plain"))
    by_url = open_object_store(f"file://{tmp_path / 'url'}")
    assert isinstance(by_path, LocalFolderStore) and by_path.root == tmp_path / "plain"
    assert isinstance(by_url, LocalFolderStore) and by_url.root == tmp_path / "url"
    assert by_url.put(KEY, DATA).sha256 == SHA


@pytest.mark.parametrize("spec", ["", "ftp://host/x", "file://remote/x", "file:relative"])
def test_bad_specs_are_rejected(spec: str) -> None:
    with pytest.raises(ValueError):
        open_object_store(spec)


def test_root_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreUnavailable, match="a-file"):
        LocalFolderStore(blocker / "objects")


def test_concurrent_identical_puts_all_succeed(store: LocalFolderStore) -> None:
    errors: list[BaseException] = []

    def put() -> None:
        try:
            store.put(KEY, DATA)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=put) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert [p.name for p in store.root.rglob("*") if p.is_file()] == ["original.pdf"]

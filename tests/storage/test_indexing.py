"""A document is indexed only once its objects are stored and verified."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from storage.errors import ChecksumMismatch, ObjectMissing
from storage.index import Index
from storage.index.records import DocumentRow
from storage.objects import LocalFolderStore, content_key, sha256_hex
from storage.verified import index_verified

MakeDocument = Callable[..., DocumentRow]  # the make_document fixture in conftest.py

ORIGINAL = b"%PDF-1.7 the original"
SHA = sha256_hex(ORIGINAL)


def stored_document(store: LocalFolderStore, make_document: MakeDocument) -> DocumentRow:
    doc = make_document("x", "page one")
    key = content_key("originals", SHA, "original.pdf")
    store.put(key, ORIGINAL)
    pages = tuple(
        dataclasses.replace(
            page,
            image_key=store.put(content_key("pages", SHA, f"{page.number}.png"), b"png").key,
            words_key=store.put(content_key("pages", SHA, f"{page.number}.json"), b"[]").key,
        )
        for page in doc.pages
    )
    return dataclasses.replace(doc, document_id=SHA, sha256=SHA, original_key=key, pages=pages)


def test_verified_document_is_indexed(
    store: LocalFolderStore, index: Index, make_document: MakeDocument
) -> None:
    doc = stored_document(store, make_document)
    assert index_verified(index, store, doc) is True
    assert index_verified(index, store, doc) is False
    assert index.has_document(SHA)


def test_corrupt_original_is_not_indexed(
    store: LocalFolderStore, index: Index, make_document: MakeDocument
) -> None:
    doc = stored_document(store, make_document)
    store.path_for(doc.original_key).write_bytes(b"damaged")
    with pytest.raises(ChecksumMismatch):
        index_verified(index, store, doc)
    assert not index.has_document(SHA)


def test_missing_page_object_is_not_indexed(
    store: LocalFolderStore, index: Index, make_document: MakeDocument
) -> None:
    doc = stored_document(store, make_document)
    lost = dataclasses.replace(doc.pages[0], words_key="pages/never-written.json")
    with pytest.raises(ObjectMissing, match="never-written"):
        index_verified(index, store, dataclasses.replace(doc, pages=(lost,)))
    assert not index.has_document(SHA)

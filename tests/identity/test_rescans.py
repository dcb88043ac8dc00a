"""Another scan of the same paper is recorded as a rescan of the first: recognised by a
perceptual hash of each cleaned page and by the OCR text, both; a byte-identical file is
the same document. Neither is new evidence nor a new person."""

from __future__ import annotations

import numpy as np
from identity_docs import doc
from pages import scrawl

from identity.link import link, link_new
from identity.rescans import find_rescans, hash_distance, page_hash
from identity.settings import LinkSettings
from synth.degrade import degrade

TEXT = "OKAFOR GRACE born 14/03/1980 appeal against refusal of leave to remain " * 4


def rescanned(page: np.ndarray, seed: int) -> np.ndarray:
    """The same paper through the scanner again, after cleanup: a slight skew left over,
    sensor noise, a little darker."""
    again, _ = degrade(page, "clean", np.random.default_rng(seed))
    noise = np.random.default_rng(seed).normal(0, 12, again.shape)
    return np.clip(again.astype(float) * 0.93 + noise, 0, 255).astype(np.uint8)


def test_a_rescan_hashes_close_and_another_page_far() -> None:
    page = scrawl(5)

    first, again, other = page_hash(page), page_hash(rescanned(page, 1)), page_hash(scrawl(6))

    assert hash_distance(first, again) <= LinkSettings().rescan_hash_distance
    assert hash_distance(first, other) > LinkSettings().rescan_hash_distance


def test_rescans_are_recorded_and_join_the_first_scan() -> None:
    page = scrawl(5)
    original = doc("d1", "OKAFOR", "GRACE", "1980-03-14", "NGA")
    original = original.__class__(**{**original.__dict__, "page_hashes": (page_hash(page),),
                                     "text": TEXT})
    again = original.__class__(**{**original.__dict__, "document_id": "d2",
                                  "sha256": "0" * 64,
                                  "page_hashes": (page_hash(rescanned(page, 2)),),
                                  "text": TEXT.replace("appeal", "appcal", 1)})
    copy = original.__class__(**{**original.__dict__, "document_id": "d3"})
    template = original.__class__(**{**original.__dict__, "document_id": "d4",
                                     "sha256": "1" * 64, "text": "a different letter " * 9})

    result = link([original, again, copy, template], [], LinkSettings())

    found = {r.document_id: (r.original_id, r.reason) for r in result.rescans}
    assert found["d2"][0] == "d1" and "another scan" in found["d2"][1]
    assert found["d3"] == ("d1", "byte-identical file")
    assert "d4" not in found  # same look, different text: not a rescan
    cluster = next(c for c in result.clusters if "d1" in c.documents)
    assert {"d1", "d2", "d3"} <= set(cluster.documents)
    assert all("d2" not in (p.left, p.right) for p in cluster.links)


def test_a_rescan_arriving_later_points_at_the_first_scan() -> None:
    first = doc("d1", "OKAFOR", "GRACE", "1980-03-14", "NGA")
    previous = link([first], [], LinkSettings())
    copy = first.__class__(**{**first.__dict__, "document_id": "d9"})

    assert [r.original_id for r in find_rescans([copy], [first])] == ["d1"]
    result = link_new([copy], [first], [], LinkSettings(), previous)
    assert [(r.document_id, r.original_id) for r in result.rescans] == [("d9", "d1")]
    assert any({"d1", "d9"} <= set(c.documents) for c in result.clusters)


def test_a_batch_is_matched_against_the_documents_held_and_a_rescan_has_one_root() -> None:
    first = doc("d1", "OKAFOR", "GRACE", "1980-03-14", "NGA")
    second = first.__class__(**{**first.__dict__, "document_id": "d2"})  # a copy of d1
    previous = link([first, second], [], LinkSettings())
    assert [(r.document_id, r.original_id) for r in previous.rescans] == [("d2", "d1")]
    third = first.__class__(**{**first.__dict__, "document_id": "d3"})
    other = doc("d4", "MENSAH", "KOFI", "1971-01-02", "GHA")

    result = link_new([third, other], [first, second], [], LinkSettings(), previous)

    assert sorted((r.document_id, r.original_id) for r in result.rescans) == [
        ("d2", "d1"), ("d3", "d1")]

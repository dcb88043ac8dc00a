"""Recognise another scan of paper already held, so it is not counted as new evidence.

A byte-identical file is the same document. Another scan of the same paper differs in
every byte but not in what a person sees: each cleaned page has a perceptual hash (dHash:
is each pixel of a 9x8 thumbnail brighter than its right neighbour?) that moves by a few
bits between scans, and the OCR text is nearly the same. Both must agree: a blank form
hashes like another blank form, and two letters from one template read alike.
Candidates come from exact equality of one quarter of a page hash (any two hashes within
3 bits share a quarter), so the work grows with the documents, not their square.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence

import cv2
import numpy as np
from rapidfuzz import fuzz

from identity.records import DocumentIdentity, Rescan

HASH_BANDS = 4


def page_hash(gray: np.ndarray) -> str:
    """dHash of a cleaned page (2-D uint8 array) as 16 hex digits."""
    small = cv2.resize(gray, (9, 8), interpolation=cv2.INTER_AREA).astype(np.int16)
    bits = (small[:, 1:] > small[:, :-1]).flatten()
    return f"{int(''.join('1' if b else '0' for b in bits), 2):016x}"


def hash_distance(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


def text_similarity(a: str, b: str) -> float:
    """0..1 similarity of two OCR texts, spacing and case aside."""
    na, nb = (re.sub(r"\s+", " ", t).strip().lower() for t in (a, b))
    if not na or not nb:
        return 0.0
    return fuzz.ratio(na, nb) / 100.0


def _pages_match(a: Sequence[str], b: Sequence[str], max_distance: int) -> bool:
    if len(a) != len(b) or not a:
        return False
    return all(min(hash_distance(x, y) for y in b) <= max_distance for x in a)


def _bands(h: str) -> list[str]:
    step = len(h) // HASH_BANDS
    return [f"{i}:{h[i * step:(i + 1) * step]}" for i in range(HASH_BANDS)]


def find_rescans(documents: Sequence[DocumentIdentity], existing: Sequence[DocumentIdentity] = (),
                 min_text: float = 0.9, max_distance: int = 6,
                 known: Mapping[str, str] | None = None) -> list[Rescan]:
    """Rescans among `documents` of documents earlier in `existing` + `documents`.

    The original is the earliest (existing first, then in the order given); a rescan of a
    rescan points at the first scan. `known`: the rescans among `existing` already found
    (rescan id -> first scan), so that a new batch is matched against the documents held
    without matching them among themselves again."""
    by_sha: dict[str, str] = {}
    by_band: dict[str, list[DocumentIdentity]] = defaultdict(list)
    original: dict[str, str] = dict(known or {})
    found: list[Rescan] = []
    if known is not None:  # only documents held that a new one could match are indexed
        shas = {d.sha256 for d in documents}
        bands = {b for d in documents for h in d.page_hashes for b in _bands(h)}
        existing = [d for d in existing if d.sha256 in shas
                    or any(b in bands for h in d.page_hashes for b in _bands(h))]
    tagged = [(d, False) for d in existing] + [(d, True) for d in documents]
    for doc, is_new in tagged:
        if not is_new and known is not None:
            _index(doc, by_sha, by_band)
            continue
        rescan = _match(doc, by_sha, by_band, min_text, max_distance)
        if rescan is not None and is_new:
            root = original.get(rescan.original_id, rescan.original_id)
            rescan = Rescan(doc.document_id, root, rescan.similarity, rescan.reason)
            original[doc.document_id] = root
            found.append(rescan)
            continue
        if rescan is not None:
            original[doc.document_id] = original.get(rescan.original_id, rescan.original_id)
        _index(doc, by_sha, by_band)
    return found


def _index(doc: DocumentIdentity, by_sha: dict[str, str],
           by_band: dict[str, list[DocumentIdentity]]) -> None:
    by_sha.setdefault(doc.sha256, doc.document_id)
    for h in doc.page_hashes:
        for band in _bands(h):
            by_band[band].append(doc)


def _match(doc: DocumentIdentity, by_sha: dict[str, str],
           by_band: dict[str, list[DocumentIdentity]], min_text: float,
           max_distance: int) -> Rescan | None:
    if doc.sha256 in by_sha:
        return Rescan(doc.document_id, by_sha[doc.sha256], 1.0, "byte-identical file")
    seen: set[str] = set()
    for h in doc.page_hashes:
        for band in _bands(h):
            for other in by_band.get(band, ()):
                if other.document_id in seen:
                    continue
                seen.add(other.document_id)
                if not _pages_match(doc.page_hashes, other.page_hashes, max_distance):
                    continue
                similarity = text_similarity(doc.text, other.text)
                if similarity >= min_text:
                    return Rescan(doc.document_id, other.document_id, round(similarity, 3),
                                  "another scan: pages look alike and text "
                                  f"{similarity:.0%} the same")
    return None

"""Stored artefacts keep the keys and bytes earlier versions wrote, so old stores still read."""

from __future__ import annotations

import json

import pytest

from storage.objects.artefacts import (
    PageWordsFile,
    StoredWord,
    cleaned_image_key,
    original_key,
    page_image_key,
    page_words_key,
    searchable_pdf_key,
)

SHA = "ab" + "0" * 62
WORDS = PageWordsFile(page=3, width=1240, height=1754, source="ocr",
                      chain=("deskew", "normalise_illumination", "tesseract_psm3"),
                      quality=0.912, flagged=False, error=None,
                      words=(StoredWord("Surname:", 0.96, (10, 20, 110, 44), 0),
                             StoredWord("ADEYEMI", 0.91, (120, 20, 260, 44), 0)))


def test_keys_are_the_layout_existing_stores_hold() -> None:
    base = f"derivatives/ab/{SHA}/"
    assert original_key(SHA, ".pdf") == f"originals/ab/{SHA}/original.pdf"
    assert page_image_key(SHA, 3) == base + "page-0003.png"
    assert cleaned_image_key(SHA, 3) == base + "page-0003.cleaned.png"
    assert page_words_key(SHA, 12) == base + "page-0012.words.json"
    assert searchable_pdf_key(SHA) == base + "searchable.pdf"


def test_words_file_bytes_are_the_stored_format() -> None:
    assert WORDS.dump() == (
        b'{"page": 3, "width": 1240, "height": 1754, "source": "ocr", '
        b'"chain": ["deskew", "normalise_illumination", "tesseract_psm3"], '
        b'"quality": 0.912, "flagged": false, "error": null, "words": ['
        b'{"text": "Surname:", "conf": 0.96, "bbox": [10, 20, 110, 44], "line": 0}, '
        b'{"text": "ADEYEMI", "conf": 0.91, "bbox": [120, 20, 260, 44], "line": 0}]}')
    assert PageWordsFile.load(WORDS.dump()) == WORDS


def test_an_older_words_file_reads_with_defaults() -> None:
    old = json.dumps({"page": 1, "width": 10, "height": 20,
                      "words": [{"text": "A", "conf": 1, "bbox": [1, 2, 3, 4], "line": 0}]})
    stored = PageWordsFile.load(old.encode())
    assert (stored.source, stored.chain, stored.quality, stored.flagged) == ("ocr", (), 0.0,
                                                                             False)
    assert stored.words == (StoredWord("A", 1.0, (1, 2, 3, 4), 0),)


@pytest.mark.parametrize("data", [b"not json", b"[]", b'{"width": 1}',
                                  b'{"page": 1, "width": 1, "height": 1, "words": [{}]}'])
def test_what_is_not_a_words_file_is_a_value_error(data: bytes) -> None:
    with pytest.raises(ValueError):
        PageWordsFile.load(data)

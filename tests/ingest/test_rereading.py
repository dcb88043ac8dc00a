"""Field-aware re-reading of a refused value (issue 10), on a real generated scan read by
casescan's OCR: a date misread so that its check refuses it is read again from its box
on the page image, accepted through the field's normaliser and marked repaired; values
that passed their check are never re-read."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from extraction.extract import ExtractOptions, extract
from extraction.values import BBox
from ingest.rereading import page_rereader
from ocr.pipeline import OcrOptions, read_page
from ocr.records import PageReading
from synth import generate_case_file

MISREAD = str.maketrans({"0": "O", "1": "I", "/": " ", "-": " ", ".": " "})


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> tuple[PageReading, np.ndarray, dict]:
    folder = tmp_path_factory.mktemp("reread")
    truth = generate_case_file(folder, 7, degradation="clean", split="train", layout="table")
    gray = np.array(Image.open(folder / truth.file).convert("L"))
    result = read_page(gray, 1, OcrOptions())
    return result.reading, result.page_image, truth.as_json()


def spoiled(reading: PageReading, bbox: BBox) -> PageReading:
    """The reading with the words inside `bbox` misread (O for 0, I for 1, no separators),
    as heavy damage leaves a date: its check refuses it."""
    def inside(b: BBox) -> bool:
        return (b[0] >= bbox[0] - 2 and b[2] <= bbox[2] + 2 and b[1] >= bbox[1] - 2
                and b[3] <= bbox[3] + 2)
    words = tuple(replace(w, text=w.text.translate(MISREAD)) if inside(w.bbox) else w
                  for w in reading.words)
    return replace(reading, words=words)


def test_a_refused_date_is_read_again_from_its_box_and_marked_repaired(page) -> None:
    reading, image, truth = page
    options = ExtractOptions(entities=False)
    clean = extract([reading], options).results
    first = clean["date_of_birth"]
    assert first.status == "confirmed" and first.values[0].value == truth["fields"]["date_of_birth"]
    box = first.values[0].bbox
    damaged = spoiled(reading, box)
    lost = extract([damaged], options).results["date_of_birth"]
    assert lost.confirmed is None  # no re-reader: refused, never guessed

    asked: list[BBox] = []
    reader = page_rereader({1: image})

    def recording(number: int, bbox: BBox, kinds: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
        asked.append(bbox)
        return reader(number, bbox, kinds)

    again = extract([damaged], options, recording).results["date_of_birth"]
    assert again.values and again.values[0].value == truth["fields"]["date_of_birth"]
    value = again.values[0]
    assert value.repair and value.repair.startswith("re-read (tesseract psm 7")
    assert value.confidence < first.values[0].confidence
    # the refused box was read again; values that passed their check never are
    assert box in asked
    passed = {v.bbox for r in clean.values() for v in r.values if r.status == "confirmed"}
    assert not (passed - {box}) & set(asked)


def test_a_page_with_no_image_gives_no_reading(page) -> None:
    reading, _image, _truth = page
    reader = page_rereader({})
    assert reader(1, (0, 0, 10, 10), ("date",)) == ()


def test_a_box_outside_the_page_gives_no_reading(page, tmp_path: Path) -> None:
    _reading, image, _truth = page
    h, w = image.shape[:2]
    assert page_rereader({1: image})(1, (w + 10, h + 10, w + 50, h + 40), ("date",)) == ()

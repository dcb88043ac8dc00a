"""Boxes are in the pixels of the stored page image, the scan after rotation and deskew:
a box cut out of the image served over HTTP holds the value it belongs to."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image
from signin import Staff

from api.app import create_app
from api.settings import Settings
from ocr.tesseract import read_words
from synth import render_case
from synth.damage import rotate_page, skew

PAD = 6  # pixels around a box, so the crop keeps the strokes Tesseract needs at the edges


def upside_down_and_skewed(seed: int) -> tuple[bytes, dict[str, str | None]]:
    """A clean generated page fed upside down and 3 degrees askew, as PNG, and its truth."""
    images, truth = render_case(seed, layout="inline")
    gray = np.asarray(Image.fromarray(images[0]).convert("L"))
    buf = io.BytesIO()
    Image.fromarray(rotate_page(skew(gray, 3.0), 2)).save(buf, format="PNG")
    return buf.getvalue(), truth.printed


def test_boxes_line_up_with_the_stored_page_after_rotation_and_deskew(tmp_path: Path) -> None:
    data, printed = upside_down_and_skewed(31)
    staff = Staff(create_app(Settings(data_dir=tmp_path, workers=1)))
    client = staff.caseworker
    reply = staff.scanner.post("/api/documents",
                               files=[("files", ("turned.png", data, "image/png"))])
    assert reply.status_code == 200, reply.text
    doc = client.get(f"/api/documents/{reply.json()['documents'][0]['document_id']}").json()
    stored = np.asarray(Image.open(io.BytesIO(client.get(doc["pages"][0]["image"]).content))
                        .convert("L"))
    assert stored.shape == (doc["pages"][0]["height"], doc["pages"][0]["width"])
    read = {name: value for name, value in doc["fields"].items() if value}
    assert {"surname", "home_office_reference", "date_of_birth"} <= set(read)
    for name, value in read.items():
        x0, y0, x1, y1 = value["bbox"]
        crop = stored[max(0, y0 - PAD):y1 + PAD, max(0, x0 - PAD):x1 + PAD]
        seen = " ".join(w.text for w in read_words(crop, psm=7))
        assert value["text"] == printed[name] and value["text"] in seen, (name, seen)

"""Bad pages inside a document: each gives a clear error on that page only, the rest is read.

The document is a multi-page TIFF (how scanners deliver bundles) holding a good page and
one page of every kind of bad input: blank, all black, tiny, over the pixel limit, and a
page whose pixels are not an image at all (corrupt compressed data).
"""

from __future__ import annotations

import io
import resource
import zlib
from pathlib import Path

import numpy as np
import pdfplumber
import pytest
from PIL import Image, ImageDraw, ImageFont

from casework import open_context, searchable_pdf
from ingest.batch import run_batch
from ingest.limits import Limits

LIMITS = Limits(max_page_pixels=4_000_000)


def record_page() -> Image.Image:
    image = Image.new("L", (1240, 1754), 255)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 30)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(["CASE RECORD", "Surname: OKONKWO", "Given names: Ada",
                              "Nationality: Ghanaian", "HO Ref: B1234567"]):
        draw.text((120, 150 + 60 * i), line, font=font, fill=0)
    return image


def corrupt_frame(path: Path, frame: int) -> None:
    """Overwrite the compressed pixel data of one frame with junk, headers left intact."""
    with Image.open(path) as tiff:
        tiff.seek(frame)
        offset, length = tiff.tag_v2[273][0], tiff.tag_v2[279][0]  # StripOffsets, ByteCounts
    data = bytearray(path.read_bytes())
    data[offset:offset + length] = (bytes(range(7, 256)) * (length // 249 + 1))[:length]
    path.write_bytes(bytes(data))


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bad-pages") / "bundle.tiff"
    pages = [
        record_page(),                                   # 1: good
        Image.new("L", (1240, 1754), 255),               # 2: blank
        Image.new("L", (1240, 1754), 0),                 # 3: all black
        Image.new("L", (60, 40), 128),                   # 4: tiny
        Image.new("L", (2500, 2500), 255),               # 5: over the pixel limit
        Image.fromarray(np.full((1754, 1240), 200, np.uint8)),  # 6: made corrupt below
    ]
    pages[0].save(path, save_all=True, append_images=pages[1:], compression="tiff_deflate")
    corrupt_frame(path, 5)
    return path


def test_each_bad_page_has_its_own_error_and_the_good_page_is_read(
        bundle: Path, tmp_path: Path) -> None:
    ctx = open_context(str(tmp_path / "o"), f"sqlite:///{tmp_path / 'i.db'}", limits=LIMITS)
    [outcome] = run_batch([bundle], "bad pages", ctx, workers=2).outcomes
    assert outcome.status == "done" and outcome.pages == 6
    errors = dict(enumerate(outcome.page_errors, start=2))
    assert "page 2: blank page" in errors[2]
    assert "page 3: all black page" in errors[3]
    assert "page 4: too small to read (60x40 px)" in errors[4]
    assert "page 5 is 2500x2500 px, over the limit of 4000000 pixels" in errors[5]
    assert "page 6 cannot be decoded" in errors[6]
    assert outcome.fields["surname"].value.upper() == "OKONKWO"  # type: ignore[union-attr]
    assert outcome.fields["home_office_reference"].value == "B1234567"  # type: ignore[union-attr]
    row = ctx.index.get_document(outcome.document_id)  # type: ignore[arg-type]
    assert row is not None and [p.error is None for p in row.pages] == [True] + [False] * 5
    # the searchable PDF still has one page per page of the document
    data = searchable_pdf(ctx, outcome.document_id)  # type: ignore[arg-type]
    assert data is not None
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 6
        assert "OKONKWO" in (pdf.pages[0].extract_text() or "")
        assert "page 5" in (pdf.pages[4].extract_text() or "")


def test_an_enormous_page_is_refused_before_it_is_decoded(tmp_path: Path) -> None:
    """A page claiming 40000x40000 px (1.6 Gpx, 1.6 GB as grey) is refused from its header:
    the test would run out of memory if it were decoded."""
    path = tmp_path / "huge.png"
    head = Image.new("L", (40000, 40000 // 1000), 255)
    head.save(path)
    data = bytearray(path.read_bytes())
    ihdr = data.index(b"IHDR")  # then width (4 bytes), height (4 bytes), ..., CRC
    data[ihdr + 8:ihdr + 12] = (40000).to_bytes(4, "big")
    data[ihdr + 17:ihdr + 21] = zlib.crc32(bytes(data[ihdr:ihdr + 17])).to_bytes(4, "big")
    path.write_bytes(bytes(data))
    ctx = open_context(str(tmp_path / "o"), f"sqlite:///{tmp_path / 'i.db'}")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    [outcome] = run_batch([path], "huge", ctx).outcomes
    assert outcome.status == "failed"
    assert "too large" in outcome.error or "over the limit" in outcome.error  # type: ignore[operator]
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 500_000  # KB


def test_a_file_of_blank_pages_is_done_with_no_text_not_failed(tmp_path: Path) -> None:
    path = tmp_path / "blanks.tiff"
    blank = Image.new("L", (1240, 1754), 255)
    blank.save(path, save_all=True, append_images=[blank.copy()], compression="tiff_deflate")
    ctx = open_context(str(tmp_path / "o"), f"sqlite:///{tmp_path / 'i.db'}", limits=LIMITS)
    [outcome] = run_batch([path], "blanks", ctx).outcomes
    assert outcome.status == "done" and outcome.pages == 2, outcome.error
    assert all("blank page" in e for e in outcome.page_errors)
    assert all(v is None for v in outcome.fields.values())


def test_a_file_of_unreadable_pages_still_fails(tmp_path: Path) -> None:
    path = tmp_path / "black.png"
    Image.new("L", (1240, 1754), 0).save(path)
    ctx = open_context(str(tmp_path / "o"), f"sqlite:///{tmp_path / 'i.db'}", limits=LIMITS)
    [outcome] = run_batch([path], "black", ctx).outcomes
    assert outcome.status == "failed" and "all black page" in (outcome.error or "")

"""The ingest chain on real files: every format, duplicates, and bad input failing alone."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest
from pdfs import RECORD_LINES, write_pdf
from PIL import Image

from casework import open_context
from ingest.batch import run_batch
from ingest.chain import IngestContext
from ingest.limits import Limits
from ocr.pipeline import OcrOptions


@pytest.fixture
def ctx(tmp_path: Path) -> IngestContext:
    return open_context(str(tmp_path / "objects"), f"sqlite:///{tmp_path / 'index.sqlite3'}")


@pytest.fixture(scope="module")
def page_image() -> Image.Image:
    image = Image.new("L", (1240, 1754), 255)
    from PIL import ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 30)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(["CASE RECORD", "Surname: ADEYEMI", "Given names: Tunde",
                              "Nationality: Nigerian", "HO Ref: C7654321"]):
        draw.text((120, 150 + 60 * i), line, font=font, fill=0)
    return image


def store_files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_text_layer_pdf_is_read_not_ocrd(ctx: IngestContext, tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "letter.pdf", [RECORD_LINES])
    [outcome] = run_batch([path], "pdf", ctx).outcomes
    assert outcome.status == "done" and outcome.pages == 1
    assert outcome.fields["surname"].value == "Mensah"  # type: ignore[union-attr]
    assert outcome.fields["decision_date"].value == "2009-07-14"  # type: ignore[union-attr]
    assert outcome.fields["surname"].confidence > 0.9  # type: ignore[union-attr]
    row = ctx.index.get_document(outcome.document_id)  # type: ignore[arg-type]
    assert row is not None and row.pages[0].source == "text-layer"


def test_mixed_pdf_reads_each_page_its_own_way(ctx: IngestContext, tmp_path: Path,
                                               page_image: Image.Image) -> None:
    path = write_pdf(tmp_path / "mixed.pdf", [["Minute sheet", "Surname: Mensah"], page_image])
    [outcome] = run_batch([path], "mixed", ctx).outcomes
    row = ctx.index.get_document(outcome.document_id)  # type: ignore[arg-type]
    assert row is not None and [p.source for p in row.pages] == ["text-layer", "ocr"]
    assert "ADEYEMI" in row.pages[1].text


def test_same_file_twice_is_one_document(ctx: IngestContext, tmp_path: Path,
                                         page_image: Image.Image) -> None:
    first = tmp_path / "a.png"
    page_image.save(first)
    second = tmp_path / "copy-of-a.png"
    second.write_bytes(first.read_bytes())
    outcomes = run_batch([first, second], "twice", ctx).outcomes
    assert outcomes[0].document_id == outcomes[1].document_id
    assert not outcomes[0].duplicate and outcomes[1].duplicate
    again = run_batch([first], "again", ctx).outcomes[0]
    assert again.duplicate and again.fields["surname"] == outcomes[0].fields["surname"]
    batch = ctx.index.get_batch(run_batch([first], "third", ctx).batch_id)
    assert batch is not None and batch.files[0].duplicate


def test_originals_and_derivatives_are_stored(ctx: IngestContext, tmp_path: Path,
                                              page_image: Image.Image) -> None:
    path = tmp_path / "scan.tiff"
    page_image.save(path, save_all=True, append_images=[page_image.rotate(0)])
    [outcome] = run_batch([path], "tiff", ctx).outcomes
    assert outcome.pages == 2
    row = ctx.index.get_document(outcome.document_id)  # type: ignore[arg-type]
    assert row is not None
    assert ctx.store.get(row.original_key, expect_sha256=outcome.sha256) == path.read_bytes()
    for page in row.pages:
        assert page.image_key and page.words_key
        png = ctx.store.get(page.image_key)
        assert Image.open(io.BytesIO(png)).size == (page.width, page.height)
        words = json.loads(ctx.store.get(page.words_key))
        assert words["chain"] and any(w["text"] == "ADEYEMI" for w in words["words"])


def test_bad_files_fail_alone_with_a_reason(ctx: IngestContext, tmp_path: Path,
                                            page_image: Image.Image) -> None:
    good = tmp_path / "good.png"
    page_image.save(good)
    run_batch([good], "before", ctx)
    before = store_files(tmp_path / "objects")
    png = good.read_bytes()
    bad = {
        "empty.png": b"",
        "truncated.png": png[: len(png) // 3],
        "corrupt.pdf": b"%PDF-1.4\n" + b"\x00\xff" * 500,
        "notes.txt": b"Surname: Mensah\n",
        "fake.jpg": b"\xff\xd8\xff\xe0" + b"not really a jpeg" * 20,
    }
    for name, data in bad.items():
        (tmp_path / name).write_bytes(data)
    locked = write_pdf(tmp_path / "locked.pdf", [RECORD_LINES], password="pw")
    black = tmp_path / "black.png"  # no page to read (a blank file is done, with no text)
    Image.new("L", (1240, 1754), 0).save(black)
    paths = [tmp_path / n for n in bad] + [locked, black, tmp_path / "missing.png", good]
    result = run_batch(paths, "mixed bag", ctx)
    by_name = {Path(o.source).name: o for o in result.outcomes}
    expected = {
        "empty.png": "empty", "truncated.png": "cannot be decoded",
        "corrupt.pdf": "not a readable PDF",
        "notes.txt": "unsupported file type", "fake.jpg": "cannot be decoded",
        "locked.pdf": "encrypted", "black.png": "all black page", "missing.png": "No such file",
    }
    for name, reason in expected.items():
        outcome = by_name[name]
        assert outcome.status == "failed", name
        assert name in outcome.error and reason in outcome.error, outcome.error  # type: ignore[operator]
        assert "\n" not in outcome.error  # type: ignore[operator]
    assert by_name["good.png"].status == "done" and by_name["good.png"].duplicate
    # nothing already stored was changed or lost; failed originals were kept, not indexed
    after = store_files(tmp_path / "objects")
    assert all(after[k] == v for k, v in before.items())
    batch = ctx.index.get_batch(result.batch_id)
    assert batch is not None and len(batch.files) == len(paths)
    assert sum(f.status == "failed" for f in batch.files) == len(expected)


def test_limits_refuse_oversized_input(tmp_path: Path, page_image: Image.Image) -> None:
    limits = Limits(max_file_bytes=50_000, max_pages=2, max_page_pixels=3_000_000)
    ctx = open_context(str(tmp_path / "o"), f"sqlite:///{tmp_path / 'i.db'}", limits=limits)
    big = tmp_path / "big.png"
    Image.effect_noise((600, 600), 60).save(big)
    many = tmp_path / "many.tiff"
    small = page_image.resize((400, 566))
    small.save(many, save_all=True, append_images=[small, small], compression="tiff_deflate")
    huge = tmp_path / "huge.png"
    Image.new("L", (2000, 2000), 255).save(huge)
    result = run_batch([big, many, huge], "limits", ctx)
    outcomes = {Path(o.source).name: o for o in result.outcomes}
    assert "over the limit of 50000" in outcomes["big.png"].error  # type: ignore[operator]
    assert "3 pages, over the limit of 2" in outcomes["many.tiff"].error  # type: ignore[operator]
    assert "over the limit of 3000000 pixels" in outcomes["huge.png"].error  # type: ignore[operator]


def test_folder_batches_run_in_worker_processes(ctx: IngestContext, tmp_path: Path,
                                                page_image: Image.Image) -> None:
    folder = tmp_path / "box-12"
    folder.mkdir()
    for i in range(3):
        page_image.rotate(i * 0.5, fillcolor=255).save(folder / f"scan-{i}.png")
    (folder / ".DS_Store").write_bytes(b"junk")
    (folder / ".thumbs").mkdir()
    (folder / ".thumbs" / "scan-0.png").write_bytes(b"junk")
    seen: list[str] = []
    pages = [0, 0]

    def on_pages(known: int, read: int) -> None:
        pages[0] += known
        pages[1] += read

    result = run_batch([folder], "box 12", ctx, workers=2,
                       progress=lambda o: seen.append(o.source), page_progress=on_pages)
    assert pages == [3, 3]
    assert [Path(s).name for s in seen] == ["scan-0.png", "scan-1.png", "scan-2.png"]
    assert all(o.status == "done" and o.fields["nationality"].value == "NGA"  # type: ignore[union-attr]
               for o in result.outcomes)


def test_ocr_language_is_an_option(tmp_path: Path, page_image: Image.Image) -> None:
    ctx = open_context(str(tmp_path / "o"), f"sqlite:///{tmp_path / 'i.db'}",
                       ocr=OcrOptions(lang="xyz"))
    path = tmp_path / "a.png"
    page_image.save(path)
    [outcome] = run_batch([path], "lang", ctx).outcomes
    assert outcome.status == "failed" and "xyz" in outcome.error  # type: ignore[operator]
    assert "\n" not in outcome.error and outcome.error.startswith(str(path))  # type: ignore[union-attr]


def test_a_bad_page_fails_alone_and_the_others_are_read(ctx: IngestContext, tmp_path: Path,
                                                       page_image: Image.Image) -> None:
    blank = Image.new("L", (1240, 1754), 255)
    enormous = (14400, 14400)  # 200 inches square: 3.6 gigapixels at 300 dpi
    path = write_pdf(tmp_path / "bundle.pdf", [RECORD_LINES, blank, enormous, page_image])
    [outcome] = run_batch([path], "bad page", ctx).outcomes
    assert outcome.status == "done" and outcome.pages == 4
    assert len(outcome.page_errors) == 2
    assert "page 2: blank page" in outcome.page_errors[0]
    # a page too large at 300 dpi is rasterised smaller to fit the pixel limit, not refused
    # (issue 10): this one is then read, and found blank
    assert "page 3: blank page" in outcome.page_errors[1]
    row = ctx.index.get_document(outcome.document_id)  # type: ignore[arg-type]
    assert row is not None and "ADEYEMI" in row.pages[3].text
    assert outcome.fields["date_of_birth"].value == "1984-11-02"  # type: ignore[union-attr]


def test_pages_read_in_parallel_give_the_same_document(tmp_path: Path,
                                                       page_image: Image.Image) -> None:
    path = tmp_path / "three.tiff"
    pages = [page_image.rotate(a, fillcolor=255) for a in (0, 1, -1)]
    pages[0].save(path, save_all=True, append_images=pages[1:], compression="tiff_deflate")
    results = []
    for workers in (1, 2):
        ctx = open_context(str(tmp_path / f"o{workers}"), f"sqlite:///{tmp_path}/i{workers}.db")
        [outcome] = run_batch([path], "parallel", ctx, workers=workers).outcomes
        results.append(outcome)
    assert results[0].status == results[1].status == "done"
    assert results[0].text == results[1].text and results[0].pages == 3
    assert results[0].fields == results[1].fields


def test_a_store_that_fails_leaves_no_document_indexed(tmp_path: Path,
                                                       page_image: Image.Image) -> None:
    ctx = open_context(str(tmp_path / "objects"), f"sqlite:///{tmp_path / 'index.sqlite3'}")
    good = tmp_path / "good.png"
    page_image.save(good)
    shutil.rmtree(tmp_path / "objects")
    (tmp_path / "objects").write_text("the disk holding the store went away")
    [outcome] = run_batch([good], "store down", ctx).outcomes
    assert outcome.status == "failed" and "original not stored" in outcome.error  # type: ignore[operator]
    assert str(good) in outcome.error  # type: ignore[operator]
    assert outcome.sha256 == hashlib.sha256(good.read_bytes()).hexdigest()
    assert ctx.index.get_document(outcome.sha256) is None
    batch = ctx.index.list_batches(1)[0]
    assert batch.files[0].status == "failed" and batch.files[0].sha256 == outcome.sha256

"""Box scans cut at separator sheets (a printed barcode, or a blank page): every page is in
exactly one case file or is a separator, each case file keeps its box and number."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest
from conftest import CASESCAN, REPO
from pdfs import write_pdf
from PIL import Image
from sheets import A4_150DPI, blank_sheet, case_lines, separator_sheet

from casework import open_context
from ingest.boxes import BoxOptions, run_boxes
from ingest.chain import IngestContext
from ingest.separators import is_blank, split_pages
from storage.objects import artefacts
from storage.objects.store import sha256_hex


@pytest.fixture
def ctx(tmp_path: Path) -> IngestContext:
    return open_context(str(tmp_path / "objects"), f"sqlite:///{tmp_path / 'index.sqlite3'}")


def test_split_never_drops_a_page() -> None:
    split = split_pages(9, [3, 4, 9], first=5)
    assert [(p.sequence, p.pages) for p in split.parts] == [(5, (1, 2)), (6, (5, 6, 7, 8))]
    assert split.separators == (3, 4, 9)
    for pages, seps in ((1, []), (4, [1]), (6, [2, 5]), (5, [1, 2, 3, 4, 5])):
        cut = split_pages(pages, seps)
        kept = sorted([p for part in cut.parts for p in part.pages] + list(cut.separators))
        assert kept == list(range(1, pages + 1))


def test_blank_page_is_told_from_a_sparse_page() -> None:
    assert is_blank(np.array(blank_sheet()))
    sparse = Image.new("L", A4_150DPI, 255)
    from PIL import ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 25)
    ImageDraw.Draw(sparse).text((150, 200), "Surname: OKAFOR", font=font, fill=0)
    assert not is_blank(np.array(sparse))
    assert not is_blank(np.array(separator_sheet()))


def test_box_scan_is_cut_at_barcode_sheets(ctx: IngestContext, tmp_path: Path) -> None:
    box = write_pdf(tmp_path / "box12.pdf", [
        case_lines("MENSAH"), ["continuation of Mensah"], separator_sheet(),
        case_lines("OKAFOR"), separator_sheet("SEPARATOR-0002"), separator_sheet("separator"),
        case_lines("ADEYEMI"), ["Adeyemi: letter"]])
    result = run_boxes([box], "box 12", ctx, BoxOptions("barcode", box="12"))
    assert [o.status for o in result.outcomes] == ["done"] * 3
    surnames = [o.fields["surname"].value for o in result.outcomes]  # type: ignore[union-attr]
    assert surnames == ["Mensah", "Okafor", "Adeyemi"]
    assert [o.pages for o in result.outcomes] == [2, 1, 2]
    batch = ctx.index.get_batch(result.batch_id)
    assert batch is not None
    given, *parts = batch.files
    assert (given.source, given.status, given.box) == (str(box), "split", "12")
    assert given.origin_pages == "8 pages: 3 case file(s), separator pages 3,5,6"
    assert [(f.box, f.sequence, f.origin_pages, f.part_of) for f in parts] == [
        ("12", 1, "1-2", str(box)), ("12", 2, "4", str(box)), ("12", 3, "7-8", str(box))]
    kept = artefacts.original_key(sha256_hex(box.read_bytes()), ".pdf")
    assert given.original_key == kept
    assert ctx.store.get(kept) == box.read_bytes()  # the box file itself, as given


def test_cli_cuts_at_blank_pages_with_a_manifest(tmp_path: Path) -> None:
    box = write_pdf(tmp_path / "b7.pdf", [case_lines("MENSAH"), blank_sheet(),
                                           case_lines("OKAFOR"), ["Surname: OKAFOR"]])
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("file,box,first\nb7.pdf,B-7,5\n")
    env = {**os.environ, "CASESCAN_DATA_DIR": str(tmp_path / "data"), "CASESCAN_WORKERS": "1"}
    run = subprocess.run([*CASESCAN, "ingest", str(box), "--batch", "b7", "--separator",
                          "blank", "--manifest", str(manifest), "--json"], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    docs = [json.loads(line) for line in run.stdout.splitlines()]
    assert [d["pages"] for d in docs] == [1, 2]
    status = subprocess.run([*CASESCAN, "batch", "status", "b7", "--json"], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=120, check=True)
    shown = json.loads(status.stdout)
    assert (shown["split"], shown["done"], shown["files_total"]) == (1, 2, 3)
    assert (shown["pages_done"], shown["pages_total"]) == (3, 3)  # the separator is no page
    assert [(f["status"], f["box"], f["sequence"], f["origin_pages"])
            for f in shown["files"]] == [
        ("split", "B-7", None, "4 pages: 2 case file(s), separator pages 2"),
        ("done", "B-7", 5, "1"), ("done", "B-7", 6, "3-4")]
    bad = subprocess.run([*CASESCAN, "ingest", str(box), "--separator", "sideways"], cwd=REPO,
                         env=env, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "--separator must be one of" in bad.stderr

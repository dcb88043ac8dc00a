"""A baseline that gives up on a page is counted and shown as failed, not passed off as a
page it read badly."""

from __future__ import annotations

from pathlib import Path

from ocr_quality import measure, print_table, summarise
from pytest import CaptureFixture

from synth import generate_batch

TRUTH = {"degradation": "clean", "printed": {"surname": "OKAFOR"},
         "labels": {"surname": "Surname"}, "notes": ""}


def test_an_ocrmypdf_failure_is_counted_and_shown(tmp_path: Path,
                                                  capsys: CaptureFixture[str]) -> None:
    unreadable = tmp_path / "page.png"
    unreadable.write_bytes(b"\x89PNG\r\n\x1a\n this is not an image")

    row = measure(("ocrmypdf", str(unreadable), TRUTH))

    assert row["failed"]
    assert row["found"] == (0, 1)  # scored as read with no text, as before
    assert "ocrmypdf failed on" in capsys.readouterr().err
    summary = summarise([row], [{**row, "engine": "tesseract", "cpu": 1.0}])
    assert summary["failed"] == 1
    print_table({"clean": {"ocrmypdf": summary}})
    header, line = capsys.readouterr().out.splitlines()[:2]
    assert header.split()[2] == "failed"
    assert line.split()[:3] == ["clean", "ocrmypdf", "1"]


def test_a_page_read_is_not_counted_as_failed(tmp_path: Path) -> None:
    (truth,) = generate_batch(tmp_path, 1, seed=1, degradation="clean")

    row = measure(("tesseract", str(tmp_path / truth.file), truth.as_json()))

    assert row["failed"] is None
    assert row["found"][0] > 0
    assert summarise([row], [row])["failed"] == 0

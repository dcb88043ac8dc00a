"""`show` flags pages by the configured OCR threshold, the one ingest used, not a constant."""

from __future__ import annotations

from pathlib import Path

from casework import open_context, show
from ocr.pipeline import OcrOptions
from storage.index.records import DocumentRow, PageRow

SHA = "c" * 64


def stored(quality: float, number: int, source: str = "ocr") -> PageRow:
    return PageRow(number, 1240, 1754, source, quality, "text", None, None, None)


def test_show_flags_pages_below_the_configured_threshold(tmp_path: Path) -> None:
    row = DocumentRow(SHA, SHA, "scan.tiff", "image/tiff", f"originals/cc/{SHA}/original.tiff",
                      "done", None, (stored(0.7, 1), stored(0.3, 2), stored(0.0, 3, "text-layer")),
                      (), ())
    store, url = str(tmp_path / "objects"), f"sqlite:///{tmp_path / 'index.db'}"
    strict = open_context(store, url, ocr=OcrOptions(flag_below=0.8))
    assert strict.index.add_document(row)
    flagged = show(strict, SHA)
    assert flagged is not None and flagged.flagged_pages == (1, 2)
    default = show(open_context(store, url), SHA)
    assert default is not None and default.flagged_pages == (2,)

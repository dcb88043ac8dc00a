"""Writing generated pages as the file types casescan ingests, and the truth JSON.

PDFs are image-only (no text layer), like the output of a scanner, so they
exercise the OCR path rather than text extraction.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import numpy as np
from PIL import Image

from synth.truth import CaseTruth

EXTENSIONS: Final[dict[str, str]] = {"png": ".png", "jpeg": ".jpg", "tiff": ".tif", "pdf": ".pdf"}
MULTI_PAGE: Final[frozenset[str]] = frozenset({"tiff", "pdf"})
PDF_DATE: Final = time.gmtime(978_307_200)  # 2001-01-01, fixed so a seed gives identical bytes


def check_format(fmt: str, pages: int) -> str:
    if fmt not in EXTENSIONS:
        raise ValueError(f"fmt must be one of {sorted(EXTENSIONS)}, not {fmt!r}")
    if pages > 1 and fmt not in MULTI_PAGE:
        raise ValueError(f"{fmt} holds one page; use tiff or pdf for {pages} pages")
    return fmt


def write_pages(path: Path, pages: Sequence[np.ndarray], fmt: str, dpi: int) -> Path:
    """Write grayscale pages to `path` in `fmt`, recording `dpi` so A4 stays A4."""
    first, *rest = [Image.fromarray(p, mode="L") for p in pages]
    if fmt == "png":
        first.save(path, "PNG", dpi=(dpi, dpi), compress_level=1)
    elif fmt == "jpeg":
        first.save(path, "JPEG", dpi=(dpi, dpi), quality=90)
    elif fmt == "tiff":
        first.save(
            path, "TIFF", dpi=(dpi, dpi), compression="tiff_lzw", save_all=True, append_images=rest
        )
    else:
        first.save(
            path,
            "PDF",
            resolution=float(dpi),
            save_all=True,
            append_images=rest,
            creationDate=PDF_DATE,
            modDate=PDF_DATE,
        )
    return path


def write_truth(path: Path, truths: Sequence[CaseTruth]) -> Path:
    path.write_text(
        json.dumps([t.as_json() for t in truths], indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    return path


def read_truth(path: Path) -> list[CaseTruth]:
    """Load a truth.json written by `write_truth` (e.g. in a benchmark)."""
    return [CaseTruth.from_json(t) for t in json.loads(path.read_text(encoding="utf-8"))]

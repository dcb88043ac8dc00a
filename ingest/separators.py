"""Separator sheets: a team scans a whole box as one multi-page file, with a sheet between
case files; split it into one file per case at those sheets, never dropping a page.

A separator is chosen per batch: a page carrying a printed barcode whose text starts with
the batch's separator code (decoded by zxing-cpp: Code 128, Code 39, QR and the other
common symbologies), or a blank page. Every page of the box file ends up in exactly one
case file or is listed as a separator; the box file itself is kept in the store as given.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final, Literal

import cv2
import numpy as np
import pypdfium2 as pdfium
import zxingcpp
from PIL import Image

from ingest.errors import CasescanError, CorruptFile
from ingest.limits import Limits
from ingest.sources import count_pages, detect_media_type, page_at

SeparatorMode = Literal["none", "barcode", "blank"]
SEPARATOR_MODES: Final = ("none", "barcode", "blank")
DEFAULT_CODE: Final = "SEPARATOR"
# Pages are looked at for separators at this resolution: enough for a printed barcode.
DETECT_DPI: Final = 150
# A page is blank when less than this share of its inner area (margins set aside, where
# scanners leave edges and punch holes) is ink in marks at least the size of a printed
# letter's stroke at DETECT_DPI (dust and scanner speckle are smaller). About a dozen
# letters are enough to make a page not blank.
BLANK_INK_SHARE: Final = 0.0005
MIN_MARK_PX: Final = 25
INK_LEVEL: Final = 128
MARGIN_SHARE: Final = 0.06
MAX_BOX_CHARS: Final = 100


@dataclass(frozen=True)
class CasePart:
    """One case file of a box: its number in the box and its pages of the box file."""

    sequence: int
    pages: tuple[int, ...]

    @property
    def shown_pages(self) -> str:
        first, last = self.pages[0], self.pages[-1]
        contiguous = list(self.pages) == list(range(first, last + 1))
        return (f"{first}-{last}" if first != last else str(first)) if contiguous \
            else ",".join(map(str, self.pages))


@dataclass(frozen=True)
class Split:
    """How a box file was cut: its case files and its separator pages."""

    parts: tuple[CasePart, ...]
    separators: tuple[int, ...]


@dataclass(frozen=True)
class SplitFile:
    """A file for the batch: a case file cut from a box file, or a file given as it is."""

    source: str
    path: Path
    box: str | None = None
    sequence: int | None = None
    part_of: str | None = None
    origin_pages: str | None = None


@dataclass(frozen=True)
class BoxInfo:
    """From the manifest (or the batch's options): a file's box and first case number."""

    box: str | None
    first: int = 1


def split_pages(pages: int, separators: Iterable[int], first: int = 1) -> Split:
    """Cut pages 1..`pages` at the separator pages; runs of content pages become case files
    numbered from `first`. Consecutive separators make no empty case file."""
    seps = sorted({p for p in separators if 1 <= p <= pages})
    parts: list[CasePart] = []
    run: list[int] = []
    for page in range(1, pages + 1):
        if page in seps:
            if run:
                parts.append(CasePart(first + len(parts), tuple(run)))
            run = []
        else:
            run.append(page)
    if run:
        parts.append(CasePart(first + len(parts), tuple(run)))
    return Split(tuple(parts), tuple(seps))


def is_blank(image: np.ndarray) -> bool:
    """Hardly any ink inside the margins, once specks smaller than a letter are set aside."""
    h, w = image.shape[:2]
    dy, dx = int(h * MARGIN_SHARE), int(w * MARGIN_SHARE)
    inner = image[dy:h - dy, dx:w - dx]
    if not inner.size:
        return True
    ink = (inner < INK_LEVEL).astype(np.uint8)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    areas = stats[1:, cv2.CC_STAT_AREA]
    return float(areas[areas >= MIN_MARK_PX].sum()) / inner.size < BLANK_INK_SHARE


def has_separator_code(image: np.ndarray, code: str) -> bool:
    """A barcode on the page whose text starts with `code` (case ignored)."""
    wanted = code.strip().upper()
    return any(b.text.strip().upper().startswith(wanted)
               for b in zxingcpp.read_barcodes(np.ascontiguousarray(image)))


def find_separators(path: Path, media_type: str, source: str, pages: int,
                    mode: SeparatorMode, code: str, limits: Limits) -> list[int]:
    """The pages of the file that are separator sheets under `mode`."""
    if mode == "none":
        return []
    look = replace(limits, dpi=DETECT_DPI)
    found = []
    for number in range(1, pages + 1):
        image = page_at(path, media_type, source, number, look).image
        if (is_blank(image) if mode == "blank" else has_separator_code(image, code)):
            found.append(number)
    return found


def write_part(path: Path, media_type: str, pages: Sequence[int], out: Path) -> Path:
    """The given pages of a box file as a file of their own: a PDF keeps its pages as they
    are (text layer included); a TIFF keeps every pixel (re-encoded losslessly)."""
    if media_type == "application/pdf":
        box = pdfium.PdfDocument(path)
        try:
            part = pdfium.PdfDocument.new()
            part.import_pages(box, [p - 1 for p in pages])
            part.save(out)
            part.close()
        finally:
            box.close()
        return out
    with Image.open(path) as box_image:
        frames = []
        for p in pages:
            box_image.seek(p - 1)
            frames.append(box_image.copy())
    frames[0].save(out, format="TIFF", save_all=True, append_images=frames[1:],
                   compression="tiff_lzw")
    return out


def split_file(source: str, path: Path, info: BoxInfo, mode: SeparatorMode, code: str,
               folder: Path, limits: Limits) -> tuple[list[SplitFile], Split | None]:
    """The case files of one box file (written into `folder`), or the file as it is when it
    has one page or no separator. A file that cannot be opened goes on as it is, to fail
    in the batch with its reason."""
    try:
        data_head = path.read_bytes()[:1024] if path.stat().st_size else b""
        media_type = detect_media_type(data_head, source)
        if media_type in ("image/png", "image/jpeg"):
            return [SplitFile(source, path, info.box, info.first)], None
        pages = count_pages(path.read_bytes(), media_type, source, limits)
        split = split_pages(pages, find_separators(path, media_type, source, pages, mode,
                                                   code, limits), info.first)
    except (CasescanError, OSError):
        return [SplitFile(source, path, info.box)], None
    if not split.separators:
        return [SplitFile(source, path, info.box, info.first, None, f"1-{pages}")], split
    suffix = ".pdf" if media_type == "application/pdf" else ".tiff"
    stem = f"{len(list(folder.iterdir())):05d}"
    files = [SplitFile(f"{source} #{part.sequence} (pages {part.shown_pages})",
                       write_part(path, media_type, part.pages,
                                  folder / f"{stem}-{part.sequence}{suffix}"),
                       info.box, part.sequence, source, part.shown_pages)
             for part in split.parts]
    return files, split


def read_manifest(path: Path) -> dict[str, BoxInfo]:
    """A manifest CSV with a header `file,box[,first]`: each file's box and the number of
    its first case file. Files are matched by the name given or its last part."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise CorruptFile(str(path), f"manifest cannot be read ({exc})") from exc
    found: dict[str, BoxInfo] = {}
    for n, row in enumerate(rows, start=2):
        name, box = (row.get("file") or "").strip(), (row.get("box") or "").strip()
        first = (row.get("first") or "1").strip()
        if not name or not box or len(box) > MAX_BOX_CHARS or not first.isdigit():
            raise CorruptFile(str(path), f"line {n}: needs a file, a box (at most "
                                         f"{MAX_BOX_CHARS} characters) and a number first")
        found[name] = BoxInfo(box, int(first))
    return found


def box_of(source: str, manifest: dict[str, BoxInfo], box: str | None) -> BoxInfo:
    """A file's box: its manifest line (by the name given, then its last part), else the
    batch's box."""
    return manifest.get(source) or manifest.get(Path(source).name) or BoxInfo(box)

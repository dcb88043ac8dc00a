"""Each stored artefact's key and format, in one place: the original, the page images,
the page words file and the searchable PDF.

Writers (the ingest chain) and readers (the searchable PDF, search boxes, show) go
through these, so a key or a JSON field cannot drift between them. The keys and the
words file's bytes are exactly what earlier versions wrote: existing stores still read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Final

from storage.objects.store import content_key

PNG: Final = "image/png"
PDF: Final = "application/pdf"
JSON: Final = "application/json"


def original_key(sha256: str, extension: str) -> str:
    """The original file as given, e.g. `extension` ".pdf"."""
    return content_key("originals", sha256, "original" + extension)


def page_image_key(sha256: str, page: int) -> str:
    """The page as scanned, after rotation and deskew only: word boxes refer to it."""
    return content_key("derivatives", sha256, f"{_stem(page)}.png")


def cleaned_image_key(sha256: str, page: int) -> str:
    """The page as OCR read it, after the cleanup chain."""
    return content_key("derivatives", sha256, f"{_stem(page)}.cleaned.png")


def page_words_key(sha256: str, page: int) -> str:
    """The page's words file (`PageWordsFile`)."""
    return content_key("derivatives", sha256, f"{_stem(page)}.words.json")


def searchable_pdf_key(sha256: str) -> str:
    """The searchable PDF: beside the other derivatives and derived from the SHA-256
    alone, so no index column is needed to find it."""
    return content_key("derivatives", sha256, "searchable.pdf")


def _stem(page: int) -> str:
    return f"page-{page:04d}"


@dataclass(frozen=True)
class StoredWord:
    """One word as stored: `conf` in 0..1, `bbox` [x0, y0, x1, y1] in page pixels, `line`
    its line on the page in reading order."""

    text: str
    conf: float
    bbox: tuple[int, int, int, int]
    line: int


@dataclass(frozen=True)
class PageWordsFile:
    """A page's reading as stored (`*.words.json`): enough to rebuild the page's text,
    boxes and searchable PDF layer without reading the page again."""

    page: int
    width: int
    height: int
    source: str
    chain: tuple[str, ...]
    quality: float
    flagged: bool
    error: str | None
    words: tuple[StoredWord, ...]

    def dump(self) -> bytes:
        """The file's bytes; the key order is the one stored files have always had."""
        words = [{"text": w.text, "conf": w.conf, "bbox": list(w.bbox), "line": w.line}
                 for w in self.words]
        meta = {"page": self.page, "width": self.width, "height": self.height,
                "source": self.source, "chain": list(self.chain), "quality": self.quality,
                "flagged": self.flagged, "error": self.error, "words": words}
        return json.dumps(meta).encode()

    @classmethod
    def load(cls, data: bytes) -> PageWordsFile:
        """A stored words file back; ValueError if it is not one."""
        try:
            meta = json.loads(data)
            return cls(int(meta["page"]), int(meta["width"]), int(meta["height"]),
                       meta.get("source", "ocr"), tuple(meta.get("chain", ())),
                       float(meta.get("quality", 0.0)), bool(meta.get("flagged", False)),
                       meta.get("error"),
                       tuple(_stored_word(w) for w in meta.get("words", [])))
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"not a page words file: {exc!r}") from exc


def _stored_word(word: dict[str, Any]) -> StoredWord:
    x0, y0, x1, y1 = (int(v) for v in word["bbox"])
    return StoredWord(word["text"], float(word["conf"]), (x0, y0, x1, y1), int(word["line"]))

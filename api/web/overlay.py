"""The boxes drawn over a page image: each field value, key-value pair and event with
its confidence, in page pixels (an SVG whose viewBox is the page scales them with the
image), and the window that zooms onto one value for review."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from api.models import DocumentDetailOut
from api.web.render import confidence_band

ZOOM_MARGIN: Final = 0.6  # of the box's own height, on every side, for context


@dataclass(frozen=True)
class Box:
    """One box on one page: what it is (field, pair or event), its label, where."""

    kind: str
    label: str
    x: int
    y: int
    width: int
    height: int
    confidence: float
    band: str
    target: str  # the id of the row that describes it


def box_of(kind: str, label: str, bbox: list[int] | None, confidence: float,
           target: str) -> Box | None:
    if not bbox or len(bbox) != 4 or bbox[2] <= bbox[0] or bbox[3] <= bbox[1]:
        return None
    x0, y0, x1, y1 = bbox
    return Box(kind, label, x0, y0, x1 - x0, y1 - y0, confidence, confidence_band(confidence),
               target)


def page_boxes(doc: DocumentDetailOut) -> dict[int, list[Box]]:
    """Every box of the document by page number."""
    found: dict[int, list[Box]] = {p.number: [] for p in doc.pages}

    def add(page: int | None, made: Box | None) -> None:
        if page in found and made is not None:
            found[page].append(made)

    for name, value in doc.fields.items():
        if value is not None and value.page is not None:
            add(value.page, box_of("field", name.replace("_", " "), value.bbox,
                                   value.confidence, f"field-{name}"))
    for n, pair in enumerate(doc.pairs):
        add(pair.page, box_of("pair", pair.key.text, pair.value.bbox or pair.key.bbox,
                              pair.value.confidence, f"pair-{n}"))
    for n, event in enumerate(doc.events):
        add(event.page, box_of("event", f"{event.kind} {event.outcome}", event.bbox,
                               event.confidence, f"event-{n}"))
    return found


def zoom_window(bbox: list[int] | None, width: int, height: int) -> tuple[int, int, int, int]:
    """An SVG viewBox (x, y, w, h) around `bbox` with some margin, inside the page; the
    whole page when there is no box."""
    if not bbox or len(bbox) != 4:
        return 0, 0, width, height
    x0, y0, x1, y1 = bbox
    margin = max(int((y1 - y0) * ZOOM_MARGIN), 20)
    left, top = max(0, x0 - margin), max(0, y0 - margin)
    right, bottom = min(width, x1 + margin), min(height, y1 + margin)
    return left, top, max(1, right - left), max(1, bottom - top)

"""Word boxes: made from an engine's points, scaled back to page pixels, or shared out
along a line when an engine boxes a run of text rather than each word."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ocr.records import BBox


def enclosing(points: Iterable[Sequence[float]]) -> BBox:
    """The upright box round a polygon's (x, y) points (RapidOCR gives quadrilaterals)."""
    xs, ys = zip(*((int(p[0]), int(p[1])) for p in points), strict=True)
    return (min(xs), min(ys), max(xs), max(ys))


def scaled(box: BBox, factor: float) -> BBox:
    """`box` divided by `factor`, rounded: a box read on an enlarged page, in page pixels."""
    x0, y0, x1, y1 = (int(round(v / factor)) for v in box)
    return (x0, y0, x1, y1)


def share_width(tokens: Sequence[str], box: BBox) -> list[BBox]:
    """One box per token: `box`'s width shared among them by their length, a space
    between two counting as one character, so each box still points at its word."""
    x0, y0, x1, y1 = box
    total = max(1, sum(len(t) for t in tokens) + len(tokens) - 1)
    out, offset = [], 0
    for token in tokens:
        a = x0 + (x1 - x0) * offset // total
        b = x0 + (x1 - x0) * (offset + len(token)) // total
        out.append((a, y0, b, y1))
        offset += len(token) + 1
    return out

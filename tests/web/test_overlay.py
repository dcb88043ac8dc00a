"""The geometry the document view and the review queue draw with: boxes in page pixels
from [x0, y0, x1, y1], and the zoom window around one value, kept inside the page."""

from __future__ import annotations

from api.web.overlay import box_of, zoom_window
from api.web.reports import CHART_WIDTH, chart
from casework import Report


def test_a_box_is_its_corners_as_position_and_size_and_a_degenerate_one_is_not_drawn() -> None:
    made = box_of("field", "surname", [100, 200, 340, 250], 0.95, "field-surname")
    assert made is not None
    assert (made.x, made.y, made.width, made.height, made.band) == (100, 200, 240, 50, "high")
    assert box_of("field", "x", [100, 200, 100, 250], 0.9, "t") is None
    assert box_of("field", "x", None, 0.9, "t") is None
    assert box_of("pair", "x", [1, 2, 3], 0.9, "t") is None


def test_the_zoom_window_surrounds_the_box_and_stays_on_the_page() -> None:
    assert zoom_window([100, 200, 340, 250], 2480, 3508) == (70, 170, 300, 110)
    assert zoom_window([0, 0, 50, 40], 2480, 3508) == (0, 0, 74, 64)  # margin 24, clipped
    left, top, width, height = zoom_window([2400, 3480, 2480, 3508], 2480, 3508)
    assert left + width <= 2480 and top + height <= 3508
    assert zoom_window(None, 2480, 3508) == (0, 0, 2480, 3508)


def test_the_chart_draws_counts_to_scale_and_a_suppressed_count_as_no_bar() -> None:
    report = Report("cases", ("decision", "cases"),
                    (("granted", 8), ("refused", 4), ("pending", "<5"), (None, 6)))
    bars = chart(report)
    assert [(b.label, b.shown, b.width) for b in bars] == [
        ("granted", "8", CHART_WIDTH), ("refused", "4", CHART_WIDTH // 2),
        ("pending", "<5", 0), ("—", "6", round(CHART_WIDTH * 6 / 8))]
    assert [b.y for b in bars] == sorted({b.y for b in bars})

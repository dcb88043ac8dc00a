"""Page rendering: header, case fields in one of three layouts, notes, footer.

Besides the case fields every page carries text that is *not* a field (file
numbers, received stamps, form codes) so extraction is tested against
look-alike distractors.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

from PIL import Image

from synth.pen import PAGE_H, PAGE_W, Pen, Style
from synth.templates import HEADERS, NOTES_HEADINGS, Template
from synth.truth import MONTHS

PORTS: Final = ("LHR", "GTW", "MAN", "DVR", "STN")
REGIONS: Final = ("NW", "SE", "CR", "LV")
FORM_SERIES: Final = ("IS", "ICD", "APP")


@dataclass(frozen=True)
class Entry:
    """One printed field: label wording (no colon) and value ("" = blank)."""

    label: str
    value: str


@dataclass(frozen=True)
class PageText:
    """The non-field text of one file, drawn once and reused on every page."""

    header: tuple[str, ...]
    file_line: str | None  # registry / port reference: never a Home Office reference
    stamp: str | None  # "RECEIVED" date stamp
    notes_heading: str
    form_code: str


def draw_page_text(rng: random.Random) -> PageText:
    year = rng.randint(1995, 2024)
    file_lines = (
        f"File no. IND/{year}/{rng.randint(10000, 99999)}",
        f"Registry file {year % 100:02d}/{rng.choice(REGIONS)}/{rng.randint(1000, 9999)}",
        f"Port ref: {rng.choice(PORTS)}/{year % 100:02d}/{rng.randint(100, 9999)}",
    )
    month = MONTHS[rng.randint(0, 11)][:3].upper()
    return PageText(
        header=rng.choice(HEADERS),
        file_line=rng.choice(file_lines) if rng.random() < 0.75 else None,
        stamp=f"{rng.randint(1, 28):02d} {month} {year}" if rng.random() < 0.6 else None,
        notes_heading=rng.choice(NOTES_HEADINGS),
        form_code=f"{rng.choice(FORM_SERIES)}.{rng.randint(10, 999)} (Rev {year % 100:02d})",
    )


def _header(pen: Pen, lines: Sequence[str], center: bool) -> None:
    for i, line in enumerate(lines):
        scale, bold = (1.35, True) if i == 0 else (1.0, i == len(lines) - 1)
        x = (PAGE_W - pen.width(line, scale, bold)) / 2 if center else pen.left
        pen.text(x, pen.y, line, scale=scale, bold=bold)
        pen.y += pen.line_height(scale)
    pen.y += pen.style.size // 2
    pen.rule(pen.y)
    pen.y += pen.style.size


def _meta(pen: Pen, text: PageText) -> None:
    """File number on the left, a boxed received stamp on the right."""
    top = pen.y
    if text.file_line:
        pen.text(pen.left, pen.y, text.file_line, scale=0.85)
    if text.stamp:
        lines, pad = ("RECEIVED", text.stamp), 18
        w = max(pen.width(s, 0.8, True) for s in lines) + 2 * pad
        x0, h = pen.right - w, 2 * pen.line_height(0.8) + 2 * pad
        pen.draw.rectangle([x0, top, pen.right, top + h], outline=60, width=4)
        for i, s in enumerate(lines):
            pen.text(
                x0 + pad, top + pad + i * pen.line_height(0.8), s, scale=0.8, bold=True, ink=60
            )
        pen.y = top + h
    pen.y = max(pen.y, top + pen.line_height(0.85)) + pen.style.size


def _label(template: Template, label: str) -> str:
    return f"{label}:" if template.colon else label


def _inline(pen: Pen, template: Template, entries: Sequence[Entry]) -> None:
    """'Label: value' lines; values at one column or right after the label."""
    gap = pen.width("  ")
    column = pen.left + max(pen.width(_label(template, e.label)) for e in entries) + gap
    for e in entries:
        label = _label(template, e.label)
        pen.text(pen.left, pen.y, label)
        x = column if template.align_values else pen.left + pen.width(label) + gap / 2
        pen.text(x, pen.y, e.value)
        pen.y += round(pen.line_height() * 1.25)


def _stacked(pen: Pen, template: Template, entries: Sequence[Entry]) -> None:
    """Small grey label above its value, fields in two columns."""
    rows = (len(entries) + 1) // 2
    row_h = round(pen.style.size * 2.9)
    half = (pen.right - pen.left) / 2
    for i, e in enumerate(entries):
        col, row = (i // rows, i % rows) if template.column_major else (i % 2, i // 2)
        x, y = pen.left + col * (half + 40), pen.y + row * row_h
        pen.text(x, y, _label(template, e.label), scale=0.8, ink=pen.style.label_ink)
        pen.text(x, y + round(pen.style.size * 1.1), e.value)
    pen.y += rows * row_h + pen.style.size // 2


def _table(pen: Pen, template: Template, entries: Sequence[Entry]) -> None:
    """A boxed two-column table with ruled lines: label cell | value cell."""
    pad, row_h = 24, round(pen.style.size * 1.9)
    split_x = pen.left + max(pen.width(_label(template, e.label)) for e in entries) + 2 * pad
    for i, e in enumerate(entries):
        top = pen.y + i * row_h
        if template.shade_labels:
            pen.draw.rectangle([pen.left, top, split_x, top + row_h], fill=225)
        pen.text(pen.left + pad, top + row_h / 2, _label(template, e.label), anchor="lm")
        pen.text(split_x + pad, top + row_h / 2, e.value, anchor="lm")
        pen.draw.line([(pen.left, top), (pen.right, top)], fill=pen.style.ink, width=3)
    bottom = pen.y + len(entries) * row_h
    pen.draw.rectangle([pen.left, pen.y, pen.right, bottom], outline=pen.style.ink, width=4)
    pen.draw.line([(split_x, pen.y), (split_x, bottom)], fill=pen.style.ink, width=3)
    pen.y = bottom + pen.style.size


def _wrapped(pen: Pen, text: str, width: float, scale: float = 1.0) -> list[str]:
    """Greedy word wrap to `width`, as a form's narrow box breaks a long answer."""
    lines: list[str] = []
    for word in text.split():
        if lines and pen.width(f"{lines[-1]} {word}", scale) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _boxes(pen: Pen, template: Template, entries: Sequence[Entry]) -> None:
    """Ruled boxes, four a row: a small label at the top left, the value under it, both
    wrapped over lines when longer than the box is wide."""
    per_row, pad = 4, 16
    width = (pen.right - pen.left) / per_row
    label_h, value_h = pen.line_height(0.7), pen.line_height()
    for start in range(0, len(entries), per_row):
        row = entries[start:start + per_row]
        cells = [(_wrapped(pen, _label(template, e.label), width - 2 * pad, 0.7),
                  _wrapped(pen, e.value, width - 2 * pad)) for e in row]
        height = max(len(lab) * label_h + max(1, len(val)) * value_h for lab, val in cells)
        height += 3 * pad
        for k, (label_lines, value_lines) in enumerate(cells):
            x = pen.left + k * width
            pen.draw.rectangle([x, pen.y, x + width, pen.y + height], outline=pen.style.ink,
                               width=3)
            y = pen.y + pad
            for line in label_lines:
                pen.text(x + pad, y, line, scale=0.7, ink=pen.style.label_ink)
                y += label_h
            y += pad
            for line in value_lines:
                pen.text(x + pad, y, line)
                y += value_h
        pen.y += height
    pen.y += pen.style.size


def _columns(pen: Pen, template: Template, entries: Sequence[Entry]) -> None:
    """Two 'Label: value' pairs a line, the second starting at the middle of the page."""
    half = (pen.right - pen.left) / 2
    gap = pen.width(" ")
    for start in range(0, len(entries), 2):
        for k, e in enumerate(entries[start:start + 2]):
            x = pen.left + k * (half + 30)
            label = _label(template, e.label)
            pen.text(x, pen.y, label)
            pen.text(x + pen.width(label) + 2 * gap, pen.y, e.value)
        pen.y += round(pen.line_height() * 1.4)


LAYOUT_DRAWERS: Final[dict[str, Callable[[Pen, Template, Sequence[Entry]], None]]] = {
    "inline": _inline,
    "stacked": _stacked,
    "table": _table,
    "boxes": _boxes,
    "columns": _columns,
}
# The heading of the decision sheet that ends a held-out multi-page file.
SHEET_HEADING: Final = ("HOME OFFICE", "Record of decision")


def _notes(pen: Pen, heading: str, paragraphs: Sequence[str]) -> None:
    pen.y += pen.style.size
    pen.text(pen.left, pen.y, heading, bold=True)
    pen.y += pen.line_height() + pen.style.size // 3
    for para in paragraphs:
        for line in pen.wrap(para):
            pen.text(pen.left, pen.y, line)
            pen.y += pen.line_height()
        pen.y += pen.style.size // 2


def _footer(pen: Pen, text: PageText, page: int, pages: int) -> None:
    y = PAGE_H - pen.style.top
    pen.text(pen.left, y, text.form_code, scale=0.7)
    pen.text(PAGE_W / 2, y, f"Page {page} of {pages}", scale=0.75, anchor="ma")


def render_pages(
    template: Template,
    style: Style,
    text: PageText,
    entries: Sequence[Entry],
    notes: Sequence[Sequence[str]],
    sheet: Sequence[Entry] = (),
) -> list[Image.Image]:
    """Page 1 holds the fields and first notes; further pages continue the notes. With a
    `sheet`, the last page is a decision sheet holding those fields instead of notes."""
    images = []
    for page, paragraphs in enumerate(notes, start=1):
        pen = Pen(style)
        if sheet and page == len(notes) > 1:
            _header(pen, SHEET_HEADING, template.header_center)
            LAYOUT_DRAWERS[template.layout](pen, template, sheet)
        elif page == 1:
            _header(pen, text.header, template.header_center)
            _meta(pen, text)
            if entries:
                LAYOUT_DRAWERS[template.layout](pen, template, entries)
            _notes(pen, text.notes_heading, paragraphs)
        else:
            _header(pen, (text.header[-1], "Continuation sheet"), template.header_center)
            _notes(pen, f"{text.notes_heading} (continued)", paragraphs)
        _footer(pen, text, page, len(notes))
        images.append(pen.image)
    return images

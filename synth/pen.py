"""Drawing primitives for an A4 page at 300 dpi: fonts, a text cursor, wrapping.

Kept apart from the layouts so each layout reads as "what goes where".
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

from PIL import Image, ImageDraw, ImageFont

from synth.templates import Template

DPI: Final = 300
PAGE_W: Final = 2480  # A4 at 300 dpi
PAGE_H: Final = 3508
FONT_DIR: Final = Path("/usr/share/fonts")
_URW: Final = "opentype/urw-base35"
FONT_FILES: Final[dict[str, tuple[str, str]]] = {  # family -> (regular, bold)
    "dejavu-sans": ("truetype/dejavu/DejaVuSans.ttf", "truetype/dejavu/DejaVuSans-Bold.ttf"),
    "dejavu-serif": ("truetype/dejavu/DejaVuSerif.ttf", "truetype/dejavu/DejaVuSerif-Bold.ttf"),
    "liberation-sans": (
        "truetype/liberation/LiberationSans-Regular.ttf",
        "truetype/liberation/LiberationSans-Bold.ttf",
    ),
    "liberation-serif": (
        "truetype/liberation/LiberationSerif-Regular.ttf",
        "truetype/liberation/LiberationSerif-Bold.ttf",
    ),
    "liberation-mono": (
        "truetype/liberation/LiberationMono-Regular.ttf",
        "truetype/liberation/LiberationMono-Bold.ttf",
    ),
    # Held-out faces (templates.HELDOUT_FONTS): never drawn for a "train" page.
    "nimbus-sans": (f"{_URW}/NimbusSans-Regular.otf", f"{_URW}/NimbusSans-Bold.otf"),
    "nimbus-roman": (f"{_URW}/NimbusRoman-Regular.otf", f"{_URW}/NimbusRoman-Bold.otf"),
    "nimbus-mono": (f"{_URW}/NimbusMonoPS-Regular.otf", f"{_URW}/NimbusMonoPS-Bold.otf"),
    "c059": (f"{_URW}/C059-Roman.otf", f"{_URW}/C059-Bold.otf"),
    "urw-bookman": (f"{_URW}/URWBookman-Light.otf", f"{_URW}/URWBookman-Demi.otf"),
    "dejavu-sans-condensed": (
        "truetype/dejavu/DejaVuSansCondensed.ttf",
        "truetype/dejavu/DejaVuSansCondensed-Bold.ttf",
    ),
    "liberation-sans-narrow": (
        "truetype/liberation/LiberationSansNarrow-Regular.ttf",
        "truetype/liberation/LiberationSansNarrow-Bold.ttf",
    ),
}


@cache
def load_font(family: str, size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / FONT_FILES[family][int(bold)]), size)


@dataclass(frozen=True)
class Style:
    """Per-file typography: the same template looks a little different each time."""

    font: str
    size: int  # pixels per em: 42-50 px is 10-12 pt at 300 dpi
    margin: int  # left/right margin; wide enough to clear punch holes
    top: int
    spacing: float  # line height as a multiple of `size`
    ink: int  # toner darkness of the text
    label_ink: int  # stacked layout: lighter label text


def draw_style(rng: random.Random, template: Template) -> Style:
    return Style(
        font=rng.choice(template.fonts),
        size=rng.randint(42, 50),
        margin=rng.randint(230, 320),
        top=rng.randint(170, 280),
        spacing=rng.uniform(1.35, 1.6),
        ink=rng.randint(0, 35),
        label_ink=rng.randint(40, 80),
    )


class Pen:
    """A blank page plus a vertical cursor, in the file's style."""

    def __init__(self, style: Style) -> None:
        self.style = style
        self.image = Image.new("L", (PAGE_W, PAGE_H), 255)
        self.draw = ImageDraw.Draw(self.image)
        self.y = style.top
        self.left = style.margin
        self.right = PAGE_W - style.margin

    def font(self, scale: float = 1.0, bold: bool = False) -> ImageFont.FreeTypeFont:
        return load_font(self.style.font, round(self.style.size * scale), bold)

    def width(self, text: str, scale: float = 1.0, bold: bool = False) -> float:
        return self.font(scale, bold).getlength(text)

    def line_height(self, scale: float = 1.0) -> int:
        return round(self.style.size * scale * self.style.spacing)

    def text(
        self,
        x: float,
        y: float,
        text: str,
        *,
        scale: float = 1.0,
        bold: bool = False,
        ink: int | None = None,
        anchor: str = "la",
    ) -> None:
        fill = self.style.ink if ink is None else ink
        self.draw.text((x, y), text, font=self.font(scale, bold), fill=fill, anchor=anchor)

    def rule(self, y: float, thickness: int = 4) -> None:
        self.draw.line([(self.left, y), (self.right, y)], fill=self.style.ink, width=thickness)

    def wrap(self, text: str, scale: float = 1.0) -> list[str]:
        """Greedy word wrap to the text width, as a typist would break lines."""
        lines: list[str] = []
        line = ""
        for word in text.split():
            trial = f"{line} {word}".strip()
            if line and self.width(trial, scale) > self.right - self.left:
                lines.append(line)
                trial = word
            line = trial
        return [*lines, line] if line else lines

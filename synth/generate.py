"""Generating case files: clean pages with truth, degraded files, batches.

Each random choice comes from a stream named after its purpose and seeded from
the file's seed, so the same seed rendered in another layout or with missing
fields still describes the same person.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final

import numpy as np

from extraction.fields import CASE_FIELDS
from synth.damage import rotate_page
from synth.degrade import Step, apply, at_dpi, check_level, output_dpi, plan
from synth.layouts import Entry, draw_page_text, render_pages
from synth.notes import case_notes
from synth.pen import DPI, draw_style
from synth.templates import (
    HELDOUT_LAYOUTS,
    SPLITS,
    check_layout,
    check_split,
    pick_labels,
    pick_template,
)
from synth.truth import CaseTruth, draw_case, drop_fields
from synth.write import EXTENSIONS, check_format, write_pages, write_truth

BATCH_STRIDE = 100_000  # file i of a batch with seed s uses seed s * BATCH_STRIDE + i
# A held-out file of three pages or more ends with a decision sheet holding these fields
# (the reference is printed on both); page 1 keeps the others. One of its pages is
# scanned sideways.
SHEET_FIELDS: Final[frozenset[str]] = frozenset(
    {"home_office_reference", "application_type", "decision", "decision_date",
     "permission_to_work"})
SHEET_MIN_PAGES: Final = 3
MIN_DPI: Final = 100


@dataclass(frozen=True)
class CaseOptions:
    """Generation options, validated once here so the steps below can trust them."""

    fmt: str = "png"
    degradation: str = "moderate"
    layout: str | None = None
    split: str = "all"
    pages: int = 1
    missing_rate: float = 0.0
    dpi: int | None = None  # scan resolution; None: as the level draws it

    def __post_init__(self) -> None:
        check_format(self.fmt, self.pages)
        check_level(self.degradation)
        _check_render(self.layout, self.split, self.pages, self.missing_rate)
        if self.dpi is not None and not MIN_DPI <= self.dpi <= DPI:
            raise ValueError(f"dpi must be within [{MIN_DPI}, {DPI}], not {self.dpi}")


def _check_render(layout: str | None, split: str, pages: int, missing_rate: float) -> None:
    check_layout(layout)
    check_split(split)
    if layout in HELDOUT_LAYOUTS and split == "train":
        raise ValueError(f"layout {layout!r} is drawn for held-out pages only")
    if pages < 1:
        raise ValueError(f"pages must be at least 1, not {pages}")
    if not 0.0 <= missing_rate <= 1.0:
        raise ValueError(f"missing_rate must be within [0, 1], not {missing_rate}")


def _stream(seed: int, purpose: str) -> random.Random:
    return random.Random(f"{seed}:{purpose}")


def render_case(
    seed: int,
    *,
    layout: str | None = None,
    split: str = "all",
    pages: int = 1,
    missing_rate: float = 0.0,
) -> tuple[list[np.ndarray], CaseTruth]:
    """Clean page images of one case file and its truth (degradation "none")."""
    _check_render(layout, split, pages, missing_rate)
    rng = _stream(seed, "page")
    file_split = rng.choice(SPLITS) if split == "all" else split
    if layout in HELDOUT_LAYOUTS:
        file_split = "heldout"
    template = pick_template(rng, layout, file_split)
    labels = pick_labels(rng, template)
    style = draw_style(rng, template)
    upper = template.name_case == "upper" or (template.name_case == "either" and rng.random() < 0.5)
    page_text = draw_page_text(rng)
    case = draw_case(_stream(seed, "case"), upper_names=upper)
    case = drop_fields(case, _stream(seed, "missing"), missing_rate)
    notes = case_notes(_stream(seed, "notes"), case.applicant, pages, case.timeline)
    shown = [f for f in template.order if case.printed[f] is not None]
    entries = [Entry(labels[f], str(case.printed[f])) for f in shown]
    sheet: list[Entry] = []
    if file_split == "heldout" and pages >= SHEET_MIN_PAGES:
        sheet = [e for f, e in zip(shown, entries, strict=True) if f in SHEET_FIELDS]
        entries = [e for f, e in zip(shown, entries, strict=True)
                   if f not in SHEET_FIELDS or f == "home_office_reference"]
    images = render_pages(template, style, page_text, entries, notes, sheet)
    truth = CaseTruth(
        file="",
        layout=template.layout,
        template=template.name,
        split=file_split,
        degradation="none",
        steps=(),
        fields=case.values,
        printed=case.printed,
        labels={f: labels[f] for f in CASE_FIELDS if f in shown},
        notes="\n\n".join(p for page in notes for p in page),
        pages=pages,
        seed=seed,
        font=style.font,
        dpi=DPI,
    )
    return [np.asarray(im) for im in images], truth


def _write_case(out_dir: Path, seed: int, stem: str, opts: CaseOptions) -> CaseTruth:
    images, truth = render_case(
        seed, layout=opts.layout, split=opts.split, pages=opts.pages, missing_rate=opts.missing_rate
    )
    rng = np.random.default_rng([seed, 1])
    heldout = truth.split == "heldout"
    steps = plan(opts.degradation, rng, heldout=heldout)
    if opts.dpi is not None:
        steps = at_dpi(steps, opts.dpi)
    dpi = output_dpi(steps)
    pages = [apply(im, steps, rng) for im in images]
    if heldout and len(pages) >= SHEET_MIN_PAGES:  # one page in the file scanned sideways
        side = Step("sideways", {"page": float(rng.integers(len(pages)) + 1)})
        k = int(side.params["page"]) - 1
        pages[k] = rotate_page(pages[k], 1 if seed % 2 else 3)
        steps = (*steps, side)
    path = write_pages(out_dir / f"{stem}{EXTENSIONS[opts.fmt]}", pages, opts.fmt, dpi)
    return replace(
        truth,
        file=path.name,
        degradation=opts.degradation,
        dpi=dpi,
        steps=tuple(s.name for s in steps),
        step_params=tuple(s.params for s in steps),
    )


def generate_case_file(
    out_dir: Path,
    seed: int,
    *,
    fmt: str = "png",
    degradation: str = "moderate",
    layout: str | None = None,
    split: str = "all",
    pages: int = 1,
    missing_rate: float = 0.0,
    stem: str | None = None,
    dpi: int | None = None,
) -> CaseTruth:
    """Write one degraded case file (`case-<seed>.<ext>` unless `stem`) and return its truth."""
    opts = CaseOptions(fmt, degradation, layout, split, pages, missing_rate, dpi)
    out_dir.mkdir(parents=True, exist_ok=True)
    return _write_case(out_dir, seed, stem or f"case-{seed:04d}", opts)


def generate_batch(
    out_dir: Path,
    count: int,
    *,
    seed: int = 0,
    fmt: str = "png",
    degradation: str | Sequence[str] = "moderate",
    layout: str | None = None,
    split: str = "all",
    pages: int = 1,
    missing_rate: float = 0.0,
    dpi: int | None = None,
) -> list[CaseTruth]:
    """Write `count` files case-0001... plus out_dir/truth.json (a list of truth dicts).

    A list of degradation levels is cycled through, so ["clean", "moderate",
    "heavy"] gives a balanced mix of the same kinds of page.
    """
    levels = [degradation] if isinstance(degradation, str) else list(degradation)
    if not levels or not 0 <= count <= BATCH_STRIDE:
        raise ValueError(f"need at least one level and 0..{BATCH_STRIDE} files")
    opts = [CaseOptions(fmt, lv, layout, split, pages, missing_rate, dpi) for lv in levels]
    out_dir.mkdir(parents=True, exist_ok=True)
    truths = [
        _write_case(out_dir, seed * BATCH_STRIDE + i, f"case-{i + 1:04d}", opts[i % len(opts)])
        for i in range(count)
    ]
    write_truth(out_dir / "truth.json", truths)
    return truths

"""Multi-page case files (form + letter + decision notice or minute sheet) and single
letter or minute pages, written as scans with known truth.

The form is drawn by synth's form generator as it is (templates, labels, layouts of the
file's split). Sometimes the form leaves the decision, its date or permission to work
off, or says "Pending" where the decision notice states the decision: the letter and
the notice then carry what the form lacks, as real files do. One page in three is fed
sideways. Files are written at 200 or 300 dpi.
"""

from __future__ import annotations

import json
import random
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Final

import numpy as np
from PIL import Image

from extraction.fields import CASE_FIELDS, FieldScalar
from synth.degrade import apply, plan
from synth.layouts import Entry, draw_page_text, render_pages
from synth.letters import (
    DecoyTruth,
    EventTruth,
    Story,
    Written,
    fill,
    page_style,
    render_letter,
    render_minutes,
    render_notice,
    write,
)
from synth.pen import DPI, draw_style
from synth.phrasings import CLAIM, EVENTS, PTW, of_split
from synth.templates import pick_labels, pick_template
from synth.truth import DECISIONS, draw_case
from synth.write import write_pages

LEVELS: Final[dict[str, tuple[str, ...]]] = {
    "train": ("clean", "moderate"),
    "heldout": ("clean", "moderate", "heavy"),
}
DECIDED: Final = ("granted", "refused")


@dataclass(frozen=True)
class FileTruth:
    """What one written file states: fields (canonical, None = stated nowhere), on which
    pages each is printed, events and decoys, each page's kind and which pages lie
    sideways."""

    file: str
    split: str
    degradation: str
    dpi: int
    seed: int
    page_kinds: tuple[str, ...]
    sideways: tuple[int, ...]
    fields: dict[str, FieldScalar | None] = field(default_factory=dict)
    printed_on: dict[str, list[int]] = field(default_factory=dict)
    events: tuple[EventTruth, ...] = ()
    decoys: tuple[DecoyTruth, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FileTruth:
        raw = dict(data)
        raw["page_kinds"] = tuple(raw["page_kinds"])
        raw["sideways"] = tuple(raw["sideways"])
        raw["events"] = tuple(EventTruth(**e) for e in raw["events"])
        raw["decoys"] = tuple(DecoyTruth(**d) for d in raw["decoys"])
        return cls(**raw)


def _stream(seed: int, purpose: str) -> random.Random:
    return random.Random(f"{seed}:casefile:{purpose}")


def _stated(rng: random.Random, split: str, kind: str, outcome: str, when: date,
            story: Story, page: int, where: str = "prose") -> tuple[str, EventTruth]:
    """One sentence stating (kind, outcome) on `when`, in a phrasing of `split`."""
    pool = [p for p in of_split(EVENTS, split, where) if (p.kind, p.outcome) == (kind, outcome)]
    text, _ = fill(rng.choice(pool), rng, Story(story.who, story.title, when, when), split)
    return text, EventTruth(kind, outcome, when.isoformat(), text, page)


def _form_page(seed: int, split: str, rng: random.Random) -> tuple[Image.Image, Any, dict[str,
                                                                                          bool]]:
    """Page 1, the form; and which decision fields the form leaves off or says pending."""
    template = pick_template(rng, None, split)
    labels = pick_labels(rng, template)
    style = draw_style(rng, template)
    case = draw_case(_stream(seed, "case"), upper_names=rng.random() < 0.5)
    if case.values["decision"] not in DECIDED:  # case files here end in a decision
        outcome = rng.choice(DECIDED)
        case.values["decision"] = outcome
        case.printed["decision"] = rng.choice(DECISIONS[outcome])
        decided = case.timeline[1]
        case.values["decision_date"] = decided.isoformat()
        case.printed["decision_date"] = decided.strftime("%d/%m/%Y")
    off = {"decision": rng.random() < 0.35, "decision_date": rng.random() < 0.5,
           "permission_to_work": rng.random() < 0.5, "pending": rng.random() < 0.2}
    shown = [f for f in template.order if case.printed[f] is not None and not off.get(f)]
    entries = [Entry(labels[f], "Pending" if f == "decision" and off["pending"]
                     else str(case.printed[f])) for f in shown]
    if off["pending"]:
        entries = [e for e in entries if e.label != labels["decision_date"]]
    [image] = render_pages(template, style, draw_page_text(rng), entries, [[]])
    return image, case, off


def render_file(seed: int, split: str) -> tuple[list[Image.Image], FileTruth]:
    """Clean pages and truth of one three-page case file of `split`."""
    rng = _stream(seed, "pages")
    form, case, off = _form_page(seed, split, rng)
    v = dict(case.values)
    who, title = case.applicant, "Ms" if case.applicant.female else "Mr"
    first, decided = case.timeline
    story = Story(who, title, first, decided)
    outcome = str(v["decision"])
    when = date.fromisoformat(str(v["decision_date"]))
    ptw_when = min(decided, first + timedelta(days=365 + rng.randint(0, 300)))
    ptw = "granted" if v["permission_to_work"] else "refused"
    claim_text, claim_event = _stated(rng, split, CLAIM, outcome, when, story, 2)
    ptw_text, ptw_event = _stated(rng, split, PTW, ptw, ptw_when, story, 2)
    body = write(rng, story, split, "prose", 2, 0, rng.randint(1, 2), rng.randint(2, 3))
    lines = [*body.lines]
    for text in (claim_text, ptw_text):
        lines.insert(rng.randint(0, len(lines)), text)
    letter = Written(tuple(lines), (claim_event, ptw_event), body.decoys)
    style = page_style(rng, split)
    ref = str(v["home_office_reference"])
    pages = [form, render_letter(style, rng, story, ref, letter, split)]
    kinds = ["form", "letter"]
    if rng.random() < 0.6:
        pages.append(render_notice(style, rng, story, ref, outcome, when, split))
        kinds.append("decision_notice")
    else:
        # the minutes restate the decision, so the file stays one consistent story
        text, event = _stated(rng, split, CLAIM, outcome, when, story, 3, "minute")
        minutes = write(rng, story, split, "minute", 3, 0, 1, 2)
        lines = [*minutes.lines]
        lines.insert(rng.randint(0, len(lines)), text)
        pages.append(render_minutes(style, rng, story, ref, Written(tuple(lines), (event,),
                                                                    minutes.decoys), split))
        kinds.append("minute")
        letter = Written(letter.lines, (*letter.events, event), (*letter.decoys,
                                                                 *minutes.decoys))
    printed = {f: [1] for f in CASE_FIELDS if case.printed[f] not in (None, "", "-")
               and not off.get(f)}
    if off["pending"]:
        printed.pop("decision", None)
        printed.pop("decision_date", None)
    for f in ("decision", "decision_date", "permission_to_work"):
        printed.setdefault(f, []).append(2)
    if kinds[2] == "minute":
        printed["decision"].append(3)
        printed["decision_date"].append(3)
    if kinds[2] == "decision_notice":
        for f in ("surname", "given_names", "home_office_reference", "decision", "decision_date"):
            printed.setdefault(f, []).append(3)
    fields = {f: v[f] if f in printed else None for f in CASE_FIELDS}
    sideways = (rng.randint(1, 3),)  # one page in three
    truth = FileTruth("", split, "none", DPI, seed, tuple(kinds), sideways, fields, printed,
                      letter.events, letter.decoys)
    return pages, truth


def _scan(pages: list[Image.Image], truth: FileTruth, level: str, dpi: int,
          seed: int) -> list[np.ndarray]:
    """Every page through the same copier; sideways pages turned; resampled to `dpi`."""
    nrng = np.random.default_rng([seed, 11])
    steps = tuple(s for s in plan(level, nrng) if s.name != "downscale")
    out = []
    for number, image in enumerate(pages, start=1):
        arr = apply(np.asarray(image), steps, nrng)
        if number in truth.sideways:
            arr = np.ascontiguousarray(np.rot90(arr, 1 if seed % 2 else 3))
        if dpi != DPI:
            arr = np.asarray(Image.fromarray(arr).resize(
                (round(arr.shape[1] * dpi / DPI), round(arr.shape[0] * dpi / DPI)),
                Image.Resampling.LANCZOS))
        out.append(arr)
    return out


def generate_case_files(out_dir: Path, count: int, *, split: str, dpi: int = 300,
                        seed: int = 0) -> list[FileTruth]:
    """Write `count` case files case-0001.pdf... and out_dir/truth.json; degradation levels
    cycle through the split's LEVELS."""
    out_dir.mkdir(parents=True, exist_ok=True)
    truths = []
    for i in range(count):
        file_seed = seed * 100_000 + i
        pages, truth = render_file(file_seed, split)
        level = LEVELS[split][i % len(LEVELS[split])]
        name = f"case-{i + 1:04d}.pdf"
        write_pages(out_dir / name, _scan(pages, truth, level, dpi, file_seed), "pdf", dpi)
        truths.append(FileTruth(**{**truth.__dict__, "file": name, "degradation": level,
                                   "dpi": dpi}))
    _dump(out_dir / "truth.json", truths)
    return truths


def render_event_page(seed: int, split: str) -> tuple[Image.Image, FileTruth]:
    """One letter or minute sheet stating 1-3 events among decoys and plain sentences."""
    rng = _stream(seed, "letter")
    case = draw_case(_stream(seed, "case"), upper_names=False)
    first, last = case.timeline
    who = case.applicant
    story = Story(who, "Ms" if who.female else "Mr", first, last)
    where = rng.choice(("prose", "minute"))
    written = write(rng, story, split, where, 1, rng.randint(1, 3), rng.randint(1, 3),
                    rng.randint(1, 3))
    style = page_style(rng, split)
    ref = str(case.values["home_office_reference"])
    render = render_letter if where == "prose" else render_minutes
    image = render(style, rng, story, ref, written, split)
    kind = "letter" if where == "prose" else "minute"
    truth = FileTruth("", split, "none", DPI, seed, (kind,), (), {}, {}, written.events,
                      written.decoys)
    return image, truth


def generate_event_pages(out_dir: Path, count: int, *, split: str, seed: int = 0) -> list[
        FileTruth]:
    """Write `count` single-page letters or minute sheets (PNG) and out_dir/truth.json."""
    out_dir.mkdir(parents=True, exist_ok=True)
    truths = []
    for i in range(count):
        page_seed = seed * 100_000 + i
        image, truth = render_event_page(page_seed, split)
        level = LEVELS[split][i % len(LEVELS[split])]
        [arr] = _scan([image], truth, level, DPI, page_seed)
        name = f"page-{i + 1:04d}.png"
        write_pages(out_dir / name, [arr], "png", DPI)
        truths.append(FileTruth(**{**truth.__dict__, "file": name, "degradation": level}))
    _dump(out_dir / "truth.json", truths)
    return truths


def _dump(path: Path, truths: list[FileTruth]) -> None:
    path.write_text(json.dumps([t.as_json() for t in truths], indent=1) + "\n", "utf-8")


def read_file_truths(path: Path) -> list[FileTruth]:
    return [FileTruth.from_json(t) for t in json.loads(path.read_text("utf-8"))]

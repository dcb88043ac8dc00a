"""Named degradation levels ("clean", "moderate", "heavy") as data, and their runner.

The steps themselves live in damage.py. A level is an ordered list of step
specs (chance of happening, parameter ranges). `plan` draws the concrete
steps for one file, so every page of a multi-page file goes through the same
"copier"; `apply` runs them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Final

import numpy as np

from synth import damage as d
from synth.pen import DPI


@dataclass(frozen=True)
class Uniform:
    """A parameter drawn uniformly from [lo, hi]; `signed` flips its sign half the time."""

    lo: float
    hi: float
    signed: bool = False
    whole: bool = False


@dataclass(frozen=True)
class Pick:
    options: tuple[float, ...]


@dataclass(frozen=True)
class StepSpec:
    name: str
    chance: float
    params: Mapping[str, Uniform | Pick] = field(default_factory=dict)


@dataclass(frozen=True)
class Step:
    """A step as applied to one file: its name and drawn parameters (kept in the truth)."""

    name: str
    params: dict[str, float]


EDGES: Final = Pick((0, 1, 2, 3))

LEVELS: Final[dict[str, tuple[StepSpec, ...]]] = {
    "clean": (StepSpec("skew", 0.5, {"degrees": Uniform(0.05, 0.4, signed=True)}),),
    "moderate": (
        StepSpec("contrast", 1.0, {"low": Uniform(25, 50), "high": Uniform(205, 235)}),
        StepSpec(
            "lighting",
            0.8,
            {
                "shadow": Uniform(0.1, 0.25),
                "width": Uniform(80, 250),
                "edge": EDGES,
                "tilt": Uniform(0, 0.08),
            },
        ),
        StepSpec("skew", 1.0, {"degrees": Uniform(0.5, 3.0, signed=True)}),
        StepSpec("blur", 1.0, {"sigma": Uniform(0.6, 1.1)}),
        StepSpec("noise", 1.0, {"sigma": Uniform(8, 12)}),
        StepSpec(
            "speckles",
            1.0,
            {"dots": Uniform(40, 150, whole=True), "pepper": Uniform(0.00005, 0.0002)},
        ),
        StepSpec("downscale", 0.25, {"dpi": Pick((150, 200))}),
        StepSpec("jpeg", 1.0, {"quality": Uniform(45, 60, whole=True)}),
    ),
    "heavy": (
        StepSpec("contrast", 1.0, {"low": Uniform(60, 90), "high": Uniform(195, 220)}),
        StepSpec(
            "lighting",
            1.0,
            {
                "shadow": Uniform(0.3, 0.5),
                "width": Uniform(150, 450),
                "edge": EDGES,
                "tilt": Uniform(0.05, 0.15),
            },
        ),
        StepSpec("punch_holes", 0.8, {"ink": Uniform(20, 60, whole=True)}),
        StepSpec("skew", 1.0, {"degrees": Uniform(2.0, 8.0, signed=True)}),
        StepSpec("black_border", 0.8, {"width": Uniform(40, 140), "edge": EDGES}),
        StepSpec("blur", 1.0, {"sigma": Uniform(0.9, 1.4)}),
        StepSpec("noise", 1.0, {"sigma": Uniform(16, 22)}),
        StepSpec(
            "speckles",
            1.0,
            {"dots": Uniform(400, 1200, whole=True), "pepper": Uniform(0.0005, 0.002)},
        ),
        StepSpec("downscale", 0.4, {"dpi": Pick((200,))}),
        StepSpec("jpeg", 1.0, {"quality": Uniform(22, 32, whole=True)}),
        StepSpec("rotate", 0.2, {"quarter_turns": Pick((2,))}),
    ),
}

# Held-out damage: the same levels by name, with damage extraction was never tuned on
# (creases, copier streaks, stains, fax) and half of the files scanned at 200 dpi.
HELDOUT_LEVELS: Final[dict[str, tuple[StepSpec, ...]]] = {
    "clean": (
        StepSpec("skew", 0.5, {"degrees": Uniform(0.05, 0.5, signed=True)}),
        StepSpec("downscale", 0.5, {"dpi": Pick((200,))}),
    ),
    "moderate": (
        StepSpec("contrast", 1.0, {"low": Uniform(25, 50), "high": Uniform(205, 235)}),
        StepSpec("fold", 0.5, {"at": Uniform(0.3, 0.7), "depth": Uniform(0.2, 0.4)}),
        StepSpec("streaks", 0.5, {"count": Uniform(2, 6, whole=True)}),
        StepSpec("skew", 1.0, {"degrees": Uniform(0.5, 3.0, signed=True)}),
        StepSpec("blur", 1.0, {"sigma": Uniform(0.6, 1.1)}),
        StepSpec("noise", 1.0, {"sigma": Uniform(8, 12)}),
        StepSpec(
            "speckles",
            1.0,
            {"dots": Uniform(40, 150, whole=True), "pepper": Uniform(0.00005, 0.0002)},
        ),
        StepSpec("downscale", 0.5, {"dpi": Pick((200,))}),
        StepSpec("jpeg", 1.0, {"quality": Uniform(45, 60, whole=True)}),
    ),
    "heavy": (
        StepSpec("contrast", 1.0, {"low": Uniform(60, 90), "high": Uniform(195, 220)}),
        StepSpec("stain", 0.6, {"radius": Uniform(150, 350)}),
        StepSpec("fold", 0.6, {"at": Uniform(0.3, 0.7), "depth": Uniform(0.3, 0.5)}),
        StepSpec("streaks", 0.6, {"count": Uniform(3, 9, whole=True)}),
        StepSpec("punch_holes", 0.8, {"ink": Uniform(20, 60, whole=True)}),
        StepSpec("skew", 1.0, {"degrees": Uniform(2.0, 8.0, signed=True)}),
        StepSpec("blur", 1.0, {"sigma": Uniform(0.9, 1.4)}),
        StepSpec("noise", 1.0, {"sigma": Uniform(16, 22)}),
        StepSpec("fax", 0.3, {"threshold": Uniform(120, 150)}),
        StepSpec(
            "speckles",
            1.0,
            {"dots": Uniform(400, 1200, whole=True), "pepper": Uniform(0.0005, 0.002)},
        ),
        StepSpec("downscale", 0.5, {"dpi": Pick((200,))}),
        StepSpec("jpeg", 1.0, {"quality": Uniform(22, 32, whole=True)}),
        StepSpec("rotate", 0.2, {"quarter_turns": Pick((2,))}),
    ),
}

Run = Callable[[np.ndarray, dict[str, float], np.random.Generator], np.ndarray]
RUNNERS: Final[dict[str, Run]] = {
    "contrast": lambda im, p, rng: d.contrast(im, p["low"], p["high"]),
    "lighting": lambda im, p, rng: d.lighting(
        im, p["shadow"], p["width"], int(p["edge"]), p["tilt"]
    ),
    "punch_holes": lambda im, p, rng: d.punch_holes(im, int(p["ink"])),
    "skew": lambda im, p, rng: d.skew(im, p["degrees"]),
    "black_border": lambda im, p, rng: d.black_border(im, p["width"], int(p["edge"]), rng),
    "blur": lambda im, p, rng: d.blur(im, p["sigma"]),
    "noise": lambda im, p, rng: d.noise(im, p["sigma"], rng),
    "speckles": lambda im, p, rng: d.speckles(im, int(p["dots"]), p["pepper"], rng),
    "downscale": lambda im, p, rng: d.downscale(im, p["dpi"], DPI),
    "jpeg": lambda im, p, rng: d.jpeg(im, int(p["quality"])),
    "rotate": lambda im, p, rng: d.rotate_page(im, int(p["quarter_turns"])),
    "fold": lambda im, p, rng: d.fold(im, p["at"], p["depth"]),
    "streaks": lambda im, p, rng: d.streaks(im, int(p["count"]), rng),
    "stain": lambda im, p, rng: d.stain(im, p["radius"], rng),
    "fax": lambda im, p, rng: d.fax(im, p["threshold"], rng),
}


def check_level(level: str) -> str:
    if level not in LEVELS:
        raise ValueError(f"degradation must be one of {sorted(LEVELS)}, not {level!r}")
    return level


def _draw(spec: Uniform | Pick, rng: np.random.Generator) -> float:
    if isinstance(spec, Pick):
        return float(spec.options[int(rng.integers(len(spec.options)))])
    value = float(rng.uniform(spec.lo, spec.hi))
    if spec.signed and rng.random() < 0.5:
        value = -value
    return float(round(value)) if spec.whole else float(f"{value:.4g}")


def plan(level: str, rng: np.random.Generator, *, heldout: bool = False) -> tuple[Step, ...]:
    """Draw which steps of `level` happen to this file, with their parameters (from the
    held-out damage for a held-out file)."""
    steps = []
    for spec in (HELDOUT_LEVELS if heldout else LEVELS)[check_level(level)]:
        if rng.random() < spec.chance:
            steps.append(Step(spec.name, {k: _draw(v, rng) for k, v in spec.params.items()}))
    return tuple(steps)


def at_dpi(steps: tuple[Step, ...], dpi: int) -> tuple[Step, ...]:
    """The same steps, scanned at `dpi` whatever the level drew (before any JPEG step)."""
    kept = [s for s in steps if s.name != "downscale"]
    if dpi != DPI:
        at = next((i for i, s in enumerate(kept) if s.name == "jpeg"), len(kept))
        kept.insert(at, Step("downscale", {"dpi": float(dpi)}))
    return tuple(kept)


def apply(image: np.ndarray, steps: tuple[Step, ...], rng: np.random.Generator) -> np.ndarray:
    for step in steps:
        image = RUNNERS[step.name](image, step.params, rng)
    return image


def output_dpi(steps: tuple[Step, ...]) -> int:
    """Resolution of the degraded page (lower only when a downscale step ran)."""
    return next((int(s.params["dpi"]) for s in steps if s.name == "downscale"), DPI)


def degrade(
    image: np.ndarray, level: str, rng: np.random.Generator
) -> tuple[np.ndarray, list[str]]:
    """Degrade one page to `level`; returns the page and the names of the steps applied."""
    steps = plan(level, rng)
    return apply(image, steps, rng), [s.name for s in steps]

"""Synthetic scanned Home Office case files with known truth, for tests and benchmarks.

    from synth import generate_batch
    truths = generate_batch(Path("bench/data"), 30, degradation=["clean", "moderate", "heavy"])

`render_case` gives clean page images and truth; `generate_case_file` and
`generate_batch` degrade them ("clean", "moderate", "heavy") and write PNG,
JPEG, TIFF or image-only PDF files, plus truth.json for a batch. Use
split="train" to tune extraction and split="heldout" to score it on label
wordings and templates it has not seen.
"""

from synth.degrade import LEVELS, degrade
from synth.generate import CaseOptions, generate_batch, generate_case_file, render_case
from synth.templates import LABELS, LAYOUTS, SPLITS, TEMPLATES, wordings
from synth.truth import APPLICATION_TYPES, DECISIONS, CaseTruth
from synth.write import read_truth, write_truth

__all__ = [
    "APPLICATION_TYPES",
    "DECISIONS",
    "LABELS",
    "LAYOUTS",
    "LEVELS",
    "SPLITS",
    "TEMPLATES",
    "CaseOptions",
    "CaseTruth",
    "degrade",
    "generate_batch",
    "generate_case_file",
    "read_truth",
    "render_case",
    "wordings",
    "write_truth",
]

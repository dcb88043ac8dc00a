"""Synthetic scanned Home Office case files with ground truth, for tests and benchmarks.

`render_case` draws clean pages, `generate_case_file` / `generate_batch` write
degraded PNG/JPEG/TIFF/PDF files plus truth; see the README promises in the
tests under tests/synth/.
"""

from ingest.synth.degrade import LEVELS, degrade
from ingest.synth.generate import CaseOptions, generate_batch, generate_case_file, render_case
from ingest.synth.templates import LABELS, LAYOUTS, SPLITS, TEMPLATES, wordings
from ingest.synth.truth import APPLICATION_TYPES, DECISIONS, CaseTruth
from ingest.synth.write import read_truth, write_truth

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

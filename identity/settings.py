"""The knobs of one linking run, in one frozen record the caller builds.

identity/ reads no configuration (only api does): api/settings.py, or a test, builds a
`LinkSettings` and passes it in. Weights are Splink match weights (log2 Bayes factors).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_MODEL = Path(__file__).resolve().parent / "default_model.json"


@dataclass(frozen=True)
class LinkSettings:
    """Thresholds and limits of a linking run.

    `link_weight`: a pair at or above it links automatically (if the cluster checks
    allow). `review_weight`: from it up to `link_weight` the pair goes to clerical review;
    below it the documents stay separate. `conflict_weight`: a compared pair inside a
    would-be cluster scoring below it is strongly unlike, so the clusters do not merge
    (the weight includes the prior, about -12.4: at -16 the documents' own comparisons
    say about 12 to 1 against; at -12 they would be even, two poor readings of one
    person that merely fail to agree).
    `confident`: an OCR confidence at or above it makes a value "read with high
    confidence" (conflicting confident dates of birth or references are hard evidence).
    `max_cluster_size`: a person's file rarely holds more documents than this; a bigger
    cluster goes to review. `bridge_margin`: a cluster held by one link weaker than
    `link_weight + bridge_margin` is flagged as a bridge. `model_path`: trained Splink
    parameters (JSON); the shipped default was trained on a generated population.
    `frequency_prior_documents`: how many documents' worth of the model's average a
    value's frequency is shrunk toward before it weighs an exact agreement (small runs
    are weighed as the model was trained; see identity.splinkdb.frequencies).
    """

    link_weight: float = 5.0
    review_weight: float = 2.0
    conflict_weight: float = -16.0
    confident: float = 0.9
    max_cluster_size: int = 30
    bridge_margin: float = 1.0
    model_path: Path = DEFAULT_MODEL
    rescan_text_similarity: float = 0.9
    rescan_hash_distance: int = 6
    frequency_prior_documents: int = 2000

    def __post_init__(self) -> None:
        if not self.review_weight <= self.link_weight:
            raise ValueError("review_weight must not exceed link_weight")
        if not 0.0 < self.confident <= 1.0:
            raise ValueError("confident must be in (0, 1]")
        if self.frequency_prior_documents < 1:
            raise ValueError("frequency_prior_documents must be at least 1")
        if self.max_cluster_size < 2:
            raise ValueError("max_cluster_size must be at least 2")

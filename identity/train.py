"""Estimate the model's parameters from the documents themselves (no labels needed).

u (how often each level happens by chance) from random pairs; the prior from pairs that
agree on everything; m (how often each level happens for one person) by expectation
maximisation on blocks where most pairs are one person, each block fixing the
comparisons it blocks on. `check` measures the trained model against a labelled sample.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from splink import SettingsCreator, block_on

from identity.model import blocking_rules, comparisons, training_blocks
from identity.splinkdb import duckdb_api, linker


def untrained() -> SettingsCreator:
    """The model's declaration with no parameters yet."""
    return SettingsCreator(
        link_type="dedupe_only", unique_id_column_name="unique_id",
        comparisons=comparisons(),
        blocking_rules_to_generate_predictions=blocking_rules(),
        retain_intermediate_calculation_columns=True, retain_matching_columns=False,
    )


def train(rows: Sequence[Mapping[str, Any]], seed: int = 1,
          max_pairs: float = 2e6) -> dict[str, Any]:
    """A trained model (Splink's JSON settings) from the prepared rows of documents."""
    lk = linker(duckdb_api(), [dict(r) for r in rows], untrained())
    lk.training.estimate_probability_two_random_records_match(
        [block_on("surname", "given", "dob")], recall=0.6)
    lk.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
    for rule in training_blocks():
        lk.training.estimate_parameters_using_expectation_maximisation(
            rule, record_sample_proportion=1.0)
    model: dict[str, Any] = lk.misc.save_model_to_json()
    return model


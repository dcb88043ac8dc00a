"""Score candidate pairs with the trained model and explain each score.

Splink predicts over the blocked pairs; each pair comes back with the level every
comparison took (gamma) and the total match weight. The contributions (the waterfall) are
read from the model's own parameters for those levels, so the explanation is exactly
what the score was made of.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from splink import Linker

from identity.model import COMPARED_FIELD
from identity.normalise import Prepared
from identity.records import Contribution


@dataclass(frozen=True)
class Level:
    label: str
    match_weight: float


@dataclass(frozen=True)
class Scored:
    """One compared pair: ids (left < right), weight, probability, level per comparison."""

    left: str
    right: str
    match_weight: float
    probability: float
    gammas: tuple[int, ...]


class Explainer:
    """Levels and weights of a trained model, keyed by comparison and gamma value."""

    def __init__(self, model: Mapping[str, Any]) -> None:
        self.names: list[str] = []
        self.levels: dict[str, dict[int, Level]] = {}
        for comparison in model["comparisons"]:
            name = comparison["output_column_name"]
            self.names.append(name)
            levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
            self.levels[name] = {-1: Level("missing", 0.0)}
            for gamma, lv in zip(range(len(levels) - 1, -1, -1), levels, strict=True):
                self.levels[name][gamma] = Level(lv["label_for_charts"], _weight(lv))

    def contributions(self, pair: Scored, prepared: Mapping[str, Prepared]) -> tuple[
            Contribution, ...]:
        left, right = prepared[pair.left].chosen, prepared[pair.right].chosen
        out = []
        for name, gamma in zip(self.names, pair.gammas, strict=True):
            level = self.levels[name][gamma]
            field = COMPARED_FIELD[name]
            out.append(Contribution(name, level.label, round(level.match_weight, 3),
                                    left.get(field), right.get(field)))
        return tuple(out)


def _weight(level: Mapping[str, Any]) -> float:
    m, u = level.get("m_probability"), level.get("u_probability")
    if not m or not u:
        return 0.0
    return math.log2(float(m) / float(u))


def predictions(linker: Linker, pairs_sql_filter: str, names: Sequence[str],
                predicted: Any | None = None) -> list[Scored]:
    """The predicted pairs that pass `pairs_sql_filter` (SQL on match_weight)."""
    table = linker.inference.predict() if predicted is None else predicted
    gammas = ", ".join(f"gamma_{n}" for n in names)
    rows = table.query_sql(
        f"SELECT unique_id_l, unique_id_r, match_weight, match_probability, {gammas} "
        f"FROM {{this}} WHERE {pairs_sql_filter}").as_record_list()
    return [_scored(r, names) for r in rows]


def _scored(row: Mapping[str, Any], names: Sequence[str]) -> Scored:
    left, right = sorted((str(row["unique_id_l"]), str(row["unique_id_r"])))
    return Scored(left, right, float(row["match_weight"]), float(row["match_probability"]),
                  tuple(int(row[f"gamma_{n}"]) for n in names))

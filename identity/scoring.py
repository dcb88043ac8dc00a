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

from identity.model import COMPARED_FIELD, CORROBORATION, NEAR_LEVELS, TF_COMPARISONS
from identity.normalise import Prepared
from identity.records import Contribution

# The bar of a waterfall that weighs an exact agreement by how common the value is.
FREQUENCY_LEVEL = "how common the value is (term frequency)"


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
    frequency: tuple[float, ...] = ()  # term-frequency adjustment per TF_COMPARISONS
    automatic: bool = False  # at or above the link weight and corroborated


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

    def corroborated(self, pair: Scored) -> bool:
        """Whether one of the CORROBORATION rules holds for the pair's levels."""
        levels = {name: self.levels[name][gamma]
                  for name, gamma in zip(self.names, pair.gammas, strict=True)}
        agree = {name for name, lv in levels.items()
                 if lv.match_weight > 0 and (name, lv.label) not in NEAR_LEVELS}
        against = {name for name, lv in levels.items() if lv.match_weight < 0}
        return any(rule.agree <= agree and not rule.not_against & against
                   for rule in CORROBORATION)

    def contributions(self, pair: Scored, prepared: Mapping[str, Prepared]) -> tuple[
            Contribution, ...]:
        left, right = prepared[pair.left].chosen, prepared[pair.right].chosen
        out = []
        for name, gamma in zip(self.names, pair.gammas, strict=True):
            level = self.levels[name][gamma]
            field = COMPARED_FIELD[name]
            out.append(Contribution(name, level.label, round(level.match_weight, 3),
                                    left.get(field), right.get(field)))
        for name, weight in zip(TF_COMPARISONS, pair.frequency, strict=False):
            if round(weight, 3):  # a value as common as the average moves nothing
                field = COMPARED_FIELD[name]
                out.append(Contribution(name, FREQUENCY_LEVEL, round(weight, 3),
                                        left.get(field), right.get(field)))
        return tuple(out)


def _weight(level: Mapping[str, Any]) -> float:
    m, u = level.get("m_probability"), level.get("u_probability")
    if not m or not u:
        return 0.0
    return math.log2(float(m) / float(u))


def predictions(table: Any, review: float, link: float, conflict: float,
                names: Sequence[str]) -> list[Scored]:
    """From Splink's predictions: the pairs at or above the review weight, and the pairs
    scored below the conflict weight whose documents a chain of two strong links could
    put in one cluster (what stops A-B-C when A and C are unlike). Fetching every unlike
    pair would bring millions of rows into Python for nothing."""
    gammas = ", ".join([*(f"p.gamma_{n}" for n in names),
                        *(f"p.mw_tf_adj_{c}" for c in TF_COMPARISONS)])
    sql = f"""
    WITH strong AS (
        SELECT unique_id_l AS a, unique_id_r AS b FROM {{this}} WHERE match_weight >= {link}
        UNION ALL
        SELECT unique_id_r AS a, unique_id_l AS b FROM {{this}} WHERE match_weight >= {link}),
    hop AS (SELECT DISTINCT s1.a AS x, s2.b AS y FROM strong s1 JOIN strong s2
            ON s1.b = s2.a WHERE s1.a <> s2.b)
    SELECT p.unique_id_l, p.unique_id_r, p.match_weight, p.match_probability, {gammas}
    FROM {{this}} p LEFT JOIN hop h ON h.x = p.unique_id_l AND h.y = p.unique_id_r
    WHERE p.match_weight >= {review} OR (p.match_weight < {conflict} AND h.x IS NOT NULL)
    """
    return [_scored(r, names) for r in table.query_sql(sql).as_record_list()]


def _scored(row: Mapping[str, Any], names: Sequence[str]) -> Scored:
    left, right = sorted((str(row["unique_id_l"]), str(row["unique_id_r"])))
    return Scored(left, right, float(row["match_weight"]), float(row["match_probability"]),
                  tuple(int(row[f"gamma_{n}"]) for n in names),
                  tuple(float(row[f"mw_tf_adj_{c}"] or 0.0) for c in TF_COMPARISONS))

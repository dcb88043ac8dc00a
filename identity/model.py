"""The linkage model declared as data: comparisons with ordered levels, blocking rules.

Fellegi-Sunter in Splink: each comparison's levels are tried in order and the first that
holds gives the pair that level's Bayes factor (m/u); the match weight is the sum of
their logs plus the prior. Explanations come from this declaration: a pair's waterfall
is the level each comparison took and its weight.

OCR confidence: the strong levels are split by the lower confidence of the two values
(`least(c_l, c_r) >= HIGH_CONFIDENCE`), so that Splink estimates separately how much an
agreement or a disagreement read confidently is worth and how much one read at 0.6 is.
Splitting levels, rather than scaling a Bayes factor afterwards, keeps the model one
Splink model that trains, predicts and explains the same on DuckDB and on Spark.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.comparison_level_creator import ComparisonLevelCreator

from identity.normalise import HIGH_CONFIDENCE

COLUMNS = ("unique_id", "surname", "surname_key", "given", "given_first", "given_key",
           "dob", "dob_year", "dob_month", "dob_day", "nationality", "reference",
           "c_surname", "c_given", "c_dob", "c_nationality", "c_reference")

@dataclass(frozen=True)
class Corroboration:
    """One way a pair's weight is corroborated: every comparison in `agree` agrees (a
    level whose weight is positive, before term frequency) and none in `not_against`
    weighs against (missing, or a level of no weight such as a surname changed at
    marriage)."""

    agree: frozenset[str]
    not_against: frozenset[str] = frozenset()


# What an automatic link needs besides its weight: one of these. Names and date of birth;
# a reference with the date or both names; given names, date and nationality when the
# surname is missing or changed at marriage (and no reference differs). Twins share
# surname, date and nationality, so a document without its given names never links on
# those alone: it goes to review. A family shares a surname and often a case reference,
# not given names and a date of birth.
CORROBORATION: tuple[Corroboration, ...] = (
    Corroboration(frozenset({"surname", "given", "dob"})),
    Corroboration(frozenset({"reference", "dob"})),
    Corroboration(frozenset({"reference", "surname", "given"})),
    Corroboration(frozenset({"given", "dob", "nationality"}),
                  frozenset({"surname", "reference"})),
)

# Levels that add weight but do not count as agreeing for corroboration: a date of birth
# one character from another is what an OCR slip gives, and also what two namesakes born
# days or years apart give (14/03 and 15/03, 1985 and 1986). The names and a date that
# agree exactly (or with day and month swapped) corroborate; a near date goes to review.
NEAR_LEVELS: frozenset[tuple[str, str]] = frozenset({("dob", "one character off")})

# Which DocumentIdentity field each comparison reads (for the waterfall's page crops).
# Comparisons whose agreement is weighed by the value's frequency (Splink's term-frequency
# adjustment): each has a `mw_tf_adj_<name>` bar in the waterfall.
TF_COMPARISONS = ("surname", "given", "dob")


@dataclass(frozen=True)
class Frequency:
    """A column whose values' frequencies weigh a level: `level` is the level Splink takes
    its u from (the plain exact match on `column`), `agree` every level in which the two
    values agree on `column` (their u add up to the chance two documents agree on it)."""

    column: str
    comparison: str
    level: str
    agree: tuple[str, ...]


_EXACT = ("exact, read with high confidence", "exact")
_KEY = "same transliteration key"
FREQUENCIES = (
    Frequency("surname", "surname", "exact", _EXACT),
    Frequency("given", "given", "exact", _EXACT),
    Frequency("dob", "dob", "exact", _EXACT),
    Frequency("surname_key", "surname", _KEY, (*_EXACT, _KEY)),
    Frequency("given_key", "given", _KEY, (*_EXACT, _KEY)),
)

COMPARED_FIELD = {"surname": "surname", "given": "given_names", "dob": "date_of_birth",
                  "nationality": "nationality", "reference": "reference"}


def _sure(conf: str) -> ComparisonLevelCreator:
    return cll.CustomLevel(f"least({conf}_l, {conf}_r) >= {HIGH_CONFIDENCE}",
                           "read with high confidence")


def _level(level: ComparisonLevelCreator, label: str) -> ComparisonLevelCreator:
    return level.configure(label_for_charts=label)


def _sql(condition: str, label: str) -> ComparisonLevelCreator:
    return cll.CustomLevel(condition, label)


def _exact(column: str, confidence: str) -> list[ComparisonLevelCreator]:
    """Exact agreement, split by confidence, weighed by how common the value is: two
    documents of KHAN AMINA agree by chance far more often than two of a rare name, so
    Splink's term-frequency adjustment moves the weight by log2(u / frequency of the
    value), the frequency counted in the documents being linked (identity.frequencies)."""
    return [
        _level(cll.And(cll.ExactMatchLevel(column), _sure(confidence)),
               "exact, read with high confidence").configure(
            tf_adjustment_column=column, tf_adjustment_weight=1.0),
        _level(cll.ExactMatchLevel(column), "exact").configure(
            tf_adjustment_column=column, tf_adjustment_weight=1.0),
    ]


def _key(column: str) -> ComparisonLevelCreator:
    """Same transliteration key, weighed by how common the key is (MHMD is common)."""
    return _level(cll.ExactMatchLevel(column), _KEY).configure(
        tf_adjustment_column=column, tf_adjustment_weight=1.0)


def surname() -> ComparisonCreator:
    """Exact (split by confidence), transliteration key, Jaro-Winkler bands, swapped with
    the given names, changed at marriage (same given names and date of birth)."""
    return cl.CustomComparison(output_column_name="surname", comparison_levels=[
        cll.NullLevel("surname"),
        *_exact("surname", "c_surname"),
        _key("surname_key"),
        _level(cll.JaroWinklerLevel("surname", 0.92), "Jaro-Winkler >= 0.92"),
        _sql("surname_key_l = given_key_r AND given_key_l = surname_key_r",
             "swapped with given name"),
        _level(cll.JaroWinklerLevel("surname", 0.8), "Jaro-Winkler >= 0.8"),
        # A surname changed at marriage: the given names and date of birth already count
        # for the pair, so this level carries no weight of its own (m = u, fixed) instead
        # of the "different" penalty; EM would otherwise count them twice.
        _sql("given_l = given_r AND dob_l = dob_r",
             "different, same given names and date of birth (marriage?)").configure(
            m_probability=0.01, u_probability=0.01, fix_m_probability=True,
            fix_u_probability=True),
        _level(_sure("c_surname"), "different, read with high confidence"),
        _level(cll.ElseLevel(), "different"),
    ])


def given_names() -> ComparisonCreator:
    """Exact (split by confidence), transliteration key, Jaro-Winkler >= 0.92, swapped
    with the surname, one character off; a confident disagreement tells twins apart."""
    return cl.CustomComparison(output_column_name="given", comparison_levels=[
        cll.NullLevel("given"),
        *_exact("given", "c_given"),
        _key("given_key"),
        _level(cll.JaroWinklerLevel("given", 0.92), "Jaro-Winkler >= 0.92"),
        _sql("surname_key_l = given_key_r AND given_key_l = surname_key_r",
             "swapped with surname"),
        # One character off, not a looser Jaro-Winkler band: twins' names are often alike
        # (Amina, Fatima: 0.78) while an OCR slip changes one character.
        _level(cll.DamerauLevenshteinLevel("given", 1), "one character off"),
        _level(_sure("c_given"), "different, read with high confidence"),
        _level(cll.ElseLevel(), "different"),
    ])


def date_of_birth() -> ComparisonCreator:
    """Exact (split by confidence), day and month swapped, one character off, year only."""
    return cl.CustomComparison(output_column_name="dob", comparison_levels=[
        cll.NullLevel("dob"),
        *_exact("dob", "c_dob"),
        _sql("dob_year_l = dob_year_r AND dob_month_l = dob_day_r "
             "AND dob_day_l = dob_month_r", "day and month swapped"),
        _level(cll.DamerauLevenshteinLevel("dob", 1), "one character off"),
        _level(cll.ExactMatchLevel("dob_year"), "same year only"),
        _level(_sure("c_dob"), "different, read with high confidence"),
        _level(cll.ElseLevel(), "different"),
    ])


def nationality() -> ComparisonCreator:
    return cl.CustomComparison(output_column_name="nationality", comparison_levels=[
        cll.NullLevel("nationality"),
        _level(cll.ExactMatchLevel("nationality"), "exact"),
        _level(_sure("c_nationality"), "different, read with high confidence"),
        _level(cll.ElseLevel(), "different"),
    ])


def reference() -> ComparisonCreator:
    """Equal references are strong evidence; a different one is weak evidence against
    (people get new references), learnt as such rather than treated as proof."""
    return cl.CustomComparison(output_column_name="reference", comparison_levels=[
        cll.NullLevel("reference"),
        _level(cll.And(cll.ExactMatchLevel("reference"), _sure("c_reference")),
               "exact, read with high confidence"),
        _level(cll.ExactMatchLevel("reference"), "exact"),
        _level(cll.DamerauLevenshteinLevel("reference", 1), "one character off"),
        _level(_sure("c_reference"), "different, read with high confidence"),
        _level(cll.ElseLevel(), "different"),
    ])


def comparisons() -> list[ComparisonCreator | dict[str, Any]]:
    return [surname(), given_names(), date_of_birth(), nationality(), reference()]


def blocking_rules() -> list[BlockingRuleCreator | dict[str, Any]]:
    """Candidate pairs: each rule is an equality join, so the work grows with block sizes,
    not with the square of the documents. Together they reach a misread in any one field:
    names misread (same date of birth), date of birth misread in the year, in the day or
    month, or swapped (both name keys and the rest of the date), date of birth missing
    (both name keys and nationality), a new surname or swapped names with a reference.
    A name key alone, or with only the birth year, would put every KHAN AMINA born in one
    year (or ever) in one block: millions of pairs at 100,000 documents, for pairs that
    could only ever be reviewed (an automatic link needs the date or a reference)."""
    return [
        block_on("dob"),
        block_on("reference"),
        block_on("surname_key", "given_key", "dob_year"),
        block_on("surname_key", "given_key", "dob_month", "dob_day"),
        CustomRule("l.surname_key = r.surname_key AND l.given_key = r.given_key "
                   "AND l.nationality = r.nationality AND (l.dob IS NULL OR r.dob IS NULL)"),
    ]


def training_blocks() -> list[BlockingRuleCreator]:
    """EM sessions: each fixes some comparisons and estimates the others' m."""
    return [block_on("dob"), block_on("surname_key", "given_key"), block_on("reference")]


def chance(model: Mapping[str, Any]) -> dict[str, tuple[float, float]]:
    """Per frequency column: the u Splink adjusts from (its level's) and the trained
    chance that two documents agree on the column (the average a value's own frequency
    replaces)."""
    u: dict[tuple[str, str], float] = {}
    for comparison in model["comparisons"]:
        for lv in comparison["comparison_levels"]:
            if not lv.get("is_null_level"):
                u[(comparison["output_column_name"], lv["label_for_charts"])] = float(
                    lv["u_probability"])
    return {f.column: (u[(f.comparison, f.level)], sum(u[(f.comparison, a)] for a in f.agree))
            for f in FREQUENCIES}


def trained(model: Mapping[str, Any]) -> SettingsCreator:
    """The declaration with a trained model's parameters, for any backend.

    A saved model holds SQL compiled for DuckDB; Spark needs its own function names
    (Splink's Jaro-Winkler UDF, for one). So the comparisons are declared again from
    identity.model and given the trained m and u level by level; Splink compiles them
    for whichever backend the linker runs on."""
    creators = comparisons()
    for creator, saved in zip(creators, model["comparisons"], strict=True):
        assert isinstance(creator, ComparisonCreator)
        levels = [lv for lv in saved["comparison_levels"] if not lv.get("is_null_level")]
        creator.configure(m_probabilities=[lv.get("m_probability") for lv in levels],
                          u_probabilities=[lv.get("u_probability") for lv in levels])
    return SettingsCreator(
        link_type="dedupe_only", unique_id_column_name="unique_id",
        comparisons=creators, blocking_rules_to_generate_predictions=blocking_rules(),
        probability_two_random_records_match=model["probability_two_random_records_match"],
        retain_intermediate_calculation_columns=True, retain_matching_columns=True,
    )

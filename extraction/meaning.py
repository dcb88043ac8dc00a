"""Case fields for labels no wording list holds, chosen by what the label means.

The wordings (`FieldSpec.labels`) are matched first and stay the main way in. A key
they do not match ("Passport issued by (state)", "What the department decided") is compared
with every field's words (its wordings and its `meaning`) word by word:

- words are folded (case, the label synonyms, plural and verb endings, a shared stem of
  at least STEM letters: "citizen" / "citizenship") and weighed by how few fields use
  them, so "date" or "name" say little and "birth" or "surname" a lot;
- a word of the key's own (outside hints) that belongs to another field and not to this
  one rules this one out ("Country of birth" is not a nationality); in a hint it only
  counts against; the head of the key (the word before "of", else its last word)
  counts double;
- only fields whose normaliser accepts the value are candidates (the value's shape must
  agree), a name field only when every word of the key is the field's (a name has no
  shape to check), and no field when the key names someone else ("Father's surname");
- the best field must lead the next by MARGIN. Otherwise the pair is kept, as every pair
  is, and no field is filled: missing beats wrong.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Final

from extraction.checks import Taken, evidence, overlaps, vouched
from extraction.eventrecord import other_people
from extraction.fields import FieldSpec
from extraction.labels import FILLER_WORDS, LABEL_SYNONYMS, LabelTable
from extraction.normalise import Normalised
from extraction.pairing import score_label
from extraction.pairs import Pair
from extraction.values import FieldValue

# Words that join a label's parts and mean nothing by themselves.
GLUE: Final[frozenset[str]] = FILLER_WORDS | frozenset({
    "a", "an", "and", "or", "to", "for", "by", "at", "with", "from", "under", "if", "any",
    "what", "which", "whose", "who", "whether", "that", "this", "its", "no", "yes", "y", "n",
    "known", "number", "mm", "dd", "yyyy", "yy",
})
# Words that make a label ask for another value than the applicant's present one
# ("Previous nationality", "Maiden name", "Name at birth"); with the words naming another
# person (events.json), a label holding one fills no field by meaning.
NOT_CURRENT: Final[frozenset[str]] = frozenset({
    "previous", "previously", "former", "formerly", "prior", "earlier", "old", "maiden",
    "alias", "aliases", "alternative", "intended", "proposed", "expected", "next"})
# Prepositions after a label's head noun ("Date of ...", "Type of ...").
HEAD_ENDS: Final[frozenset[str]] = frozenset({"of", "for", "on", "in", "under", "to", "at"})
ENDINGS: Final = ("ities", "ity", "ies", "ing", "ed", "es", "s")
STEM: Final = 5  # letters two words must share to count as one stem
HEAD_WEIGHT: Final = 2.0
HINT_WEIGHT: Final = 0.5
MIN_SCORE: Final = 1.0  # at least one word that only a few fields use
MARGIN: Final = 1.0
# A value found through meaning is less sure than one under a wording the field lists.
MEANING_FACTOR: Final = 0.9


def fold(word: str) -> str:
    word = LABEL_SYNONYMS.get(word, word)
    for end in ENDINGS:
        if len(word) - len(end) >= 4 and word.endswith(end):
            return word[: -len(end)]
    return word


def words_of(text: str) -> list[str]:
    return [fold(w) for w in re.findall(r"[a-z]+", text.lower()) if w not in GLUE]


def same_word(a: str, b: str) -> bool:
    if a == b:
        return True
    shared = min(len(a), len(b))
    return shared >= STEM and (a.startswith(b) or b.startswith(a) or a[:STEM + 1] == b[:STEM + 1])


@dataclass(frozen=True)
class FieldWords:
    words: dict[str, frozenset[str]]  # field -> its folded words
    weight: dict[str, float]  # folded word -> how much it says


@cache
def field_words(fields: tuple[FieldSpec, ...]) -> FieldWords:
    words = {f.name: frozenset(w for text in (*f.labels, f.meaning) for w in words_of(text))
             for f in fields}
    every = {w for ws in words.values() for w in ws}
    count = len(fields)
    weight = {w: math.log((count + 1) / (0.5 + sum(w in ws for ws in words.values())))
              for w in every}
    return FieldWords(words, weight)


def split_key(key: str) -> tuple[list[str], list[str], str | None]:
    """The key's own words, its bracketed hints' words, and its head word."""
    hints = " ".join(re.findall(r"[(\[]([^)\]]*)[)\]]?", key))
    main = re.sub(r"[(\[][^)\]]*[)\]]?", " ", key)
    raw = re.findall(r"[a-z]+", main.lower())
    head = None
    for i, w in enumerate(raw):
        if w in HEAD_ENDS and i > 0:
            head = raw[i - 1]
            break
    content = [w for w in raw if w not in GLUE]
    if head is None and content:
        head = content[-1]
    return [fold(w) for w in content], words_of(hints), fold(head) if head else None


def matches(word: str, vocabulary: Iterable[str]) -> str | None:
    return next((v for v in vocabulary if same_word(word, v)), None)


def score(spec: FieldSpec, key: str, table: FieldWords) -> tuple[float, bool]:
    """How far the key's words say `spec` (0 or less: not this field), and whether every
    word of the key's own (outside hints) is the field's."""
    main, hints, head = split_key(key)
    own = table.words[spec.name]
    others = set().union(*(ws for name, ws in table.words.items() if name != spec.name))
    total, whole = 0.0, bool(main)
    for words, factor in ((main, 1.0), (hints, HINT_WEIGHT)):
        for w in words:
            weight = factor * (HEAD_WEIGHT if w == head and words is main else 1.0)
            if (hit := matches(w, own)) is not None:
                total += weight * table.weight[hit]
            else:
                whole = whole and words is not main
                if (other := matches(w, others)) is not None:
                    if words is main:
                        return min(0.0, total), False  # the key says another field
                    total -= weight * table.weight[other]
    return total, whole


@dataclass(frozen=True)
class Meaning:
    field: str
    normalised: Normalised
    score: float
    margin: float


def field_by_meaning(key: str, value: str, fields: tuple[FieldSpec, ...]) -> Meaning | None:
    """The one field a key means and its value fits, or None when no field, or more than
    one, does (see the module's docstring)."""
    raw = set(re.findall(r"[a-z]+", key.lower()))
    if raw & (other_people() | NOT_CURRENT):
        return None
    table = field_words(fields)
    scored = []
    for spec in fields:
        total, whole = score(spec, key, table)
        normalised = spec.normalise(value) if value.strip() else None
        if normalised is None or (spec.is_name and not whole):
            total = min(total, 0.0)  # not a candidate, but still a rival below
        scored.append((total, spec, normalised))
    scored.sort(key=lambda s: s[0], reverse=True)
    (best, spec, normalised), rival = scored[0], scored[1][0] if len(scored) > 1 else 0.0
    if normalised is None or best < MIN_SCORE or best - max(rival, 0.0) < MARGIN:
        return None
    return Meaning(spec.name, normalised, best, best - max(rival, 0.0))


def meaning_values(pairs: Iterable[Pair], fields: tuple[FieldSpec, ...], table: LabelTable,
                   taken: Taken) -> list[tuple[str, FieldValue]]:
    """A value for each key-value pair whose key no wording of `table` matches but whose
    meaning is one field's, beyond doubt; none from a value another field already holds."""
    specs = {f.name: f for f in fields}
    found: list[tuple[str, FieldValue]] = []
    for pair in pairs:
        value = pair.value
        if value.bbox is None or not value.text.strip() or score_label(pair.key.text, table):
            continue
        if any(page == pair.page and overlaps(value.bbox, box) for page, box in taken):
            continue
        meant = field_by_meaning(pair.key.text, value.text, fields)
        if meant is None:
            continue
        spec, normalised = specs[meant.field], meant.normalised
        ocr = evidence(value.confidence, vouched(spec, value.text, normalised.factor))
        why = f"label {pair.key.text!r} read by meaning as {spec.name}"
        found.append((spec.name, FieldValue(
            value=normalised.value, text=value.text, page=pair.page, bbox=value.bbox,
            confidence=ocr * MEANING_FACTOR * normalised.factor,
            repair=f"{why}; {normalised.repair}" if normalised.repair else why)))
    return found

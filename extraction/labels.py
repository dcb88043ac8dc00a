"""Label wordings for each case field, and the words around labels, as data.

The wordings themselves are declared with each field (`extraction.fields.FIELDS`).
Matching is tolerant (case, punctuation, OCR slips), so they are wordings, not
spellings, gathered from how British immigration paperwork labels its fields; add a
wording there and every layout picks it up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Final

from extraction.fields import FIELDS, FieldSpec
from extraction.normalise import squash

# Words forms add around a label without changing what it asks for ("Applicant's
# nationality", "Given names in full", "Decision taken"); they are set aside when a
# label is compared, together with bracketed hints such as "(dd/mm/yyyy)" or "(s)".
FILLER_WORDS: Final[frozenset[str]] = frozenset({
    "applicant", "applicants", "the", "of", "in", "full", "on", "made",
    "taken", "stated", "as", "main", "principal", "final", "please", "tick", "block",
    "capitals", "current", "s", "your", "his", "her", "their", "person",
    # a label that asks a question ("Has the applicant been granted permission to work")
    "has", "have", "been", "is", "are", "was", "were", "does", "do", "did", "be",
})
# Words a label may end in that also read as an answer ("Permission to work granted",
# "Date granted or refused"): matching never lets a label end in one, and pairing then
# decides whether it is part of the label or the value (extraction/pairing.py).
QUALIFIER_WORDS: Final[frozenset[str]] = frozenset({
    "granted", "refused", "allowed", "permitted", "approved", "given", "issued", "or",
})
# Of those, the ones a label's gist drops wherever they stand ("allowed" and "permitted"
# say what a label asks: "Allowed to work").
GIST_DROPS: Final[frozenset[str]] = QUALIFIER_WORDS - {"allowed", "permitted"}
# Brackets that open and close a hint in a label: "(as on passport)", "[dd/mm/yyyy]".
HINT_OPEN, HINT_CLOSE = "([", ")]"
# Words that mean the same in a label; compared in their canonical form.
LABEL_SYNONYMS: Final[dict[str, str]] = {
    "allowed": "permitted", "permission": "permitted", "nature": "type", "kind": "type",
    "dt": "date", "forenames": "forename", "names": "name", "surnames": "surname",
    "no": "number", "num": "number", "nr": "number", "ref": "reference",
}
# Letter pairs OCR reads for one letter ("Surnarne"); tried as a variant, never instead.
LABEL_OCR_MERGES = (("rn", "m"), ("cl", "d"), ("vv", "w"))


def merged(text: str) -> str:
    """Fold letter pairs OCR confuses with one letter, the same way on both sides."""
    for pair, letter in LABEL_OCR_MERGES:
        text = text.replace(pair, letter)
    return text


def canonical(text: str) -> str:
    """A label's gist: bracketed hints and filler words dropped, synonyms folded, words
    sorted, so "Date decision made" and "Date of decision" compare equal."""
    plain = squash(re.sub(r"\([^)]*\)?|\[[^\]]*\]?", " ", text))
    words = [LABEL_SYNONYMS.get(w, w) for w in plain.split()
             if w not in FILLER_WORDS and w not in GIST_DROPS]
    return " ".join(sorted(words))


@dataclass(frozen=True)
class LabelTable:
    """The label wordings of a set of fields in the forms they are compared in.

    `wordings` and `gists` pair a compared form with its field; `words` holds every word
    of a wording: a "value" made only of these is a label fragment the OCR split off
    ("LAST" of "LAST NAME"), never a person's name or a decision.
    """

    wordings: tuple[tuple[str, str], ...]
    gists: tuple[tuple[str, str], ...]
    max_words: int
    words: frozenset[str]


@cache
def label_table(fields: tuple[FieldSpec, ...] = FIELDS) -> LabelTable:
    """The label table of `fields`, built once per set of fields."""
    wordings = [(squash(w), f.name) for f in fields for w in f.labels]
    wordings += [(merged(w), field) for w, field in wordings if merged(w) != w]
    # A gist that is another field's own wording ("decision made on" -> "decision") is
    # left out: the wording says which field it is. So is a gist whose every word another
    # field's wordings use too ("date granted" -> "date", which "date of arrival" and
    # "date of birth" also start with): it does not say which field it is, unless it is
    # a wording of the field itself ("decision").
    used = {f.name: {word for w in f.labels for word in canonical(w).split()} for f in fields}
    gists = [(g, f.name) for f in fields for w in f.labels if (g := canonical(w))
             and not any(g == plain and other != f.name for plain, other in wordings)
             and ((g, f.name) in wordings
                  or not any(set(g.split()) <= words for other, words in used.items()
                             if other != f.name))]
    gists += [(merged(g), field) for g, field in gists if merged(g) != g]
    words = frozenset(word for f in fields for w in f.labels for word in w.split())
    return LabelTable(tuple(wordings), tuple(gists),
                      max(len(w.split()) for f in fields for w in f.labels),
                      words - {"no"})  # "No" is also the answer to permission to work


LABELS: Final[dict[str, tuple[str, ...]]] = {f.name: f.labels for f in FIELDS}
MAX_LABEL_WORDS: Final[int] = label_table().max_words
LABEL_WORDS: Final[frozenset[str]] = label_table().words

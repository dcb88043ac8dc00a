"""From a document's observed values to the one row the model compares.

Splink compares flat rows, one value a column. A document may hold several values for a
field: a second value read with high confidence that disagrees is evidence of two people
in one record (kept as a reason, never resolved here); otherwise the most confident
value stands for the field. Values that cannot be evidence (an impossible date, a name
in a script the name keys do not cover) are dropped with the reason recorded.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from identity.records import DocumentIdentity, Observed

HIGH_CONFIDENCE = 0.9  # a value read at or above this is "read with high confidence"
FAIR_CONFIDENCE = 0.5  # below this a second value may be noise, not a second person
EARLIEST_BIRTH = date(1900, 1, 1)
# A date of birth read as digits and dashes (an ISO date, possibly misread): compared with
# the other dates of a document even when it cannot be a date (196-01-27, 1990-02-31).
DATE_SHAPE = re.compile(r"[0-9]{2,5}-[0-9]{1,3}-[0-9]{1,3}")

# Spelling rules that fold transliteration variants onto one key (applied in order):
# Mohammed, Muhammad, Mohamed -> MHMD; Youssef, Yusuf -> ISF. Data, not code paths.
TRANSLITERATION_RULES: tuple[tuple[str, str], ...] = (
    ("PH", "F"), ("KH", "K"), ("GH", "G"), ("CK", "K"), ("Q", "K"), ("C", "K"),
    ("Z", "S"), ("W", "V"), ("Y", "I"), ("J", "I"), ("OU", "U"), ("EE", "I"),
    ("OO", "U"),
)
VOWELS = frozenset("AEIOU")


@dataclass(frozen=True)
class Prepared:
    """One document ready to compare: its row, the values chosen for it and the reasons
    it is flagged (two people) or some of its evidence was refused."""

    document_id: str
    row: dict[str, Any]
    chosen: dict[str, Observed]
    two_people: tuple[str, ...]
    refused: tuple[str, ...]

    @property
    def identifying(self) -> bool:
        """Whether anything is left to link on."""
        return any(f in self.chosen for f in ("surname", "date_of_birth", "reference"))


@lru_cache(maxsize=1 << 16)  # names repeat: a run of 100,000 documents holds a few thousand
def latin_name(value: str) -> str | None:
    """Upper-case ASCII letters, spaces and hyphens, accents dropped; None when the name
    is in another script (a transliteration we cannot check is not evidence)."""
    folded = unicodedata.normalize("NFKD", value)
    kept = "".join(ch for ch in folded if not unicodedata.combining(ch))
    if any(ch.isalpha() and not ch.isascii() for ch in kept):
        return None
    cleaned = re.sub(r"[^A-Z\- ]", "", kept.upper())
    cleaned = re.sub(r"\s+", " ", cleaned).strip(" -")
    return cleaned or None


@lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """A key equal for common transliteration variants of one name (of its first word):
    spelling rules, then vowels after the first letter and doubled letters dropped."""
    word = name.split(" ")[0].replace("-", "")
    for old, new in TRANSLITERATION_RULES:
        word = word.replace(old, new)
    if not word:
        return ""
    kept = word[0] + "".join(ch for ch in word[1:] if ch not in VOWELS)
    return re.sub(r"(.)\1+", r"\1", kept)


def birth_date(value: str, today: date) -> tuple[date | None, str | None]:
    """The date of birth, or None with the reason it cannot be evidence."""
    try:
        born = date.fromisoformat(value.strip())
    except ValueError:
        return None, f"impossible date of birth {value!r}"
    if born > today:
        return None, f"date of birth {value} is in the future"
    if born < EARLIEST_BIRTH:
        return None, f"date of birth {value} is before {EARLIEST_BIRTH.year}"
    return born, None


def _strongest(values: list[Observed]) -> Observed | None:
    if len(values) < 2:  # the usual case, and the hot path of a run over 100,000 documents
        return values[0] if values else None
    return max(values, key=lambda o: o.confidence)


def _conflicting(values: list[Observed], similar: float) -> tuple[str, str] | None:
    """Two values that cannot be one value misread: both read with at least fair
    confidence, names unlike (Jaro-Winkler below `similar`), codes and dates more than
    one character apart (and not day and month swapped); or, for codes and dates, one
    read with high confidence and the other, however poorly read, more than two
    characters from it (a misread changes one character, not three)."""
    for i, a in enumerate(values):
        for b in values[i + 1:]:
            if a.value == b.value:
                continue
            least = min(a.confidence, b.confidence)
            if least >= FAIR_CONFIDENCE and _unlike(a.value, b.value, similar):
                return a.value, b.value
            if similar > 1.0 and max(a.confidence, b.confidence) >= HIGH_CONFIDENCE \
                    and _unlike(a.value, b.value, similar) \
                    and DamerauLevenshtein.distance(a.value, b.value) > 2:
                return a.value, b.value
    return None


def _unlike(a: str, b: str, similar: float) -> bool:
    if similar > 1.0:  # a code or a date
        swapped = len(a) == len(b) == 10 and a[:4] == b[:4] and a[5:7] == b[8:10] \
            and a[8:10] == b[5:7]
        return not swapped and DamerauLevenshtein.distance(a, b) > 1
    return JaroWinkler.similarity(a, b) < similar


def _names(doc: DocumentIdentity, field: str, refused: list[str]) -> list[Observed]:
    kept = []
    for obs in getattr(doc, field):
        name = latin_name(obs.value)
        if name is None:
            refused.append(f"{field} {obs.value!r} is not in Latin script")
        else:
            kept.append(Observed(name, obs.confidence, obs.page, obs.bbox))
    return kept


def _dates(doc: DocumentIdentity, today: date,
           refused: list[str]) -> tuple[list[Observed], list[Observed]]:
    """The dates of birth that can be evidence, and the readings that cannot but still
    show a date on the page (digits and dashes, as 196-01-27): not evidence of who the
    document is about, but a second date all the same when far from the first."""
    kept, unusable = [], []
    for obs in doc.date_of_birth:
        born, why = birth_date(obs.value, today)
        if born is None:
            refused.append(str(why))
            if DATE_SHAPE.fullmatch(obs.value.strip()):
                unusable.append(Observed(obs.value.strip(), obs.confidence, obs.page,
                                         obs.bbox))
        else:
            kept.append(Observed(born.isoformat(), obs.confidence, obs.page, obs.bbox))
    return kept, unusable


def _codes(values: tuple[Observed, ...]) -> list[Observed]:
    out = []
    for obs in values:
        code = re.sub(r"[^A-Z0-9]", "", obs.value.upper())
        if code:
            out.append(Observed(code, obs.confidence, obs.page, obs.bbox))
    return out


def prepare(doc: DocumentIdentity, today: date) -> Prepared:
    """The row Splink compares for `doc`, with its two-people and refusal reasons."""
    refused: list[str] = []
    dates, unusable = _dates(doc, today, refused)
    fields = {
        "surname": _names(doc, "surname", refused),
        "given_names": _names(doc, "given_names", refused),
        "date_of_birth": dates,
        "nationality": _codes(doc.nationality),
        "reference": _codes(doc.reference),
    }
    two: list[str] = []
    for field, similar in (("date_of_birth", 1.01), ("reference", 1.01),
                           ("surname", 0.8), ("given_names", 0.8)):
        read = [*fields[field], *unusable] if field == "date_of_birth" else fields[field]
        pair = _conflicting(read, similar)
        if pair:
            two.append(f"two {field.replace('_', ' ')}: "
                       f"{pair[0]} and {pair[1]}")
    chosen = {f: o for f, vs in fields.items() if (o := _strongest(vs)) is not None}
    return Prepared(doc.document_id, to_row(doc.document_id, chosen), chosen,
                    tuple(two), tuple(refused))


def to_row(document_id: str, chosen: dict[str, Observed]) -> dict[str, Any]:
    """The flat row of the model's input columns (see identity.model.COLUMNS)."""
    def val(field: str) -> str | None:
        return chosen[field].value if field in chosen else None

    def conf(field: str) -> float | None:
        return chosen[field].confidence if field in chosen else None

    surname, given, dob = val("surname"), val("given_names"), val("date_of_birth")
    first = given.split(" ")[0] if given else None
    return {
        "unique_id": document_id,
        "surname": surname, "surname_key": name_key(surname) if surname else None,
        "given": given, "given_first": first,
        "given_key": name_key(first) if first else None,
        "dob": dob, "dob_year": dob[:4] if dob else None,
        "dob_month": dob[5:7] if dob else None, "dob_day": dob[8:10] if dob else None,
        "nationality": val("nationality"), "reference": val("reference"),
        "c_surname": conf("surname"), "c_given": conf("given_names"),
        "c_dob": conf("date_of_birth"), "c_nationality": conf("nationality"),
        "c_reference": conf("reference"),
    }

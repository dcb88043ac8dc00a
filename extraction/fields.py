"""The case fields, declared once: everything the code knows about a field is here.

Each `FieldSpec` says what the field is called, how forms label it, how a printed value
is normalised and what a person may type for it, how it is searched and which case-row
column holds it. Label tables, normalisers, the index's case columns and the search
options are all derived from `FIELDS`, so adding a field is one `FieldSpec`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final, Literal

from extraction.normalise import (
    Normalised,
    a_date,
    alpha_3,
    iso_date,
    name,
    nationality,
    no_canonical,
    reference,
    true_false,
    vocabulary,
    vocabulary_key,
    yes_no,
)
from extraction.values import (  # re-exported: callers knew them from here
    STATUSES,
    BBox,
    FieldResult,
    FieldScalar,
    FieldValue,
    Status,
    missing,
)
from extraction.vocab import APPLICATION_TYPES, DECISIONS

__all__ = ["CASE_FIELDS", "FIELDS", "NORMALISERS", "STATUSES", "BBox", "FieldResult",
           "FieldScalar", "FieldSpec", "FieldValue", "Search", "Status", "missing", "spec_of",
           "typed_value"]

Normaliser = Callable[[str], Normalised | None]
# name: fuzzy, through the name lexicon; exact: the normalised value; boolean: yes or no.
SearchHow = Literal["name", "exact", "boolean"]
# How the index keeps a value in its case row (storage's `CaseColumn.kind`).
ColumnKind = Literal["text", "upper", "reference", "date", "boolean"]


@dataclass(frozen=True)
class Search:
    """How a field is searched: `option` names its own filter (None: no exact filter, as
    for a decision date, searched by range only); `range` names the from/to filters of a
    date searched by range."""

    how: SearchHow
    help: str
    option: str | None = None
    range: tuple[str, str] | None = None
    range_help: tuple[str, str] = ("", "")


@dataclass(frozen=True)
class FieldSpec:
    """One case field. `kind` says in words what a value is ("whole day-first date"), for
    the reason a refused value gives. `column` is its case-row column in the index (None:
    it is searched on its stored values instead)."""

    name: str
    kind: str
    labels: tuple[str, ...]
    normalise: Normaliser
    search: Search
    canonical: Callable[[str], FieldScalar | None] = no_canonical
    column: str | None = None
    column_kind: ColumnKind = "text"
    # How far an exact match in a closed vocabulary vouches for a reading by itself: OCR
    # slips do not turn "Refused" into "Granted" or "Ghanaian" into "Kenyan", so a poorly
    # printed but exactly matching word is trusted more than its OCR confidence alone
    # says. Dates, references and names get nothing: one wrong digit or letter still
    # passes their checks.
    vouched: float = 0.0
    # A closed vocabulary that a printed value outside it does not refute: the value is
    # kept as printed for a person to classify, never forced into the nearest entry.
    open_review: bool = False
    # What the field means, in plain words: with the wordings, what a label no list holds
    # is compared with (extraction/meaning.py).
    meaning: str = ""

    @property
    def is_name(self) -> bool:
        """A person's name: no shape to check, so label debris must be kept out of it and
        a trailing speck cannot be dropped (dropping a word gives a wrong name)."""
        return self.search.how == "name"


FIELDS: Final[tuple[FieldSpec, ...]] = (
    FieldSpec(
        "home_office_reference", "reference of a known shape",
        ("home office reference", "home office reference number", "home office ref",
         "ho reference", "ho ref", "ho ref no", "ho ref number", "ho number",
         "reference", "reference number", "reference no", "ref", "ref no", "our ref",
         "our reference", "case reference", "case ref", "file reference", "file ref",
         "ind reference", "ind ref"),
        reference, Search("exact", "Home Office reference, exact", option="reference"),
        column="reference", column_kind="reference",
        meaning="the Home Office reference number of the case or file"),
    FieldSpec(
        "surname", "name",
        ("surname", "family name", "last name", "surname family name", "name surname"),
        name, Search("name", "Surname, fuzzy (two letters may differ)", option="surname"),
        column="surname", meaning="the surname of the person: family name, last name"),
    FieldSpec(
        "given_names", "name",
        ("given names", "given name", "forenames", "forename", "first names", "first name",
         "first name s", "other names", "christian names", "first and middle names"),
        name, Search("name", "First given name, fuzzy", option="given_names"),
        column="given_names",
        meaning="the given names of the person: forenames, first names, other names"),
    FieldSpec(
        "date_of_birth", "whole day-first date",
        ("date of birth", "dob", "d o b", "birth date", "born", "date born"),
        a_date, Search("exact", "Date of birth YYYY-MM-DD", option="dob",
                       range=("born_from", "born_to"),
                       range_help=("Born on or after YYYY-MM-DD",
                                   "Born on or before YYYY-MM-DD")),
        canonical=iso_date, column="date_of_birth", column_kind="date",
        meaning="the date the person was born: date of birth"),
    FieldSpec(
        "nationality", "country or nationality",
        ("nationality", "country of nationality", "citizenship", "national of",
         "nationality citizenship", "country of citizenship"),
        nationality, Search("exact", "ISO 3166 alpha-3, e.g. NGA", option="nationality"),
        canonical=alpha_3, column="nationality", column_kind="upper", vouched=0.5,
        meaning="the nationality or citizenship of the person: a country"),
    FieldSpec(
        "application_type", "known application type",
        ("application type", "type of application", "application", "category",
         "application category", "route", "claim type", "type of claim", "case type"),
        vocabulary(APPLICATION_TYPES), Search("exact", "e.g. asylum", option="application_type"),
        canonical=vocabulary_key(APPLICATION_TYPES), column="application_type",
        vouched=0.6, open_review=True,
        meaning="the type or category of the application or claim made"),
    FieldSpec(
        "decision", "known decision",
        ("decision", "outcome", "result", "decision outcome", "case outcome"),
        vocabulary(DECISIONS), Search("exact", "granted, refused, ...", option="decision"),
        canonical=vocabulary_key(DECISIONS), column="decision", vouched=0.6, open_review=True,
        meaning="the decision or outcome on the application or claim: granted, refused"),
    FieldSpec(
        "decision_date", "whole day-first date",
        ("decision date", "date of decision", "decided on", "date decided", "decision made on",
         "outcome date", "date of outcome", "date granted", "date refused",
         "date granted or refused", "date of grant", "date of refusal", "grant date",
         "refusal date"),
        a_date, Search("exact", "", range=("decided_from", "decided_to"),
                       range_help=("Decided on or after", "Decided on or before")),
        canonical=iso_date, column="decision_date", column_kind="date",
        meaning="when the application was decided: the day it was granted or refused"),
    FieldSpec(
        "permission_to_work", "yes/no answer",
        ("permission to work", "right to work", "allowed to work", "employment permitted",
         "work permitted", "permitted to work", "may work", "employment", "work allowed",
         "can work", "entitled to work"),
        yes_no, Search("boolean", "Permission to work: yes or no",
                       option="permission_to_work"),
        canonical=true_false, column="permission_to_work", column_kind="boolean",
        vouched=0.5, meaning="whether the person has permission to work: right to work"),
)

CASE_FIELDS: Final[tuple[str, ...]] = tuple(f.name for f in FIELDS)
NORMALISERS: Final[dict[str, Normaliser]] = {f.name: f.normalise for f in FIELDS}


def spec_of(field: str, fields: Iterable[FieldSpec] = FIELDS) -> FieldSpec:
    """The spec of a field by name; ValueError naming the fields for any other name."""
    found = {f.name: f for f in fields}
    if field not in found:
        raise ValueError(f"no case field {field!r}; fields are {', '.join(found)}")
    return found[field]


def typed_value(field: str, text: str, fields: Iterable[FieldSpec] = FIELDS) -> FieldScalar:
    """A value a person typed for `field`, in canonical form, or ValueError saying why.

    People may type the canonical form itself (1987-03-12, NGA, true, spouse_visa) or
    anything the field's normaliser reads from a page (12/03/1987, Nigerian, Yes).
    """
    raw = text.strip()
    if not raw:
        raise ValueError(f"{field}: an empty value is not a correction")
    spec = spec_of(field, fields)
    try:
        canonical = spec.canonical(raw)
    except ValueError as exc:
        raise ValueError(f"{field}: {exc}") from exc
    if canonical is not None:
        return canonical
    found = spec.normalise(raw)
    if found is None:
        raise ValueError(f"{field}: {raw!r} is not a valid value for this field")
    return found.value

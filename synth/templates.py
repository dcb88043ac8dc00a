"""Form templates and label wordings, each tagged "train" or "heldout".

The split lets a benchmark tune extraction on "train" pages and then score it
on wordings and templates it has never seen. Everything here is data; the
drawing lives in layouts.py.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Final

from extraction.fields import CASE_FIELDS

SPLITS: Final[tuple[str, ...]] = ("train", "heldout")
# The first three are drawn for both splits; "boxes" (small label inside a ruled box, the
# value under it, wrapped over lines when long) and "columns" (two label-value pairs a
# line) only for held-out pages: layouts extraction was never tuned on.
LAYOUTS: Final[tuple[str, ...]] = ("inline", "stacked", "table", "boxes", "columns")
HELDOUT_LAYOUTS: Final[frozenset[str]] = frozenset({"boxes", "columns"})
FONTS: Final[tuple[str, ...]] = (
    "dejavu-sans",
    "dejavu-serif",
    "liberation-sans",
    "liberation-serif",
    "liberation-mono",
)
# Faces only held-out templates use (synth/pen.py knows where they live).
HELDOUT_FONTS: Final[tuple[str, ...]] = (
    "nimbus-sans",
    "nimbus-roman",
    "nimbus-mono",
    "c059",
    "urw-bookman",
    "dejavu-sans-condensed",
    "liberation-sans-narrow",
)

# field -> (wording, split). The "heldout" wordings are, by design, not among the
# wordings extraction knows (extraction/labels.py; a test keeps it so): they measure
# how tolerant label matching is, not whether a list was copied. Wordings that were
# held out before extraction learnt them are now "train", and so are the wordings issue
# 10 quotes as failure causes (a hint in brackets, a label ending in a decision word, a
# label naming an act), and those the extraction code names in its comments: tuning
# may look at those, so they cannot measure it. The
# held-out ones below were chosen before that tuning began and are never looked at.
LABELS: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    "home_office_reference": (
        ("Home Office reference", "train"),
        ("HO Ref", "train"),
        ("Reference number", "train"),
        ("HO ref no.", "train"),
        ("Our ref", "train"),
        ("H.O. reference", "heldout"),
        ("Home Office ref. no.", "heldout"),
        ("HO file reference (if known)", "heldout"),
        ("Reference no. (Home Office)", "heldout"),
        ("Departmental file number", "heldout"),
        ("UKVI case reference", "heldout"),
    ),
    "surname": (
        ("Surname", "train"),
        ("Family name", "train"),
        ("Last name", "train"),
        ("Surname (as on passport)", "train"),
        ("Surname (block capitals)", "train"),
        ("Applicant's family name", "heldout"),
        ("Surname / family name (as in travel document)", "heldout"),
        ("Family name(s)", "heldout"),
        ("Surname at present", "heldout"),
        ("Name of family (surname)", "heldout"),
    ),
    "given_names": (
        ("Given names", "train"),
        ("Forenames", "train"),
        ("First name(s)", "train"),
        ("Other names", "train"),
        ("Forename(s)", "heldout"),
        ("Given name(s) in full", "heldout"),
        ("All other names (in full)", "heldout"),
        ("Given name(s) (as in passport)", "heldout"),
        ("Christian or given names", "heldout"),
        ("Personal names (first and middle)", "heldout"),
    ),
    "date_of_birth": (
        ("Date of birth", "train"),
        ("DOB", "train"),
        ("D.O.B.", "train"),
        ("Born", "train"),
        ("Date of birth (dd/mm/yyyy)", "train"),
        ("Dt. of birth", "heldout"),
        ("Date of birth [day/month/year]", "heldout"),
        ("Birth date (DD MM YYYY)", "heldout"),
        ("Birthdate", "heldout"),
        ("Date of applicant's birth", "heldout"),
    ),
    "nationality": (
        ("Nationality", "train"),
        ("Country of nationality", "train"),
        ("Citizenship", "train"),
        ("Applicant's nationality", "train"),
        ("Nationality (as stated)", "heldout"),
        ("Nationality (country of citizenship)", "heldout"),
        ("Present nationality", "heldout"),
        ("Citizen of (country)", "heldout"),
        ("Nationality held now", "heldout"),
    ),
    "application_type": (
        ("Application type", "train"),
        ("Category", "train"),
        ("Type of application", "train"),
        ("Application", "train"),
        ("Nature of application", "heldout"),
        ("Type of case", "heldout"),
        ("Type of leave applied for", "heldout"),
        ("Category of application (route)", "heldout"),
        ("Kind of leave sought", "heldout"),
        ("Route applied under", "heldout"),
    ),
    "decision": (
        ("Decision", "train"),
        ("Outcome", "train"),
        ("Result", "train"),
        ("Final decision", "heldout"),
        ("Decision taken", "train"),
        ("Decision on application", "heldout"),
        ("Decision (granted / refused)", "heldout"),
        ("Outcome of the application", "heldout"),
        ("Decision reached", "heldout"),
    ),
    "decision_date": (
        ("Decision date", "train"),
        ("Date of decision", "train"),
        ("Decided on", "train"),
        ("Date granted or refused", "train"),
        ("Date decision made", "train"),
        ("Date of the decision", "heldout"),
        ("Date decision served", "heldout"),
        ("Decision dated", "heldout"),
        ("Date of determination", "heldout"),
        ("Decision notified on", "heldout"),
    ),
    "permission_to_work": (
        ("Permission to work", "train"),
        ("Right to work", "train"),
        ("Allowed to work", "train"),
        ("Employment permitted", "train"),
        ("Permission to work (Y/N)", "train"),
        ("Has the applicant been granted permission to work", "train"),
        ("Permission to work granted", "train"),
        ("Work permission", "train"),
        ("Employment allowed?", "heldout"),
        ("Is the applicant permitted to work? (Yes/No)", "heldout"),
        ("Permission to take employment granted", "heldout"),
        ("May the applicant take up employment?", "heldout"),
        ("Employment: is it permitted?", "heldout"),
    ),
}


@dataclass(frozen=True)
class Template:
    """One form design: which layout, how labels look, field order, fonts."""

    name: str
    layout: str  # one of LAYOUTS
    split: str  # one of SPLITS
    order: tuple[str, ...]
    colon: bool  # "Surname:" rather than "Surname"
    label_upper: bool
    name_case: str  # "upper", "title" or "either" (chosen per file)
    fonts: tuple[str, ...]
    align_values: bool = True  # inline: values start at one column
    column_major: bool = False  # stacked: fill the left column first
    shade_labels: bool = False  # table: grey label cells
    header_center: bool = True


_IDENTITY_FIRST: Final = (
    "surname",
    "given_names",
    "date_of_birth",
    "nationality",
    "home_office_reference",
    "application_type",
    "decision",
    "decision_date",
    "permission_to_work",
)
_GIVEN_FIRST: Final = (
    "home_office_reference",
    "given_names",
    "surname",
    "nationality",
    "date_of_birth",
    "application_type",
    "permission_to_work",
    "decision",
    "decision_date",
)

TEMPLATES: Final[tuple[Template, ...]] = (
    Template(
        "ind-minute",
        "inline",
        "train",
        CASE_FIELDS,
        True,
        False,
        "upper",
        ("liberation-mono", "liberation-serif"),
    ),
    Template(
        "caseworker-sheet",
        "inline",
        "train",
        _IDENTITY_FIRST,
        True,
        False,
        "either",
        ("dejavu-sans", "liberation-sans", "dejavu-serif"),
        align_values=False,
    ),
    Template(
        "applicant-form",
        "stacked",
        "train",
        CASE_FIELDS,
        False,
        True,
        "title",
        ("dejavu-sans", "liberation-sans"),
    ),
    Template(
        "grid-record",
        "table",
        "train",
        _IDENTITY_FIRST,
        False,
        False,
        "upper",
        ("liberation-sans", "dejavu-sans", "liberation-mono"),
        shade_labels=True,
    ),
    Template(
        "typed-card",
        "inline",
        "heldout",
        _GIVEN_FIRST,
        False,
        True,
        "upper",
        ("liberation-mono", "nimbus-mono"),
        header_center=False,
    ),
    Template(
        "summary-sheet",
        "stacked",
        "heldout",
        _IDENTITY_FIRST,
        True,
        False,
        "either",
        ("dejavu-serif", "liberation-serif", "nimbus-roman"),
        column_major=True,
    ),
    Template(
        "ledger",
        "table",
        "heldout",
        _GIVEN_FIRST,
        True,
        False,
        "title",
        ("liberation-serif", "dejavu-sans-condensed", "liberation-sans-narrow"),
        header_center=False,
    ),
    Template(
        "application-boxes",
        "boxes",
        "heldout",
        _IDENTITY_FIRST,
        False,
        False,
        "either",
        ("nimbus-sans", "urw-bookman", "dejavu-sans-condensed"),
    ),
    Template(
        "two-column-minute",
        "columns",
        "heldout",
        _GIVEN_FIRST,
        True,
        False,
        "upper",
        ("c059", "nimbus-mono", "liberation-sans-narrow"),
        header_center=False,
    ),
)

HEADERS: Final[tuple[tuple[str, ...], ...]] = (
    ("HOME OFFICE", "Immigration and Nationality Directorate", "CASE RECORD"),
    ("HOME OFFICE", "UK Visas and Immigration", "Case Information Sheet"),
    ("IMMIGRATION AND NATIONALITY DIRECTORATE", "Lunar House, Croydon", "APPLICANT RECORD"),
    ("HOME OFFICE", "Border and Immigration Agency", "CASE SUMMARY"),
    ("HOME OFFICE", "Asylum Casework Directorate", "RECORD OF CASE"),
)
NOTES_HEADINGS: Final[tuple[str, ...]] = (
    "Caseworker notes",
    "Case notes",
    "Minute",
    "Notes",
    "Summary of case",
)


def check_split(split: str) -> str:
    if split not in (*SPLITS, "all"):
        raise ValueError(f"split must be 'train', 'heldout' or 'all', not {split!r}")
    return split


def wordings(field_name: str, split: str) -> tuple[str, ...]:
    """Label wordings of one field usable in `split` ("all" = both)."""
    return tuple(w for w, s in LABELS[field_name] if split in (s, "all"))


def check_layout(layout: str | None) -> str | None:
    if layout is not None and layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS} or None, not {layout!r}")
    return layout


def pick_template(rng: random.Random, layout: str | None, split: str) -> Template:
    """A template of `split` (not "all": the caller draws the file's split first)."""
    fits = [t for t in TEMPLATES if t.split == split and layout in (None, t.layout)]
    return rng.choice(fits)


def pick_labels(rng: random.Random, template: Template) -> dict[str, str]:
    """One printed label per field, from the template's split."""
    labels = {f: rng.choice(wordings(f, template.split)) for f in CASE_FIELDS}
    return {f: w.upper() if template.label_upper else w for f, w in labels.items()}

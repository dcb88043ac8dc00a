"""Random case-field values, how forms print them, and the truth record.

Each field gets a canonical value (what extraction should return) and the
exact printed text (what OCR should read), so benchmarks can score OCR and
normalisation separately. All randomness comes from the caller's
`random.Random`, never from global state, so a seed fixes a file.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Final

from extraction.fields import CASE_FIELDS, FieldScalar
from synth.countries import COUNTRIES, Country
from synth.names import NAME_GROUPS

# Canonical value -> printed variants. Extraction maps any variant back to the key.
APPLICATION_TYPES: Final[dict[str, tuple[str, ...]]] = {
    "asylum": ("Asylum", "Asylum claim"),
    "spouse_visa": ("Spouse visa", "Marriage/spouse"),
    "indefinite_leave_to_remain": ("Indefinite leave to remain", "ILR"),
    "student_visa": ("Student visa", "Tier 4 student"),
    "work_permit": ("Work permit",),
    "naturalisation": ("Naturalisation", "British citizenship"),
    "family_reunion": ("Family reunion",),
    "visit_visa": ("Visit visa", "Visitor"),
}
DECISIONS: Final[dict[str, tuple[str, ...]]] = {
    "granted": ("Granted", "Approved"),
    "refused": ("Refused",),
    "withdrawn": ("Withdrawn",),
    "pending": ("Pending", "Awaiting decision"),
}
DECISION_WEIGHTS: Final[tuple[float, ...]] = (0.4, 0.35, 0.1, 0.15)
YES_NO_STYLES: Final[tuple[tuple[str, str], ...]] = (("Yes", "No"), ("YES", "NO"), ("Y", "N"))
YES_NO_WEIGHTS: Final[tuple[float, ...]] = (0.6, 0.25, 0.15)

MONTHS: Final[tuple[str, ...]] = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
# British day-first styles; "dot_yy" is never used for births (century ambiguous).
DATE_STYLES: Final[tuple[str, ...]] = ("slash", "dot", "long", "dash_upper", "short", "dot_yy")
REFERENCE_LETTERS: Final[str] = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no O or I: read as digits


def format_date(d: date, style: str) -> str:
    """Print a date the way one British form style would."""
    month = MONTHS[d.month - 1]
    formats = {
        "slash": f"{d.day:02d}/{d.month:02d}/{d.year}",
        "dot": f"{d.day:02d}.{d.month:02d}.{d.year}",
        "long": f"{d.day} {month} {d.year}",
        "dash_upper": f"{d.day:02d}-{month[:3].upper()}-{d.year}",
        "short": f"{d.day} {month[:3]} {d.year}",
        "dot_yy": f"{d.day:02d}.{d.month:02d}.{d.year % 100:02d}",
    }
    return formats[style]


def random_date(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def draw_reference(rng: random.Random) -> str:
    """A Home Office reference: one letter, seven digits, sometimes '/n'."""
    ref = rng.choice(REFERENCE_LETTERS) + "".join(rng.choices("0123456789", k=7))
    return ref + f"/{rng.randint(1, 9)}" if rng.random() < 0.3 else ref


@dataclass(frozen=True)
class Applicant:
    """Who the file is about: what the notes need beyond the printed fields."""

    country: Country
    female: bool
    surname: str
    given_names: str


def draw_applicant(rng: random.Random) -> Applicant:
    """Mostly names of the nationality's tradition; sometimes any (diaspora, marriage)."""
    country = rng.choice(COUNTRIES)
    group_key = country.names if rng.random() < 0.85 else rng.choice(sorted(NAME_GROUPS))
    group = NAME_GROUPS[group_key]
    female = rng.random() < 0.5
    pool = group.female if female else group.male
    given = [rng.choice(pool)]
    seconds = [n for n in pool if n != given[0] and " " not in n]
    if " " not in given[0] and seconds and rng.random() < 0.35:
        given.append(rng.choice(seconds))
    return Applicant(country, female, rng.choice(group.surnames), " ".join(given))


@dataclass(frozen=True)
class DrawnCase:
    """Canonical values and printed strings for every case field."""

    applicant: Applicant
    timeline: tuple[date, date]  # when the notes' events happen: up to the decision
    values: dict[str, FieldScalar | None]
    printed: dict[str, str | None]  # "" = label printed with a blank value


def draw_case(rng: random.Random, *, upper_names: bool) -> DrawnCase:
    """Draw one person's case; `upper_names` is the template's name style."""
    who = draw_applicant(rng)
    style = rng.choice(DATE_STYLES)
    dob = random_date(rng, date(1930, 1, 1), date(2010, 12, 31))
    decision = rng.choices(list(DECISIONS), DECISION_WEIGHTS)[0]
    app_type = rng.choice(list(APPLICATION_TYPES))
    yes, no = rng.choices(YES_NO_STYLES, YES_NO_WEIGHTS)[0]
    works = rng.random() < 0.5
    surname, given = who.surname, who.given_names
    if upper_names:
        surname, given = surname.upper(), given.upper()
    values: dict[str, FieldScalar | None] = {
        "home_office_reference": draw_reference(rng),
        "surname": who.surname,
        "given_names": who.given_names,
        "date_of_birth": dob.isoformat(),
        "nationality": who.country.alpha3,
        "application_type": app_type,
        "decision": decision,
        "decision_date": None,
        "permission_to_work": works,
    }
    printed: dict[str, str | None] = {
        "home_office_reference": str(values["home_office_reference"]),
        "surname": surname,
        "given_names": given,
        "date_of_birth": format_date(dob, "dot" if style == "dot_yy" else style),
        "nationality": rng.choice((who.country.name, who.country.demonym)),
        "application_type": rng.choice(APPLICATION_TYPES[app_type]),
        "decision": rng.choice(DECISIONS[decision]),
        "decision_date": rng.choice((None, "-", "")),
        "permission_to_work": yes if works else no,
    }
    decided = random_date(rng, max(date(1995, 1, 1), dob + timedelta(days=366)), date(2024, 12, 31))
    if decision != "pending":
        values["decision_date"] = decided.isoformat()
        printed["decision_date"] = format_date(decided, style)
    adult = max(date(1994, 1, 1), dob + timedelta(days=16 * 365))
    start = max(dob, min(adult, decided - timedelta(days=3 * 365)))  # children: years too
    return DrawnCase(who, (start, decided), values, printed)


def drop_fields(case: DrawnCase, rng: random.Random, missing_rate: float) -> DrawnCase:
    """Blank out fields at `missing_rate`: real files often lack some entries."""
    gone = {f for f in CASE_FIELDS if rng.random() < missing_rate}
    values = {f: None if f in gone else v for f, v in case.values.items()}
    printed = {f: None if f in gone else v for f, v in case.printed.items()}
    return DrawnCase(case.applicant, case.timeline, values, printed)


@dataclass(frozen=True)
class CaseTruth:
    """Ground truth for one generated file, as written to truth.json.

    `fields` holds canonical values (ISO date, alpha-3, vocabulary key, bool,
    Title Case name) or None when the page does not state the field; `printed`
    the exact text on the page (None: not printed, "": label with a blank).
    `split` is the wording/template split the file was drawn from.
    """

    file: str
    layout: str
    template: str
    split: str
    degradation: str
    steps: tuple[str, ...]
    fields: dict[str, FieldScalar | None]
    printed: dict[str, str | None]
    labels: dict[str, str]
    notes: str
    pages: int
    seed: int = 0
    font: str = ""
    dpi: int = 300
    step_params: tuple[dict[str, float], ...] = field(default=())

    def as_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "layout": self.layout,
            "template": self.template,
            "split": self.split,
            "degradation": self.degradation,
            "steps": list(self.steps),
            "step_params": [dict(p) for p in self.step_params],
            "fields": dict(self.fields),
            "printed": dict(self.printed),
            "labels": dict(self.labels),
            "notes": self.notes,
            "pages": self.pages,
            "seed": self.seed,
            "font": self.font,
            "dpi": self.dpi,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CaseTruth:
        """Inverse of `as_json` (lists back to tuples)."""
        raw = dict(data)
        raw["steps"] = tuple(raw["steps"])
        raw["step_params"] = tuple(raw.get("step_params", ()))
        return cls(**raw)

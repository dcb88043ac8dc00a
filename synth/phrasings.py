"""How letters, minutes and decision notices state decisions, as data, each tagged with
its split.

A phrasing is a sentence template with the event it states (kind, outcome) or, for a
decoy, the reason it states none. The "heldout" phrasings and date forms are decided
here once, before any extraction rule was written, and stay out of extraction/ (a test
keeps it so): the benchmark scores the events reader on them to measure how it copes
with wordings it was not written against.

Placeholders: {date} the event's date; {Title} {surname} the applicant; {other} another
person's name; {rel} how that person is related.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from synth.truth import MONTHS

PTW: Final = "permission_to_work"
CLAIM: Final = "claim_decision"
APPEAL: Final = "appeal"


@dataclass(frozen=True)
class Phrasing:
    """One way of stating an event (`kind`, `outcome`) or a decoy (`decoy` = why not)."""

    text: str
    split: str
    kind: str | None = None
    outcome: str | None = None
    decoy: str | None = None
    where: str = "prose"  # "prose" (letter sentences) or "minute" (a dated minute line)


def _e(text: str, split: str, kind: str, outcome: str, where: str = "prose") -> Phrasing:
    return Phrasing(text, split, kind, outcome, None, where)


def _d(text: str, split: str, why: str, where: str = "prose") -> Phrasing:
    return Phrasing(text, split, None, None, why, where)


EVENTS: Final[tuple[Phrasing, ...]] = (
    # permission to work, tuning split
    _e("Permission to work was granted on {date}.", "train", PTW, "granted"),
    _e("You were granted permission to work on {date}.", "train", PTW, "granted"),
    _e("On {date} {Title} {surname} was granted permission to take employment.", "train",
       PTW, "granted"),
    _e("Permission to work was refused on {date}.", "train", PTW, "refused"),
    _e("Your application for permission to work was refused on {date}.", "train", PTW,
       "refused"),
    _e("PTW granted {date}.", "train", PTW, "granted", "minute"),
    _e("Perm. to work granted {date}.", "train", PTW, "granted", "minute"),
    _e("PTW refused {date}.", "train", PTW, "refused", "minute"),
    _e("perm. to work refused {date}.", "train", PTW, "refused", "minute"),
    # permission to work, held out
    _e("We have decided to grant you permission to work from {date}.", "heldout", PTW,
       "granted"),
    _e("Permission to take up employment was refused by the Home Office on {date}.",
       "heldout", PTW, "refused"),
    _e("On {date} the request for permission to work was approved.", "heldout", PTW,
       "granted"),
    _e("P.T.W. approved {date}.", "heldout", PTW, "granted", "minute"),
    _e("Permission to work: refused {date}.", "heldout", PTW, "refused", "minute"),
    _e("PTW app. refused on {date}.", "heldout", PTW, "refused", "minute"),
    # claims decided
    _e("Your asylum claim was refused on {date}.", "train", CLAIM, "refused"),
    _e("The claim for asylum was granted on {date}.", "train", CLAIM, "granted"),
    _e("Asylum claim refused {date}.", "train", CLAIM, "refused", "minute"),
    _e("Claim granted {date}.", "train", CLAIM, "granted", "minute"),
    _e("On {date} the Secretary of State decided to refuse your protection claim.",
       "heldout", CLAIM, "refused"),
    _e("You were recognised as a refugee and granted asylum on {date}.", "heldout", CLAIM,
       "granted"),
    # added after the events reader was written (a case file's minute restating a refusal
    # needed one); written without trying it against the reader
    _e("Asylum refused {date}, decision served by post.", "heldout", CLAIM, "refused",
       "minute"),
    _e("Asylum granted {date}, refugee status recognised.", "heldout", CLAIM, "granted",
       "minute"),
    # appeals
    _e("Your appeal was dismissed on {date}.", "train", APPEAL, "refused"),
    _e("The appeal was allowed on {date}.", "train", APPEAL, "granted"),
    _e("Appeal dismissed {date}.", "train", APPEAL, "refused", "minute"),
    _e("On {date} the Tribunal allowed the appeal.", "heldout", APPEAL, "granted"),
    _e("Appeal to the IAC dismissed {date}.", "heldout", APPEAL, "refused", "minute"),
)

DECOYS: Final[tuple[Phrasing, ...]] = (
    # tuning split
    _d("If you are granted permission to work, you must tell us within 7 days.", "train",
       "conditional"),
    _d("You may apply for permission to work if your claim is outstanding after 12 months.",
       "train", "may"),
    _d("A request for permission to work was received on {date}; no decision yet.", "train",
       "undecided"),
    _d("Should the appeal be allowed, the file will be returned to the caseworker.", "train",
       "conditional"),
    _d("Your {rel} {other} was granted permission to work on {date}.", "train", "other person"),
    _d("PTW granted.", "train", "no date", "minute"),
    _d("PTW granted {bad_date}.", "train", "impossible date", "minute"),
    _d("Permission to work was refused on {future_date}.", "train", "future date"),
    # held out
    _d("Were permission to work to be granted, you would be able to take any job.", "heldout",
       "conditional"),
    _d("You can ask for permission to work once your claim has waited a year.", "heldout",
       "may"),
    _d("Caseworker to consider whether PTW should be granted.", "heldout", "undecided",
       "minute"),
    _d("Should your appeal be dismissed you may seek permission to appeal.", "heldout",
       "conditional"),
    _d("Your {rel} {other} has been refused permission to work on {date}.", "heldout",
       "other person"),
    _d("Appeal allowed.", "heldout", "no date", "minute"),
    _d("Claim refused {future_date}.", "heldout", "future date", "minute"),
)

# Date forms, as letters and minutes print them.
DATE_FORMS: Final[tuple[tuple[str, str], ...]] = (
    ("slash", "train"),
    ("slash_yy", "train"),
    ("long", "train"),
    ("ordinal", "train"),
    ("of", "train"),
    ("dash_upper", "train"),
    ("dot", "heldout"),
    ("us_long", "heldout"),
    ("short", "heldout"),
)
FONTS: Final[dict[str, tuple[str, ...]]] = {
    "train": ("dejavu-sans", "liberation-serif", "liberation-mono"),
    "heldout": ("dejavu-serif", "liberation-sans"),
}
RELATIONS: Final = ("husband", "wife", "son", "daughter", "brother", "sister")


def _ordinal(day: int) -> str:
    return "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def format_date(d: date, form: str) -> str:
    """A date printed in one of DATE_FORMS."""
    month = MONTHS[d.month - 1]
    forms = {
        "slash": f"{d.day:02d}/{d.month:02d}/{d.year}",
        "slash_yy": f"{d.day:02d}/{d.month:02d}/{d.year % 100:02d}",
        "long": f"{d.day} {month} {d.year}",
        "ordinal": f"{d.day}{_ordinal(d.day)} {month} {d.year}",
        "of": f"the {d.day}{_ordinal(d.day)} of {month} {d.year}",
        "dash_upper": f"{d.day:02d}-{month[:3].upper()}-{d.year}",
        "dot": f"{d.day:02d}.{d.month:02d}.{d.year}",
        "us_long": f"{month} {d.day}, {d.year}",
        "short": f"{d.day} {month[:3]} {d.year}",
    }
    return forms[form]


def of_split(items: tuple[Phrasing, ...], split: str, where: str) -> tuple[Phrasing, ...]:
    return tuple(p for p in items if p.split == split and p.where == where)


def date_forms(split: str) -> tuple[str, ...]:
    return tuple(f for f, s in DATE_FORMS if s == split)


def heldout_texts() -> tuple[str, ...]:
    """The fixed words of every held-out phrasing (a test checks extraction lacks them)."""
    return tuple(p.text for p in (*EVENTS, *DECOYS) if p.split == "heldout")

"""Letters, minute sheets and decision notices that state decisions, with known truth.

Each page is drawn from one split's phrasings, date forms and fonts (synth/phrasings.py),
so a benchmark can read pages whose wordings the events reader was never written
against. A page's truth lists the events it states (kind, outcome, ISO date) and the
decoys it carries (sentences that look like decisions but state none, with why).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from PIL import Image

from synth.pen import Pen, Style
from synth.phrasings import (
    DECOYS,
    EVENTS,
    FONTS,
    RELATIONS,
    Phrasing,
    date_forms,
    format_date,
    of_split,
)
from synth.truth import Applicant, draw_applicant, random_date

LETTERHEADS: Final = (
    ("HOME OFFICE", "UK Visas and Immigration", "Lunar House, 40 Wellesley Road, Croydon CR9 2BY"),
    ("HOME OFFICE", "Asylum Casework Directorate", "PO Box 3468, Sheffield S3 8WA"),
    ("IMMIGRATION AND NATIONALITY DIRECTORATE", "Asylum Support", "Croydon CR9 1AT"),
)
FILLERS: Final = (
    "Thank you for your letter of {date}.",
    "We have considered all the information you provided.",
    "Please keep this letter in a safe place.",
    "Please quote the reference above in all correspondence.",
    "Your case has been considered carefully by a senior caseworker.",
    "Your representative has been sent a copy of this letter.",
    "Your interview took place in Croydon on {date}.",
)
MINUTE_FILLERS: Final = (
    "File received from registry.",
    "Interview booked for {date}.",
    "Rep. phoned re progress.",
    "Address updated, see correspondence of {date}.",
    "Papers sent to presenting officer.",
)
NOTICE_HEADINGS: Final[dict[str, tuple[str, ...]]] = {
    "train": ("NOTICE OF DECISION", "DECISION NOTICE"),
    "heldout": ("NOTIFICATION OF IMMIGRATION DECISION",),
}
NOTICE_LABELS: Final[dict[str, tuple[tuple[str, str, str, str, str], ...]]] = {
    # surname, given names, reference, decision, decision date
    "train": (("Surname", "Forenames", "HO Ref", "Decision", "Date of decision"),
              ("Family name", "Given names", "Home Office reference", "Outcome", "Decided on")),
    "heldout": (("Surname", "Forenames", "Reference number", "Result", "Decision date"),),
}
OUTCOME_WORDS: Final = {"granted": "Granted", "refused": "Refused"}


@dataclass(frozen=True)
class EventTruth:
    """One event a page states: what, how decided, when, and the sentence saying it."""

    kind: str
    outcome: str
    date: str
    text: str
    page: int


@dataclass(frozen=True)
class DecoyTruth:
    text: str
    why: str
    page: int


@dataclass(frozen=True)
class Story:
    """Who the page is about and the span its dates fall in."""

    who: Applicant
    title: str
    first: date
    last: date


@dataclass(frozen=True)
class Written:
    """Rendered sentences of one page and what they state."""

    lines: tuple[str, ...]
    events: tuple[EventTruth, ...]
    decoys: tuple[DecoyTruth, ...]


def page_style(rng: random.Random, split: str) -> Style:
    return Style(font=rng.choice(FONTS[split]), size=rng.randint(42, 50),
                 margin=rng.randint(230, 320), top=rng.randint(170, 280),
                 spacing=rng.uniform(1.35, 1.6), ink=rng.randint(0, 35),
                 label_ink=rng.randint(40, 80))


def _bad_date(rng: random.Random) -> str:
    year = rng.randint(2001, 2023)
    return rng.choice((f"31/02/{year % 100:02d}", f"30.02.{year}", f"32/{rng.randint(1, 12):02d}/"
                       f"{year}", f"14/13/{year}"))


def fill(p: Phrasing, rng: random.Random, story: Story, split: str) -> tuple[str, date]:
    """A phrasing's sentence and the date it carries (drawn in the story's span). A minute
    ending in its date is half the time written date first ("03/04/19 PTW granted."),
    as minutes often are."""
    when = random_date(rng, story.first, story.last)
    template = p.text
    if (p.where == "minute" and template.endswith(" {date}.")
            and not template.endswith(" on {date}.") and rng.random() < 0.5):
        template = "{date}  " + template.removesuffix(" {date}.") + "."
    other = draw_applicant(rng)
    future = random_date(rng, date(2031, 1, 1), date(2039, 12, 31))
    text = template.format(
        date=format_date(when, rng.choice(date_forms(split))), Title=story.title,
        surname=story.who.surname, other=f"{other.given_names.split()[0]} {other.surname}",
        rel=rng.choice(RELATIONS), bad_date=_bad_date(rng),
        future_date=format_date(future, rng.choice(date_forms(split))))
    return text, when


def _filler(rng: random.Random, pool: tuple[str, ...], story: Story, split: str) -> str:
    when = random_date(rng, story.first, story.last)
    return rng.choice(pool).format(date=format_date(when, rng.choice(date_forms(split))))


def write(rng: random.Random, story: Story, split: str, where: str, page: int,
          events: int, decoys: int, fillers: int) -> Written:
    """`events` event sentences, `decoys` decoys and `fillers` plain sentences, shuffled."""
    said, fakes_pool = of_split(EVENTS, split, where), of_split(DECOYS, split, where)
    chosen = [(p, True) for p in rng.sample(said, min(events, len(said)))]
    chosen += [(p, False) for p in rng.sample(fakes_pool, min(decoys, len(fakes_pool)))]
    chosen += [(Phrasing("", split), False)] * fillers
    rng.shuffle(chosen)
    lines, found, fakes = [], [], []
    pool = FILLERS if where == "prose" else MINUTE_FILLERS
    for p, is_event in chosen:
        if not p.text:
            lines.append(_filler(rng, pool, story, split))
            continue
        text, when = fill(p, rng, story, split)
        lines.append(text)
        if is_event and p.kind and p.outcome:
            found.append(EventTruth(p.kind, p.outcome, when.isoformat(), text, page))
        elif p.decoy:
            fakes.append(DecoyTruth(text, p.decoy, page))
    return Written(tuple(lines), tuple(found), tuple(fakes))


def _letterhead(pen: Pen, rng: random.Random) -> None:
    for i, line in enumerate(rng.choice(LETTERHEADS)):
        pen.text(pen.left, pen.y, line, scale=1.3 if i == 0 else 0.85, bold=i == 0)
        pen.y += pen.line_height(1.3 if i == 0 else 0.85)
    pen.y += pen.style.size
    pen.rule(pen.y)
    pen.y += pen.style.size


def render_letter(style: Style, rng: random.Random, story: Story, reference: str,
                  written: Written, split: str) -> Image.Image:
    """A letter: letterhead, reference and date, addressee, body in paragraphs, signature."""
    pen = Pen(style)
    _letterhead(pen, rng)
    sent = format_date(story.last + timedelta(days=rng.randint(1, 20)),
                       rng.choice(date_forms(split)))
    who = story.who
    for line in (f"Our ref: {reference}", f"Date: {sent}", "",
                 f"{story.title} {who.given_names} {who.surname}", "", f"Dear {story.title} "
                 f"{who.surname}", ""):
        pen.text(pen.left, pen.y, line)
        pen.y += pen.line_height()
    body = list(written.lines)
    while body:
        size = rng.randint(1, 3)
        take, body = body[:size], body[size:]
        for line in pen.wrap(" ".join(take)):
            pen.text(pen.left, pen.y, line)
            pen.y += pen.line_height()
        pen.y += pen.style.size
    for line in ("Yours sincerely", "", "", "Asylum Casework Directorate"):
        pen.text(pen.left, pen.y, line)
        pen.y += pen.line_height()
    return pen.image


def render_minutes(style: Style, rng: random.Random, story: Story, reference: str,
                   written: Written, split: str) -> Image.Image:
    """A minute sheet: heading, then one short entry a line, with the writer's initials."""
    pen = Pen(style)
    pen.text(pen.left, pen.y, "MINUTE SHEET", scale=1.3, bold=True)
    pen.y += pen.line_height(1.3)
    pen.text(pen.left, pen.y, f"{story.who.surname.upper()}  {reference}")
    pen.y += 2 * pen.line_height()
    for line in written.lines:
        initials = "".join(rng.choice("ABCDEGHJKLMPRST") for _ in range(2))
        for part in pen.wrap(f"{line}  {initials}"):
            pen.text(pen.left, pen.y, part)
            pen.y += pen.line_height()
        pen.y += pen.style.size
    return pen.image


def render_notice(style: Style, rng: random.Random, story: Story, reference: str,
                  outcome: str, when: date, split: str) -> Image.Image:
    """A decision notice: heading, labelled identity and decision lines, one sentence."""
    pen = Pen(style)
    _letterhead(pen, rng)
    pen.text(pen.left, pen.y, rng.choice(NOTICE_HEADINGS[split]), scale=1.2, bold=True)
    pen.y += 2 * pen.line_height(1.2)
    labels = rng.choice(NOTICE_LABELS[split])
    values = (story.who.surname.upper(), story.who.given_names, reference,
              OUTCOME_WORDS[outcome], format_date(when, rng.choice(("slash", "long", "dot"))))
    column = pen.left + max(pen.width(f"{lb}:") for lb in labels) + pen.width("    ")
    for label, value in zip(labels, values, strict=True):
        pen.text(pen.left, pen.y, f"{label}:")
        pen.text(column, pen.y, value)
        pen.y += round(pen.line_height() * 1.3)
    pen.y += pen.style.size
    for line in pen.wrap("You have the right to appeal against this decision. The reasons "
                         "for the decision are set out in the attached letter."):
        pen.text(pen.left, pen.y, line)
        pen.y += pen.line_height()
    return pen.image

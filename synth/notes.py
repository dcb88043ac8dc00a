"""Free-text caseworker notes, filled from sentence templates.

The notes repeat the applicant's name and mention other dates, places and
organisations, as real minutes do: extraction must not take a date or name
from the prose when the labelled field says otherwise.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from typing import Final

from synth.truth import MONTHS, Applicant, draw_reference, random_date

UK_CITIES: Final[tuple[str, ...]] = (
    "London",
    "Croydon",
    "Liverpool",
    "Manchester",
    "Birmingham",
    "Glasgow",
    "Leeds",
    "Cardiff",
    "Sheffield",
    "Leicester",
    "Bradford",
    "Newcastle upon Tyne",
    "Bristol",
)
ORGANISATIONS: Final[tuple[str, ...]] = (
    "the Refugee Council",
    "the Home Office Presenting Officers Unit",
    "the Immigration Advisory Service",
    "the Refugee Legal Centre",
    "the Joint Council for the Welfare of Immigrants",
    "a local Citizens Advice Bureau",
    "the Medical Foundation",
)
FIRST_PAGE: Final[tuple[str, ...]] = (
    "{Title} {surname} arrived in the United Kingdom from {origin} on {date}.",
    "The applicant was interviewed in {uk_city} on {date}{interpreting}.",
    "Representations were received from {org} on {date}.",
    "{He} states that {his} parents remain in {origin}, {country}.",
    "The applicant has relatives in {uk_city} and has stayed with them since arrival.",
    "Identity documents were checked and copies placed on file.",
    "{Title} {surname} reports fortnightly at the {uk_city} reporting centre.",
    "File referred to {org} for advice on {date}.",
    "Biometric details were enrolled in {uk_city} on {date}.",
    "Further evidence was requested by letter dated {date}.",
)
CONTINUATION: Final[tuple[str, ...]] = (
    "Telephone call from the representative; advised that the file is under review.",
    "Correspondence sent to an address in {uk_city} was returned undelivered.",
    "Linked to the dependant's file {other_ref}; both to be considered together.",
    "Minute to senior caseworker on {date}: please review before any decision is served.",
    "Letter of support received from {org} on {date}.",
    "{Title} {surname} attended an appointment in {uk_city} with {his} representative.",
    "Medical evidence received on {date} and added to the file.",
    "Change of address notified; new address in {uk_city}.",
)


def date_words(d: date, rng: random.Random) -> str:
    """A date as a caseworker writes it in prose."""
    day, month = d.day, MONTHS[d.month - 1]
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    forms = (
        f"{day} {month} {d.year}",
        f"{day}{suffix} {month} {d.year}",
        f"the {day}{suffix} of {month} {d.year}",
    )
    return rng.choice(forms)


@dataclass(frozen=True)
class Story:
    """What stays fixed across one file's notes: who, how addressed, and when."""

    who: Applicant
    title: str
    first: date  # notes dates fall inside the case's own timeline
    last: date


def _context(rng: random.Random, story: Story) -> dict[str, str]:
    """Fillers for one sentence (each sentence gets its own date and place)."""
    who = story.who
    language = rng.choice(who.country.languages) if who.country.languages else ""
    return {
        "Title": story.title,
        "surname": who.surname,
        "He": "She" if who.female else "He",
        "his": "her" if who.female else "his",
        "origin": rng.choice(who.country.cities),
        "country": who.country.name,
        "uk_city": rng.choice(UK_CITIES),
        "org": rng.choice(ORGANISATIONS),
        "date": date_words(random_date(rng, story.first, story.last), rng),
        "interpreting": f" with {_article(language)} {language} interpreter"
        if language
        else " in English",
        "other_ref": draw_reference(rng),
    }


def _article(word: str) -> str:
    return "an" if word[:1] in "AEIOU" else "a"


def paragraph(rng: random.Random, story: Story, pool: tuple[str, ...], count: int) -> str:
    return " ".join(s.format(**_context(rng, story)) for s in rng.sample(pool, count))


def case_notes(
    rng: random.Random, who: Applicant, pages: int, window: tuple[date, date]
) -> list[list[str]]:
    """Paragraphs per page: 3-6 sentences on page 1, two paragraphs per continuation.

    `window` bounds the dates mentioned (e.g. arrival to decision).
    """
    title = rng.choice(("Mrs", "Ms", "Miss")) if who.female else "Mr"
    story = Story(who, title, *window)
    notes = [[paragraph(rng, story, FIRST_PAGE, rng.randint(3, 6))]]
    for _ in range(pages - 1):
        pool = FIRST_PAGE + CONTINUATION
        notes.append([paragraph(rng, story, pool, rng.randint(3, 5)) for _ in range(2)])
    return notes

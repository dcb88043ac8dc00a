"""Turn printed text into canonical values, or refuse.

Each normaliser returns None rather than guess: a missing value is better
than a wrong one. The factor it returns (0..1) says how much the value had
to be repaired, and lowers the field's confidence accordingly.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache

import dateparser
import pycountry
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from extraction.values import FieldScalar
from extraction.vocab import COUNTRY_ALIASES, DEMONYMS, NO, YES


@dataclass(frozen=True)
class Normalised:
    """A canonical value; `factor` (0..1) lowers its confidence where the printed text had
    to be repaired, and `repair` says what was repaired (None: read as printed)."""

    value: FieldScalar
    factor: float = 1.0
    repair: str | None = None


# Known shapes of Home Office references: (letters, digits); an optional /N suffix follows.
REFERENCE_SHAPES: tuple[tuple[int, int], ...] = ((1, 7),)
# OCR confusions that are safe to undo where only a digit can stand.
DIGIT_FIXES = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "I": "1", "l": "1",
                             "|": "1", "i": "1", "S": "5", "s": "5", "Z": "2", "z": "2",
                             "B": "8", "G": "6", "g": "9"})
# Symbols OCR reads for a letter, undone only where the shape needs a letter ("$5600859").
LETTER_FIXES = str.maketrans({"$": "S", "€": "E", "£": "E"})
# Digits OCR reads for a letter, each for one letter only: where the shape needs a letter
# ("81234567" is B1234567) the repair is unambiguous. 0 (O, D or Q) and 1 (I or L) are not.
DIGIT_LETTERS = str.maketrans({"8": "B", "5": "S", "6": "G"})
# How far a repair a normaliser had to make lowers the value's confidence.
REPAIRED = 0.8
NAME_RE = re.compile(r"^[^\W\d_]+(?:['’\-][^\W\d_]+)*$")
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
NUMERIC_DATE = re.compile(r"^(\d{1,2})[./\-](\d{1,2})[./\-](\d{2}|\d{4})$")
# The same with a separator OCR misread (":" or "," for "." or "/"): the digits still stand
# in day-month-year order, so the date is read, with a little less confidence.
SMUDGED_DATE = re.compile(r"^(\d{1,2})\s?[./\-:,]\s?(\d{1,2})\s?[./\-:,]\s?(\d{2}|\d{4})$")
# Eight digits where the separators were lost ("13061981"): read day-first only when
# year-first cannot be a date, so the order is not a guess.
RUN_DATE = re.compile(r"^(\d{2})(\d{2})((?:19|20)\d{2})$")
# Day, month and year apart with spaces only ("13 06 1981"): the separators faded.
SPACED_DATE = re.compile(r"^(\d{1,2})\s+(\d{1,2})\s+(\d{4})$")
WORD_DATE = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s\-./]+([A-Za-z]{3,9})\.?[\s\-./,]+(\d{4})$")


def squash(text: str) -> str:
    """Lower case, punctuation to spaces, spaces collapsed: the form wordings are compared in."""
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", text.lower()).split())


def reference(text: str) -> Normalised | None:
    """A reference of a known shape; digit look-alikes (O, I, S...) are undone only where
    the shape needs a digit."""
    raw = re.sub(r"\s+", "", text)
    raw = re.sub(r"^[^A-Za-z0-9$€£]+|[^A-Za-z0-9]+$", "", raw)  # starts and ends in alnum
    head, _, tail = raw.partition("/")
    if tail and not 1 <= len(tail) <= 3:
        return None
    for letters, digits in REFERENCE_SHAPES:
        # look-alikes are undone in the case OCR gave them: "l" is a 1, "g" a 9, "G" a 6
        printed = head[:letters].upper().translate(LETTER_FIXES)
        prefix = printed.translate(DIGIT_LETTERS)
        body = head[letters:].translate(DIGIT_FIXES)
        suffix = tail.translate(DIGIT_FIXES)
        if not (prefix.isalpha() and prefix.isascii() and len(body) == digits):
            continue
        if body.isdigit() and (not tail or suffix.isdigit()):
            fixed = prefix + body + (f"/{suffix}" if tail else "")
            if prefix != printed:  # a letter read as a digit: repaired, less certain
                return Normalised(fixed, REPAIRED, "letter read as a digit restored")
            return Normalised(fixed, 1.0 if fixed == raw.upper() else 0.9)
    return None


EDGE_MARKS = "\"'“”‘’`.,;:-_~|"
# Lower-case name particles; any other all-lower-case word is not a name on these forms.
PARTICLES = frozenset({"van", "von", "der", "den", "de", "da", "das", "dos", "du", "di", "la",
                       "le", "al", "el", "bin", "bint", "ibn", "ben", "ter", "ten", "y"})


def name(text: str) -> Normalised | None:
    """Alphabetic, capitalised name parts only.

    Stray quote or dot marks at the very edges of the value are OCR dirt and
    are dropped; a mark inside ("AL -HASSAN") means the spacing is uncertain,
    so the value is refused rather than rejoined by guesswork. A value ending
    in a colon is a label, and a lower-case word is prose, not a name.
    """
    if text.rstrip().endswith(":"):
        return None
    joined = re.sub(r"\s*-\s*", "-", text.replace("’", "'"))  # "AL - HASSAN" is AL-HASSAN
    # a trailing hyphen means the rest of the name was lost, so it is not stripped
    parts = joined.lstrip(EDGE_MARKS + " ").rstrip(EDGE_MARKS.replace("-", "") + " ").split()
    if not parts or len(parts) > 4 or not all(NAME_RE.match(p) for p in parts):
        return None
    if any(len(p) < 2 for p in parts):
        return None
    if len({script(c) for p in parts for c in p if c.isalpha()}) > 1:
        return None  # "Ivanоv" with a Cyrillic o is a misreading, not a name
    if any(p.islower() and p not in PARTICLES for p in parts) or parts[0].islower():
        return None
    if not all(p in PARTICLES or well_cased(p) for p in parts):
        return None  # "fONESCU", "IoNESCU": the case says a letter was misread
    shown = " ".join(p if not p.isupper() else titled(p) for p in parts)
    return Normalised(shown)


CASED_PREFIX = re.compile(r"(Mc|Mac|Fitz|De|Di|Da|Du|Le|La|Van|Von)(\w+)")


def well_cased(part: str) -> bool:
    """All capitals, or each piece (between - and ') capitalised: Okafor, O'Brien,
    Al-Hassan, McDonald, d'Souza; a capital after small letters elsewhere is a misreading."""
    if part.isupper():
        return True
    for piece in re.split(r"[-']", part):
        if len(piece) == 1 or piece in ("d", "l"):
            continue  # the O of O'Brien, the d of d'Souza
        if not piece[:1].isupper():
            return False
        rest = piece[1:]
        prefixed = CASED_PREFIX.fullmatch(piece)
        if not (rest.islower() or (prefixed and prefixed.group(2)[:1].isupper()
                                   and prefixed.group(2)[1:].islower())):
            return False
    return True


def script(letter: str) -> str:
    """The script a letter belongs to, by the first word of its Unicode name (LATIN...)."""
    return unicodedata.name(letter, "UNKNOWN").split()[0]


def titled(word: str) -> str:
    return re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), word)


def a_date(text: str, *, earliest: int = 1900) -> Normalised | None:
    """Day-first British dates; refuse anything that is not a whole, plausible date."""
    cleaned = re.sub(r"^[^\w]+|[^\w]+$", "", text.strip())  # "*24-MAY-1976." is a date
    smudge = 1.0
    lost = RUN_DATE.match(cleaned) or SPACED_DATE.match(cleaned)
    if lost and not year_first(cleaned):
        found = a_date("/".join(lost.groups()), earliest=earliest)
        return None if found is None else Normalised(
            found.value, found.factor * REPAIRED, "date separators restored")
    if not NUMERIC_DATE.match(cleaned) and (smudged := SMUDGED_DATE.match(cleaned)):
        cleaned, smudge = "/".join(smudged.groups()), 0.9
    numeric = NUMERIC_DATE.match(cleaned)
    worded = WORD_DATE.match(cleaned)
    if worded and worded.group(2)[:3].lower() not in MONTHS:
        return None
    if not (numeric or worded):
        return None
    factor = smudge
    if numeric:
        day, month, year = (int(g) for g in numeric.groups())
        if year < 100:
            factor *= 0.85  # the century is a guess
        if not 1 <= month <= 12:
            return None  # never swap day and month to make a date fit
    parsed = dateparser.parse(
        cleaned, languages=["en"],
        settings={"DATE_ORDER": "DMY", "STRICT_PARSING": True, "PREFER_DATES_FROM": "past",
                  "REQUIRE_PARTS": ["day", "month", "year"]},
    )
    if parsed is None or not (earliest <= parsed.year and parsed.date() <= date.today()):
        return None
    printed_day = int((numeric or worded).group(1))  # type: ignore[union-attr]
    if parsed.day != printed_day:
        return None
    return Normalised(parsed.date().isoformat(), factor)


def year_first(digits: str) -> bool:
    """Whether eight digits could also be a year-first date (19810613): then a day-first
    reading would be a guess."""
    if not re.fullmatch(r"\d{8}", digits):
        return False
    try:
        date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return False
    return int(digits[:4]) >= 1900


# Below this length a misread country name is compared letter by letter only.
FUZZY_MIN = 7


def nationality(text: str) -> Normalised | None:
    key = squash(text)
    if not key:
        return None
    for table in (DEMONYMS, COUNTRY_ALIASES):
        if key in table:
            return Normalised(table[key]) if table[key] else None
    if len(key) > 3:
        try:
            return Normalised(pycountry.countries.lookup(key).alpha_3)
        except LookupError:
            pass
    choices = country_choices()
    if key in choices:
        return Normalised(choices[key])
    # one letter lost ("Ghan", "Nigria"): the printed name is the name less one letter
    near = {code for name, code in choices.items()
            if len(name) == len(key) + 1 and Levenshtein.distance(key, name) == 1}
    if len(key) >= 4 and len(near) == 1:  # one country fits: restored
        return Normalised(near.pop(), REPAIRED, "one letter of the country restored")
    if near or len(key) < FUZZY_MIN:
        return None  # two countries fit, or a short word ("Lagos" is not Laos): never chosen
    best = process.extract(key, list(choices), scorer=fuzz.ratio, score_cutoff=88, limit=5)
    codes = {choices[name] for name, score, _ in best if score >= best[0][1] - 3} if best else set()
    return Normalised(codes.pop(), 0.9) if len(codes) == 1 else None


@cache
def country_choices() -> dict[str, str]:
    """Every country name (and its short form, "iran" of "Iran, Islamic Republic of"),
    demonym and alias (lower case) with its code."""
    names = {squash(n.split(",")[0] if short else n): c.alpha_3 for c in pycountry.countries
             for n in (c.name, getattr(c, "common_name", c.name),
                       getattr(c, "official_name", c.name)) for short in (False, True)}
    return {**names,
            **{k: v for k, v in {**DEMONYMS, **COUNTRY_ALIASES}.items() if v}}


def vocabulary(table: dict[str, tuple[str, ...]]) -> Callable[[str], Normalised | None]:
    wordings = {w: canon for canon, ws in table.items() for w in ws}

    def normalise(text: str) -> Normalised | None:
        key = squash(text)
        if key in wordings:
            return Normalised(wordings[key])
        best = process.extractOne(key, list(wordings), scorer=fuzz.ratio, score_cutoff=90)
        return Normalised(wordings[best[0]], best[1] / 100.0) if best else None

    return normalise


def yes_no(text: str) -> Normalised | None:
    """A yes/no answer, written out ("Yes", "N") or as ticked boxes ("[X] Yes [ ] No")."""
    key = squash(text)
    if key in YES:
        return Normalised(True)
    if key in NO:
        return Normalised(False)
    return ticked(text)


TICKED_MARKS = frozenset("☒☑✓✔✗✘■xX")
EMPTY_MARKS = frozenset("☐□")
BOX_FORMS = ((re.compile(r"[\[(]\s*[xX✓✔✗✘/]\s*[\])]"), " ☒ "),
             (re.compile(r"[\[(]\s*[\])]"), " ☐ "))


def ticked(text: str) -> Normalised | None:
    """Which of a printed "Yes" and "No" has the ticked box; None unless exactly one has.

    The boxes sit all before their words or all after them; which side is read off the
    first token, so "☒ Yes ☐ No" never lends No's box to Yes.
    """
    for pattern, mark in BOX_FORMS:
        text = pattern.sub(mark, text)
    tokens = [t.strip(".,;:") for t in text.split()]
    boxes = TICKED_MARKS | EMPTY_MARKS
    if not tokens or not any(t in boxes for t in tokens):
        return None
    step = 1 if tokens[0] in boxes else -1  # box before its word: look back
    marked: dict[bool, bool] = {}
    for i, token in enumerate(tokens):
        answer = True if token.lower() in {"yes", "y"} else False if token.lower() in {
            "no", "n"} else None
        if answer is None or answer in marked:
            continue
        j = i - step
        if not 0 <= j < len(tokens) or tokens[j] not in boxes:
            return None  # an answer without its box: not a tick form we can read
        marked[answer] = tokens[j] in TICKED_MARKS
    chosen = [answer for answer, tick in marked.items() if tick]
    return Normalised(chosen[0]) if len(chosen) == 1 else None


# Canonical forms a person may type for a value (1987-03-12, NGA, spouse_visa, true):
# read as they are, before the field's normaliser is tried on what was typed.


def iso_date(raw: str) -> FieldScalar | None:
    """An ISO date typed as such, or None if it is not in that shape; ValueError if it
    has the shape but is no real day."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        return None
    try:
        return date.fromisoformat(raw).isoformat()
    except ValueError as exc:
        raise ValueError(f"{raw!r} is not a real date") from exc


def alpha_3(raw: str) -> FieldScalar | None:
    """An ISO 3166-1 alpha-3 code, in any case."""
    if not re.fullmatch(r"[A-Za-z]{3}", raw):
        return None
    country = pycountry.countries.get(alpha_3=raw.upper())
    return None if country is None else str(country.alpha_3)


def vocabulary_key(table: dict[str, tuple[str, ...]]) -> Callable[[str], FieldScalar | None]:
    """A vocabulary's own key (spouse_visa), in any case."""
    return lambda raw: raw.lower() if raw.lower() in table else None


def true_false(raw: str) -> FieldScalar | None:
    return raw.lower() == "true" if raw.lower() in ("true", "false") else None


def no_canonical(_raw: str) -> FieldScalar | None:
    """For fields whose canonical form is what their normaliser gives back."""
    return None

"""A generated population of persons and their documents, with the truth, for identity
linking's tests and benchmark.

Every document holds the identifying values an extraction would give (value, OCR
confidence), with the hard cases the issue lists: twins (same surname, date of birth and
nationality, different given names), very common names with different dates of birth,
transliteration variants, OCR slips (a slipped value is usually read with lower
confidence, sometimes not), day and month swapped, missing fields, a surname changed at
marriage, given and family names swapped, rescans (another scan of the same paper, or a
byte-identical copy) and documents that really hold two people.

Held out, decided before any tuning: one person in five is "held out"; their given names
come from transliteration groups and their OCR slips from slip kinds that the tuning
persons never show (HELD_OUT_GROUPS, HELD_OUT_SLIPS). Training and thresholds use a
population of tuning persons only; the benchmark reports both splits.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from identity.records import DocumentIdentity, Observed

SURNAMES = ("KHAN", "AHMED", "ALI", "HUSSAIN", "OKAFOR", "MENSAH", "SMITH", "NGUYEN",
            "SINGH", "PATEL", "IBRAHIM", "HASSAN", "OSEI", "BOATENG", "ADEYEMI", "OKONKWO",
            "KOWALSKI", "NOWAK", "POPESCU", "IONESCU", "SANTOS", "SILVA", "RAHMAN",
            "BEGUM", "CHOWDHURY", "MUKHERJEE", "TRAN", "LE", "PHAM", "WANG", "LI", "ZHANG",
            "CHEN", "LIU", "YILMAZ", "KAYA", "DEMIR", "SAHIN", "MOHAMUD", "WARSAME",
            "ABDI", "FARAH", "TESFAYE", "HAILE", "GEBRE", "KAMARA", "CONTEH", "BANGURA",
            "DIALLO", "TRAORE", "KEITA", "TOURE", "HAIDARI", "AZIZI", "KARIMI", "AHMADI",
            "RAHIMI", "HOSSEINI", "MOHAMMADI", "NAZARI", "OKORO", "EZE", "NWOSU", "OBI",
            "ASANTE", "BONSU", "GYAMFI", "FOFANA", "SESAY", "BAH", "JALLOH", "BARRY",
            "KUMAR", "SHARMA", "GUPTA", "REDDY", "DAS", "BOSE", "GHOSH", "ROY")
GIVEN = ("AMINA", "FATIMA", "AISHA", "GRACE", "MARY", "JOHN", "PETER", "DAVID", "SAMUEL",
         "DANIEL", "JOSEPH", "EMMANUEL", "ESTHER", "RUTH", "HANNAH", "SARAH", "ZAINAB",
         "MARIAM", "KWAME", "KOFI", "AMA", "ABENA", "CHIDI", "NGOZI", "CHINEDU", "TUNDE",
         "BOLA", "ANH", "LINH", "MINH", "WEI", "JING", "HUI", "PRIYA", "RAVI", "ARJUN",
         "SANJAY", "MEHMET", "AYSE", "EMRE", "ELIF", "ANDREI", "ELENA", "IOANA", "PIOTR",
         "ANNA", "MARTA", "TOMASZ", "FARID", "LAYLA", "OMAR", "KARIM", "NADIA", "SAMIR",
         "BILAL", "ZARA", "IMRAN", "ASMA", "TARIQ", "SANA", "HAMZA", "IDRIS", "MUSA")
# Transliteration groups: one person's name spelt several ways across documents.
TUNING_GROUPS = (("MOHAMMED", "MUHAMMAD", "MOHAMED", "MOHAMMAD"),
                 ("HUSSEIN", "HUSSAIN", "HUSAIN", "HOSSEIN"),
                 ("YUSUF", "YOUSSEF", "YOUSEF"), ("AHMED", "AHMAD"),
                 ("MUSTAFA", "MOUSTAFA", "MOSTAFA"), ("OLUWASEUN", "OLUWASEYI"))
HELD_OUT_GROUPS = (("ABDULLAH", "ABDALLAH", "ABDELLAH"), ("OTHMAN", "OSMAN", "USMAN"),
                   ("KHADIJA", "KHADIJAH", "KADIJA"), ("IBRAHIM", "EBRAHIM", "IBRAHEEM"))
TUNING_SLIPS = ("substitute", "drop")
HELD_OUT_SLIPS = ("transpose", "double")
LOOKALIKE = {"O": "0", "0": "O", "I": "1", "1": "7", "7": "1", "S": "5", "5": "6",
             "6": "5", "B": "8", "8": "3", "3": "8", "E": "F", "M": "N", "N": "M",
             "U": "V", "A": "R", "R": "A", "L": "I", "C": "G", "G": "C", "H": "N",
             "D": "O", "T": "I", "K": "X", "2": "7", "4": "9", "9": "4"}
NATIONALITIES = ("NGA", "GHA", "PAK", "IND", "BGD", "AFG", "IRN", "IRQ", "SYR", "ERI",
                 "ETH", "SOM", "SDN", "VNM", "CHN", "TUR", "ROU", "POL", "ALB", "SLE")


@dataclass
class Person:
    key: str
    surname: str
    given: tuple[str, ...]  # spellings; the first is the person's own
    dob: date
    nationality: str
    reference: str
    heldout: bool
    married_surname: str | None = None
    second_reference: str | None = None
    tags: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Population:
    documents: tuple[DocumentIdentity, ...]
    person_of: dict[str, str]  # document id -> person key (the truth)
    heldout: frozenset[str]  # person keys held out of tuning
    two_people: frozenset[str]  # documents that really hold two people
    rescans: dict[str, str]  # rescan document id -> document it is another scan of
    tags: dict[str, frozenset[str]]  # person key -> hard cases it carries


def _zipf_choice(rng: random.Random, items: tuple[str, ...], s: float = 1.1) -> str:
    weights = [1 / (i + 1) ** s for i in range(len(items))]
    return rng.choices(items, weights)[0]


def _reference(rng: random.Random) -> str:
    return rng.choice("ABCDHKMS") + "".join(rng.choice("0123456789") for _ in range(7))


def _person(rng: random.Random, key: str, heldout: bool) -> Person:
    groups = HELD_OUT_GROUPS if heldout else TUNING_GROUPS
    if rng.random() < 0.25:
        given: tuple[str, ...] = rng.choice(groups)
        tags = {"transliteration"}
    else:
        given, tags = (_zipf_choice(rng, GIVEN),), set()
    born = date(1945, 1, 1) + timedelta(days=rng.randrange(365 * 62))
    p = Person(key, _zipf_choice(rng, SURNAMES), given, born,
               _zipf_choice(rng, NATIONALITIES), _reference(rng), heldout, tags=tags)
    if rng.random() < 0.04:
        p.married_surname = _zipf_choice(rng, SURNAMES)
        p.tags.add("marriage")
    if rng.random() < 0.01:
        p.second_reference = _reference(rng)
        p.tags.add("second reference")
    return p


def _slip(rng: random.Random, value: str, kinds: tuple[str, ...]) -> str:
    if len(value) < 3:
        return value
    kind = rng.choice(kinds)
    i = rng.randrange(1, len(value) - 1)
    if kind == "substitute":
        ch = value[i]
        return value[:i] + LOOKALIKE.get(ch, "E" if ch.isalpha() else "0") + value[i + 1:]
    if kind == "drop":
        return value[:i] + value[i + 1:]
    if kind == "transpose":
        return value[:i] + value[i + 1] + value[i] + value[i + 2:]
    return value[:i] + value[i] + value[i:]


def _observe(rng: random.Random, value: str, p: Person, slip_rate: float,
             page: int) -> Observed:
    """A value as OCR reads it: mostly right and sure; a slip mostly unsure."""
    kinds = HELD_OUT_SLIPS if p.heldout else TUNING_SLIPS
    if rng.random() < slip_rate:
        slipped = _slip(rng, value, kinds)
        if slipped != value:
            conf = rng.uniform(0.91, 0.97) if rng.random() < 0.1 else rng.uniform(0.4, 0.85)
            return Observed(slipped, round(conf, 3), page, (100, 100 + 40 * page, 400, 30))
    conf = rng.uniform(0.86, 0.99) if rng.random() < 0.9 else rng.uniform(0.55, 0.86)
    return Observed(value, round(conf, 3), page, (100, 100 + 40 * page, 400, 30))


def _document(rng: random.Random, doc_id: str, p: Person, late: bool,
              slip_rate: float) -> DocumentIdentity:
    surname = p.married_surname if (late and p.married_surname) else p.surname
    given = rng.choice(p.given)
    dob = p.dob.isoformat()
    if p.dob.day <= 12 and rng.random() < 0.04:
        dob = f"{p.dob.year:04d}-{p.dob.day:02d}-{p.dob.month:02d}"
    if rng.random() < 0.02:
        surname, given = given, surname
    ref = p.second_reference if (late and p.second_reference) else p.reference

    def maybe(value: str, missing: float, page: int) -> tuple[Observed, ...]:
        if rng.random() < missing:
            return ()
        return (_observe(rng, value, p, slip_rate, page),)

    text = " ".join(rng.choice(("case", "note", "applicant", "appeal", "leave", "remain",
                                "interview", "letter", "decision", "evidence", "address"))
                    for _ in range(60))
    return DocumentIdentity(
        doc_id, hashlib.sha256(doc_id.encode()).hexdigest(),
        surname=maybe(surname, 0.03, 1), given_names=maybe(given, 0.05, 1),
        date_of_birth=maybe(dob, 0.06, 1), nationality=maybe(p.nationality, 0.1, 1),
        reference=maybe(ref, 0.25, 2),
        page_hashes=tuple(f"{rng.getrandbits(64):016x}" for _ in range(rng.randint(1, 4))),
        text=f"{surname} {given} {dob} {text}")


def _rescan(rng: random.Random, doc_id: str, of: DocumentIdentity,
            identical: bool) -> DocumentIdentity:
    if identical:
        return replace(of, document_id=doc_id)
    hashes = tuple(f"{int(h, 16) ^ (1 << rng.randrange(64)) ^ (1 << rng.randrange(64)):016x}"
                   for h in of.page_hashes)
    text = of.text[:40] + of.text[41:].replace("case", "casc", 1)
    return replace(of, document_id=doc_id, sha256=hashlib.sha256(doc_id.encode()).hexdigest(),
                   page_hashes=hashes, text=text)


def _two_people(rng: random.Random, doc: DocumentIdentity, p: Person,
                other: Person) -> DocumentIdentity:
    """The document also names another person: a second date of birth or reference,
    read with high confidence."""
    conf = round(rng.uniform(0.92, 0.99), 3)
    if rng.random() < 0.5 and doc.date_of_birth:
        extra = Observed(other.dob.isoformat(), conf, 2, (100, 300, 400, 30))
        return replace(doc, date_of_birth=(*doc.date_of_birth, extra))
    extra = Observed(other.reference, conf, 2, (100, 340, 400, 30))
    if doc.reference:
        return replace(doc, reference=(*doc.reference, extra))
    own = Observed(p.reference, conf, 1, (100, 200, 400, 30))
    return replace(doc, reference=(own, extra))


def generate(persons: int, seed: int, heldout_share: float = 0.2,
             docs_per_person: float = 4.0, slip_rate: float = 0.08) -> Population:
    """`persons` persons (about `docs_per_person` documents each) with the hard cases."""
    rng = random.Random(seed)
    people: list[Person] = []
    while len(people) < persons:
        p = _person(rng, f"P{seed}-{len(people):06d}", rng.random() < heldout_share)
        people.append(p)
        if rng.random() < 0.03 and len(people) < persons:  # a twin
            twin_given = _zipf_choice(rng, tuple(g for g in GIVEN if g not in p.given))
            twin = Person(f"P{seed}-{len(people):06d}", p.surname, (twin_given,), p.dob,
                          p.nationality, _reference(rng), p.heldout, tags={"twin"})
            p.tags.add("twin")
            people.append(twin)
        if rng.random() < 0.02 and len(people) < persons:  # a namesake
            born = date(1945, 1, 1) + timedelta(days=rng.randrange(365 * 62))
            namesake = Person(f"P{seed}-{len(people):06d}", p.surname, p.given[:1], born,
                              p.nationality, _reference(rng), p.heldout, tags={"namesake"})
            p.tags.add("namesake")
            people.append(namesake)
    docs: list[DocumentIdentity] = []
    person_of: dict[str, str] = {}
    two: set[str] = set()
    rescans: dict[str, str] = {}
    for p in people:
        n = max(1, min(12, round(rng.expovariate(1 / docs_per_person)) + 1))
        own: list[DocumentIdentity] = []
        for k in range(n):
            doc_id = f"D{seed}-{len(docs):07d}"
            doc = _document(rng, doc_id, p, late=k >= n / 2, slip_rate=slip_rate)
            if rng.random() < 0.01:
                doc = _two_people(rng, doc, p, rng.choice(people))
                two.add(doc_id)
            elif own and rng.random() < 0.025:
                of = rng.choice(own)
                doc = _rescan(rng, doc_id, of, identical=rng.random() < 0.2)
                rescans[doc_id] = of.document_id
            own.append(doc)
            docs.append(doc)
            person_of[doc_id] = p.key
    return Population(tuple(docs), person_of, frozenset(p.key for p in people if p.heldout),
                      frozenset(two), rescans, {p.key: frozenset(p.tags) for p in people})

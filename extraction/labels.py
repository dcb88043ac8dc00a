"""Label wordings for each case field, as data.

Matching is tolerant (case, punctuation, OCR slips), so this lists wordings,
not spellings. Gathered from how British immigration paperwork labels its
fields; add a wording here and every layout picks it up.
"""

from __future__ import annotations

from typing import Final

LABELS: Final[dict[str, tuple[str, ...]]] = {
    "home_office_reference": (
        "home office reference", "home office reference number", "home office ref",
        "ho reference", "ho ref", "ho ref no", "ho ref number", "ho number",
        "reference", "reference number", "reference no", "ref", "ref no", "our ref",
        "our reference", "case reference", "case ref", "file reference", "file ref",
        "ind reference", "ind ref",
    ),
    "surname": (
        "surname", "family name", "last name", "surname family name", "name surname",
    ),
    "given_names": (
        "given names", "given name", "forenames", "forename", "first names", "first name",
        "first name s", "other names", "christian names", "first and middle names",
    ),
    "date_of_birth": (
        "date of birth", "dob", "d o b", "birth date", "born", "date born",
    ),
    "nationality": (
        "nationality", "country of nationality", "citizenship", "national of",
        "nationality citizenship", "country of citizenship",
    ),
    "application_type": (
        "application type", "type of application", "application", "category",
        "application category", "route", "claim type", "type of claim", "case type",
    ),
    "decision": (
        "decision", "outcome", "result", "decision outcome", "case outcome",
    ),
    "decision_date": (
        "decision date", "date of decision", "decided on", "date decided", "decision made on",
        "outcome date", "date of outcome",
    ),
    "permission_to_work": (
        "permission to work", "right to work", "allowed to work", "employment permitted",
        "work permitted", "permitted to work", "may work", "employment", "work allowed",
        "can work", "entitled to work",
    ),
}

MAX_LABEL_WORDS: Final[int] = max(len(w.split()) for ws in LABELS.values() for w in ws)

# Every word that appears in a label wording: a "value" made only of these is a label
# fragment the OCR split off ("LAST" of "LAST NAME"), never a person's name or a decision.
LABEL_WORDS: Final[frozenset[str]] = frozenset(
    word for wordings in LABELS.values() for w in wordings for word in w.split()
) - {"no"}  # "No" is also the answer to permission to work

# Words forms add around a label without changing what it asks for ("Applicant's
# nationality", "Given names in full", "Decision taken"); they are set aside when a
# label is compared, together with bracketed hints such as "(dd/mm/yyyy)" or "(s)".
FILLER_WORDS: Final[frozenset[str]] = frozenset({
    "applicant", "applicants", "the", "of", "in", "full", "on", "made",
    "taken", "stated", "as", "main", "principal", "final", "please", "tick", "block",
    "capitals", "current", "s", "your", "his", "her", "their", "person",
})
# Words that mean the same in a label; compared in their canonical form.
LABEL_SYNONYMS: Final[dict[str, str]] = {
    "allowed": "permitted", "permission": "permitted", "nature": "type", "kind": "type",
    "dt": "date", "forenames": "forename", "names": "name", "surnames": "surname",
    "no": "number", "num": "number", "nr": "number", "ref": "reference",
}

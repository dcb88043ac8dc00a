"""Documents with known case fields, for the search and report tests."""

from __future__ import annotations

import hashlib

from storage.index.records import DocumentRow, FieldRow, PageRow

PEOPLE = [
    # seed, surname, given, dob, nationality, reference, type, decision, decided, work
    ("a", "Okafor", "Chinedu", "1985-03-02", "NGA", "HO-1234567", "asylum", "granted",
     "2019-05-01", True),
    ("b", "Okafor", "Ada", "1990-01-01", "NGA", "HO-2222222", "asylum", "refused",
     "2019-07-01", False),
    ("c", "Okafur", "Emeka", "1985-03-02", "NGA", "HO-3333333", "spouse_visa", "granted",
     "2020-02-01", None),
    ("d", "Müller", "Jürgen", "1970-12-24", "DEU", "HO-4444444", "asylum", "granted",
     "2019-11-30", True),
    ("e", "Smith", "John", "2001-06-15", "GBR", "HO-5555555", "work_permit", "pending",
     None, None),
]


def case_document(seed: str, surname: str, given: str, dob: str, nationality: str,
                  reference: str, app_type: str, decision: str, decided: str | None,
                  work: bool | None) -> DocumentRow:
    sha = hashlib.sha256(seed.encode()).hexdigest()
    fields = [
        FieldRow("home_office_reference", reference, reference, 0.95, 1, (50, 60, 250, 90)),
        FieldRow("surname", surname.upper(), surname, 0.9, 2, (100, 200, 300, 240)),
        FieldRow("given_names", given, given, 0.9, 2, (100, 250, 300, 290)),
        FieldRow("date_of_birth", dob, dob, 0.9, 2, (1, 2, 3, 4)),
        FieldRow("nationality", nationality, nationality, 0.9, 2, (1, 2, 3, 4)),
        FieldRow("application_type", app_type, app_type, 0.9, 1, (1, 2, 3, 4)),
        FieldRow("decision", decision, decision, 0.7, 1, (1, 2, 3, 4)),
    ]
    if decided:
        fields.append(FieldRow("decision_date", decided, decided, 0.9, 1, (1, 2, 3, 4)))
    if work is not None:
        fields.append(FieldRow("permission_to_work", work, "Yes" if work else "No", 0.9, 1,
                               (1, 2, 3, 4)))
    pages = (PageRow(1, 100, 100, "ocr", 0.9, f"Reference {reference} {app_type} {decision}",
                     None, None),
             PageRow(2, 100, 100, "ocr", 0.9, f"Applicant {surname} {given} born {dob}",
                     None, None))
    return DocumentRow(sha, sha, f"{seed}.pdf", "application/pdf", f"originals/{seed}", "done",
                       None, pages, tuple(fields), ())

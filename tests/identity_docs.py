"""Small hand-written documents for identity tests: each value read at a stated confidence."""

from __future__ import annotations

import hashlib

from identity.records import DocumentIdentity, Observed


def doc(doc_id: str, surname: str | None = None, given: str | None = None,
        dob: str | None = None, nationality: str | None = None, reference: str | None = None,
        conf: float = 0.97, **extra: tuple[Observed, ...]) -> DocumentIdentity:
    def obs(value: str | None) -> tuple[Observed, ...]:
        return () if value is None else (Observed(value, conf, 1, (10, 10, 200, 20)),)

    fields = {"surname": obs(surname), "given_names": obs(given), "date_of_birth": obs(dob),
              "nationality": obs(nationality), "reference": obs(reference)}
    fields.update(extra)
    return DocumentIdentity(doc_id, hashlib.sha256(doc_id.encode()).hexdigest(), **fields)

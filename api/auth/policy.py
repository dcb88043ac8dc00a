"""Which roles may do what: the one table routes and pages take their `require` from.

Least privilege: an admin manages users and reads the audit log but reads no case file;
an analyst sees counts only; a scanner uploads and sees their own batches (the queries
themselves are narrowed to the scanner's batches, not just the door).
"""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import Depends

from api.auth.access import Principal, require
from storage.index.accounts import Role

UPLOAD: Final = (Role.SCANNER,)
WATCH_BATCHES: Final = (Role.SCANNER, Role.CASEWORKER, Role.REVIEWER)
READ_CASES: Final = (Role.CASEWORKER, Role.REVIEWER)
CORRECT: Final = (Role.CASEWORKER, Role.REVIEWER)
REVIEW: Final = (Role.REVIEWER,)
REPORTS: Final = (Role.ANALYST, Role.CASEWORKER, Role.REVIEWER)
# Reconciliation: findings hold personal data (read like case files); working the queue,
# running and importing an export are a reviewer's; the summary is a report (counts).
READ_FINDINGS: Final = READ_CASES
RECONCILE: Final = (Role.REVIEWER,)
ADMIN: Final = (Role.ADMIN,)


def batch_owner(user: Principal) -> str | None:
    """The owner a user's batch queries are narrowed to: a scanner's own name, or None
    (every batch) for roles that may watch them all."""
    return user.name if user.role == Role.SCANNER else None


# The signed-in user of a route that needs one of these roles (401/403 otherwise).
Uploader = Annotated[Principal, Depends(require(*UPLOAD))]
BatchWatcher = Annotated[Principal, Depends(require(*WATCH_BATCHES))]
Corrector = Annotated[Principal, Depends(require(*CORRECT))]
Reviewer = Annotated[Principal, Depends(require(*REVIEW))]
Admin = Annotated[Principal, Depends(require(*ADMIN))]

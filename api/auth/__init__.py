"""Who is calling, and may they: sessions and bearer tokens, roles, CSRF, the audit trail.

The seams routes and pages use are `CurrentUser`, `require(*roles)`, `PageUser`,
`require_page(*roles)`, `csrf_token(request)` and `start_session` / `end_session`.
"""

from api.auth.access import (
    COOKIE,
    CSRF_FIELD,
    CSRF_HEADER,
    CurrentUser,
    PageUser,
    Principal,
    SignInRequired,
    csrf_token,
    current_user,
    require,
    require_page,
    rules_from,
)
from api.auth.signin import end_session, start_session

__all__ = ["COOKIE", "CSRF_FIELD", "CSRF_HEADER", "CurrentUser", "PageUser", "Principal",
           "SignInRequired", "csrf_token", "current_user", "end_session", "require",
           "require_page", "rules_from", "start_session"]

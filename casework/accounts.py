"""Signing in: Argon2 password hashes, sessions and bearer tokens with idle and absolute
timeouts, and throttled attempts. The CLI (`casescan user`) and the HTTP layer call these.

A session's secret is 256 random bits handed to the client once; the index keeps only
its SHA-256, so neither a copy of the index nor its logs open a session. Every check
reads the user row too, so disabling a user ends their sessions at the next request.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final, Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from storage.index import Index
from storage.index.accounts import MAX_USER_NAME, Role, SessionRow, UserRow
from storage.index.audit import AuditEntry, AuditFilter

Kind = Literal["cookie", "bearer"]
SIGN_IN_REFUSED: Final = "sign-in refused"
SIGN_IN: Final = "sign-in"
MIN_PASSWORD_CHARS: Final = 12
MAX_PASSWORD_CHARS: Final = 1024
_HASHER: Final = PasswordHasher()
# Verified against when the name is unknown, so a wrong name costs as long as a wrong
# password and timing does not tell which names exist.
_DUMMY_HASH: Final = _HASHER.hash("casescan: no such user")
_TOUCH_EVERY: Final = timedelta(seconds=30)


@dataclass(frozen=True)
class SessionRules:
    """Timeouts and throttling, from the API's settings."""

    idle: timedelta = timedelta(minutes=30)
    absolute: timedelta = timedelta(hours=12)
    token: timedelta = timedelta(hours=8)
    max_failures: int = 5            # failed sign-ins for one name in `window`
    max_failures_address: int = 20  # failed sign-ins from one address in `window`
    window: timedelta = timedelta(minutes=15)


@dataclass(frozen=True)
class Opened:
    """A new session or token: `secret` goes to the client once and is never stored."""

    secret: str
    csrf: str
    user: UserRow
    expires_at: datetime


class Throttled(Exception):
    """Too many failed sign-ins; `retry_after` seconds until the window clears."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed sign-ins; try again in {retry_after} s")
        self.retry_after = retry_after


class BadCredentials(Exception):
    """Wrong name or password, or a disabled user (the reply never says which)."""


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def check_name(name: str) -> str:
    """A user name: 1-64 printable characters without spaces."""
    if not 1 <= len(name) <= MAX_USER_NAME or not name.isprintable() or " " in name:
        raise ValueError(f"a user name is 1-{MAX_USER_NAME} printable characters, no spaces")
    return name


def check_password(password: str) -> str:
    if not MIN_PASSWORD_CHARS <= len(password) <= MAX_PASSWORD_CHARS:
        raise ValueError(f"a password is {MIN_PASSWORD_CHARS}-{MAX_PASSWORD_CHARS} characters")
    return password


def add_user(index: Index, name: str, role: Role, password: str) -> UserRow:
    """Add a user with an Argon2 hash of `password` (ValueError if the name is taken)."""
    return index.accounts.add_user(check_name(name), Role(role),
                                   _HASHER.hash(check_password(password)), _now())


def set_role(index: Index, name: str, role: Role) -> bool:
    """Give a user another role; their sessions end so that it applies at once."""
    return index.accounts.set_role(name, Role(role), _now())


def disable_user(index: Index, name: str) -> bool:
    """Disable a user and end all their sessions and tokens at once."""
    return index.accounts.disable(name, _now())


def sign_in(index: Index, name: str, password: str, kind: Kind, rules: SessionRules,
            address: str | None) -> Opened:
    """Check a name and password and open a session (or token) with a fresh secret.

    Raises Throttled before checking anything once the name or the address has too many
    recent failures, and BadCredentials (recorded in the audit log) on any mismatch."""
    now = _now()
    _throttle(index, name, address, rules, now)
    found = index.accounts.user(name[:MAX_USER_NAME]) if name else None
    if not _password_matches(found[1] if found else None, password[:MAX_PASSWORD_CHARS]) \
            or found is None or found[0].disabled:
        _record(index, now, found[0] if found else None, SIGN_IN_REFUSED, kind, 401, address)
        raise BadCredentials("wrong user name or password")
    user = found[0]
    opened = open_session(index, user, kind, rules, now)
    _record(index, now, user, SIGN_IN, kind, 200, address)
    return opened


def open_session(index: Index, user: UserRow, kind: Kind, rules: SessionRules,
                 now: datetime | None = None) -> Opened:
    now = now or _now()
    secret, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires = now + (rules.absolute if kind == "cookie" else rules.token)
    index.accounts.open_session(user.id, token_hash(secret), kind, csrf, now, expires)
    return Opened(secret, csrf, user, expires)


def current_session(index: Index, secret: str, rules: SessionRules) -> SessionRow | None:
    """The open session behind `secret`, or None if it is unknown, ended, expired, its
    user is disabled, or (a browser session) idle too long. A used session's idle clock
    restarts; a bearer token lasts until it expires or is revoked."""
    if not secret or len(secret) > 256:
        return None
    found = index.accounts.session(token_hash(secret))
    now = _now()
    if found is None or found.ended_at is not None or found.user.disabled \
            or now >= found.expires_at:
        return None
    if found.kind == "cookie" and now - found.seen_at >= rules.idle:
        return None
    if now - found.seen_at >= _TOUCH_EVERY:
        index.accounts.touch(found.token_hash, now)
    return found


def csrf_matches(session: SessionRow, given: str | None) -> bool:
    """Whether a form's or header's CSRF token is this session's (constant time)."""
    return given is not None and hmac.compare_digest(session.csrf.encode(),
                                                     given.encode("utf-8", "replace"))


def sign_out(index: Index, secret: str) -> None:
    """End the session behind `secret` on the server; its cookie opens nothing after."""
    if secret and len(secret) <= 256:
        index.accounts.end_session(token_hash(secret), _now())


def _password_matches(stored: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(stored or _DUMMY_HASH, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def _throttle(index: Index, name: str, address: str | None, rules: SessionRules,
              now: datetime) -> None:
    since = now - rules.window
    by_name = index.audit.count(AuditFilter(actor=name[:MAX_USER_NAME], since=since,
                                            action=SIGN_IN_REFUSED)) if name else 0
    by_address = index.audit.count(AuditFilter(address=address, since=since,
                                               action=SIGN_IN_REFUSED)) if address else 0
    if by_name >= rules.max_failures or by_address >= rules.max_failures_address:
        raise Throttled(int(rules.window.total_seconds()))


def _record(index: Index, now: datetime, user: UserRow | None, action: str, kind: Kind,
            status: int, address: str | None) -> None:
    index.audit.append(AuditEntry(
        at=now, actor=user.name if user else None, role=str(user.role) if user else None,
        action=action, method="POST", path="/token" if kind == "bearer" else "/api/session",
        status=status, address=address))


def _now() -> datetime:
    return datetime.now(UTC)

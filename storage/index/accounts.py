"""Users and their sessions in the index: who may sign in, with which role, and which
sessions and bearer tokens are open. Password hashing and the session rules (timeouts,
throttling) are the caller's; this keeps the rows and answers in one statement each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from storage.index.account_models import SessionModel, UserModel
from storage.index.mapping import as_utc

MAX_USER_NAME: Final = 64


class Role(StrEnum):
    """What a user may do; the one list of roles (routes, CLI and storage use it)."""

    SCANNER = "scanner"        # upload, and watch their own batches
    CASEWORKER = "caseworker"  # search, read, correct
    REVIEWER = "reviewer"      # review queues, link and finding decisions
    ANALYST = "analyst"        # reports only: no personal data
    ADMIN = "admin"            # users and the audit log


@dataclass(frozen=True)
class UserRow:
    id: int
    name: str
    role: Role
    disabled: bool
    created_at: datetime


@dataclass(frozen=True)
class SessionRow:
    """An open session or token with its user, as found by the hash of its secret."""

    token_hash: str
    kind: str
    csrf: str
    created_at: datetime
    seen_at: datetime
    expires_at: datetime
    ended_at: datetime | None
    user: UserRow


class Accounts:
    """The users and sessions tables of one index."""

    def __init__(self, engine: Engine) -> None:
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def add_user(self, name: str, role: Role, password_hash: str, now: datetime) -> UserRow:
        """Add a user; ValueError if the name is taken."""
        try:
            with self._sessions.begin() as session:
                model = UserModel(name=name, role=str(role), password_hash=password_hash,
                                  disabled=False, created_at=now)
                session.add(model)
                session.flush()
                return _user(model)
        except IntegrityError as exc:
            raise ValueError(f"user {name!r} already exists") from exc

    def user(self, name: str) -> tuple[UserRow, str] | None:
        """The user called `name` with their password hash, or None."""
        with self._sessions.begin() as session:
            model = session.scalar(select(UserModel).where(UserModel.name == name))
            return None if model is None else (_user(model), model.password_hash)

    def users(self) -> list[UserRow]:
        with self._sessions.begin() as session:
            return [_user(m) for m in session.scalars(select(UserModel).order_by(UserModel.name))]

    def set_password(self, name: str, password_hash: str) -> None:
        with self._sessions.begin() as session:
            session.execute(update(UserModel).where(UserModel.name == name)
                            .values(password_hash=password_hash))

    def set_role(self, name: str, role: Role, now: datetime) -> bool:
        """Change a user's role and end their sessions (they sign in again under it)."""
        with self._sessions.begin() as session:
            return _change_and_end(session, name, now, role=str(role))

    def disable(self, name: str, now: datetime) -> bool:
        """Disable a user and end every session and token of theirs, in one transaction;
        False if there is no such user."""
        with self._sessions.begin() as session:
            return _change_and_end(session, name, now, disabled=True)

    def enable(self, name: str) -> bool:
        with self._sessions.begin() as session:
            done = session.execute(update(UserModel).where(UserModel.name == name)
                                   .values(disabled=False))
            return bool(done.rowcount)  # type: ignore[attr-defined]

    def open_session(self, user_id: int, token_hash: str, kind: str, csrf: str,
                     now: datetime, expires_at: datetime) -> None:
        with self._sessions.begin() as session:
            session.add(SessionModel(token_hash=token_hash, user_id=user_id, kind=kind,
                                     csrf=csrf, created_at=now, seen_at=now,
                                     expires_at=expires_at, ended_at=None))

    def session(self, token_hash: str) -> SessionRow | None:
        """The session or token with this hash and its user, open or not."""
        with self._sessions.begin() as session:
            row = session.execute(
                select(SessionModel, UserModel).join(UserModel)
                .where(SessionModel.token_hash == token_hash)).first()
            if row is None:
                return None
            found, user = row
            return SessionRow(found.token_hash, found.kind, found.csrf,
                              as_utc(found.created_at), as_utc(found.seen_at),
                              as_utc(found.expires_at),
                              None if found.ended_at is None else as_utc(found.ended_at),
                              _user(user))

    def touch(self, token_hash: str, now: datetime) -> None:
        """Note that a session was used (what the idle timeout counts from)."""
        with self._sessions.begin() as session:
            session.execute(update(SessionModel).where(SessionModel.token_hash == token_hash)
                            .values(seen_at=now))

    def end_session(self, token_hash: str, now: datetime) -> None:
        with self._sessions.begin() as session:
            session.execute(update(SessionModel).where(
                SessionModel.token_hash == token_hash, SessionModel.ended_at.is_(None))
                .values(ended_at=now))


def _change_and_end(session: Session, name: str, now: datetime, **values: object) -> bool:
    user_id = session.scalar(select(UserModel.id).where(UserModel.name == name))
    if user_id is None:
        return False
    session.execute(update(UserModel).where(UserModel.id == user_id).values(**values))
    session.execute(update(SessionModel).where(
        SessionModel.user_id == user_id, SessionModel.ended_at.is_(None)).values(ended_at=now))
    return True


def _user(model: UserModel) -> UserRow:
    return UserRow(model.id, model.name, Role(model.role), model.disabled,
                   as_utc(model.created_at))

"""Signing test clients in the way a real client does: a real user in the app's own
index, a real password, a real token from POST /token (no way round authentication)."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Final

from fastapi import FastAPI
from fastapi.testclient import TestClient

from casework import accounts
from storage.index.accounts import Role

PASSWORD: Final = "a long test password 1"
_numbers = itertools.count(1)


def add_user(app: FastAPI, role: Role | str, name: str | None = None,
             password: str = PASSWORD) -> str:
    """Add a user of `role` to the app's index; return the name."""
    name = name or f"{Role(role)}-{next(_numbers)}"
    accounts.add_user(app.state.services.context().index, name, Role(role), password)
    return name


def token(client: TestClient, name: str, password: str = PASSWORD) -> str:
    reply = client.post("/token", data={"username": name, "password": password})
    assert reply.status_code == 200, reply.text
    return str(reply.json()["access_token"])


def signed_in(app: FastAPI, role: Role | str, name: str | None = None) -> TestClient:
    """A client of `app` carrying a fresh bearer token of a new user with `role`."""
    client = TestClient(app)
    client.headers["Authorization"] = f"Bearer {token(client, add_user(app, role, name))}"
    return client


def browser(app: FastAPI, role: Role | str, name: str | None = None) -> tuple[TestClient, str]:
    """A client signed in by the session cookie, and its CSRF token."""
    client = TestClient(app)
    user = add_user(app, role, name)
    reply = client.post("/api/session", data={"username": user, "password": PASSWORD})
    assert reply.status_code == 200, reply.text
    return client, str(reply.json()["csrf_token"])


class Staff:
    """One signed-in client per role for one app, made on first use: `staff.caseworker`,
    `staff.scanner`... and `staff.anonymous` (no credentials)."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self._clients: dict[str, TestClient] = {}
        self.anonymous = TestClient(app)

    def __getattr__(self, role: str) -> TestClient:
        if role.startswith("_") or role not in Role.__members__.values():
            raise AttributeError(role)
        if role not in self._clients:
            self._clients[role] = signed_in(self.app, role)
        return self._clients[role]

    def as_role(self, role: Role | str) -> TestClient:
        return getattr(self, str(role))

    def name_of(self, role: Role | str) -> str:
        """The user name behind `as_role(role)`."""
        client = self.as_role(role)
        return str(client.get("/api/session").json()["name"])


def add_user_at(data_dir: Path, role: Role | str, name: str, password: str = PASSWORD) -> str:
    """Add a user to the index in `data_dir` before a server is started on it."""
    from api.deps import build_context
    from api.settings import Settings

    ctx = build_context(Settings(data_dir=data_dir))
    try:
        accounts.add_user(ctx.index, name, Role(role), password)
    finally:
        ctx.index.close()
    return name


def bearer(url: str, name: str, password: str = PASSWORD) -> dict[str, str]:
    """Headers carrying a token from a running server's POST /token."""
    import httpx

    reply = httpx.post(f"{url}/token", data={"username": name, "password": password},
                       timeout=30)
    assert reply.status_code == 200, reply.text
    return {"Authorization": f"Bearer {reply.json()['access_token']}"}

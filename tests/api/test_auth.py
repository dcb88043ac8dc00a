"""Signing in and out: Argon2 passwords, bearer tokens, session cookies with a fresh id,
idle and absolute timeouts, logout and disabling that end sessions on the server, CSRF,
throttling; the users CLI. Everything runs on a real index through the real app."""

from __future__ import annotations

import sqlite3
import time
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import run_cli
from fastapi.testclient import TestClient
from signin import PASSWORD, add_user, browser, signed_in, token

from api.app import create_app
from api.auth import COOKIE
from api.settings import Settings
from casework import accounts
from storage.index.accounts import Role


@pytest.fixture
def app(tmp_path: Path):  # type: ignore[no-untyped-def]
    return create_app(Settings(data_dir=tmp_path, workers=1, sign_in_max_failures=3))


def test_passwords_are_stored_as_argon2_hashes_only(app, tmp_path: Path) -> None:
    add_user(app, Role.CASEWORKER, "ann")
    stored = sqlite3.connect(tmp_path / "index.sqlite3").execute(
        "SELECT password_hash FROM users WHERE name = 'ann'").fetchone()[0]
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_a_token_opens_the_api_and_a_wrong_password_does_not(app) -> None:
    client = TestClient(app)
    add_user(app, Role.ANALYST, "al")
    assert client.get("/api/session").status_code == 401
    assert client.post("/token", data={"username": "al", "password": "not it at all"}
                       ).status_code == 401
    assert client.post("/token", data={"username": "nobody", "password": PASSWORD}
                       ).status_code == 401
    bearer = {"Authorization": f"Bearer {token(client, 'al')}"}
    me = client.get("/api/session", headers=bearer)
    assert me.status_code == 200 and me.json()["role"] == "analyst"
    forged = {"Authorization": "Bearer " + "A" * 43}
    assert client.get("/api/session", headers=forged).status_code == 401


def test_the_cookie_is_httponly_samesite_and_new_at_every_sign_in(app) -> None:
    client = TestClient(app)
    add_user(app, Role.CASEWORKER, "cat")
    first = client.post("/api/session", data={"username": "cat", "password": PASSWORD})
    header = first.headers["set-cookie"]
    assert "HttpOnly" in header and "samesite=lax" in header.lower()
    assert "secure" not in header.lower()  # plain http here; over https it is Secure
    old = client.cookies[COOKIE]
    client.post("/api/session", data={"username": "cat", "password": PASSWORD})
    assert client.cookies[COOKIE] != old
    replay = TestClient(app, cookies={COOKIE: old})
    assert replay.get("/api/session").status_code == 401  # the old session ended


def test_the_cookie_is_secure_over_tls(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path, workers=1))
    add_user(app, Role.CASEWORKER, "tls")
    client = TestClient(app, base_url="https://testserver")
    reply = client.post("/api/session", data={"username": "tls", "password": PASSWORD})
    assert "secure" in reply.headers["set-cookie"].lower()


def test_signing_out_ends_the_session_on_the_server(app) -> None:
    client, csrf = browser(app, Role.REVIEWER)
    secret = client.cookies[COOKIE]
    assert client.delete("/api/session", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert TestClient(app, cookies={COOKIE: secret}).get("/api/session").status_code == 401


def test_a_changing_request_by_cookie_needs_the_csrf_token_and_the_same_origin(app) -> None:
    client, csrf = browser(app, Role.REVIEWER)
    assert client.delete("/api/session").status_code == 403
    assert client.delete("/api/session", headers={"X-CSRF-Token": "x" * 43}).status_code == 403
    assert client.delete("/api/session", headers={
        "X-CSRF-Token": csrf, "Origin": "https://evil.example"}).status_code == 403
    assert client.get("/api/session").status_code == 200  # still signed in
    assert client.delete("/api/session", headers={
        "X-CSRF-Token": csrf, "Origin": "http://testserver"}).status_code == 204
    signed_out = TestClient(app)
    add_user(app, Role.CASEWORKER, "kim")
    forced = signed_out.post("/api/session", data={"username": "kim", "password": PASSWORD},
                             headers={"Origin": "https://evil.example"})
    assert forced.status_code == 403 and COOKIE not in signed_out.cookies


def test_disabling_a_user_ends_their_tokens_and_sessions_at_once(app) -> None:
    api = signed_in(app, Role.CASEWORKER, "dan")
    assert api.get("/api/session").status_code == 200
    assert accounts.disable_user(app.state.services.context().index, "dan")
    assert api.get("/api/session").status_code == 401
    assert TestClient(app).post("/token", data={"username": "dan", "password": PASSWORD}
                                ).status_code == 401


def test_sign_in_attempts_are_throttled_even_with_the_right_password(app) -> None:
    client = TestClient(app)
    add_user(app, Role.CASEWORKER, "eve")
    for _ in range(3):
        assert client.post("/token", data={"username": "eve", "password": "wrong wrong"}
                           ).status_code == 401
    refused = client.post("/token", data={"username": "eve", "password": PASSWORD})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0


def test_sessions_end_when_idle_and_at_their_absolute_limit(app) -> None:
    index = app.state.services.context().index
    add_user(app, Role.CASEWORKER, "fay")
    user = index.accounts.user("fay")[0]
    idle = accounts.SessionRules(idle=timedelta(seconds=1))
    short = accounts.SessionRules(absolute=timedelta(seconds=1))
    lazy = accounts.open_session(index, user, "cookie", idle)
    capped = accounts.open_session(index, user, "cookie", short)
    assert accounts.current_session(index, lazy.secret, idle) is not None
    assert accounts.current_session(index, capped.secret, short) is not None
    time.sleep(1.2)
    assert accounts.current_session(index, lazy.secret, idle) is None
    assert accounts.current_session(index, capped.secret, short) is None


def test_the_user_commands(tmp_path: Path) -> None:
    added = run_cli(["user", "add", "gus", "--role", "admin"], tmp_path,
                    input_text="another long password\n")
    assert added.returncode == 0, added.stderr
    short = run_cli(["user", "add", "hal", "--role", "admin"], tmp_path, input_text="short\n")
    assert short.returncode == 2 and "password" in short.stderr
    bad_role = run_cli(["user", "add", "hal", "--role", "king"], tmp_path,
                       input_text="another long password\n")
    assert bad_role.returncode == 2
    listed = run_cli(["user", "list", "--json"], tmp_path)
    assert '"name": "gus"' in listed.stdout and '"role": "admin"' in listed.stdout
    assert "hash" not in listed.stdout
    assert run_cli(["user", "disable", "gus"], tmp_path).returncode == 0
    assert run_cli(["user", "disable", "nobody"], tmp_path).returncode == 1
    assert '"disabled": true' in run_cli(["user", "list", "--json"], tmp_path).stdout


def test_expired_forged_and_revoked_credentials_open_nothing(app) -> None:
    index = app.state.services.context().index
    add_user(app, Role.CASEWORKER, "ivy")
    user = index.accounts.user("ivy")[0]
    brief = accounts.SessionRules(token=timedelta(seconds=1), absolute=timedelta(seconds=1))
    old_token = accounts.open_session(index, user, "bearer", brief).secret
    old_cookie = accounts.open_session(index, user, "cookie", brief).secret
    time.sleep(1.2)
    assert TestClient(app, headers={"Authorization": f"Bearer {old_token}"}).get(
        "/api/session").status_code == 401
    assert TestClient(app, cookies={COOKIE: old_cookie}).get("/api/session").status_code == 401
    assert TestClient(app, cookies={COOKIE: "forged" * 8}).get("/api/session").status_code == 401
    live = signed_in(app, Role.CASEWORKER)
    assert live.delete("/api/session").status_code == 204  # a token signs out by itself
    assert live.get("/api/session").status_code == 401
    cookie_as_token = browser(app, Role.CASEWORKER)[0].cookies[COOKIE]
    assert TestClient(app, headers={"Authorization": f"Bearer {cookie_as_token}"}).get(
        "/api/session").status_code == 401  # a session's secret is no bearer token


def test_the_audit_commands(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path, workers=1))
    client = signed_in(app, Role.ANALYST, "jo")
    client.get("/api/reports/persons")
    TestClient(app).get("/api/reports/persons")
    listed = run_cli(["audit", "--user", "jo", "--json"], tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert '"action": "persons"' in listed.stdout and '"action": "sign-in"' in listed.stdout
    verified = run_cli(["audit", "verify"], tmp_path)
    assert verified.returncode == 0 and "intact" in verified.stderr
    with sqlite3.connect(tmp_path / "index.sqlite3") as db:  # behind the triggers' back
        db.execute("DROP TRIGGER audit_log_no_update")
        db.execute("UPDATE audit_log SET actor = 'someone' WHERE actor = 'jo'")
    broken = run_cli(["audit", "verify"], tmp_path)
    assert broken.returncode == 1 and "broken at entry" in broken.stderr

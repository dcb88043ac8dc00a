"""Every page of the web app and every role, table-driven, on one app with a real index
and real session cookies: signed out, a redirect to the sign-in page; a role that may
not, 403 and no data; a role that may, the page; each request in the audit log under who
made it. A changing request without the session's CSRF token is refused. A page route
missing from the table fails the test."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pytest
from casedocs import PEOPLE, case_document
from dbexport import seed_finding
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from signin import browser

from api.app import create_app
from api.settings import Settings
from api.web import admin, batches, cases, reconcile, reports, review, signin
from storage.index.accounts import Role
from storage.index.audit import AuditFilter

S, CW, RV, AN, AD = (Role.SCANNER, Role.CASEWORKER, Role.REVIEWER, Role.ANALYST, Role.ADMIN)
EVERYONE: Final = (S, CW, RV, AN, AD)
DOC: Final = case_document(*PEOPLE[0]).document_id
PUBLIC: Final = {("GET", "/sign-in"), ("POST", "/sign-in")}


@dataclass(frozen=True)
class Page:
    method: str
    path: str   # the route's template
    url: str    # a real request to it
    roles: tuple[Role, ...]
    ok: int = 200


PAGES: Final = [
    Page("GET", "/", "/", EVERYONE, ok=303),
    Page("GET", "/upload", "/upload", (S,)),
    Page("GET", "/batches", "/batches", (S, CW, RV)),
    Page("GET", "/batches/{name}", "/batches/seeded", (S, CW, RV)),
    Page("GET", "/batches/{name}/progress", "/batches/seeded/progress", (S, CW, RV)),
    Page("GET", "/search", "/search?surname=Okafor", (CW, RV)),
    Page("GET", "/documents/{document_id}", f"/documents/{DOC}", (CW, RV)),
    Page("GET", "/review", "/review", (RV,)),
    Page("GET", "/reconcile", "/reconcile", (CW, RV)),
    Page("GET", "/reconcile/{finding_id}", "/reconcile/1", (CW, RV)),
    Page("GET", "/reports", "/reports", (AN, CW, RV)),
    Page("GET", "/admin", "/admin", (AD,)),
]
# Changing requests: their success is driven in the browser tests; here, who is let in.
CHANGES: Final = [
    Page("POST", "/upload", "/upload", (S,)),
    Page("POST", "/documents/{document_id}/fields/{field}/correct",
         f"/documents/{DOC}/fields/surname/correct", (CW, RV)),
    Page("POST", "/review/{document_id}/{field}/accept", f"/review/{DOC}/surname/accept", (RV,)),
    Page("POST", "/review/{document_id}/{field}/correct", f"/review/{DOC}/surname/correct",
         (RV,)),
    Page("POST", "/review/{document_id}/{field}/unreadable",
         f"/review/{DOC}/surname/unreadable", (RV,)),
    Page("POST", "/reconcile/{finding_id}/resolve", "/reconcile/1/resolve", (RV,)),
    Page("POST", "/admin/users", "/admin/users", (AD,)),
    Page("POST", "/admin/users/{name}/role", "/admin/users/nobody/role", (AD,)),
    Page("POST", "/admin/users/{name}/disable", "/admin/users/nobody/disable", (AD,)),
    Page("POST", "/admin/users/{name}/enable", "/admin/users/nobody/enable", (AD,)),
    Page("POST", "/sign-out", "/sign-out", EVERYONE, ok=303),
]


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    made = create_app(Settings(data_dir=tmp_path_factory.mktemp("pages"), workers=1))
    index = made.state.services.context().index
    for person in PEOPLE:
        index.add_document(case_document(*person))
    assert seed_finding(index, DOC, 2, (100, 200, 300, 240)) == 1
    return made


@pytest.fixture(scope="module")
def clients(app: FastAPI) -> dict[Role, tuple[TestClient, str, str]]:
    """A cookie-signed-in client per role, its CSRF token and its user's name."""
    made = {}
    for role in EVERYONE:
        client, csrf = browser(app, role, f"page-{role}")
        client.follow_redirects = False
        made[role] = (client, csrf, f"page-{role}")
    index = app.state.services.context().index
    index.start_batch_with("seeded", [], owner="page-scanner")
    return made


def test_the_table_covers_every_page_route() -> None:
    routes = [r for area in (admin, batches, cases, review, reconcile, reports, signin)
              for r in area.router.routes]
    declared = {(m, r.path) for r in routes if isinstance(r, APIRoute) for m in r.methods}
    listed = {(p.method, p.path) for p in [*PAGES, *CHANGES]} | PUBLIC
    assert declared == listed


@pytest.mark.parametrize("page", PAGES, ids=lambda p: f"{p.method} {p.path}")
def test_each_page_answers_only_its_roles(app: FastAPI, clients: dict[Role, tuple[
        TestClient, str, str]], page: Page) -> None:
    anonymous = TestClient(app, follow_redirects=False)
    signed_out = anonymous.get(page.url)
    assert signed_out.status_code == 303
    assert signed_out.headers["location"].startswith("/sign-in?next=")
    log = app.state.services.context().index.audit
    for role, (client, _csrf, name) in clients.items():
        before = log.count(AuditFilter(actor=name))
        reply = client.get(page.url, headers={"accept": "text/html"})
        if role in page.roles:
            assert reply.status_code == page.ok, (role, reply.text[:300])
            if page.ok == 200:
                assert reply.headers["cache-control"] == "no-store"
                assert "frame-ancestors 'none'" in reply.headers["content-security-policy"]
        else:
            assert reply.status_code == 403, role
            assert "Okafor" not in reply.text and "OKAFOR" not in reply.text, role
        assert log.count(AuditFilter(actor=name)) == before + 1, role


@pytest.mark.parametrize("page", CHANGES, ids=lambda p: f"{p.method} {p.path}")
def test_each_change_is_refused_to_other_roles_and_without_its_csrf_token(
        app: FastAPI, clients: dict[Role, tuple[TestClient, str, str]], page: Page) -> None:
    anonymous = TestClient(app, follow_redirects=False)
    assert anonymous.post(page.url, data={"value": "x"}).status_code == 303
    for role, (client, csrf, _name) in clients.items():
        if role in page.roles:
            forged = client.post(page.url, data={"value": "Okafor", "role": "analyst"})
            assert forged.status_code == 403, role  # no CSRF token: refused before the route
        else:
            refused = client.post(page.url, data={"value": "Okafor", "csrf_token": csrf,
                                                   "role": "analyst"})
            assert refused.status_code == 403, role


def test_nothing_changed_by_the_refused_requests(app: FastAPI) -> None:
    index = app.state.services.context().index
    stored = index.get_document(DOC)
    assert stored is not None and stored.corrections == ()
    assert [u.name for u in index.accounts.users() if u.disabled] == []
    seeded, resolutions = index.reconciliation.finding(1)
    assert seeded.state == "open" and resolutions == []


def test_the_sign_in_page_goes_back_only_to_this_site(app: FastAPI, tmp_path: Path) -> None:
    client = TestClient(app, follow_redirects=False)
    for given in ("//evil.example/x", "https://evil.example/", "/\\evil"):
        shown = client.get("/sign-in", params={"next": given})
        assert 'name="next" value="/"' in shown.text, given

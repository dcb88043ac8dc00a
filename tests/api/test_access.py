"""Every route and every role, table-driven, on one app with a real index: anonymous
401, a role that may not 403 (and no data), a role that may 2xx; each request, granted
or refused, is in the audit log under who made it. A scanner sees only their batches,
and a route missing from the table fails the test."""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from dbexport import HEADER, MAPPING, ROWS
from dbexport import write as write_export
from fastapi import FastAPI
from fastapi.testclient import TestClient
from linkresults import doc_id, documents, first_run
from PIL import Image
from signin import Staff, add_user

from api.app import create_app
from api.settings import Settings
from casework import reconcile
from casework.identities import link_write
from storage.index.accounts import Role
from storage.index.audit import AuditFilter
from storage.objects.artefacts import searchable_pdf_key

A, B, C = doc_id("a"), doc_id("b"), doc_id("c")
S, CW, RV, AN, AD = (Role.SCANNER, Role.CASEWORKER, Role.REVIEWER, Role.ANALYST, Role.ADMIN)
EVERYONE = (S, CW, RV, AN, AD)


@dataclass(frozen=True)
class Call:
    method: str
    path: str          # the route's template, as the app declares it
    url: str           # a real request to it
    roles: tuple[Role, ...]
    ok: int = 200
    kwargs: tuple[tuple[str, Any], ...] = ()


def png() -> bytes:
    buf = io.BytesIO()
    Image.new("L", (100, 100), 255).save(buf, format="PNG")
    return buf.getvalue()


CALLS = [
    Call("GET", "/api/documents/{document_id}", f"/api/documents/{A}", (CW, RV)),
    Call("GET", "/api/documents/{document_id}/pages/{page}/image",
         f"/api/documents/{A}/pages/1/image", (CW, RV)),
    Call("GET", "/api/documents/{document_id}/pdf", f"/api/documents/{A}/pdf", (CW, RV)),
    Call("POST", "/api/documents", "/api/documents", (S,),
         kwargs=(("files", [("files", ("bad.png", b"\x89PNG\r\n\x1a\nbroken", "image/png"))]),)),
    Call("GET", "/api/batches", "/api/batches", (S, CW, RV)),
    Call("POST", "/api/batches", "/api/batches", (S,), ok=202,
         kwargs=(("files", [("files", ("notes.txt", b"not a scan", "text/plain"))]),)),
    Call("GET", "/api/batches/{name}", "/api/batches/seeded", (S, CW, RV)),
    Call("GET", "/api/batches/{name}/events", "/api/batches/seeded/events", (S, CW, RV)),
    Call("GET", "/api/search", "/api/search?surname=Okafor", (CW, RV)),
    Call("GET", "/api/review", "/api/review", (RV,)),
    Call("POST", "/api/documents/{document_id}/fields/{field}/corrections",
         f"/api/documents/{A}/fields/surname/corrections", (CW, RV), ok=201,
         kwargs=(("json", {"value": "Okafor"}),)),
    Call("GET", "/api/entities", "/api/entities?q=Okafor", (CW, RV)),
    Call("GET", "/api/persons/export", "/api/persons/export", (CW, RV)),
    Call("GET", "/api/persons/search", "/api/persons/search?surname=Okafor", (CW, RV)),
    Call("GET", "/api/persons/{ident}", "/api/persons/p-chinedu", (CW, RV)),
    Call("POST", "/api/persons/link", "/api/persons/link", (RV,)),
    Call("GET", "/api/review/links", "/api/review/links", (RV,)),
    Call("POST", "/api/review/links/{action}", "/api/review/links/never", (RV,), ok=201,
         kwargs=(("json", {"left": A, "right": C, "why": "different people"}),)),
    Call("GET", "/api/reports/counts", "/api/reports/counts?by=decision", (AN, CW, RV)),
    Call("GET", "/api/reports/permission-to-work", "/api/reports/permission-to-work?year=2020",
         (AN, CW, RV)),
    Call("GET", "/api/reports/quality", "/api/reports/quality?format=csv", (AN, CW, RV)),
    Call("GET", "/api/reports/persons", "/api/reports/persons", (AN, CW, RV)),
    Call("GET", "/api/reconcile/findings", "/api/reconcile/findings?state=open", (CW, RV)),
    Call("GET", "/api/reconcile/findings/{finding_id}", "/api/reconcile/findings/1", (CW, RV)),
    Call("POST", "/api/reconcile/findings/{finding_id}/resolve",
         "/api/reconcile/findings/1/resolve", (RV,), ok=201,
         kwargs=(("json", {"reason": "checked the appeal file"}),)),
    Call("GET", "/api/reconcile/summary", "/api/reconcile/summary?by=nationality&format=csv",
         (AN, CW, RV)),
    Call("POST", "/api/reconcile/runs", "/api/reconcile/runs", (RV,), ok=201),
    Call("POST", "/api/reconcile/exports", "/api/reconcile/exports", (RV,), ok=201,
         kwargs=(("files", [("export", ("cases.csv", (HEADER + ROWS).encode(), "text/csv")),
                            ("mapping", ("mapping.toml", MAPPING.encode(),
                                         "application/toml"))]),)),
    Call("GET", "/api/users", "/api/users", (AD,)),
    Call("POST", "/api/users", "/api/users", (AD,), ok=201,
         kwargs=(("json", {"name": "new.person", "role": "analyst",
                           "password": "a fine long password"}),)),
    Call("POST", "/api/users/{name}/disable", "/api/users/target.user/disable", (AD,)),
    Call("POST", "/api/users/{name}/enable", "/api/users/target.user/enable", (AD,)),
    Call("PUT", "/api/users/{name}/role", "/api/users/target.user/role", (AD,),
         kwargs=(("json", {"role": "reviewer"}),)),
    Call("GET", "/api/audit", "/api/audit?limit=5", (AD,)),
    Call("GET", "/api/audit/verify", "/api/audit/verify", (AD,)),
    Call("GET", "/api/session", "/api/session", EVERYONE),
]
PUBLIC = {("GET", "/health"), ("POST", "/token"), ("POST", "/api/session"),
          ("DELETE", "/api/session")}  # sign-out: 401 when anonymous, tested in test_auth


@pytest.fixture(scope="module")
def staff(tmp_path_factory: pytest.TempPathFactory) -> Staff:
    return seeded_staff(tmp_path_factory.mktemp("access"))


@pytest.fixture()
def untouched(tmp_path: Path) -> Staff:
    """A server of its own: the route table's link decisions move documents between
    persons, and a test of who read a person's documents needs them where they began."""
    return seeded_staff(tmp_path)


def seeded_staff(data_dir: Path) -> Staff:
    app = create_app(Settings(data_dir=data_dir, workers=1, report_min_count=1))
    ctx = app.state.services.context()
    docs = documents()
    first = docs[0]
    pages = (replace(first.pages[0], image_key="pages/a-1.png"), *first.pages[1:])
    ctx.store.put("pages/a-1.png", png(), "image/png")
    ctx.store.put(searchable_pdf_key(first.sha256), b"%PDF-1.4 test", "application/pdf")
    ctx.index.add_documents([replace(first, pages=pages), *docs[1:]])
    ctx.index.write_links(link_write(first_run()))
    exports = data_dir.with_name(f"{data_dir.name}-export")
    exports.mkdir()
    export, mapping = write_export(exports, ROWS)
    reconcile.import_export(ctx, export, mapping)
    reconcile.run(ctx)  # findings from 1 (the paper and export of tests/dbexport.py)
    add_user(app, Role.CASEWORKER, "target.user")
    staff = Staff(app)
    batch, _ = ctx.index.start_batch_with("seeded", [], owner=staff.name_of(Role.SCANNER))
    ctx.index.finish_batch(batch)
    return staff


def audited(app: FastAPI, actor: str | None, url: str) -> list[int]:
    """Statuses of the audit entries for this actor and path."""
    path = url.split("?")[0]
    rows = app.state.services.context().index.audit.entries(AuditFilter(actor=actor),
                                                            limit=1000)
    return [r.entry.status for r in rows if r.entry.path == path]


@pytest.mark.parametrize("call", CALLS, ids=lambda c: f"{c.method} {c.path}")
def test_every_role_on_every_route(staff: Staff, call: Call) -> None:
    kwargs = dict(call.kwargs)
    anonymous = staff.anonymous.request(call.method, call.url, **kwargs)
    assert anonymous.status_code == 401, anonymous.text
    assert 401 in audited(staff.app, None, call.url)
    for role in EVERYONE:
        client = staff.as_role(role)
        reply = client.request(call.method, call.url, **kwargs)
        if role in call.roles:
            assert reply.status_code == call.ok, (role, reply.text)
        else:
            assert reply.status_code == 403, (role, reply.text)
            assert set(reply.json()) == {"detail"} and "Okafor" not in reply.text
        assert reply.status_code in audited(staff.app, staff.name_of(role), call.url), role


def test_the_table_covers_every_route(staff: Staff) -> None:
    declared = {(method.upper(), path) for path, item in staff.app.openapi()["paths"].items()
                for method in item}
    assert declared == {(c.method, c.path) for c in CALLS} | PUBLIC


def test_a_scanner_sees_only_their_own_batches(staff: Staff) -> None:
    other = TestClient(staff.app)
    from signin import token
    other.headers["Authorization"] = f"Bearer {token(other, add_user(staff.app, S))}"
    assert other.get("/api/batches/seeded").status_code == 404
    assert other.get("/api/batches/seeded/events").status_code == 404
    assert all(b["name"] != "seeded" for b in other.get("/api/batches").json())
    assert staff.scanner.get("/api/batches/seeded").status_code == 200
    assert staff.caseworker.get("/api/batches/seeded").status_code == 200


def test_reads_are_audited_with_the_document_and_the_search(untouched: Staff) -> None:
    staff = untouched
    staff.caseworker.get(f"/api/documents/{A}")
    staff.caseworker.get("/api/search", params={"surname": "Okafor", "dob": "1985-03-02"})
    log = staff.app.state.services.context().index.audit
    me = staff.name_of(CW)
    opened = log.entries(AuditFilter(actor=me, document_id=A, action="document"))
    assert opened and opened[0].entry.role == "caseworker" and opened[0].entry.address
    about_him = log.entries(AuditFilter(actor=me, person_id="p-chinedu"))
    assert A in {r.entry.document_id for r in about_him}  # his document, read by id
    searched = log.entries(AuditFilter(actor=me, action="search"))
    assert '"surname", "Okafor"' in (searched[0].entry.detail or "")
    assert log.verify().first_bad is None

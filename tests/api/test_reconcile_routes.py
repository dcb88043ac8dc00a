"""`/api/reconcile` as a reviewer, a caseworker and an analyst use it: an export uploaded
with its mapping, a run, the queue as JSON and CSV, one finding's evidence, resolving it
as the signed-in user, the summary with small counts suppressed and no personal data;
bad uploads named in one line, never a server error."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from conftest import run_cli
from dbexport import HEADER, MAPPING, ROWS
from fastapi.testclient import TestClient
from linkresults import documents, first_run
from signin import Staff

from api.app import create_app
from api.routes.reconcile import RUNNING
from api.settings import Settings
from casework.identities import link_write

MAPPING_FILE = ("mapping", ("mapping.toml", MAPPING.encode(), "application/toml"))


def upload(client: TestClient, rows: str, mapping: bytes = MAPPING.encode()) -> dict[str, Any]:
    reply = client.post("/api/reconcile/exports", data={"name": "nightly"}, files=[
        ("export", ("cases.csv", (HEADER + rows).encode(), "text/csv")),
        ("mapping", ("mapping.toml", mapping, "application/toml"))])
    assert reply.status_code in (201, 413, 422), reply.text
    return {"status": reply.status_code, **reply.json()}


@pytest.fixture(scope="module")
def staff(tmp_path_factory: pytest.TempPathFactory) -> Staff:
    app = create_app(Settings(data_dir=tmp_path_factory.mktemp("reconcile"), workers=1,
                              max_upload_bytes=200_000))
    index = app.state.services.context().index
    index.add_documents(documents())
    index.write_links(link_write(first_run()))
    return Staff(app)


def test_upload_run_list_show_resolve(staff: Staff) -> None:
    reviewer = staff.reviewer
    assert reviewer.post("/api/reconcile/runs").status_code == 409  # no export yet
    imported = upload(reviewer, ROWS)
    assert imported["status"] == 201 and imported["rows"] == 6 and imported["name"] == "nightly"
    run = reviewer.post("/api/reconcile/runs")
    assert run.status_code == 201, run.text
    found = reviewer.get("/api/reconcile/findings", params={"limit": 200}).json()
    assert len(found) == run.json()["findings"] and found[0]["harm"] == 1
    status = next(f for f in found if f["kind"] == "status_disagreement")
    assert status["keys"] == ["C-1"] and status["evidence"][0]["paper"][0]["page"] == 1
    table = list(csv.DictReader(io.StringIO(reviewer.get(
        "/api/reconcile/findings", params={"kind": "duplicate", "format": "csv"}).text)))
    assert [r["keys"] for r in table] == ["C-4;C-4B"]

    url = f"/api/reconcile/findings/{status['finding_id']}"
    done = reviewer.post(f"{url}/resolve", json={"reason": "checked the appeal file",
                                                 "by": "someone.else"})
    assert done.status_code == 201, done.text
    assert done.json()["by"] == staff.name_of("reviewer")  # the signed-in user, never a field
    shown = staff.caseworker.get(url).json()
    assert shown["state"] == "resolved" and shown["resolutions"][0]["reason"] == \
        "checked the appeal file"
    assert staff.caseworker.post(f"{url}/resolve", json={"reason": "x"}).status_code == 403
    assert reviewer.get("/api/reconcile/findings", params={"state": "open"}).json()
    assert all(f["state"] == "open" for f in reviewer.get(
        "/api/reconcile/findings", params={"state": "open", "limit": 200}).json())

    again = upload(reviewer, ROWS.replace("C-1,HO-1234567,Okafor,Chinedu,02/03/1985,NGA,REF",
                                          "C-1,HO-1234567,Okafor,Chinedu,02/03/1985,NGA,GRT"))
    assert again["previous_export_id"] == imported["export_id"] and again["changed"] == 1


def test_bad_requests_are_named(staff: Staff) -> None:
    reviewer = staff.reviewer
    with RUNNING:  # a run in progress (another request's)
        busy = reviewer.post("/api/reconcile/runs")
    assert busy.status_code == 409 and "already going" in busy.json()["detail"]
    assert reviewer.get("/api/reconcile/findings/999999").status_code == 404
    assert reviewer.post("/api/reconcile/findings/999999/resolve",
                         json={"reason": "x"}).status_code == 404
    assert reviewer.post("/api/reconcile/findings/1/resolve",
                         json={"reason": "x" * 2001}).status_code == 422
    assert reviewer.get("/api/reconcile/findings", params={"kind": "bogus"}).status_code == 422
    bad = upload(reviewer, ROWS, b'key = "case_id"\n[columns]\nshoe_size = "x"\n')
    assert bad["status"] == 422 and "unknown case field(s) shoe_size" in bad["detail"]
    assert "/tmp" not in bad["detail"] and "casescan-export" not in bad["detail"]
    big = upload(reviewer, ROWS, b"#" * 70_000)
    assert big["status"] == 413 and "mapping" in big["detail"]
    huge = upload(reviewer, ROWS * 2000)
    assert huge["status"] == 413
    lone = reviewer.post("/api/reconcile/exports", files=[MAPPING_FILE])
    assert lone.status_code == 422 and "export" in lone.json()["detail"]


def test_the_analyst_sees_counts_only(staff: Staff) -> None:
    analyst = staff.analyst
    assert analyst.get("/api/reconcile/findings").status_code == 403
    for by in ("kind", "batch", "nationality"):
        reply = analyst.get("/api/reconcile/summary", params={"by": by})
        assert reply.status_code == 200, reply.text
        assert all(set(r) <= {"kind", by, "findings"} for r in reply.json()["rows"])
        assert "Okafor" not in reply.text and "C-1" not in reply.text
    kinds = analyst.get("/api/reconcile/summary").json()["rows"]
    assert kinds and all(r["findings"] == "<5" for r in kinds)  # small: suppressed
    assert analyst.get("/api/reconcile/summary", params={"format": "csv"}).text.startswith(
        "kind,findings\n")


def test_the_cli_and_http_give_the_same_findings(staff: Staff) -> None:
    """One set of response models: `casescan reconcile ... --json/--csv` on the same data
    answers what the routes answer."""
    data_dir = staff.app.state.services.settings.data_dir
    reviewer = staff.reviewer
    over_http = reviewer.get("/api/reconcile/findings", params={"limit": 200}).json()
    assert over_http
    done = run_cli(["reconcile", "findings", "--json", "--limit", "200"], data_dir)
    assert done.returncode == 0, done.stderr
    assert [json.loads(line) for line in done.stdout.splitlines()] == over_http
    done = run_cli(["reconcile", "findings", "--csv", "--limit", "200"], data_dir)
    assert done.stdout == reviewer.get("/api/reconcile/findings",
                                       params={"limit": 200, "format": "csv"}).text
    first = over_http[0]["finding_id"]
    done = run_cli(["reconcile", "show", str(first), "--json"], data_dir)
    assert json.loads(done.stdout) == reviewer.get(f"/api/reconcile/findings/{first}").json()
    done = run_cli(["reconcile", "summary", "--json"], data_dir)
    tables = {t["title"]: t for t in map(json.loads, done.stdout.splitlines())}
    assert tables["findings by nationality"] == reviewer.get(
        "/api/reconcile/summary", params={"by": "nationality"}).json()

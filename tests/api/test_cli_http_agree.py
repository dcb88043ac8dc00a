"""The CLI's --json and the HTTP API give the same objects for the same thing: both build
them from one module of response models, and /openapi.json names every one of them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import CaseFile, run_cli
from fastapi.testclient import TestClient
from signin import signed_in

from api.app import create_app
from api.settings import Settings
from casework.context import case_columns
from storage.index import Index
from storage.index.records import DocumentRow, FieldRow, PageRow

SHA = "cd" * 32


def two_surnames() -> DocumentRow:
    """A record whose surname is printed twice, differently: both kept for review."""
    page = PageRow(1, 2480, 3508, "ocr", 0.9, "Surname: MENSAH\nSurname: OKAFOR", None, None)
    why = "different values found in one file"
    return DocumentRow(
        document_id=SHA, sha256=SHA, source="two-surnames.pdf", media_type="application/pdf",
        original_key="originals/cd/x/original.pdf", status="done", error=None, pages=(page,),
        fields=(FieldRow("surname", "Mensah", "MENSAH", 0.9, 1, (10, 20, 110, 40),
                         "needs_review", why, 0),
                FieldRow("surname", "Okafor", "OKAFOR", 0.9, 1, (10, 60, 110, 80),
                         "needs_review", why, 1)),
        entities=())


@pytest.fixture(scope="module")
def data_dir(ingested: tuple[Path, dict[str, dict]],
             tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's ingested scans (a copy) plus one record with a field awaiting review."""
    folder = tmp_path_factory.mktemp("agree") / "data"
    shutil.copytree(ingested[0], folder)
    with Index(f"sqlite:///{folder.resolve() / 'index.sqlite3'}",
               case_columns=case_columns()) as index:
        assert index.add_document(two_surnames())
    return folder


@pytest.fixture(scope="module")
def client(data_dir: Path) -> TestClient:
    return signed_in(create_app(Settings(data_dir=data_dir, workers=1)), "reviewer")


def lines(args: list[str], data_dir: Path) -> list[dict]:
    result = run_cli([*args, "--json"], data_dir)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def ok(client: TestClient, url: str, **params: str) -> Any:
    reply = client.get(url, params=params)
    assert reply.status_code == 200, reply.text
    return reply.json()


def assert_same_document(shown: dict, detail: dict) -> None:
    """HTTP lists the pages where the CLI counts them; every other key is the same."""
    assert detail["page_count"] == shown["pages"] == len(detail["pages"])
    assert {k: v for k, v in shown.items() if k != "pages"} == {
        k: detail[k] for k in shown if k != "pages"}


def test_a_document_is_the_same(client: TestClient, data_dir: Path,
                                ingested: tuple[Path, dict[str, dict]]) -> None:
    for doc in ingested[1].values():
        document_id = doc["document_id"]
        [shown] = lines(["show", document_id], data_dir)
        assert_same_document(shown, ok(client, f"/api/documents/{document_id}"))


def test_a_corrected_document_is_the_same(client: TestClient, data_dir: Path,
                                          ingested: tuple[Path, dict[str, dict]]) -> None:
    document_id = ingested[1]["scan"]["document_id"]
    [made] = lines(["correct", document_id, "surname", "Okafor", "--by", "a.b"], data_dir)
    [shown] = lines(["show", document_id], data_dir)
    assert shown["fields"]["surname"]["corrected_by"] == made["by"] == "a.b"
    assert_same_document(shown, ok(client, f"/api/documents/{document_id}"))


def test_search_hits_are_the_same(client: TestClient, data_dir: Path,
                                  case_files: dict[str, CaseFile],
                                  ingested: tuple[Path, dict[str, dict]]) -> None:
    printed = case_files["stacked"].truth.printed
    words = f"{printed['surname']} {printed['given_names']}"
    hits = lines(["search", words], data_dir)
    assert hits and hits == ok(client, "/api/search", q=words)
    fields = ingested[1]["stacked"]["fields"]
    surname = fields["surname"]["value"]
    by_field = lines(["search", "--surname", surname, "--batch", "1"], data_dir)
    assert by_field and by_field == ok(client, "/api/search", surname=surname, batch="1")


def test_review_items_and_entities_are_the_same(client: TestClient, data_dir: Path) -> None:
    items = lines(["review"], data_dir)
    assert SHA in {i["document_id"] for i in items}
    assert items == ok(client, "/api/review", limit="50")["items"]
    people = lines(["entities", "--label", "PERSON"], data_dir)
    assert people and people == ok(client, "/api/entities", label="PERSON")


def test_report_rows_are_the_same(client: TestClient, data_dir: Path) -> None:
    rows = lines(["report", "counts", "--by", "application_type"], data_dir)
    assert rows and rows == ok(client, "/api/reports/counts", by="application_type")["rows"]


def test_batch_status_is_the_same(client: TestClient, data_dir: Path) -> None:
    [shown] = lines(["batch", "status", "session"], data_dir)
    assert shown["state"] == "finished" and shown["files_total"] == shown["done"] == 6
    assert shown["pages_done"] == shown["pages_total"] > 6
    assert shown == ok(client, "/api/batches/session")


MODELS = {
    ("/api/documents", "post"): "UploadOut",
    ("/api/documents/{document_id}", "get"): "DocumentDetailOut",
    ("/api/search", "get"): "SearchHitOut",
    ("/api/review", "get"): "ReviewQueueOut",
    ("/api/documents/{document_id}/fields/{field}/corrections", "post"): "CorrectionMadeOut",
    ("/api/entities", "get"): "EntityHitOut",
    ("/api/batches", "get"): "BatchOut",
    ("/api/batches", "post"): "BatchAcceptedOut",
    ("/api/batches/{name}", "get"): "BatchStatusOut",
    ("/health", "get"): "HealthOut",
    ("/api/reports/counts", "get"): "ReportOut",
    ("/api/reports/permission-to-work", "get"): "ReportOut",
    ("/api/reports/quality", "get"): "ReportOut",
    ("/api/reports/persons", "get"): "ReportOut",
    ("/api/persons/export", "get"): "PersonDocumentOut",
    ("/api/persons/search", "get"): "PersonHitOut",
    ("/api/persons/{ident}", "get"): "PersonOut",
    ("/api/persons/link", "post"): "LinkRunOut",
    ("/api/review/links", "get"): "LinkReviewOut",
    ("/api/review/links/{action}", "post"): "JudgementOut",
    ("/token", "post"): "TokenOut",
    ("/api/session", "post"): "SessionOut",
    ("/api/session", "get"): "SessionOut",
    ("/api/users", "get"): "UserOut",
    ("/api/users", "post"): "UserOut",
    ("/api/users/{name}/disable", "post"): "UserOut",
    ("/api/users/{name}/role", "put"): "UserOut",
    ("/api/audit", "get"): "AuditPageOut",
    ("/api/audit/verify", "get"): "ChainCheckOut",
}


def test_openapi_names_every_response_model(tmp_path: Path) -> None:
    schema = TestClient(create_app(Settings(data_dir=tmp_path))).get("/openapi.json").json()
    for (path, method), model in MODELS.items():
        responses = schema["paths"][path][method]["responses"]
        body = next(r for code, r in responses.items() if code.startswith("2"))
        shape = body["content"]["application/json"]["schema"]
        ref = shape.get("items", shape)["$ref"]
        assert ref == f"#/components/schemas/{model}", (path, method)
    shapes = schema["components"]["schemas"]
    assert {"DocumentOut", "FieldValueOut", "CorrectedValueOut", "FieldStatusOut",
            "CorrectionOut", "PageOut", "EntityOut", "CandidateOut", "ReviewItemOut",
            "BatchFileOut"} <= set(shapes)
    assert shapes["DocumentOut"]["properties"]["pages"]["type"] == "integer"

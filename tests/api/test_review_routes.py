"""Review queue, corrections and entity search through the real HTTP app and the real
`casescan` command, on one ingested generated file whose fields are all confirmed and
one indexed record holding two people (both values kept for review)."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import CaseFile, run_cli
from fastapi.testclient import TestClient
from signin import signed_in

from api.app import create_app
from api.settings import Settings
from casework.context import case_columns
from storage.index import Index
from storage.index.records import DocumentRow, EntityRow, FieldRow, PageRow

COLUMNS = case_columns()  # the case fields' columns, as casework opens the index

SHA = "ab" * 32


def two_people() -> DocumentRow:
    page = PageRow(1, 2480, 3508, "ocr", 0.9, "Surname: MENSAH\nSurname: OKAFOR", None, None)
    return DocumentRow(
        document_id=SHA, sha256=SHA, source="two-people.pdf", media_type="application/pdf",
        original_key="originals/ab/x/original.pdf", status="done", error=None, pages=(page,),
        fields=(FieldRow("surname", "Mensah", "MENSAH", 0.9, 1, (10, 20, 110, 40),
                         "needs_review", "different values found in one file", 0),
                FieldRow("surname", "Okafor", "OKAFOR", 0.9, 1, (10, 60, 110, 80),
                         "needs_review", "different values found in one file", 1),
                FieldRow("nationality", None, "", 0.0, None, None, "missing",
                         "no label for this field found")),
        entities=(EntityRow("POSTCODE", "CR9 2BY", 1, 0, 7),))


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("review-data")
    with Index(f"sqlite:///{folder.resolve() / 'index.sqlite3'}", case_columns=COLUMNS) as index:
        assert index.add_document(two_people())
    return folder


@pytest.fixture(scope="module")
def client(data_dir: Path) -> TestClient:
    """A reviewer (reads, corrects and works the review queue) called a.reviewer."""
    return signed_in(create_app(Settings(data_dir=data_dir, workers=1)), "reviewer",
                     "a.reviewer")


def test_review_queue_over_http_lists_both_values(client: TestClient) -> None:
    reply = client.get("/api/review")
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["total"] == 1
    item = body["items"][0]
    assert item["document_id"] == SHA and item["field"] == "surname"
    assert [v["value"] for v in item["values"]] == ["Mensah", "Okafor"]
    assert client.get("/api/review", params={"document_id": "cd" * 32}).status_code == 404


def test_document_shows_status_and_no_chosen_value(client: TestClient) -> None:
    doc = client.get(f"/api/documents/{SHA}").json()
    assert doc["fields"]["surname"] is None
    status = doc["field_status"]["surname"]
    assert status["status"] == "needs_review" and len(status["values"]) == 2
    assert doc["field_status"]["nationality"]["reason"] == "no label for this field found"


def test_bad_corrections_are_refused_and_change_nothing(client: TestClient) -> None:
    url = f"/api/documents/{SHA}/fields/date_of_birth/corrections"
    assert client.post(url, json={"value": "31/02/1987", "by": "a.b"}).status_code == 422
    assert client.post(url, json={"by": "a.b"}).status_code == 422  # no value
    assert client.post(f"/api/documents/{SHA}/fields/colour/corrections",
                       json={"value": "x", "by": "a.b"}).status_code == 422
    assert client.post(f"/api/documents/{'cd' * 32}/fields/surname/corrections",
                       json={"value": "Mensah", "by": "a.b"}).status_code == 404
    assert client.get(f"/api/documents/{SHA}").json()["field_status"]["date_of_birth"][
        "corrections"] == []


def test_entities_are_searchable_over_http(client: TestClient) -> None:
    hits = client.get("/api/entities", params={"label": "POSTCODE"}).json()
    assert [(h["document_id"], h["text"]) for h in hits] == [(SHA, "CR9 2BY")]
    assert client.get("/api/entities").status_code == 400


def test_correction_over_http_keeps_the_extracted_values(client: TestClient,
                                                         data_dir: Path) -> None:
    reply = client.post(f"/api/documents/{SHA}/fields/surname/corrections",
                        json={"value": "MENSAH", "by": "home.secretary", "note": "passport"})
    assert reply.status_code == 201, reply.text
    # who corrected is the signed-in user; a "by" in the request is ignored
    assert reply.json()["value"] == "Mensah" and reply.json()["by"] == "a.reviewer"
    doc = client.get(f"/api/documents/{SHA}").json()
    shown = doc["fields"]["surname"]
    assert shown["value"] == "Mensah" and shown["status"] == "corrected"
    assert shown["corrected_by"] == "a.reviewer" and shown["extracted"] is None
    status = doc["field_status"]["surname"]
    assert [v["value"] for v in status["values"]] == ["Mensah", "Okafor"]  # both still kept
    assert [c["by"] for c in status["corrections"]] == ["a.reviewer"]
    assert client.get("/api/review").json()["total"] == 0


def test_cli_review_correct_and_entities(ingested: tuple[Path, dict[str, dict]],
                                         case_files: dict[str, CaseFile],
                                         tmp_path: Path) -> None:
    shared, docs = ingested
    data_dir = tmp_path / "data"  # a copy: the session's index stays as ingested
    shutil.copytree(shared, data_dir)
    # A file whose date of birth was read and confirmed right; the clean ones always are.
    name = next(n for n in ("scan", "bundle", "inline", "stacked", "table")
                if (docs[n]["fields"]["date_of_birth"] or {}).get("value")
                == case_files[n].truth.fields["date_of_birth"])
    doc = docs[name]
    truth = case_files[name].truth.fields
    before = doc["fields"]["date_of_birth"]
    done = run_cli(["correct", doc["document_id"][:12], "date_of_birth", "01/02/1990",
                    "--by", "c.checker", "--json"], data_dir)
    assert done.returncode == 0, done.stderr
    made = json.loads(done.stdout)
    assert made["value"] == "1990-02-01" and made["extracted"] == truth["date_of_birth"]
    shown = json.loads(run_cli(["show", doc["document_id"], "--json"], data_dir).stdout)
    dob = shown["fields"]["date_of_birth"]
    assert dob["value"] == "1990-02-01" and dob["status"] == "corrected"
    assert dob["extracted"]["value"] == truth["date_of_birth"]
    assert dob["page"] == before["page"] and dob["bbox"] == before["bbox"]
    bad = run_cli(["correct", doc["document_id"], "date_of_birth", "yesterday", "--by", "x"],
                  data_dir)
    assert bad.returncode == 2 and "not a valid value" in bad.stderr
    with Index(f"sqlite:///{data_dir.resolve() / 'index.sqlite3'}",
               case_columns=COLUMNS) as index:
        index.add_document(replace(two_people(), created_at=datetime(2021, 6, 1, tzinfo=UTC)))
    queue = run_cli(["review", "--json"], data_dir)
    assert queue.returncode == 0, queue.stderr
    items = [json.loads(line) for line in queue.stdout.splitlines()]
    mine = [i for i in items if i["document_id"] == SHA]
    assert [i["field"] for i in mine] == ["surname"] and all(i["values"] for i in items)
    assert [(v["value"], v["page"], v["bbox"]) for v in mine[0]["values"]] == [
        ("Mensah", 1, [10, 20, 110, 40]), ("Okafor", 1, [10, 60, 110, 80])]
    people = run_cli(["entities", "--label", "PERSON", "--json"], data_dir)
    assert people.returncode == 0, people.stderr
    found = [json.loads(line) for line in people.stdout.splitlines()]
    assert found and all(h["label"] == "PERSON" for h in found)


def test_review_lists_the_oldest_document_first(tmp_path: Path) -> None:
    """Oldest by when the document was indexed, not by its id or the order of adding."""
    newer = replace(two_people(), created_at=datetime(2024, 1, 1, tzinfo=UTC))
    older = replace(two_people(), document_id="ff" * 32, sha256="ff" * 32,
                    source="older.pdf", created_at=datetime(2019, 1, 1, tzinfo=UTC))
    with Index(f"sqlite:///{tmp_path.resolve() / 'index.sqlite3'}",
               case_columns=COLUMNS) as index:
        assert index.add_document(newer) and index.add_document(older)
    queue = run_cli(["review", "--json"], tmp_path)
    assert queue.returncode == 0, queue.stderr
    assert [json.loads(line)["source"] for line in queue.stdout.splitlines()] == [
        "older.pdf", "two-people.pdf"]
    reply = signed_in(create_app(Settings(data_dir=tmp_path, workers=1)), "reviewer"
                      ).get("/api/review")
    assert [i["source"] for i in reply.json()["items"]] == ["older.pdf", "two-people.pdf"]


def test_the_latest_correction_is_the_fields_value(tmp_path: Path) -> None:
    """Two corrections of one field: the later one is shown (HTTP and CLI) and searched;
    both are kept, in order, beside the extracted values."""
    with Index(f"sqlite:///{tmp_path.resolve() / 'index.sqlite3'}",
               case_columns=COLUMNS) as index:
        assert index.add_document(two_people())
    app = create_app(Settings(data_dir=tmp_path, workers=1))
    people = {by: signed_in(app, "caseworker", by) for by in ("first.person", "second.person")}
    url = f"/api/documents/{SHA}/fields/surname/corrections"
    for value, by in (("Mensah", "first.person"), ("OKAFOR", "second.person")):
        assert people[by].post(url, json={"value": value}).status_code == 201
    client = people["second.person"]
    doc = client.get(f"/api/documents/{SHA}").json()
    shown = doc["fields"]["surname"]
    assert (shown["value"], shown["corrected_by"]) == ("Okafor", "second.person")
    status = doc["field_status"]["surname"]
    assert [(c["value"], c["by"]) for c in status["corrections"]] == [
        ("Mensah", "first.person"), ("Okafor", "second.person")]
    assert [v["value"] for v in status["values"]] == ["Mensah", "Okafor"]
    found = client.get("/api/search", params={"surname": "Okafor"}).json()
    assert [h["document_id"] for h in found] == [SHA]
    assert client.get("/api/search", params={"surname": "Mensah"}).json() == []
    shown_cli = json.loads(run_cli(["show", SHA, "--json"], tmp_path).stdout)
    assert shown_cli["fields"]["surname"]["value"] == "Okafor"

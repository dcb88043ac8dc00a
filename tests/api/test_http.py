"""The HTTP API on a real app instance: health, upload, search, documents, page images."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import CaseFile
from fastapi.testclient import TestClient
from PIL import Image
from signin import Staff, signed_in

from api.app import create_app
from api.settings import Settings


@pytest.fixture(scope="module")
def staff(tmp_path_factory: pytest.TempPathFactory) -> Staff:
    settings = Settings(data_dir=tmp_path_factory.mktemp("http-data"), workers=1,
                        max_file_bytes=20_000_000)
    return Staff(create_app(settings))


@pytest.fixture(scope="module")
def client(staff: Staff) -> TestClient:
    """A caseworker: searches and reads."""
    return staff.caseworker


@pytest.fixture(scope="module")
def uploaded(staff: Staff, case_files: dict[str, CaseFile]) -> dict:
    case = case_files["inline"]
    files = [("files", (case.path.name, case.path.read_bytes(), "image/png")),
             ("files", ("broken.png", b"\x89PNG\r\n\x1a\nbroken", "image/png"))]
    reply = staff.scanner.post("/api/documents", files=files, data={"batch": "http upload"})
    assert reply.status_code == 200, reply.text
    return reply.json()


def test_health(staff: Staff) -> None:
    reply = staff.anonymous.get("/health")
    assert reply.status_code == 200 and reply.json()["status"] == "ok"
    assert reply.json()["tesseract"].startswith("5")


def test_upload_digitises_and_reports_each_file(uploaded: dict,
                                                case_files: dict[str, CaseFile]) -> None:
    good, bad = uploaded["documents"]
    truth = case_files["inline"].truth.fields
    assert good["status"] == "done" and good["source"] == "inline.png"
    assert good["fields"]["home_office_reference"]["value"] == truth["home_office_reference"]
    assert bad["status"] == "failed" and bad["error"].startswith("broken.png: ")
    assert uploaded["name"] == "http upload"


def test_document_and_its_page_image(client: TestClient, uploaded: dict) -> None:
    doc_id = uploaded["documents"][0]["document_id"]
    reply = client.get(f"/api/documents/{doc_id}")
    assert reply.status_code == 200
    doc = reply.json()
    assert doc["fields"] == uploaded["documents"][0]["fields"]
    assert any(e["label"] == "DATE" for e in doc["entities"])
    image = client.get(doc["pages"][0]["image"])
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    page = Image.open(io.BytesIO(image.content))
    x0, y0, x1, y1 = doc["fields"]["surname"]["bbox"]
    assert page.size == (doc["pages"][0]["width"], doc["pages"][0]["height"])
    assert x1 <= page.width and y1 <= page.height


def test_search_and_batches(client: TestClient, uploaded: dict,
                            case_files: dict[str, CaseFile]) -> None:
    surname = case_files["inline"].truth.printed["surname"]
    hits = client.get("/api/search", params={"q": surname}).json()
    assert hits[0]["document_id"] == uploaded["documents"][0]["document_id"]
    batches = client.get("/api/batches").json()
    assert batches[0]["name"] == "http upload" and len(batches[0]["files"]) == 2
    assert [f["source"] for f in batches[0]["files"]] == ["inline.png", "broken.png"]
    doc = client.get(f"/api/documents/{uploaded['documents'][0]['document_id']}").json()
    assert doc["source"] == "inline.png"


@pytest.mark.parametrize("limit", [0, 1001])
def test_a_batch_list_out_of_bounds_is_refused_at_the_edge(client: TestClient, uploaded: dict,
                                                           limit: int) -> None:
    reply = client.get("/api/batches", params={"limit": limit})
    assert reply.status_code == 422 and reply.json()["detail"][0]["loc"] == ["query", "limit"]
    assert client.get("/api/batches").json()[0]["name"] == "http upload"  # nothing else changed


@pytest.mark.parametrize("query", ['"unbalanced', "a" * 1001, "NEAR(x y", "*"])
def test_bad_queries_are_4xx_or_results_never_5xx(client: TestClient, query: str) -> None:
    reply = client.get("/api/search", params={"q": query})
    assert reply.status_code in (200, 400, 422)


def test_missing_things_are_404(client: TestClient) -> None:
    assert client.get("/api/documents/" + "0" * 64).status_code == 404
    assert client.get("/api/documents/" + "0" * 64 + "/pages/1/image").status_code == 404


def test_oversized_upload_is_413(tmp_path: Path) -> None:
    small = signed_in(create_app(Settings(data_dir=tmp_path, max_file_bytes=1000, workers=1)),
                      "scanner")
    reply = small.post("/api/documents", files=[("files", ("big.png", b"\x89PNG" + b"0" * 2000))])
    assert reply.status_code == 413 and "big.png" in reply.json()["detail"]


def test_unopenable_index_is_503_with_the_reason(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, database_url="sqlite:////nonexistent/dir/i.db")
    reply = TestClient(create_app(settings)).post("/token", data={"username": "x",
                                                                  "password": "y"})
    assert reply.status_code == 503 and "cannot open index" in reply.json()["detail"]


def test_searchable_pdf_downloads_with_the_words_where_they_are(
        client: TestClient, uploaded: dict, case_files: dict[str, CaseFile]) -> None:
    import pdfplumber

    doc = uploaded["documents"][0]
    meta = client.get(f"/api/documents/{doc['document_id']}").json()
    reply = client.get(meta["searchable_pdf"])
    assert reply.status_code == 200 and reply.headers["content-type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(reply.content)) as pdf:
        assert len(pdf.pages) == meta["page_count"]
        page = pdf.pages[0]
        words = page.extract_words()
        surname = doc["fields"]["surname"]
        hit = next(w for w in words if w["text"].strip(":") == surname["text"])
        # the invisible word sits over the field's box on the page image (72/300 pt a pixel)
        x0, y0, _x1, _y1 = surname["bbox"]
        assert abs(hit["x0"] - x0 * 72 / 300) < 6 and abs(hit["top"] - y0 * 72 / 300) < 6
    assert client.get("/api/documents/0000000000000000/pdf").status_code == 404

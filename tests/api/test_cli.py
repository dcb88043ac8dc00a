"""The `casescan` command end to end on generated degraded scans with known truth."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CaseFile, run_cli
from signin import signed_in

from api.app import create_app
from api.settings import Settings
from extraction.fields import CASE_FIELDS

CONTRACT_KEYS = {"document_id", "source", "sha256", "pages", "status", "error", "text", "fields"}


def same(field: str, found: object, truth: object) -> bool:
    if field in ("surname", "given_names") and isinstance(found, str) and isinstance(truth, str):
        return found.casefold() == truth.casefold()
    return found == truth


def test_ingest_json_follows_the_contract(ingested: tuple[Path, dict[str, dict]],
                                          case_files: dict[str, CaseFile]) -> None:
    _, docs = ingested
    for name, doc in docs.items():
        assert set(doc) >= CONTRACT_KEYS, name
        assert doc["status"] == "done" and doc["error"] is None
        assert doc["document_id"] == doc["sha256"] and len(doc["sha256"]) == 64
        assert doc["pages"] == case_files[name].truth.pages
        assert set(doc["fields"]) == set(CASE_FIELDS)
        for value in doc["fields"].values():
            if value is None:
                continue
            assert set(value) >= {"value", "text", "confidence", "page", "bbox", "status"}
            assert value["status"] == "confirmed"  # only what is stored as right is here
            assert 0 < value["confidence"] <= 1 and value["page"] >= 1
            x0, y0, x1, y1 = value["bbox"]
            assert 0 <= x0 < x1 and 0 <= y0 < y1
        assert set(doc["field_status"]) == set(CASE_FIELDS)
        for field, status in doc["field_status"].items():
            assert status["status"] in ("confirmed", "needs_review", "missing")
            assert (doc["fields"][field] is not None) == (status["status"] == "confirmed")
            assert status["status"] != "missing" or (status["reason"] and not status["values"])


def test_no_wrong_values_and_most_fields_found(ingested: tuple[Path, dict[str, dict]],
                                               case_files: dict[str, CaseFile]) -> None:
    """On moderately degraded scans of every layout and format: never a wrong value, at most
    one printed field of each file missed, and 96% found overall (README: recall 0.97-1.00
    on clean and moderate scans; these six files give 49 of 51, the same on every run)."""
    _, docs = ingested
    found = total = 0
    for name, doc in docs.items():
        truth = case_files[name].truth.fields
        for field in CASE_FIELDS:
            got = doc["fields"][field]
            if got is not None:
                assert same(field, got["value"], truth[field]), (name, field, got, truth[field])
            if truth[field] is not None:
                total += 1
                found += got is not None and same(field, got["value"], truth[field])
        printed = sum(truth[f] is not None for f in CASE_FIELDS)
        assert sum(doc["fields"][f] is not None for f in CASE_FIELDS) >= printed - 1, name
    assert found / total >= 0.96, (found, total)


def test_text_keeps_the_notes_in_reading_order(ingested: tuple[Path, dict[str, dict]],
                                               case_files: dict[str, CaseFile]) -> None:
    _, docs = ingested
    text = docs["inline"]["text"]
    notes = case_files["inline"].truth.notes.split()
    first, last = notes[0], notes[-1].rstrip(".")
    assert first in text and last in text and text.index(first) < text.rindex(last)


def test_reingest_gives_the_same_documents(ingested: tuple[Path, dict[str, dict]],
                                           case_files: dict[str, CaseFile]) -> None:
    data_dir, docs = ingested
    result = run_cli(["ingest", str(case_files["table"].path), "--json"], data_dir)
    assert result.returncode == 0, result.stderr
    again = json.loads(result.stdout)
    assert again["duplicate"] and again["document_id"] == docs["table"]["document_id"]
    assert again["fields"] == docs["table"]["fields"]


def test_search_finds_a_person_by_name(ingested: tuple[Path, dict[str, dict]],
                                       case_files: dict[str, CaseFile]) -> None:
    data_dir, docs = ingested
    printed = case_files["stacked"].truth.printed
    result = run_cli(["search", f"{printed['surname']} {printed['given_names']}", "--json"],
                     data_dir)
    assert result.returncode == 0, result.stderr
    hits = [json.loads(line) for line in result.stdout.splitlines()]
    assert hits and hits[0]["document_id"] == docs["stacked"]["document_id"]
    assert hits[0]["page"] == 1 and "[" in hits[0]["snippet"]


def test_show_prints_fields_with_their_evidence(ingested: tuple[Path, dict[str, dict]]) -> None:
    data_dir, docs = ingested
    doc = docs["scan"]
    result = run_cli(["show", doc["document_id"][:12], "--json"], data_dir)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["fields"] == doc["fields"] and shown["pages"] == 2
    table = run_cli(["show", doc["document_id"][:12]], data_dir)
    assert doc["fields"]["surname"]["text"] in table.stdout


def test_bad_input_gets_one_line_errors_and_the_batch_goes_on(
        tmp_path: Path, case_files: dict[str, CaseFile]) -> None:
    (tmp_path / "empty.pdf").write_bytes(b"")
    (tmp_path / "readme.txt").write_text("not a scan")
    good = case_files["photocopy"].path
    result = run_cli(["ingest", str(tmp_path / "empty.pdf"), str(tmp_path / "readme.txt"),
                      str(good), "--json", "--batch", "bad"], tmp_path / "data")
    assert result.returncode == 1
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["status"] for d in docs] == ["failed", "failed", "done"]
    assert "empty.pdf: file is empty" in docs[0]["error"]
    assert "readme.txt: unsupported file type" in docs[1]["error"]
    assert "1 file(s)" not in result.stderr and "3 file(s), 2 failed" in result.stderr
    batches = run_cli(["batches"], tmp_path / "data")
    assert "#1 bad" in batches.stdout and "readme.txt: unsupported file type" in batches.stdout
    too_many = run_cli(["batches", "--limit", "1001"], tmp_path / "data")
    assert too_many.returncode == 2 and "--limit" in too_many.stderr
    assert "Traceback" not in too_many.stderr


@pytest.mark.parametrize("query", ['"', "*", "NEAR(", "'; DROP TABLE documents; --"])
def test_hostile_queries_never_crash(ingested: tuple[Path, dict[str, dict]], query: str) -> None:
    data_dir, _ = ingested
    result = run_cli(["search", query, "--json"], data_dir)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("env", "message"), [
    ({"CASESCAN_WORKERS": "many"}, "bad configuration: CASESCAN_WORKERS"),
    ({"CASESCAN_OBJECT_STORE": "s3://KEY:SECRET@127.0.0.1:9/b"}, "invalid bucket name"),
    ({"CASESCAN_OBJECT_STORE": "s3://KEY:SECRET@127.0.0.1:9/case-files?secure=false"},
     "cannot open bucket"),
    ({"CASESCAN_DATABASE_URL": "sqlite:////nonexistent/dir/index.db"}, "cannot open index"),
    ({"CASESCAN_DATA_DIR": "/dev/null/data"}, "data directory not usable"),
])
def test_bad_configuration_is_one_clear_line(tmp_path: Path, env: dict[str, str],
                                             message: str) -> None:
    result = run_cli(["search", "anything"], tmp_path, **env)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert "SECRET" not in result.stderr


def test_generate_writes_files_and_truth(tmp_path: Path) -> None:
    result = run_cli(["generate", str(tmp_path / "out"), "--count", "2", "--format", "tiff"],
                     tmp_path)
    assert result.returncode == 0, result.stderr
    truth = json.loads((tmp_path / "out" / "truth.json").read_text())
    assert [t["file"] for t in truth] == sorted(p.name for p in (tmp_path / "out").glob("*.tif"))
    bad = run_cli(["generate", str(tmp_path / "x"), "--format", "bmp"], tmp_path)
    assert bad.returncode == 2 and "bmp" in bad.stderr and "Traceback" not in bad.stderr


def test_pdf_command_saves_the_searchable_pdf(ingested: tuple[Path, dict[str, dict]],
                                              tmp_path: Path) -> None:
    import pdfplumber

    data_dir, docs = ingested
    doc = docs["scan"]
    out = tmp_path / "scan.pdf"
    result = run_cli(["pdf", doc["document_id"][:12], "-o", str(out)], data_dir)
    assert result.returncode == 0, result.stderr
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) == 2
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    assert doc["fields"]["surname"]["text"] in text
    missing = run_cli(["pdf", "ffffffffffff", "-o", str(tmp_path / "x.pdf")], data_dir)
    assert missing.returncode == 1 and "no searchable PDF" in missing.stderr


def test_a_page_ocr_cannot_read_is_reported_for_a_person(tmp_path: Path) -> None:
    import cv2
    from pages import scrawl

    page = tmp_path / "scrawl.png"
    cv2.imwrite(str(page), scrawl())
    shown = run_cli(["ingest", str(page)], tmp_path / "data")
    assert shown.returncode == 0, shown.stderr
    assert "check page 1" in shown.stderr and "a person should read it" in shown.stderr
    again = run_cli(["ingest", str(page), "--json"], tmp_path / "data")
    doc = json.loads(again.stdout)
    assert doc["flagged_pages"] == [1]
    show = run_cli(["show", doc["document_id"][:12]], tmp_path / "data")
    assert show.returncode == 0, show.stderr
    assert "check page 1" in show.stdout and "a person should read it" in show.stdout
    client = signed_in(create_app(Settings(data_dir=tmp_path / "data", workers=1)), "caseworker")
    pages = client.get(f"/api/documents/{doc['document_id']}").json()["pages"]
    assert [(p["number"], p["flagged"]) for p in pages] == [(1, True)]


def test_every_key_value_pair_is_listed_stored_and_found(
        ingested: tuple[Path, dict[str, dict]], case_files: dict[str, CaseFile]) -> None:
    """Issue 10: `pairs` in ingest --json, in show, and found by "key: value"."""
    data_dir, docs = ingested
    doc, truth = docs["table"], case_files["table"].truth
    pairs = doc["pairs"]
    assert pairs and all(set(p) == {"page", "key", "value"} for p in pairs)
    for p in pairs:
        assert set(p["key"]) == {"text", "bbox"} and set(p["value"]) == {"text", "bbox",
                                                                          "confidence"}
        assert p["page"] == 1 and (p["value"]["bbox"] is None) == (p["value"]["text"] == "")
    surname = truth.printed["surname"]
    keyed = {p["key"]["text"].casefold(): p["value"]["text"] for p in pairs}
    assert keyed.get(truth.labels["surname"].casefold()) == surname
    shown = run_cli(["show", doc["document_id"][:12]], data_dir)
    assert "Key-value pairs" in shown.stdout and f": {surname}" in shown.stdout
    found = run_cli(["pairs", f"{truth.labels['surname']}: {surname}", "--json"], data_dir)
    assert found.returncode == 0, found.stderr
    hits = [json.loads(line) for line in found.stdout.splitlines()]
    assert [h["document_id"] for h in hits] == [doc["document_id"]]
    assert hits[0]["value"]["text"] == surname

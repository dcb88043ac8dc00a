"""Persons from real scans: generated case files ingested with `casescan ingest --link`,
one paper scanned twice (clean, then photocopy-damaged) and another person's file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli
from signin import Staff, signed_in

from api.app import create_app
from api.settings import Settings
from synth.generate import generate_case_file


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict]]:
    """(data dir, source stem -> its `person export` object)."""
    folder = tmp_path_factory.mktemp("scans")
    for seed, level, stem in ((21, "clean", "first"), (21, "moderate", "again"),
                              (22, "moderate", "other")):
        generate_case_file(folder / "in", seed, degradation=level, stem=stem, layout="inline")
    data = folder / "data"
    done = run_cli(["ingest", str(folder / "in"), "--link", "--json"], data)
    assert done.returncode == 0, done.stderr
    assert "linked 3 document(s) into 2 person(s)" in done.stderr
    exported = run_cli(["person", "export", "--json"], data)
    assert exported.returncode == 0, exported.stderr
    rows = [json.loads(line) for line in exported.stdout.splitlines()]
    return data, {Path(r["source"]).stem: r for r in rows}


def test_another_scan_of_the_same_paper_is_a_rescan_not_a_new_person(
        linked: tuple[Path, dict[str, dict]]) -> None:
    data, rows = linked
    assert rows["first"]["person_id"] == rows["again"]["person_id"] != rows["other"]["person_id"]
    client = signed_in(create_app(Settings(data_dir=data, workers=1)), "reviewer")
    person = client.get(f"/api/persons/{rows['again']['document_id']}").json()
    (rescan,) = person["rescans"]
    assert rescan["document_id"] == rows["again"]["document_id"]
    assert rescan["original_id"] == rows["first"]["document_id"]
    assert "another scan" in rescan["reason"]
    values = {d["document_id"]: d["values"] for d in person["documents"]}
    first = values[rows["first"]["document_id"]]
    assert first["surname"][0]["page"] == 1 and len(first["surname"][0]["bbox"]) == 4


def test_reports_count_persons_not_documents(linked: tuple[Path, dict[str, dict]]) -> None:
    data, _rows = linked
    report = run_cli(["report", "persons", "--json"], data, CASESCAN_REPORT_MIN_COUNT="1")
    assert report.returncode == 0, report.stderr
    (row,) = [json.loads(line) for line in report.stdout.splitlines()]
    assert (row["documents"], row["persons"]) == (3, 2)
    assert row["linked"] + row["needs_review"] + row["flagged_two_people"] + row["unlinked"] == 3


def test_an_upload_can_link_its_documents_into_persons(tmp_path: Path) -> None:
    truth = generate_case_file(tmp_path / "in", 23, degradation="clean", stem="upload",
                               layout="stacked")
    staff = Staff(create_app(Settings(data_dir=tmp_path / "data", workers=1)))
    client = staff.reviewer
    with open(tmp_path / "in" / truth.file, "rb") as f:
        reply = staff.scanner.post("/api/documents", data={"link": "true"},
                                   files=[("files", (truth.file, f, "image/png"))])
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["link_run"]["documents"] == 1 and body["link_run"]["persons"] == 1
    (row,) = client.get("/api/persons/export").json()
    assert row["document_id"] == body["documents"][0]["document_id"]
    assert row["person_id"] is not None

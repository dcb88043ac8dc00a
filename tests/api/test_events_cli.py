"""Events and the timeline through the real edges: `ingest --json` key `events`, `show`,
GET /documents/{id}, and `report permission-to-work` counting grants by their date, on
generated three-page case files (form, letter, notice or minutes) with known truth."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from conftest import run_cli
from signin import signed_in

from api.app import create_app
from api.settings import Settings
from synth.casefiles import FileTruth, generate_case_files

EVENT_KEYS = {"kind", "outcome", "date", "text", "page", "bbox", "confidence", "status",
              "reason"}


@pytest.fixture(scope="module")
def filed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[FileTruth],
                                                             dict[str, dict]]:
    out = tmp_path_factory.mktemp("casefiles")
    truths = generate_case_files(out, 3, split="train", dpi=300, seed=4)
    data = tmp_path_factory.mktemp("data")
    result = run_cli(["ingest", *(str(out / t.file) for t in truths), "--json"], data)
    assert result.returncode == 0, result.stderr
    docs = {Path(d["source"]).name: d for d in map(json.loads, result.stdout.splitlines())}
    return data, truths, docs


def test_ingest_json_has_the_events_the_letters_state(filed: tuple[Path, list[FileTruth],
                                                                   dict[str, dict]]) -> None:
    _, truths, docs = filed
    for t in truths:
        doc = docs[t.file]
        assert all(set(e) == EVENT_KEYS for e in doc["events"])
        assert all(e["status"] in ("confirmed", "needs_review", "refused") for e in doc["events"])
        assert all(e["reason"] for e in doc["events"] if e["status"] == "refused")
        confirmed = {(e["kind"], e["outcome"], e["date"]) for e in doc["events"]
                     if e["status"] == "confirmed"}
        assert confirmed <= {(e.kind, e.outcome, e.date) for e in t.events}, t.file
        for name, value in doc["fields"].items():  # nothing wrong in the whole file
            if value is not None:
                want = t.fields[name]
                got = value["value"]
                assert (got.casefold() == str(want).casefold() if name in (
                    "surname", "given_names") else got == want), (t.file, name, got, want)


def test_show_and_http_give_the_timeline(filed: tuple[Path, list[FileTruth],
                                                      dict[str, dict]]) -> None:
    data, truths, docs = filed
    doc = docs[truths[0].file]
    shown = run_cli(["show", doc["document_id"]], data)
    assert shown.returncode == 0 and "timeline" in shown.stdout
    client = signed_in(create_app(Settings(data_dir=data, workers=1)), "caseworker")
    detail = client.get(f"/api/documents/{doc['document_id']}").json()
    dates = [t["date"] for t in detail["timeline"]]
    assert dates == sorted(dates) and dates
    assert all(t["page"] >= 1 and len(t["bbox"]) == 4 for t in detail["timeline"])
    assert detail["events"] == doc["events"]


def test_report_counts_grants_by_their_date(filed: tuple[Path, list[FileTruth],
                                                         dict[str, dict]]) -> None:
    """The report counts every grant casescan confirmed, by the grant's date, and each of
    those grants is true (a grant the reader missed is not counted: missing beats wrong;
    the benchmark measures how many it misses)."""
    data, truths, docs = filed
    true_grants = {(t.file, e.date) for t in truths for e in t.events
                   if e.kind == "permission_to_work" and e.outcome == "granted"}
    read = [(name, str(doc["fields"]["application_type"]["value"]), e["date"])
            for name, doc in docs.items() for e in doc["events"]
            if e["kind"] == "permission_to_work" and e["outcome"] == "granted"
            and e["status"] == "confirmed" and doc["fields"]["application_type"]]
    assert read  # the files really hold grants, and some were read
    assert {(name, date) for name, _, date in read} <= true_grants
    want = Counter((app_type, int(date[:4])) for _, app_type, date in read)
    for (app_type, year), count in want.items():
        result = run_cli(["report", "permission-to-work", "--year", str(year),
                          "--application-type", app_type, "--json"], data,
                         CASESCAN_REPORT_MIN_COUNT="1")
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["granted_in_year"] == count, (app_type, year)

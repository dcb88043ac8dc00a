"""Fielded search and reports through the real `casescan` command and the HTTP API."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from casedocs import PEOPLE, case_document
from conftest import CaseFile, run_cli
from fastapi.testclient import TestClient
from signin import signed_in

from api.app import create_app
from api.settings import Settings
from casework.context import case_columns
from storage.index import Index

COLUMNS = case_columns()  # the case fields' columns, as casework opens the index


def hits_of(stdout: str) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in stdout.splitlines()]


def one_letter_off(name: str) -> str:
    i = len(name) // 2
    return name[:i] + ("x" if name[i].lower() != "x" else "y") + name[i + 1:]


def test_fuzzy_surname_hit_names_page_and_box(ingested: tuple[Path, dict[str, dict]],
                                              case_files: dict[str, CaseFile]) -> None:
    data_dir, docs = ingested
    doc = docs["stacked"]
    surname = doc["fields"]["surname"]
    result = run_cli(["search", "--surname", one_letter_off(surname["value"]), "--json"],
                     data_dir)
    assert result.returncode == 0, result.stderr
    hits = hits_of(result.stdout)
    mine = [h for h in hits if h["document_id"] == doc["document_id"]]
    assert mine and set(mine[0]) >= {"document_id", "page", "score", "snippet", "bbox"}
    assert mine[0]["page"] == surname["page"] and mine[0]["bbox"] == surname["bbox"]


def test_surname_with_dob_and_reference(ingested: tuple[Path, dict[str, dict]]) -> None:
    data_dir, docs = ingested
    # A file whose three fields were all confirmed; the clean ones always are.
    name = next(n for n in ("scan", "bundle", "inline", "stacked", "table")
                if all(docs[n]["fields"][f] for f in ("surname", "date_of_birth",
                                                       "home_office_reference")))
    doc = docs[name]["fields"]
    result = run_cli(["search", "--surname", doc["surname"]["value"], "--dob",
                      doc["date_of_birth"]["value"], "--json"], data_dir)
    assert [h["document_id"] for h in hits_of(result.stdout)] == [docs[name]["document_id"]]
    ref = run_cli(["search", "--reference", doc["home_office_reference"]["value"].lower(),
                   "--json"], data_dir)
    hit = hits_of(ref.stdout)[0]
    assert hit["document_id"] == docs[name]["document_id"]
    assert hit["bbox"] == doc["home_office_reference"]["bbox"]


def test_free_text_hit_has_the_word_box(ingested: tuple[Path, dict[str, dict]]) -> None:
    data_dir, docs = ingested
    surname = docs["table"]["fields"]["surname"]
    result = run_cli(["search", surname["text"], "--json"], data_dir)
    hit = next(h for h in hits_of(result.stdout)
               if h["document_id"] == docs["table"]["document_id"])
    x0, y0, x1, y1 = hit["bbox"]
    sx0, sy0, sx1, sy1 = surname["bbox"]
    assert x0 < x1 and y0 < y1 and hit["page"] == surname["page"]
    assert sx0 - 5 <= x0 and x1 <= sx1 + 5 and sy0 - 5 <= y0 and y1 <= sy1 + 5


@pytest.mark.parametrize("args, message", [
    (["search", "--dob", "02/03/1985"], "--dob must be a date"),
    (["search", "x" * 5000], "the limit is 1000"),
    (["search"], "give words to search for"),
    (["report", "counts", "--by", "colour"], "cannot group by colour"),
    (["report", "counts", "--json", "--csv"], "choose one of"),
])
def test_bad_input_is_one_clear_line(ingested: tuple[Path, dict[str, dict]], args: list[str],
                                     message: str) -> None:
    data_dir, _ = ingested
    result = run_cli(args, data_dir)
    assert result.returncode == 2 and message in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("query", ['"', "O'Brien", "100%", "a_b", "*", "'; DROP TABLE cases; --"])
def test_hostile_text_in_every_option_is_just_text(ingested: tuple[Path, dict[str, dict]],
                                                   query: str) -> None:
    data_dir, _ = ingested
    for args in (["search", query], ["search", "--surname", query],
                 ["search", "--reference", query, "--nationality", query[:3]]):
        result = run_cli([*args, "--json"], data_dir)
        assert result.returncode == 0, result.stderr
    assert run_cli(["report", "counts", "--json"], data_dir).stdout.strip()


def test_permission_to_work_report_counts_the_generators_truth(
        ingested: tuple[Path, dict[str, dict]], case_files: dict[str, CaseFile]) -> None:
    """For every (application type, year of decision) among the session's files, the report
    gives the generator's own counts: the truth records, not casescan's output, decide."""
    data_dir, _ = ingested
    truths = [f.truth.fields for f in case_files.values() if f.truth.fields["decision_date"]]
    groups = {(str(t["application_type"]), int(str(t["decision_date"])[:4])) for t in truths}
    granted_in_all = 0
    for app_type, year in sorted(groups):
        same = [t for t in truths if t["application_type"] == app_type
                and str(t["decision_date"]).startswith(str(year))]
        result = run_cli(["report", "permission-to-work", "--year", str(year),
                          "--application-type", app_type, "--json"], data_dir,
                         CASESCAN_REPORT_MIN_COUNT="1")
        assert result.returncode == 0, result.stderr
        row = json.loads(result.stdout)
        assert (row["application_type"], row["year"]) == (app_type, year)
        want = (sum(t["permission_to_work"] is True for t in same),
                sum(t["permission_to_work"] is False for t in same), len(same))
        assert (row["granted_permission_to_work"], row["refused_permission"],
                row["decided"]) == want, (app_type, year)
        granted_in_all += want[0]
    assert granted_in_all >= 2  # the session's files really hold grants to count


def test_counts_add_up_and_small_counts_are_suppressed(
        ingested: tuple[Path, dict[str, dict]]) -> None:
    data_dir, docs = ingested
    grouped = run_cli(["report", "counts", "--by", "application_type", "--csv"], data_dir,
                      CASESCAN_REPORT_MIN_COUNT="1")
    table = list(csv.reader(io.StringIO(grouped.stdout)))
    assert table[0] == ["application_type", "cases"]
    assert sum(int(n) for _, n in table[1:]) == len(docs)
    suppressed = run_cli(["report", "counts", "--by", "application_type", "--json"], data_dir)
    assert all(json.loads(line)["cases"] == "<5" for line in suppressed.stdout.splitlines())
    quality = run_cli(["report", "quality", "--json", "--csv"], data_dir)
    assert quality.returncode == 2
    quality = run_cli(["report", "quality", "--json"], data_dir, CASESCAN_REPORT_MIN_COUNT="1")
    rows = [json.loads(line) for line in quality.stdout.splitlines()]
    assert {r["field"] for r in rows} >= {"surname", "decision_date"}
    assert all(r["present"] + r["missing"] == r["documents"] for r in rows)


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir whose index holds the five people of casedocs.PEOPLE."""
    data_dir = tmp_path_factory.mktemp("http")
    with Index(f"sqlite:///{data_dir.resolve() / 'index.sqlite3'}",
               case_columns=COLUMNS) as index:
        for person in PEOPLE:
            assert index.add_document(case_document(*person))
    return data_dir


@pytest.fixture(scope="module")
def client(filled: Path) -> TestClient:
    app = create_app(Settings(data_dir=filled, workers=1, report_min_count=1))
    return signed_in(app, "caseworker")


def who(hits: list[dict]) -> list[str]:  # type: ignore[type-arg]
    """The PEOPLE seeds ("a".."e") of search hits, in rank order."""
    seeds = {case_document(*p).document_id: p[0] for p in PEOPLE}
    return [seeds[h["document_id"]] for h in hits]


@pytest.mark.parametrize(("params", "found"), [
    ({"q": '"'}, []), ({"q": "x" * 999}, []), ({"surname": "'; DROP TABLE cases; --"}, []),
    ({"surname": "%_*"}, []), ({"reference": "\\"}, []), ({"nationality": "NG%"}, []),
    ({"surname": "Okafor", "given_names": "%"}, []),
    ({"q": "asylum", "nationality": "NGA", "dob": "1985-03-02"}, ["a"]),
    ({"given_names": "O'Brien", "decided_from": "2019-01-01", "decided_to": "2019-12-31"}, []),
    ({"q": '"asylum'}, ["a", "b", "d"]), ({"q": "asylum OR spouse_visa"}, []),
    ({"q": "asylum)", "decided_from": "2019-06-01", "decided_to": "2019-12-31"}, ["b", "d"]),
    ({"surname": "OKÁFOR"}, ["a", "b", "c"]), ({"reference": "ho 1234567"}, ["a"]),
])
def test_http_search_takes_anything(client: TestClient, params: dict[str, str],
                                    found: list[str]) -> None:
    """Hostile text is searched as text on a filled index: it finds exactly what its plain
    words find, wildcards match nothing, and the index answers as before afterwards."""
    reply = client.get("/api/search", params=params)
    assert reply.status_code == 200, reply.text
    assert sorted(who(reply.json())) == found
    assert sorted(who(client.get("/api/search", params={"surname": "Okafor"}).json())) == [
        "a", "b", "c"]


def test_names_two_letters_off_are_found_nearest_first(client: TestClient) -> None:
    def search(surname: str) -> list[str]:
        return who(client.get("/api/search", params={"surname": surname}).json())

    nearest, *rest = search("Ukafur")  # one letter from Okafur, two from Okafor (a and b)
    assert nearest == "c" and sorted(rest) == ["a", "b"]
    assert search("Mallar") == ["d"] and search("Smyte") == ["e"]  # Müller, Smith: two off
    assert search("Ukefar") == []  # three letters off (SQLite: no trigram fallback)


@pytest.mark.parametrize("params", [{}, {"q": "x" * 1001}, {"dob": "02/03/1985"},
                                    {"surname": "x" * 1001}, {"limit": "0"}])
def test_http_bad_search_is_4xx(client: TestClient, params: dict[str, str]) -> None:
    assert client.get("/api/search", params=params).status_code in (400, 422)


def test_http_reports(client: TestClient, filled: Path) -> None:
    reply = client.get("/api/reports/permission-to-work", params={"year": 2019})
    assert reply.status_code == 200
    row = reply.json()["rows"][0]
    assert (row["granted_permission_to_work"], row["refused_permission"], row["decided"]) == (
        2, 1, 3)  # a and d granted, b refused: casedocs.PEOPLE's asylum cases of 2019
    csv_reply = client.get("/api/reports/counts", params={"format": "csv"})
    assert csv_reply.headers["content-type"].startswith("text/csv")
    assert csv_reply.text.splitlines() == [
        "application_type,decision,year,cases", "asylum,granted,2019,2", "asylum,refused,2019,1",
        "spouse_visa,granted,2020,1", "work_permit,pending,,1"]
    assert client.get("/api/reports/counts", params={"by": "colour"}).status_code == 400
    assert client.get("/api/reports/quality").json()["rows"] == []  # no batch holds these
    default = signed_in(create_app(Settings(data_dir=filled, workers=1)), "caseworker")
    row = default.get("/api/reports/permission-to-work", params={"year": 2019}).json()["rows"][0]
    assert (row["granted_permission_to_work"], row["decided"]) == ("<5", "<5")

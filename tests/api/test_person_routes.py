"""Persons and link review through the real HTTP app and the real `casescan` command, on
an index holding the documents and the linking run of `tests/linkresults.py`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli
from fastapi.testclient import TestClient
from linkresults import doc_id, documents, first_run
from signin import signed_in

from api.app import create_app
from api.settings import Settings
from casework.context import case_columns
from casework.identities import link_write
from storage.index import Index
from storage.index.person_records import MAX_WHY
from storage.index.window import MAX_LIST_ROWS


def linked_dir(folder: Path) -> Path:
    with Index(f"sqlite:///{folder.resolve() / 'index.sqlite3'}",
               case_columns=case_columns()) as index:
        index.add_documents(documents())
        index.write_links(link_write(first_run()))
    return folder


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Read-only tests share one linked index."""
    return linked_dir(tmp_path_factory.mktemp("persons"))


@pytest.fixture(scope="module")
def client(data_dir: Path) -> TestClient:
    return reviewer(data_dir)


def reviewer(data_dir: Path) -> TestClient:
    """A reviewer called r.ahmed: reads persons, works the link queue, decides."""
    return signed_in(create_app(Settings(data_dir=data_dir, workers=1)), "reviewer", "r.ahmed")


def lines(args: list[str], data_dir: Path) -> list[dict]:
    result = run_cli(args, data_dir)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_export_gives_one_object_per_document_on_both_edges(client: TestClient,
                                                            data_dir: Path) -> None:
    reply = client.get("/api/persons/export", params={"limit": MAX_LIST_ROWS})
    assert reply.status_code == 200, reply.text
    over_http = reply.json()
    assert lines(["person", "export", "--json"], data_dir) == over_http
    assert {d["source"]: (d["person_id"], d["status"]) for d in over_http} == {
        "a.pdf": ("p-chinedu", "linked"), "a2.pdf": ("p-chinedu", "linked"),
        "a3.pdf": ("p-chinedu", "linked"), "b.pdf": ("p-b", "unlinked"),
        "c.pdf": ("p-c", "needs_review"), "d.pdf": ("p-d", "unlinked"),
        "e.pdf": ("p-e", "flagged_two_people"), "g.pdf": ("p-g", "unlinked")}
    assert all(set(d) == {"document_id", "source", "person_id", "status"} for d in over_http)
    page = client.get("/api/persons/export", params={"limit": 3}).json()
    rest = client.get("/api/persons/export", params={"after": page[-1]["document_id"]}).json()
    assert page + rest == over_http


def test_show_gives_documents_values_and_the_waterfall_of_each_link(
        client: TestClient, data_dir: Path) -> None:
    reply = client.get("/api/persons/p-chinedu")
    assert reply.status_code == 200, reply.text
    person = reply.json()
    assert person["status"] == "linked"
    assert [d["document_id"] for d in person["documents"]] == sorted(
        doc_id(s) for s in ("a", "a2", "a3"))
    values = person["documents"][0]["values"]
    assert values["surname"][0]["value"] == "OKAFOR" and values["surname"][0]["page"] == 2
    assert values["date_of_birth"][0]["bbox"] == [1, 2, 3, 4]
    (link,) = person["links"]
    assert link["decision"] == "link" and link["match_weight"] == 18.75
    bar = link["contributions"][0]
    assert (bar["comparison"], bar["level"], bar["match_weight"]) == ("surname", "exact", 8.25)
    assert bar["left"]["image"] == f"/api/documents/{link['left']}/pages/2/image"
    assert bar["left"]["bbox"] == [100, 200, 300, 240] and bar["left"]["confidence"] == 0.9
    (review,) = person["review"]
    assert review["review"] and {review["left"], review["right"]} == {doc_id("a"), doc_id("c")}
    assert person["rescans"][0]["document_id"] == doc_id("a3")
    by_document = client.get(f"/api/persons/{doc_id('a2')}").json()  # a document finds its person
    assert by_document == person
    assert lines(["person", "show", "p-chinedu", "--json"], data_dir) == [person]
    assert client.get("/api/persons/p-nobody").status_code == 404
    missing = run_cli(["person", "show", "p-nobody"], data_dir)
    assert missing.returncode == 1 and "no person or document 'p-nobody'" in missing.stderr


def test_search_finds_persons_by_name_date_of_birth_and_reference(
        client: TestClient, data_dir: Path) -> None:
    reply = client.get("/api/persons/search", params={"surname": "Okafor", "dob": "1985-03-02"})
    assert reply.status_code == 200, reply.text
    found = {h["person_id"]: sorted(d["source"] for d in h["documents"]) for h in reply.json()}
    assert found == {"p-chinedu": ["a.pdf", "a2.pdf", "a3.pdf"], "p-c": ["c.pdf"]}  # fuzzy name
    by_reference = lines(["person", "search", "--reference", "HO-2222222", "--json"], data_dir)
    assert [(h["person_id"], h["status"]) for h in by_reference] == [("p-b", "unlinked")]
    assert client.get("/api/persons/search").status_code == 400
    assert client.get("/api/persons/search", params={"dob": "31/02/1990"}).status_code == 400
    assert client.get("/api/persons/search", params={"surname": "x" * 5000}).status_code == 422
    nothing = run_cli(["person", "search"], data_dir)
    assert nothing.returncode == 2 and "give at least one of" in nothing.stderr


def test_a_reviewers_decision_is_kept_and_takes_the_pair_off_the_queue(tmp_path: Path) -> None:
    data_dir = linked_dir(tmp_path)
    client = reviewer(data_dir)
    queue = client.get("/api/review/links").json()
    assert (queue["total_pairs"], queue["total_two_people"]) == (1, 1)
    (waiting,) = queue["pairs"]
    assert [c["comparison"] for c in waiting["contributions"]] == [
        "surname", "date_of_birth", "given_names"]
    assert queue["two_people"][0]["document_id"] == doc_id("e")
    assert lines(["review", "links", "--json"], data_dir) == [queue]
    body = {"left": doc_id("c"), "right": "p-chinedu", "by": "someone.else",
            "why": "different given names and references"}  # "by" is the signed-in user
    reply = client.post("/api/review/links/never", json=body)
    assert reply.status_code == 201, reply.text
    made = reply.json()
    assert made["action"] == "never" and made["by"] == "r.ahmed" and made["judgement_id"] == 1
    assert {made["left"], made["right"]} == {doc_id("a"), doc_id("c")}  # a person: its first file
    after = client.get("/api/review/links").json()
    assert (after["total_pairs"], after["pairs"]) == (0, [])
    cli = run_cli(["link", "confirm", doc_id("a")[:12], doc_id("a2"), "--by", "s.jones",
                   "--why", "same reference", "--json"], data_dir)
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout)["judgement_id"] == 2
    person = client.get("/api/persons/p-chinedu").json()
    assert [(j["action"], j["by"]) for j in person["judgements"]] == [
        ("never", "r.ahmed"), ("confirm", "s.jones")]


@pytest.mark.parametrize(("action", "body", "status"), [
    ("merge", {}, 422),
    ("never", {"why": "x" * (MAX_WHY + 1)}, 422),
    ("never", {"why": ""}, 422),
    ("never", {"left": "f" * 65}, 422),
    ("never", {"left": "f" * 64}, 404),
    ("never", {"right": doc_id("a")}, 422),  # the same document twice
])
def test_bad_decisions_are_refused_at_the_edge_and_nothing_is_kept(
        tmp_path: Path, action: str, body: dict[str, str], status: int) -> None:
    data_dir = linked_dir(tmp_path)
    client = reviewer(data_dir)
    given = {"left": doc_id("a"), "right": doc_id("b"), "by": "r.ahmed", "why": "why", **body}
    assert client.post(f"/api/review/links/{action}", json=given).status_code == status
    assert client.get("/api/persons/p-chinedu").json()["judgements"] == []
    assert client.get("/api/review/links", params={"limit": MAX_LIST_ROWS + 1}
                      ).status_code == 422


def test_cli_refuses_a_decision_without_why_or_on_an_unknown_document(data_dir: Path) -> None:
    no_why = run_cli(["link", "never", doc_id("a"), doc_id("b"), "--by", "r.ahmed"], data_dir)
    assert no_why.returncode == 2 and "--why" in no_why.stderr
    ghost = run_cli(["link", "never", "f" * 64, doc_id("b"), "--by", "r", "--why", "w"], data_dir)
    assert ghost.returncode == 2 and "no document or person" in ghost.stderr


def test_link_runs_the_model_over_the_index_from_both_edges(tmp_path: Path) -> None:
    with Index(f"sqlite:///{tmp_path.resolve() / 'index.sqlite3'}",
               case_columns=case_columns()) as index:
        index.add_documents(documents())
    (run,) = lines(["link", "--json"], tmp_path)
    assert (run["run_id"], run["documents"], run["two_people"]) == (1, 8, 1)
    client = reviewer(tmp_path)
    again = client.post("/api/persons/link")
    assert again.status_code == 200, again.text
    assert again.json()["run_id"] == 2 and again.json()["persons"] == run["persons"]
    exported = client.get("/api/persons/export").json()
    assert len({d["person_id"] for d in exported}) == run["persons"]
    assert all(d["person_id"] is not None for d in exported)

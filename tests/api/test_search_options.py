"""The search options of the CLI and of HTTP are the field registry's: the same names and
help on both edges, and a value one cannot read is refused naming it as that edge spells it."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli
from fastapi.testclient import TestClient
from signin import signed_in

from api.app import create_app
from api.settings import Settings
from casework import search_options

OPTIONS = search_options()


def test_the_command_line_offers_every_option_of_the_registry(tmp_path: Path) -> None:
    result = run_cli(["search", "--help"], tmp_path, COLUMNS="200")
    assert result.returncode == 0, result.stderr
    for option in OPTIONS:
        flag = "--" + option.name.replace("_", "-")
        line = next((x for x in result.stdout.splitlines() if f" {flag} " in x), None)
        assert line is not None, f"{flag} missing from `casescan search --help`"
        assert option.help in line


def test_http_offers_every_option_of_the_registry(tmp_path: Path) -> None:
    schema = TestClient(create_app(Settings(data_dir=tmp_path))).get("/openapi.json").json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/search"]["get"]["parameters"]}
    for option in OPTIONS:
        assert parameters[option.name]["in"] == "query"
        assert parameters[option.name]["description"] == option.help
    assert {"q", "batch", "limit", "offset"} <= set(parameters)


def test_an_unreadable_value_is_refused_naming_the_option(tmp_path: Path) -> None:
    client = signed_in(create_app(Settings(data_dir=tmp_path)), "caseworker")
    reply = client.get("/api/search", params={"born_from": "02/03/1985"})
    assert reply.status_code == 400 and "born_from must be a date" in reply.json()["detail"]
    reply = client.get("/api/search", params={"permission_to_work": "perhaps"})
    assert reply.status_code == 400 and "permission_to_work" in reply.json()["detail"]
    result = run_cli(["search", "--permission-to-work", "perhaps"], tmp_path)
    assert result.returncode == 2 and "--permission-to-work" in result.stderr
    assert "Traceback" not in result.stderr

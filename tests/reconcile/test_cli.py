"""`casescan reconcile ...` as a caseworker runs it: import, run, findings as a table,
JSON and CSV, resolve, summary; bad input named in one line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from conftest import run_cli
from dbexport import ROWS, write
from linkresults import documents

from casework import persons
from casework.context import open_context


def seeded(data_dir: Path) -> None:
    ctx = open_context(str(data_dir / "objects"), f"sqlite:///{data_dir / 'index.sqlite3'}")
    ctx.index.add_documents(documents())
    persons.link(ctx)
    ctx.index.close()


def test_the_reconcile_commands(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    seeded(data)
    export, mapping = write(tmp_path, ROWS)
    done = run_cli(["reconcile", "import", str(export), "--mapping", str(mapping), "--json"],
                   data)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["rows"] == 6
    done = run_cli(["reconcile", "run", "--json"], data)
    assert done.returncode == 0, done.stderr
    total = json.loads(done.stdout)["findings"]
    done = run_cli(["reconcile", "findings", "--json", "--limit", "500"], data)
    found = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(found) == total and found[0]["harm"] == 1
    status = next(f for f in found if f["kind"] == "status_disagreement")
    assert status["keys"] == ["C-1"] and status["evidence"][0]["paper"][0]["page"] == 1
    done = run_cli(["reconcile", "findings", "--kind", "duplicate", "--csv"], data)
    table = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [r["keys"] for r in table] == ["C-4;C-4B"]
    done = run_cli(["reconcile", "resolve", str(status["finding_id"]), "--by", "r.ahmed",
                    "--reason", "checked the appeal file"], data)
    assert done.returncode == 0, done.stderr
    done = run_cli(["reconcile", "show", str(status["finding_id"]), "--json"], data)
    shown = json.loads(done.stdout)
    assert shown["state"] == "resolved" and shown["resolutions"][0]["by"] == "r.ahmed"
    done = run_cli(["reconcile", "summary", "--json"], data)
    tables = {t["title"]: t["rows"] for t in map(json.loads, done.stdout.splitlines())}
    assert {"findings by kind", "findings by batch", "findings by nationality"} <= set(tables)
    assert all(r["findings"] == "<5" for r in tables["findings by kind"])  # small: suppressed


def test_a_bad_mapping_or_kind_is_one_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    export, mapping = write(tmp_path, ROWS)
    mapping.write_text('key = "case_id"\n[columns]\nshoe_size = "x"\n')
    done = run_cli(["reconcile", "import", str(export), "--mapping", str(mapping)], data)
    assert done.returncode == 2 and "unknown case field(s) shoe_size" in done.stderr
    assert "Traceback" not in done.stderr
    done = run_cli(["reconcile", "findings", "--kind", "bogus"], data)
    assert done.returncode == 2 and "--kind must be one of" in done.stderr

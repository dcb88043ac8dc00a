"""The batch record lists every file it was given, each with where it stands, and a
killed run shows its files never processed instead of looking finished."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import CASESCAN, REPO
from pdfs import RECORD_LINES, write_pdf

from casework import open_context
from casework.progress import batch_progress, failed_originals, progress_of
from ingest.batch import run_batch
from ingest.chain import IngestContext
from storage.index.records import BatchCounts


@pytest.fixture
def ctx(tmp_path: Path) -> IngestContext:
    return open_context(str(tmp_path / "objects"), f"sqlite:///{tmp_path / 'index.sqlite3'}")


def test_every_file_has_a_state_pages_and_reason(ctx: IngestContext, tmp_path: Path) -> None:
    good = write_pdf(tmp_path / "good.pdf", [RECORD_LINES, ["page two"], ["page three"]])
    corrupt = tmp_path / "corrupt.pdf"
    corrupt.write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 100)
    text = tmp_path / "notes.txt"
    text.write_text("not a scan")
    result = run_batch([good, corrupt, text], "box 3", ctx)
    batch = ctx.index.get_batch(result.batch_id)
    assert batch is not None
    files = {Path(f.source).name: f for f in batch.files}
    assert [f.position for f in batch.files] == [0, 1, 2]
    assert files["good.pdf"].status == "done"
    assert (files["good.pdf"].pages_total, files["good.pdf"].pages_done) == (3, 3)
    assert files["corrupt.pdf"].status == "failed"
    assert "corrupt.pdf" in (files["corrupt.pdf"].error or "")
    assert files["notes.txt"].status == "failed"
    assert "unsupported file type" in (files["notes.txt"].error or "")
    progress = batch_progress(ctx, "box 3")
    assert progress is not None and progress.state == "finished"
    assert progress.counts.states == {"queued": 0, "processing": 0, "done": 1, "failed": 2,
                                      "quarantined": 0, "split": 0}
    assert (progress.counts.pages_done, progress.counts.pages_total) == (3, 3)
    assert progress.counts.finished_at is not None and progress.eta_seconds == 0.0


def test_failed_originals_are_listed_and_kept(ctx: IngestContext, tmp_path: Path) -> None:
    corrupt = tmp_path / "broken.pdf"
    corrupt.write_bytes(b"%PDF-1.4\n" + b"\x01junk" * 200)
    run_batch([corrupt], "bad", ctx)
    [orphan] = failed_originals(ctx)
    assert orphan.source == str(corrupt) and orphan.original_key is not None
    assert ctx.store.get(orphan.original_key) == corrupt.read_bytes()
    good = write_pdf(tmp_path / "fine.pdf", [RECORD_LINES])
    run_batch([good], "good", ctx)
    assert [o.source for o in failed_originals(ctx)] == [str(corrupt)]


def test_rate_and_time_left_from_the_rows() -> None:
    start = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
    counts = BatchCounts(
        batch_id=1, name="b", created_at=start, finished_at=None, files=4,
        states={"queued": 2, "processing": 1, "done": 1, "failed": 0, "quarantined": 0, "split": 0},
        pages_total=20, pages_done=15, files_counted=2, first_started=start,
        last_change=start + timedelta(minutes=5), pages_open=5, files_open_uncounted=2)
    running = progress_of(counts, (), start + timedelta(minutes=5))
    assert running.state == "running" and running.pages_per_minute == 3.0
    # 5 pages left of the open file, and two files not opened at 10 pages each on average
    assert running.eta_seconds == pytest.approx(25 / 3.0 * 60, rel=0.01)
    stalled = progress_of(counts, (), start + timedelta(hours=2))
    assert stalled.state == "stalled" and stalled.eta_seconds is None
    assert stalled.unfinished == 3


def cli_env(data_dir: Path, tmp: Path) -> dict[str, str]:
    return {**os.environ, "CASESCAN_DATA_DIR": str(data_dir), "CASESCAN_WORKERS": "1",
            "TMPDIR": str(tmp)}


def test_killed_batch_shows_files_never_processed_and_leftovers_are_swept(
        tmp_path: Path) -> None:
    folder = tmp_path / "box"
    folder.mkdir()
    for n in range(6):
        write_pdf(folder / f"case-{n}.pdf", [[*RECORD_LINES, f"file {n}"]] * 2)
    data, tmp = tmp_path / "data", tmp_path / "tmp"
    tmp.mkdir()
    env = cli_env(data, tmp)
    run = subprocess.Popen([*CASESCAN, "ingest", str(folder), "--batch", "killed", "--json"],
                           cwd=REPO, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, text=True)
    assert run.stdout is not None
    first = json.loads(run.stdout.readline())  # one file done, the rest not yet
    assert first["status"] == "done"
    os.kill(run.pid, signal.SIGKILL)
    run.wait(timeout=30)
    assert [p.name for p in tmp.iterdir() if p.name.startswith("casescan-batch-")]

    status = subprocess.run([*CASESCAN, "batch", "status", "killed", "--json"], cwd=REPO,
                            env=env, capture_output=True, text=True, timeout=120, check=True)
    shown = json.loads(status.stdout)
    assert shown["files_total"] == 6 and shown["done"] >= 1
    assert shown["queued"] + shown["processing"] == 6 - shown["done"] - shown["failed"] > 0
    assert shown["state"] == "stalled"  # its process is gone: not running, not finished
    listing = subprocess.run([*CASESCAN, "batches"], cwd=REPO, env=env, capture_output=True,
                             text=True, timeout=120, check=True).stdout
    assert "unfinished" in listing and "queued" in listing

    again = subprocess.run([*CASESCAN, "ingest", str(folder / "case-0.pdf"), "--batch", "next"],
                           cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert not [p for p in tmp.iterdir() if p.name.startswith("casescan-")]

"""Work units on a real index and store, run in this process as a worker would run them:
a repeated or redelivered unit does nothing twice, the commit is released and indexed
once, a unit that keeps losing its worker is quarantined and can be queued again."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from api.models import DocumentOut
from casework import open_context
from ingest.batch import run_batch
from ingest.chain import IngestContext, Prepared, prepare, read_bytes
from ingest.queued import WaitOptions, submit_sources
from ingest.units import (
    commit_key,
    enqueue,
    outcome,
    read_and_store,
    run_commit,
    run_page,
    unit_key,
)
from storage.index.units import COMMIT, PAGE


def make_ctx(root: Path) -> IngestContext:
    return open_context(str(root / "objects"), f"sqlite:///{root / 'index.sqlite3'}")


@pytest.fixture(scope="module")
def two_page_tiff(tmp_path_factory: pytest.TempPathFactory) -> Path:
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 30)
    pages = []
    for lines in (["CASE RECORD", "Surname: ADEYEMI", "Given names: Tunde"],
                  ["Nationality: Nigerian", "HO Ref: C7654321"]):
        image = Image.new("L", (1240, 1754), 255)
        draw = ImageDraw.Draw(image)
        for i, line in enumerate(lines):
            draw.text((120, 150 + 60 * i), line, font=font, fill=0)
        pages.append(image)
    path = tmp_path_factory.mktemp("units") / "record.tiff"
    pages[0].save(path, save_all=True, append_images=pages[1:], compression="tiff_lzw")
    return path


class Sent(list[tuple[str, str]]):
    """The messages a broker would carry: (stage, unit key)."""

    def __call__(self, stage: str, key: str) -> None:
        self.append((stage, key))


def prepared_of(path: Path, ctx: IngestContext) -> Prepared:
    result = prepare(read_bytes(path, path.name, ctx.limits), path.name, ctx)
    assert isinstance(result, Prepared)
    return result


def test_units_run_twice_do_the_work_once(two_page_tiff: Path, tmp_path: Path) -> None:
    ctx, sent = make_ctx(tmp_path), Sent()
    p = prepared_of(two_page_tiff, ctx)
    enqueue(p, ctx, sent)
    assert sent == [(PAGE, unit_key(p.sha256, 1, PAGE)), (PAGE, unit_key(p.sha256, 2, PAGE))]
    enqueue(p, ctx, sent)  # the same ingest again: the units are there, nothing is re-sent
    assert len(sent) == 2
    for _, key in list(sent):
        assert run_page(ctx, key, "w1", 3, sent) == "run"
    for _, key in list(sent[:2]):  # redelivered after finishing: found done
        assert run_page(ctx, key, "w2", 3, sent) == "done"
    assert sent.count((COMMIT, commit_key(p.sha256))) == 1  # released once
    assert run_commit(ctx, commit_key(p.sha256), "w1", 3) == "run"
    assert run_commit(ctx, commit_key(p.sha256), "w2", 3) == "done"
    units = ctx.index.units.of_documents([p.sha256], "1")
    assert {u.state for u in units} == {"done"} and all(u.tries == 1 for u in units)
    doc = ctx.index.get_document(p.sha256)
    assert doc is not None and [page.number for page in doc.pages] == [1, 2]

    # The outcome read back is what the local pool gives for the same file.
    queued = outcome(ctx, units, two_page_tiff.name, duplicate=False)
    local = run_batch([two_page_tiff], "local", make_ctx(tmp_path / "local")).outcomes[0]
    assert queued is not None
    mine, theirs = DocumentOut.of(queued).as_json(), DocumentOut.of(local).as_json()
    theirs["source"] = mine["source"]
    assert mine == theirs


def test_a_unit_that_keeps_losing_its_worker_is_quarantined(two_page_tiff: Path,
                                                            tmp_path: Path) -> None:
    ctx, sent = make_ctx(tmp_path), Sent()
    p = prepared_of(two_page_tiff, ctx)
    enqueue(p, ctx, sent)
    key = unit_key(p.sha256, 1, PAGE)
    units = ctx.index.units
    # Each claim without a finish is a worker killed mid-page (its lease run out at once
    # here); the broker redelivers.
    for expected in ("run", "run", "run"):
        assert units.claim(key, "doomed", max_tries=3, lease=timedelta(0)).claim == expected
    assert units.claim(key, "next", max_tries=3, lease=timedelta(0)).claim == "quarantined"
    [stuck] = units.quarantined()
    assert stuck.key == key and stuck.tries == 3 and stuck.redeliveries == 2
    assert "worker doomed was lost while running it" in (stuck.last_error or "")
    # The document is reported failed with the reason, never as done or silently dropped.
    rows = units.of_documents([p.sha256], "1")
    result = outcome(ctx, rows, "record.tiff", duplicate=False)
    assert result is not None and result.status == "failed"
    assert "quarantined (page 1)" in (result.error or "")
    # Retried: fresh tries; the page runs, the commit follows, the document is indexed.
    assert [u.key for u in units.requeue([key])] == [key]
    assert run_page(ctx, key, "w", 3, sent) == "run"
    assert run_page(ctx, unit_key(p.sha256, 2, PAGE), "w", 3, sent) == "run"
    assert run_commit(ctx, commit_key(p.sha256), "w", 3) == "run"
    assert ctx.index.get_document(p.sha256) is not None


def test_a_running_unit_keeps_its_lease_while_its_worker_beats(two_page_tiff: Path,
                                                               tmp_path: Path) -> None:
    """While a page is read its worker renews the lease, so another copy of the message
    finds the unit leased; once the work ends the beats stop and the lease can run out."""
    import time

    from ingest.units import heartbeat

    ctx, sent = make_ctx(tmp_path), Sent()
    p = prepared_of(two_page_tiff, ctx)
    enqueue(p, ctx, sent)
    key, units = unit_key(p.sha256, 1, PAGE), ctx.index.units
    assert units.claim(key, "slow", 3).claim == "run"
    [before] = units.rows([key])
    with heartbeat(ctx, key, "slow", every=timedelta(seconds=0.05)):
        time.sleep(0.5)  # a long page
        [during] = units.rows([key])
        assert during.updated_at > before.updated_at
        assert units.claim(key, "other", 3, lease=timedelta(seconds=0.3)).claim == "leased"
    [after] = units.rows([key])
    time.sleep(0.5)
    assert units.rows([key])[0].updated_at == after.updated_at  # the beats stopped
    assert units.claim(key, "other", 3, lease=timedelta(seconds=0.3)).claim == "run"
    [row] = units.rows([key])
    assert (row.worker, row.tries, row.redeliveries) == ("other", 2, 1)


def test_a_document_with_no_readable_page_fails_with_its_reason(tmp_path: Path) -> None:
    blank = tmp_path / "blank.png"  # all black: no page to read (all white would be done)
    Image.new("L", (1240, 1754), 0).save(blank)
    ctx, sent = make_ctx(tmp_path), Sent()
    p = prepared_of(blank, ctx)
    enqueue(p, ctx, sent)
    run_page(ctx, sent[0][1], "w", 3, sent)
    assert run_commit(ctx, commit_key(p.sha256), "w", 3) == "failed"
    result = outcome(ctx, ctx.index.units.of_documents([p.sha256], "1"), "blank.png", False)
    local = run_batch([blank], "local", make_ctx(tmp_path / "local")).outcomes[0]
    assert result is not None and result.status == "failed" and ctx.index.get_document(
        p.sha256) is None
    assert result.error == (local.error or "").replace(str(blank), "blank.png")


def test_waiting_side_repairs_a_commit_nobody_released(two_page_tiff: Path,
                                                       tmp_path: Path) -> None:
    """A worker killed between finishing the last page and releasing the commit: the
    same ingest run again finds the pages done, releases the commit and waits for it."""
    ctx, sent = make_ctx(tmp_path), Sent()
    p = prepared_of(two_page_tiff, ctx)
    enqueue(p, ctx, sent)
    for n in (1, 2):
        key = unit_key(p.sha256, n, PAGE)
        ctx.index.units.claim(key, "w", 3)
        [row] = ctx.index.units.rows([key])
        read_and_store(ctx, row)
        ctx.index.units.finish(key, "w")  # ... and the worker dies before releasing

    def worker(stage: str, key: str) -> None:  # a broker with a worker behind it
        if stage == COMMIT:
            run_commit(ctx, key, "w", 3)

    result = submit_sources([(two_page_tiff.name, two_page_tiff)], "again", ctx, worker,
                            options=WaitOptions(poll_seconds=0.05))
    assert [o.status for o in result.outcomes] == ["done"]
    assert ctx.index.get_document(p.sha256) is not None


def test_workers_keep_the_batch_record_with_nobody_waiting(two_page_tiff: Path,
                                                          tmp_path: Path) -> None:
    """`ingest --no-wait` returns at once; the workers alone bring the batch record to its
    end: pages read as they finish (a redelivered page counted once), then every file
    of the document done, the same bytes twice marked as a duplicate, the batch over."""
    from casework.progress import batch_progress

    ctx, sent = make_ctx(tmp_path), Sent()
    copy = tmp_path / "copy.tiff"
    copy.write_bytes(two_page_tiff.read_bytes())
    given = [("record.tiff", two_page_tiff), ("copy.tiff", copy)]
    result = submit_sources(given, "later", ctx, sent, options=WaitOptions(wait=False))
    assert result.outcomes == ()

    def status() -> tuple[str, dict[str, int], int, int]:
        shown = batch_progress(ctx, "later")
        assert shown is not None
        c = shown.counts
        return shown.state, c.states, c.pages_done, c.pages_total

    state, states, done, total = status()
    assert (state, states["processing"], done, total) == ("running", 2, 0, 4)
    first, second = (key for stage, key in list(sent) if stage == PAGE)
    assert run_page(ctx, first, "w", 3, sent) == "run"
    assert status()[2:] == (2, 4)  # page 1 of both files
    assert run_page(ctx, first, "w2", 3, sent) == "done"  # redelivered: counted once
    assert run_page(ctx, second, "w", 3, sent) == "run"
    assert status()[1]["processing"] == 2 and status()[2:] == (4, 4)
    [commit] = [key for stage, key in sent if stage == COMMIT]
    assert run_commit(ctx, commit, "w", 3) == "run"
    state, states, done, total = status()
    assert (state, states["done"], states["processing"], done, total) == (
        "finished", 2, 0, 4, 4)
    counts = ctx.index.batch_counts(result.batch_id)
    assert counts is not None and counts.finished_at is not None
    batch = ctx.index.get_batch(result.batch_id)
    assert batch is not None
    assert [(f.source, f.status, f.duplicate, f.document_id) for f in batch.files] == [
        ("record.tiff", "done", False, commit.split(":")[0]),
        ("copy.tiff", "done", True, commit.split(":")[0])]


def test_a_workers_copies_of_originals_are_swept_once_it_is_gone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import hashlib
    import subprocess
    import sys
    import tempfile

    from ingest.units import OriginalCache

    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    killed = subprocess.run(  # a worker killed holding its copies: the kernel drops its lock
        [sys.executable, "-c", "import os, sys; sys.path.insert(0, os.getcwd()); "
         "from ingest.scratch import WORKER_PREFIX, process_dir\n"
         f"f = process_dir(WORKER_PREFIX, root={str(tmp)!r})\n"
         "(f / 'copy').write_bytes(b'left by a killed worker'); os._exit(9)"],
        cwd=Path(__file__).resolve().parents[2], timeout=60, check=False)
    assert killed.returncode == 9
    [gone] = list(tmp.iterdir())
    assert (gone / "copy").exists()
    ctx = make_ctx(tmp_path)
    key = ctx.store.put("originals/ab/x/original.png", b"bytes", "image/png").key
    cache = OriginalCache()
    path = cache.path(ctx.store, hashlib.sha256(b"bytes").hexdigest(), key)
    assert path.read_bytes() == b"bytes" and not gone.exists()
    assert [p.name for p in tmp.iterdir()] == [path.parent.name]  # its own folder, locked

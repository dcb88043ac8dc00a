"""Work units under contention, on SQLite and PostgreSQL: every claim is counted and a
done unit is never run again, however many claims arrive at once; however many workers
finish a document's last pages at once, one releases its commit."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from storage.index import Index
from storage.index.units import COMMIT, PAGE, UnitSpec

SHA = "ab" * 32


def specs(pages: int) -> list[UnitSpec]:
    made = [UnitSpec(f"{SHA}:{n}:{PAGE}:t", SHA, n, PAGE, "t", "{}")
            for n in range(1, pages + 1)]
    return [*made, UnitSpec(f"{SHA}:0:{COMMIT}:t", SHA, 0, COMMIT, "t", "{}")]


def test_simultaneous_claims_are_all_counted_and_a_done_unit_never_runs(
        index: Index) -> None:
    """A claim of a running unit whose lease ran out means its worker was lost: it may
    run again, counted as a redelivery (here every lease runs out at once). Once done,
    no claim runs it, however many arrive at once."""
    units = index.units
    [page, _] = units.ensure(specs(1))
    with ThreadPoolExecutor(8) as pool:
        claims = list(pool.map(
            lambda n: units.claim(page.key, f"w{n}", 99, lease=timedelta(0)).claim, range(8)))
    runs = claims.count("run")
    [row] = units.rows([page.key])
    assert runs >= 1 and set(claims) <= {"run", "busy"}
    assert (row.tries, row.redeliveries, row.state) == (runs, runs - 1, "running")
    units.finish(page.key, "w0")
    with ThreadPoolExecutor(8) as pool:
        again = list(pool.map(lambda n: units.claim(page.key, f"w{n}", 99).claim, range(8)))
    assert again == ["done"] * 8
    assert units.ensure(specs(1))[0].tries == runs  # recorded once, not again


def test_a_running_unit_with_a_live_lease_is_not_taken_over(index: Index) -> None:
    """A second copy of a running unit's message (a Redis visibility timeout passing on a
    slow page) finds it leased while its worker beats, and runs it once the beats stop."""
    units = index.units
    [page, _] = units.ensure(specs(1))
    assert units.claim(page.key, "slow", 3).claim == "run"
    with ThreadPoolExecutor(8) as pool:
        claims = list(pool.map(lambda n: units.claim(page.key, f"w{n}", 3).claim, range(8)))
    assert claims == ["leased"] * 8
    assert units.heartbeat(page.key, "slow") and not units.heartbeat(page.key, "w0")
    [row] = units.rows([page.key])
    assert (row.tries, row.redeliveries, row.worker) == (1, 0, "slow")
    taken = units.claim(page.key, "next", 3, lease=timedelta(0))  # the beats stopped
    [row] = units.rows([page.key])
    assert taken.claim == "run" and (row.tries, row.redeliveries, row.worker) == (2, 1, "next")
    assert "worker slow was lost" in (row.last_error or "")
    assert not units.heartbeat(page.key, "slow")  # no longer its own


def test_the_commit_is_released_once_when_the_last_pages_finish_together(
        index: Index) -> None:
    units = index.units
    rows = units.ensure(specs(6))
    pages, commit = rows[:-1], rows[-1]
    assert commit.state == "waiting"
    assert not units.release_commit(SHA, "t", commit.key)  # pages still to do

    def finish(key: str) -> bool:
        units.claim(key, "w", 3)
        units.finish(key, "w")
        return units.release_commit(SHA, "t", commit.key)

    with ThreadPoolExecutor(6) as pool:
        released = list(pool.map(finish, [p.key for p in pages]))
    assert released.count(True) == 1
    assert units.rows([commit.key])[0].state == "queued"


def test_stale_units_are_found_and_touched(index: Index) -> None:
    units = index.units
    rows = units.ensure(specs(2))
    keys = [r.key for r in rows]
    assert units.stale(keys, timedelta(0)) != []
    assert units.stale(keys, timedelta(hours=1)) == []
    units.finish(keys[0], "w")
    assert [r.key for r in units.stale(keys, timedelta(0))] == [keys[1]]  # not the waiting commit

"""Backups: dated, rotated, taken only from a database that passes a full check, never
pushed out by a database that holds less, and written without leaving debris."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from hyp_board.core.matrix import Matrix
from hyp_board.sample_case import load_sample
from hyp_board.storage import (
    BackgroundBackup,
    Backup,
    Store,
    backups_dir,
    check_and_back_up,
    list_backups,
    restore,
)
from hyp_board.storage import backups as backups_module
from hyp_board.storage.backups import BUDGET_BYTES, KEEP_DAYS, KEEP_SESSIONS, choose_kept, content

from project_factory import generated_data, project_fields

NOW = datetime(2026, 11, 21, 18, 0, 0)


def sample_database(db_path: Path) -> int:
    store = Store.open(db_path)
    pid = store.insert_project(load_sample())
    store.close()
    return pid


def corrupt_an_index(db_path: Path) -> None:
    """Damage that the quick start-up check does not see: an index whose entries no
    longer match its table."""
    with sqlite3.connect(db_path) as c:
        c.execute("PRAGMA writable_schema = ON")
        c.execute(
            "UPDATE sqlite_master SET sql = 'CREATE INDEX ix_evidence_project "
            "ON evidence (position, project_id)' WHERE name = 'ix_evidence_project'"
        )
    with sqlite3.connect(db_path) as c:
        assert c.execute("PRAGMA quick_check(5)").fetchall() == [("ok",)]


def test_a_backup_is_a_dated_checked_copy(db_path: Path):
    pid = sample_database(db_path)
    outcome = check_and_back_up(db_path, now=NOW)
    assert outcome.damage == [] and outcome.failure is None
    assert outcome.backup == backups_dir(db_path) / "2026-11-21_18-00-00.sqlite"
    (backup,) = list_backups(db_path)
    assert backup.taken == NOW and backup.describe() == "2026-11-21 18:00"
    # It stands alone (no journal beside it) and holds the whole project.
    assert sorted(p.name for p in backups_dir(db_path).iterdir()) == ["2026-11-21_18-00-00.sqlite"]
    copy = Store.open(backup.path)
    original = Store.open(db_path)
    assert project_fields(Matrix(copy.load_project(pid))) == project_fields(
        Matrix(original.load_project(pid))
    )
    copy.close()
    original.close()


def test_two_backups_within_one_second_are_both_kept(db_path: Path):
    sample_database(db_path)
    first = check_and_back_up(db_path, now=NOW).backup
    second = check_and_back_up(db_path, now=NOW).backup
    assert first is not None and second is not None and first != second
    assert second.name == "2026-11-21_18-00-00-2.sqlite"
    assert [b.path for b in list_backups(db_path)] == [second, first]  # newest first


def test_a_database_with_a_damaged_index_passes_the_start_up_check_but_is_not_backed_up(db_path: Path):
    sample_database(db_path)
    check_and_back_up(db_path, now=NOW - timedelta(days=1))
    good = list_backups(db_path)
    corrupt_an_index(db_path)
    Store.open(db_path).close()  # the quick check at start lets it through …
    outcome = check_and_back_up(db_path, now=NOW)  # … the full check does not
    assert outcome.backup is None
    assert outcome.damage and "missing from index ix_evidence_project" in outcome.damage[0]
    assert list_backups(db_path) == good
    assert [p.name for p in backups_dir(db_path).iterdir()] == [good[0].path.name]  # no debris


def test_backups_are_never_overwritten_and_rotate_by_session_and_day(db_path: Path):
    sample_database(db_path)
    # Two sessions a day for ten days.
    times = [NOW - timedelta(days=d, hours=h) for d in range(9, -1, -1) for h in (6, 1)]
    for t in times:
        assert check_and_back_up(db_path, now=t).backup is not None
    kept = [b.taken for b in list_backups(db_path)]
    last_sessions = sorted(times)[-KEEP_SESSIONS:]
    newest_each_day = [t for t in times if t.hour == NOW.hour - 1 and NOW - t < timedelta(days=KEEP_DAYS)]
    assert set(last_sessions) <= set(kept)
    assert set(newest_each_day) <= set(kept)
    assert len(newest_each_day) == KEEP_DAYS
    assert all(NOW - t < timedelta(days=KEEP_DAYS) or t == max(times) for t in kept)


def test_a_database_emptied_by_accident_cannot_push_out_the_backup_that_holds_the_work(db_path: Path):
    store = Store.open(db_path)
    store.insert_project(generated_data(60, 6))
    store.close()
    check_and_back_up(db_path, now=NOW - timedelta(days=2))
    full = list_backups(db_path)[0]
    store = Store.open(db_path)
    for p in store.list_projects():
        store.delete_project(p.id)
    store.close()
    # Many sessions on the emptied database, all of them on one day.
    for minutes in range(3 * KEEP_SESSIONS):
        check_and_back_up(db_path, now=NOW + timedelta(minutes=minutes))
    remaining = list_backups(db_path)
    assert full in remaining
    assert content(full.path) > 300
    assert len(remaining) == KEEP_SESSIONS + 1


def test_the_size_budget_drops_the_oldest_but_never_the_newest_or_the_fullest():
    def backup(days_ago: float, size: int) -> Backup:
        taken = NOW - timedelta(days=days_ago)
        return Backup(Path(f"{taken:%Y-%m-%d_%H-%M-%S}.sqlite"), taken, size)

    big = BUDGET_BYTES // 3
    backups = [backup(d, big) for d in (0, 0.1, 0.2, 1, 2, 3)]
    fullest = backups[-1]
    kept = choose_kept(backups, fullest, NOW)
    assert backups[0].path in kept and fullest.path in kept
    assert sum(b.size for b in backups if b.path in kept) <= BUDGET_BYTES
    assert len(kept) == 3
    # Even a single database over the budget keeps its newest backup.
    huge = [backup(0, 2 * BUDGET_BYTES), backup(1, 2 * BUDGET_BYTES)]
    assert choose_kept(huge, None, NOW) == {huge[0].path}


def test_the_single_backup_of_earlier_versions_is_offered_and_then_filed_with_the_others(db_path: Path):
    sample_database(db_path)
    legacy = db_path.with_name(db_path.name + ".backup")
    check_and_back_up(db_path, now=NOW - timedelta(days=1))
    list_backups(db_path)[0].path.replace(legacy)
    (old,) = list_backups(db_path)
    assert old.path == legacy
    check_and_back_up(db_path, now=NOW)
    assert not legacy.exists()
    assert len(list_backups(db_path)) == 2


def test_restoring_keeps_whatever_was_in_the_way(db_path: Path):
    pid = sample_database(db_path)
    check_and_back_up(db_path, now=NOW)
    expected = project_fields(Matrix(Store.open(db_path).load_project(pid)))
    db_path.write_bytes(b"")
    kept = restore(db_path, list_backups(db_path)[0])
    assert kept is not None and kept.name.startswith(db_path.name + ".empty-") and kept.read_bytes() == b""
    store = Store.open(db_path)
    assert project_fields(Matrix(store.load_project(pid))) == expected
    store.close()


def test_a_backup_that_cannot_be_written_leaves_nothing_behind_and_says_why(db_path: Path):
    sample_database(db_path)
    check_and_back_up(db_path, now=NOW - timedelta(days=1))
    before = sorted(p.name for p in backups_dir(db_path).iterdir())
    # A process allowed to write only small files: the copy fails part-way, as on a full disk.
    code = (
        "import resource, signal, sys; from datetime import datetime; from pathlib import Path\n"
        "from hyp_board.storage import check_and_back_up\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (20000, 20000))\n"
        "o = check_and_back_up(Path(sys.argv[1]), now=datetime(2026, 11, 21, 18))\n"
        "print(o.backup, o.damage, o.failure, sep='\\n')\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(db_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    backup, damage, failure = result.stdout.splitlines()
    assert backup == "None" and damage == "[]"
    assert failure.startswith("No backup was made: ") and "Error" not in failure
    assert sorted(p.name for p in backups_dir(db_path).iterdir()) == before


def test_the_background_backup_does_not_keep_the_caller_waiting(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
):
    sample_database(db_path)
    release = threading.Event()
    real = backups_module.check_and_back_up

    def slow(database: Path, now: datetime | None = None, stop: threading.Event | None = None):
        release.wait(10)
        return real(database, now, stop)

    monkeypatch.setattr(backups_module, "check_and_back_up", slow)
    done = threading.Event()
    outcomes = []
    job = BackgroundBackup(db_path, lambda o: (outcomes.append(o), done.set()))
    job.start()
    assert job.is_running() and not outcomes  # started, and the caller goes on
    release.set()
    assert done.wait(10)
    assert outcomes[0].backup is not None
    job.cancel()

"""Killed at any moment, the application keeps every acknowledged edit and never half of one.

A child process edits through the window's own path (ranges, multi-row deletes,
documents, undo and redo) and is killed with SIGKILL at random moments; after each
kill the database is checked (see ``crash_harness``). ``tests/benchmarks/bench_crash.py``
runs the same with many more kills.
"""

from __future__ import annotations

import time
from pathlib import Path

from crash_harness import kill_and_check, prepare, summary

KILLS = 40


def test_random_kills_never_lose_an_acknowledged_edit_nor_leave_half_of_one(tmp_path: Path):
    db = tmp_path / "crash.sqlite"
    prepare(db)
    started = time.monotonic()
    report = kill_and_check(db, tmp_path, kills=KILLS, seed=11)
    print(summary(report, time.monotonic() - started))
    assert report.failures == []
    assert report.kills == KILLS
    assert report.actions > 10 * KILLS  # the child got well into its work each time

"""A whole session in a real process: nothing reaches standard error, and Ctrl+Q ends
it at once with the work kept."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

DRIVER = Path(__file__).parent / "benchmarks" / "quit_driver.py"


def test_new_and_switched_projects_print_no_traceback_and_ctrl_q_quits_at_once(tmp_path: Path):
    db = tmp_path / "db.sqlite"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HYP_BOARD_CONFIG_DIR": str(tmp_path / "config"),
        "HYP_BOARD_LOG_DIR": str(tmp_path / "logs"),
    }
    process = subprocess.Popen(
        [sys.executable, str(DRIVER), str(db), "--session"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    out, err = process.communicate(timeout=120)
    ended = time.time()
    assert process.returncode == 0, err
    # Qt's own notes about the offscreen platform aside, standard error stays empty.
    problems = [line for line in err.splitlines() if "propagateSizeHints" not in line]
    assert problems == []
    stamps = {k: float(v) for k, v in (line.split() for line in out.splitlines() if line[:1].isupper())}
    # Far under this on a quiet machine (tests/benchmarks/bench_quit.py measures it);
    # generous here, as the tests share the machine.
    assert ended - stamps["QUIT"] < 2.0
    with sqlite3.connect(db) as conn:
        titles = [row[0] for row in conn.execute("SELECT title FROM project")]
    assert "A second project" in titles
    assert (tmp_path / "config" / "settings.ini").exists()

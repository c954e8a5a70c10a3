"""Crash consistency at length: the suite's kill test (tests/test_crash_consistency.py)
with many more kills.

A child process edits through the window's own path and is killed with SIGKILL at a
random moment, again and again on the same database; after each kill the database is
checked: integrity, foreign keys, contiguous positions, every action all or nothing,
no acknowledged edit lost. Prints how many kills landed inside an action, how many
after the action reached its commit, and every failure.

Run:  uv run python tests/benchmarks/bench_crash.py [--kills 500 --seed 1]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/: the harness

from crash_harness import kill_and_check, prepare, summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-delay", type=float, default=0.6, help="longest wait before a kill, seconds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db = work / "crash.sqlite"
        prepare(db)
        started = time.monotonic()
        report = kill_and_check(db, work, kills=args.kills, seed=args.seed, max_delay=args.max_delay)
        print(summary(report, time.monotonic() - started))
        for failure in report.failures:
            print("FAILED", failure)
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: what recording when and where each rating was given costs a large project.

A 2,000 evidence × 40 hypothesis project (80,000 ratings) is opened (read from the
database) and read from a .hypboard file, with no rating recorded (a project from
before, or rated elsewhere) and with every rating recorded (the most it can cost).
Whole processes, alternated; the medians and the median ratio of the pairs are printed.

Run:  uv run python tests/benchmarks/bench_rating_records.py [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pairs import CWD, ENV, PYTHON

CHILD = """
import sys, time
from pathlib import Path
from hyp_board.storage import Store
from hyp_board.project_files.hypboard import parse_project
kind, path = sys.argv[1], Path(sys.argv[2])
if kind == "db":
    store = Store.open(path)
    start = time.perf_counter()
    store.load_project(store.find_project("Generated"))
else:
    raw = path.read_bytes()
    start = time.perf_counter()
    parse_project(raw)
print(time.perf_counter() - start)
"""

MAKE = """
import sys
from datetime import UTC, datetime
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from project_factory import generated_data
from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Cell, RatingMode
from hyp_board.project_files.hypboard import to_document
from hyp_board.storage import Store
import json
folder, recorded = Path(sys.argv[1]), sys.argv[2] == "1"
data = generated_data(2000, 40)
if recorded:
    when = datetime(2026, 11, 29, 3, 40, tzinfo=UTC)
    data.cells = {k: Cell(c.rating, c.reason, when, RatingMode.ACROSS) for k, c in data.cells.items()}
store = Store.open(folder / "db.sqlite")
pid = store.insert_project(data)
(folder / "p.hypboard").write_text(json.dumps(to_document(Matrix(store.load_project(pid)))))
store.close()
"""


def run(kind: str, path: Path) -> float:
    out = subprocess.run(
        [PYTHON, "-c", CHILD, kind, str(path)], env=ENV, capture_output=True, text=True, check=True, cwd=CWD
    )
    return float(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    tests = str(Path(__file__).resolve().parent.parent)
    with tempfile.TemporaryDirectory() as tmp:
        plain, recorded = Path(tmp) / "plain", Path(tmp) / "recorded"
        for folder, flag in ((plain, "0"), (recorded, "1")):
            folder.mkdir()
            subprocess.run([PYTHON, "-c", MAKE, str(folder), flag, tests], env=ENV, check=True)
        for kind, name in (("db", "db.sqlite"), ("file", "p.hypboard")):
            base, measured, ratios = [], [], []
            for _ in range(args.runs):
                m = run(kind, recorded / name)
                b = run(kind, plain / name)
                measured.append(m)
                base.append(b)
                ratios.append(m / b)
            print(
                f"{'open from the database' if kind == 'db' else 'read a .hypboard file'}: "
                f"every rating recorded {statistics.median(measured) * 1000:.0f} ms, "
                f"none {statistics.median(base) * 1000:.0f} ms, ratio {statistics.median(ratios):.2f}"
            )


if __name__ == "__main__":
    main()

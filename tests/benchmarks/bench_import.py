"""Benchmark: reading a 2,000 evidence × 40 hypothesis ``.hypboard`` file (13.6 MB).

Each run is a fresh process, as a user's import is, and reports the seconds reading
the file took once the modules that read files are loaded (the validator is loaded
and the schema compiled on the first file, so that is counted); each is alternated
with a process that only reads and parses the same file with ``json.loads`` (see
``pairs.py``). The same processes are timed whole too, from start to exit (Python's
start, the modules each loads, and freeing what it read at the end).
The whole ``hyp-board import`` command (reading, checking and storing the project)
is timed too.

Targets: reading and checking the file in at most 0.8 s, and at most 3 times its
``json.loads``.

Run:  uv run python tests/benchmarks/bench_import.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/: the project factory
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pairs import CWD, ENV, HYP_BOARD, PYTHON, Pairs, alternate, run_process
from project_factory import generated_data

READ = """
import sys, time
from pathlib import Path
from hyp_board.project_files.hypboard import read_project_file
start = time.perf_counter()
result = read_project_file(Path(sys.argv[1]))
assert len(result.data.cells) > 0
print(time.perf_counter() - start)
"""

PARSE = """
import json, sys, time
from pathlib import Path
start = time.perf_counter()
document = json.loads(Path(sys.argv[1]).read_bytes())
print(time.perf_counter() - start)
"""


TARGET_RATIO = 3.0
TARGET_SECONDS = 0.8


def reported(argv: list[str], whole: list[float]) -> float:
    """The seconds the process reports; the seconds it took from start to exit go to *whole*."""
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, env=ENV, cwd=CWD, check=True, timeout=600)
    whole.append(time.perf_counter() - start)
    return float(done.stdout.strip().splitlines()[-1])


def verdict(pairs: Pairs) -> str:
    met = pairs.ratio <= TARGET_RATIO and statistics.median(pairs.ours) <= TARGET_SECONDS
    return "met" if met else "NOT MET"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--program", default=HYP_BOARD, help="the hyp-board command to time")
    args = parser.parse_args()

    from hyp_board.core.matrix import Matrix
    from hyp_board.project_files.hypboard import write_project_file

    tmp = Path(tempfile.mkdtemp())
    data = generated_data(2000, 40)
    for i, e in enumerate(data.evidence):  # real files have notes too
        e.notes = f"Checked against **source {i % 7}**." if i % 3 == 0 else ""
    path = tmp / "big.hypboard"
    write_project_file(Matrix(data), path)
    whole_read: list[float] = []
    whole_parse: list[float] = []
    reading = alternate(
        "read + check the file (fresh process)",
        lambda: reported([PYTHON, "-c", READ, str(path)], whole_read),
        "json.loads of it (fresh process)",
        lambda: reported([PYTHON, "-c", PARSE, str(path)], whole_parse),
        args.repeat,
    )
    # The same processes, start to exit (the warm-up pair left out).
    whole_process = Pairs(
        "the same, whole process",
        "the json.loads process, whole",
        whole_read[-args.repeat :],
        whole_parse[-args.repeat :],
    )
    db = tmp / "imports.sqlite"
    command = [args.program, "--db", str(db), "import", "--create-db", str(path)]
    whole = [run_process(command) for _ in range(3)]
    print(f"{path.stat().st_size / 1e6:.1f} MB; medians of {args.repeat} pairs, alternated")
    target = f"≤ {TARGET_RATIO:g}×, and ≤ {TARGET_SECONDS:g} s"
    print(f"{reading.line(target)}: {verdict(reading)}")
    print(f"{whole_process.line(target)}: {verdict(whole_process)}")
    print(f"whole 'hyp-board import' command (read, check, store): {statistics.median(whole):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: what the change journal costs a rating, and how fast it reads when long.

1. One rating on the 2,000 × 40 project (key press → stored with its journal entry,
   committed, rescored, repainted), in a window process of this checkout, alternated
   with the same process running the code before the journal (``--baseline DIR``, by
   default ``main`` unpacked with ``git archive``). Each process rates 300 cells; the
   ratio is the median of the pairs' ratios of medians. This checkout is also measured
   with 100,000 entries already in the journal. Target: under 16 ms.
2. A journal of 100,000 entries: the History panel opened (count + first page), a
   filter by item, hypothesis, kind and date, the next page; and ``hyp-board history``
   (first 200 lines, and all of it as JSON) against ``hyp-board list`` (the command's
   own start-up) in alternated processes.

Run:  uv run python tests/benchmarks/bench_journal.py [--baseline DIR] [--pairs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/: the project factory
sys.path.insert(0, str(Path(__file__).resolve().parent))  # the pairs, and the journal filler

from pairs import ENV, HYP_BOARD, alternate, run_process

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"

# The child: a window on the 2,000 × 40 project, 300 ratings by key press.
RATING_CHILD = r"""
import os, random, statistics, sys, time
from pathlib import Path
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.append(sys.argv[3])  # tests/, for the project factory (after the code measured)
from project_factory import generate
from hyp_board.storage import Store
db, journal_entries = Path(sys.argv[1]), int(sys.argv[2])
if not db.exists():
    pid = generate(db, 2000, 40)
    if journal_entries:
        from bench_journal_fill import fill
        fill(db, pid, journal_entries)
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from hyp_board.ui.app import make_application
from hyp_board.ui.main_window import MainWindow
from hyp_board.ui.matrix_model import FIXED_COLUMNS
from hyp_board.ui.settings import Settings
app = make_application()
store = Store.open(db)
window = MainWindow(store, Settings.open())
window.open_project(store.list_projects()[0].id)
window.resize(1400, 900)
window.show()
app.processEvents()
view, model = window.matrix.view, window.session.model
rng = random.Random(os.getpid())
keys = [Qt.Key.Key_C, Qt.Key.Key_I, Qt.Key.Key_N, Qt.Key.Key_1, Qt.Key.Key_5, Qt.Key.Key_0]
view.setFocus()
times = []
for _ in range(300):
    view.setCurrentIndex(model.index(rng.randrange(30), FIXED_COLUMNS + rng.randrange(40)))
    app.processEvents()
    start = time.perf_counter()
    QTest.keyClick(view, rng.choice(keys))
    app.processEvents()
    times.append(time.perf_counter() - start)
times.sort()
print("median", statistics.median(times), "p95", times[int(len(times) * 0.95)])
window.close()
store.close()
"""


def rating_run(code: Path, db: Path, journal_entries: int = 0) -> tuple[float, float]:
    env = dict(ENV, PYTHONPATH=os.pathsep.join([str(code), str(TESTS / "benchmarks")]))
    env["HYP_BOARD_CONFIG_DIR"] = str(db.parent / "config")
    done = subprocess.run(
        [sys.executable, "-c", RATING_CHILD, str(db), str(journal_entries), str(TESTS)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tempfile.gettempdir(),
        timeout=900,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("median ")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"rating child failed ({done.returncode}): {done.stderr[-2000:]}")
    parts = lines[-1].split()
    return float(parts[1]), float(parts[3])


def baseline_checkout(folder: Path) -> Path:
    """``main``'s package, unpacked: the code before the journal."""
    folder.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "main", "hyp_board", "resources"], capture_output=True, check=True
    )
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.2f} ms"


def timed(step) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    step()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline", type=Path, help="a checkout's folder holding hyp_board (default: main)")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--long-journal-only", action="store_true", help="only part 2")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-journal-"))
    if not args.long_journal_only:
        rating(args, tmp)
    long_journal(args, tmp)
    return 0


def rating(args: argparse.Namespace, tmp: Path) -> None:
    baseline = args.baseline or baseline_checkout(tmp / "baseline")

    # -- 1. the rating path ------------------------------------------------------------------
    ours_db, base_db, long_db = (
        tmp / "ours" / "db.sqlite",
        tmp / "base" / "db.sqlite",
        tmp / "long" / "db.sqlite",
    )
    for db in (ours_db, base_db, long_db):
        db.parent.mkdir()
    ours, base, long = [], [], []
    rating_run(ROOT, ours_db)  # generates the projects, and warms the disk cache
    rating_run(baseline, base_db)
    rating_run(ROOT, long_db, args.entries)
    for _ in range(args.pairs):
        ours.append(rating_run(ROOT, ours_db))
        base.append(rating_run(baseline, base_db))
        long.append(rating_run(ROOT, long_db))
    ratio = statistics.median(o[0] / b[0] for o, b in zip(ours, base, strict=True))
    long_ratio = statistics.median(o[0] / b[0] for o, b in zip(long, base, strict=True))
    print("one rating on 2,000 × 40, key press → committed (with its entry), rescored, repainted:")
    for name, runs in (
        ("before the journal", base),
        ("with the journal", ours),
        (f"with {args.entries:,} entries", long),
    ):
        print(
            f"  {name:<28} median {ms(statistics.median(r[0] for r in runs))}, "
            f"p95 {ms(statistics.median(r[1] for r in runs))}"
        )
    print(
        f"  ratio {ratio:.2f}× (with {args.entries:,} entries: {long_ratio:.2f}×)  target < 16 ms", flush=True
    )


def long_journal(args: argparse.Namespace, tmp: Path) -> None:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from bench_journal_fill import fill

    from hyp_board.core.journal_entries import ChangeKind
    from hyp_board.storage import Store
    from hyp_board.ui.app import make_application
    from hyp_board.ui.history_model import HistoryFilter, HistoryModel

    from project_factory import generate

    db = tmp / "history.sqlite"
    pid = generate(db, 200, 10)
    fill(db, pid, args.entries)
    make_application()
    store = Store.open(db)
    model = HistoryModel()
    steps = {
        "panel opened: count + first page": lambda: model.show_project(store, pid, HistoryFilter()),
        "next page (fetchMore)": lambda: model.fetchMore(),
        "filter: one item (E12)": lambda: model.set_filter(HistoryFilter(item="E12")),
        "filter: one hypothesis (H3)": lambda: model.set_filter(HistoryFilter(hypothesis="H3")),
        "filter: one kind (evidence edited)": lambda: model.set_filter(
            HistoryFilter(kinds=frozenset({ChangeKind.EVIDENCE_FIELD}))
        ),
        "filter: since a date": lambda: model.set_filter(
            HistoryFilter(since=store.journal(pid, limit=1, offset=args.entries // 2)[0].at)
        ),
    }
    print(f"a journal of {store.count_journal(pid):,} entries, in the History panel's model:")
    for name, step in steps.items():
        samples = [timed(step) for _ in range(7)]
        print(f"  {name:<36} median {ms(statistics.median(samples))}  ({model.total:,} matching)")
    store.close()

    env = dict(ENV, HYP_BOARD_DB=str(db))
    start_up = [HYP_BOARD, "list"]
    for name, argv in (
        ("hyp-board history (first 200)", [HYP_BOARD, "history", str(pid), "--limit", "200"]),
        ("hyp-board history --json (all)", [HYP_BOARD, "history", str(pid), "--json"]),
    ):
        pairs = alternate(
            name,
            lambda argv=argv: run_process(argv, env),
            "hyp-board list",
            lambda: run_process(start_up, env),
            5,
        )
        print("  " + pairs.line(), flush=True)


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark: a 2,000 evidence × 40 hypothesis project (80,000 ratings).

Prints, each with its ratio to the baseline where there is one:

* raw baseline: the same rows read with the plain ``sqlite3`` module;
* open + show: with the window running, the project opened (read from the database,
  scored) and its matrix painted; also the cold start (window built from nothing);
* one rating: key press → stored in the database (committed) → rescored → the changed
  cells and scores repainted (the event loop's own repaint, as in the app);
* sensitivity: the "which evidence does the lead rest on" pass, run after edits pause;
* sort and scroll: re-sorting 2,000 rows and repainting after a scroll, with the number
  of database queries they made (must be 0).

Run:  uv run python tests/benchmarks/bench_matrix.py [--evidence 2000 --hypotheses 40]
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/: the project factory

from PySide6.QtCore import QEvent, QObject

from project_factory import generate


def raw_read(path: Path, pid: int) -> float:
    start = time.perf_counter()
    conn = sqlite3.connect(path)
    conn.execute("SELECT * FROM project WHERE id=?", (pid,)).fetchall()
    conn.execute("SELECT * FROM hypothesis WHERE project_id=? ORDER BY position", (pid,)).fetchall()
    conn.execute("SELECT * FROM evidence WHERE project_id=? ORDER BY position", (pid,)).fetchall()
    conn.execute(
        "SELECT r.evidence_id, r.hypothesis_id, r.code, r.reason FROM rating r "
        "JOIN evidence e ON e.id = r.evidence_id WHERE e.project_id=?",
        (pid,),
    ).fetchall()
    conn.close()
    return time.perf_counter() - start


class PaintCounter(QObject):
    """Counts paint events of the widget it watches: proof the matrix was shown."""

    count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--evidence", type=int, default=2000)
    parser.add_argument("--hypotheses", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtTest import QTest
    from sqlalchemy import event

    from hyp_board.core.matrix import EvidenceOrder, Matrix
    from hyp_board.storage import Store
    from hyp_board.ui.app import make_application
    from hyp_board.ui.main_window import MainWindow
    from hyp_board.ui.matrix_model import FIXED_COLUMNS
    from hyp_board.ui.settings import Settings

    tmp = Path(tempfile.mkdtemp())
    os.environ["HYP_BOARD_CONFIG_DIR"] = str(tmp / "config")
    db = tmp / "bench.sqlite"
    t0 = time.perf_counter()
    pid = generate(db, args.evidence, args.hypotheses)
    print(
        f"generated {args.evidence} × {args.hypotheses} = {args.evidence * args.hypotheses:,} ratings "
        f"in {time.perf_counter() - t0:.1f} s ({db.stat().st_size / 1e6:.1f} MB)"
    )
    app = make_application()

    # Each measured run is paired with a raw read taken just before it, under the same
    # machine conditions; ratios are the median of the pairs' ratios.
    raw, raw_for_cold, raw_for_open, load, cold, open_show = [], [], [], [], [], []
    for _ in range(args.repeat):
        raw.append(raw_read(db, pid))
        start = time.perf_counter()
        store = Store.open(db)
        Matrix(store.load_project(pid))
        load.append(time.perf_counter() - start)
        store.close()

    def dispose(w: MainWindow) -> None:
        # Really free the last window: closed windows still hold their projects, and a
        # heap of stale ones would slow every later measurement.
        w.close()
        w.store.close()
        w.deleteLater()
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.collect()

    window = None
    for _ in range(args.repeat):
        if window is not None:
            dispose(window)
        raw_for_cold.append(raw_read(db, pid))
        start = time.perf_counter()
        store = Store.open(db)
        window = MainWindow(store, Settings.open())
        window.open_project(pid)
        window.resize(1400, 900)
        window.show()
        app.processEvents()
        cold.append(time.perf_counter() - start)
    assert window is not None
    small = window.store.create_project("Small")
    paints = PaintCounter()
    for _ in range(args.repeat):
        window.open_project(small)
        app.processEvents()
        raw_for_open.append(raw_read(db, pid))
        window.matrix.view.viewport().installEventFilter(paints)
        paints.count = 0
        start = time.perf_counter()
        window.open_project(pid)
        app.processEvents()  # paints everything that changed, once, as the running app does
        open_show.append(time.perf_counter() - start)
        assert paints.count >= 1, "the matrix was not painted inside the timed span"

    def ratio(samples: list[float], baseline: list[float]) -> float:
        return statistics.median(x / b for x, b in zip(samples, baseline, strict=True))

    all_raw = raw + raw_for_cold + raw_for_open
    print(f"raw sqlite3 read of the same rows:         {median_ms(all_raw):7.1f} ms  (baseline)")
    print(
        f"database opened + project loaded + scored: {median_ms(load):7.1f} ms  ({ratio(load, raw):.2f}× raw)"
    )
    print(
        f"open project in the window + show matrix:  {median_ms(open_show):7.1f} ms  "
        f"({ratio(open_show, raw_for_open):.2f}× raw; target < 500 ms and < 3× raw)"
    )
    cold_ratio = ratio(cold, raw_for_cold)
    print(f"cold start: database + window built + shown: {median_ms(cold):5.1f} ms  ({cold_ratio:.2f}× raw)")

    queries = 0

    def count(*_args: object) -> None:
        nonlocal queries
        queries += 1

    # Counting statements needs the engine, which only storage and its benchmarks may touch.
    event.listen(window.store._engine, "before_cursor_execute", count)
    view, model = window.matrix.view, window.session.model
    rng = random.Random(3)
    keys = [Qt.Key.Key_C, Qt.Key.Key_I, Qt.Key.Key_N, Qt.Key.Key_1, Qt.Key.Key_5, Qt.Key.Key_0]
    window.inspector_dock.raise_()  # in sight, as beside the matrix on a large screen
    view.setFocus()
    rate = []
    for _ in range(300):
        index = model.index(rng.randrange(30), FIXED_COLUMNS + rng.randrange(args.hypotheses))
        view.setCurrentIndex(index)
        # Moving to the cell (inspector, selection) is not part of rating it: its layout
        # settles, as it does before the next key press reaches the window.
        QTest.qWait(20)
        start = time.perf_counter()
        QTest.keyClick(view, rng.choice(keys))  # stored, committed and rescored before it returns
        app.processEvents()  # paints what changed: the cell, its row's diagnosticity, the scores
        rate.append(time.perf_counter() - start)
    rate.sort()
    print(
        f"one rating, key press → committed, rescored, repainted: median {median_ms(rate):.2f} ms, "
        f"p95 {rate[int(len(rate) * 0.95)] * 1000:.2f} ms, max {rate[-1] * 1000:.2f} ms  (target < 16 ms)"
    )

    sens = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        window.session.matrix.sensitivity()
        sens.append(time.perf_counter() - start)
    print(f"sensitivity pass (after edits pause): median {median_ms(sens):.1f} ms")

    queries = 0
    sort_times = []
    for order in (
        EvidenceOrder.DIAGNOSTICITY,
        EvidenceOrder.DATE,
        EvidenceOrder.CREDIBILITY,
        EvidenceOrder.POSITION,
    ):
        start = time.perf_counter()
        model.set_view_options(order, False, False)
        view.viewport().repaint()
        sort_times.append(time.perf_counter() - start)
    scroll_times = []
    bar = view.verticalScrollBar()
    for step in range(60):
        bar.setValue(int(bar.maximum() * step / 59))
        start = time.perf_counter()
        view.viewport().repaint()
        scroll_times.append(time.perf_counter() - start)
    print(
        f"sort 2,000 rows + repaint: median {median_ms(sort_times):.1f} ms; "
        f"scroll repaint: median {median_ms(scroll_times):.2f} ms, max {max(scroll_times) * 1000:.2f} ms; "
        f"database queries during sort and scroll: {queries}"
    )
    dispose(window)
    return 0


if __name__ == "__main__":
    sys.exit(main())

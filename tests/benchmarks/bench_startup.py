"""Benchmark: how long a user waits for the window and for the command line.

Whole processes, each run alternated with its baseline (see ``pairs.py``):

* the window, from the command to its matrix of the sample case painted, against a bare
  PySide6 window (a ``QApplication`` and an empty ``QMainWindow``, shown and painted)
  started the same way (``python -c``); both report the moment of their first paint
  and end there;
* ``hyp-board score --json`` and ``hyp-board list`` on a 2,000 evidence × 40 hypothesis
  database, against ``python -c`` reading the same rows with ``sqlite3``.

Run:  uv sync --compile-bytecode
      env -u PYTHONDONTWRITEBYTECODE uv run python tests/benchmarks/bench_startup.py [--repeat 7]
      (--program PATH/bin/hyp-board times another installed copy, e.g. an earlier checkout's)
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/: the project factory
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pairs import ENV, HYP_BOARD, PYTHON, alternate, run_process, run_until_reported

# Reports the first paint of *widget* once the paint is done (the next turn of the event
# loop), then ends the process at once. The filter is on that widget alone: one on the
# whole application would be called for every event of every widget the window builds,
# thousands of them, and time itself rather than the start.
_REPORT_FIRST_PAINT = """
import os, sys, time
def report_first_paint(widget):
    from PySide6.QtCore import QEvent, QObject, QTimer
    class FirstPaint(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint:
                widget.removeEventFilter(self)
                QTimer.singleShot(0, self.reached)
            return False
        def reached(self):
            print("reached", repr(time.time()), flush=True)
            os._exit(0)
    widget._first_paint = FirstPaint()
    widget.installEventFilter(widget._first_paint)
"""

BARE_WINDOW = (
    _REPORT_FIRST_PAINT
    + """
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1200, 800)
report_first_paint(window)
window.show()
app.exec()
"""
)

# The application's own start (what the ``hyp-board`` command runs), watched from the
# moment the window module is loaded: nothing is imported ahead of the application.
OUR_WINDOW = (
    _REPORT_FIRST_PAINT
    + """
from importlib.machinery import PathFinder
class WatchWindow:  # (importlib.abc would cost more to load than this hook does)
    def find_spec(self, name, path, target=None):
        if name != "hyp_board.ui.main_window":
            return None
        sys.meta_path.remove(self)
        spec = PathFinder.find_spec(name, path)
        run_module = spec.loader.exec_module
        def exec_module(module):
            run_module(module)
            from hyp_board.ui.matrix_view import MatrixView
            made = MatrixView.__init__
            def watched(view, *args, **kwargs):  # (the first matrix view: the window's own)
                made(view, *args, **kwargs)
                MatrixView.__init__ = made
                report_first_paint(view.viewport())
            MatrixView.__init__ = watched
        spec.loader.exec_module = exec_module
        return spec
sys.meta_path.insert(0, WatchWindow())
from hyp_board.cli import main
sys.argv = ["hyp-board", *sys.argv[1:]]
main()
"""
)

RAW_READ = """
import sqlite3, sys
conn = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
pid = int(sys.argv[2])
conn.execute("SELECT * FROM project WHERE id=?", (pid,)).fetchall()
conn.execute("SELECT * FROM hypothesis WHERE project_id=? ORDER BY position", (pid,)).fetchall()
conn.execute("SELECT * FROM evidence WHERE project_id=? ORDER BY position", (pid,)).fetchall()
conn.execute(
    "SELECT r.evidence_id, r.hypothesis_id, r.code, r.reason FROM rating r "
    "JOIN evidence e ON e.id = r.evidence_id WHERE e.project_id=?", (pid,)
).fetchall()
"""

RAW_LIST = """
import sqlite3, sys
conn = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
for row in conn.execute(
    "SELECT p.id, p.title, (SELECT count(*) FROM hypothesis h WHERE h.project_id = p.id), "
    "(SELECT count(*) FROM evidence e WHERE e.project_id = p.id) FROM project p ORDER BY lower(p.title), p.id"
):
    print(*row[:2], sep="\\t")
"""


def check_bytecode() -> None:
    """Measure what users run: with the installed packages' compiled modules."""
    import sqlalchemy

    cached = importlib.util.cache_from_source(sqlalchemy.__file__)
    if not Path(cached).exists():
        sys.exit(
            f"no compiled bytecode for the installed packages ({cached}): run 'uv sync --compile-bytecode'"
        )


def make_sample(path: Path) -> None:
    """A database holding the sample case, as a first start makes it."""
    from hyp_board.startup import add_sample_project
    from hyp_board.storage import Store

    store = Store.open(path)
    add_sample_project(store)
    store.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--only", choices=["window", "cli"], help="run one part")
    parser.add_argument("--program", default=HYP_BOARD, help="the hyp-board command to time")
    args = parser.parse_args()
    program = args.program
    python = str(Path(program).with_name("python"))  # its own interpreter, for the window
    check_bytecode()

    from project_factory import generate

    tmp = Path(tempfile.mkdtemp())
    env = dict(ENV, HYP_BOARD_CONFIG_DIR=str(tmp / "config"), HYP_BOARD_LOG_DIR=str(tmp / "log"))
    sample_db, big_db = tmp / "sample.sqlite", tmp / "big.sqlite"
    make_sample(sample_db)
    pid = str(generate(big_db, 2000, 40))
    results = []
    if args.only in (None, "window"):
        results.append(
            (
                alternate(
                    "window: start → matrix of the sample painted",
                    lambda: run_until_reported([python, "-c", OUR_WINDOW, "--db", str(sample_db)], env),
                    "bare PySide6 window painted",
                    lambda: run_until_reported([PYTHON, "-c", BARE_WINDOW], env),
                    args.repeat,
                ),
                "≤ 3.5×",
            )
        )
    if args.only in (None, "cli"):
        score = [program, "--db", str(big_db), "score", pid, "--json"]
        assert len(json.loads(__import__("subprocess").run(score, capture_output=True, env=env).stdout)) == 40
        results.append(
            (
                alternate(
                    "hyp-board score --json (2,000 × 40)",
                    lambda: run_process(score, env),
                    "python -c: sqlite3 reads its rows",
                    lambda: run_process([PYTHON, "-c", RAW_READ, str(big_db), pid], env),
                    args.repeat,
                ),
                "≤ 3×",
            )
        )
        results.append(
            (
                alternate(
                    "hyp-board list (2,000 × 40 database)",
                    lambda: run_process([program, "--db", str(big_db), "list"], env),
                    "python -c: sqlite3 reads the list",
                    lambda: run_process([PYTHON, "-c", RAW_LIST, str(big_db)], env),
                    args.repeat,
                ),
                "≤ 3×",
            )
        )
    print(f"medians of {args.repeat} pairs, each run alternated with its baseline")
    for pairs, target in results:
        print(pairs.line(target))
    return 0


if __name__ == "__main__":
    sys.exit(main())

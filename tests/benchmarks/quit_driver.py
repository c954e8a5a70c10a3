"""Runs the real window (``run_gui``), does what an analyst does in a short session, then
presses Ctrl+Q on the window and prints when, so a parent process can time the exit.

Used by ``bench_quit.py`` and by the tests (``tests/test_quit.py``); not part of the
application. ``python quit_driver.py DB [--session] [--floor]``: ``--session`` first
makes a new project, switches back, resizes and scrolls the matrix and changes theme;
``--floor`` leaves with ``os._exit`` the moment the window has closed (the time the
operating system itself takes to end the process: the baseline).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from hyp_board.storage import Store
from hyp_board.ui.app import make_application, run_gui
from hyp_board.ui.main_window import MainWindow
from hyp_board.ui.theme import ThemeChoice


def stamp(what: str) -> None:
    print(f"{what} {time.time():.6f}", flush=True)


def main_window() -> MainWindow:
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())


def session_steps(window: MainWindow) -> list[Callable[[], object]]:
    """New project, back to the sample, columns resized and scrolled, theme switched:
    each step in its own turn of the event loop, as a person's actions come (so what
    was deleted after the previous step is gone)."""
    first = window.session.project_id if window.session else 0
    window.messages.ask_text = lambda *_args, **_kw: "A second project"  # type: ignore[method-assign]
    view = window.matrix.view
    return [
        window.actions_.new_project.trigger,
        lambda: view.setColumnWidth(1, 300),
        lambda: window.open_project(first),
        lambda: view.setColumnWidth(1, 260),  # the score rows follow the matrix's widths
        lambda: view.setColumnWidth(view.model().columnCount() - 1, 40),
        lambda: view.horizontalScrollBar().setValue(view.horizontalScrollBar().maximum()),
        lambda: window.set_theme(ThemeChoice.DARK),
        lambda: window.set_theme(ThemeChoice.LIGHT),
    ]


def run_steps(steps: list[Callable[[], object]]) -> None:
    if steps:
        steps[0]()
        QTimer.singleShot(50, lambda: run_steps(steps[1:]))
    else:
        QTimer.singleShot(50, quit_with_ctrl_q)


def quit_with_ctrl_q() -> None:
    window = main_window()
    window.activateWindow()
    QTest.qWaitForWindowActive(window, 2000)
    if "--floor" in sys.argv:
        QApplication.instance().lastWindowClosed.connect(lambda: os._exit(0))  # type: ignore[union-attr]
    stamp("QUIT")
    # Through the window system, as a key pressed by a person reaches the shortcut.
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)


def start() -> None:
    run_steps(session_steps(main_window()) if "--session" in sys.argv else [])


def main() -> int:
    database = Path(sys.argv[1])
    make_application([])
    original_close = Store.close

    def close(self: Store) -> None:
        stamp("STORE_CLOSING")
        original_close(self)
        stamp("STORE_CLOSED")

    Store.close = close  # type: ignore[method-assign]
    QTimer.singleShot(1500, start)
    status = run_gui(database)
    stamp("RETURNED")
    return status


if __name__ == "__main__":
    sys.exit(main())

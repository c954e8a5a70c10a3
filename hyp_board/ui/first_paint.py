"""Work that waits for the window's first paint.

At start the user waits for the matrix; what they do not see yet can wait until it is
painted (or, should the window never be painted, a few seconds).
"""

from __future__ import annotations

import gc
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

AT_LATEST_MS = 3000


class AfterFirstPaint(QObject):
    """Calls *action* once, right after *widget* has first been painted."""

    def __init__(self, widget: QWidget, action: Callable[[], None], at_latest_ms: int = AT_LATEST_MS) -> None:
        super().__init__(widget)
        self._widget = widget
        self._action: Callable[[], None] | None = action
        self._at_latest = QTimer(self, singleShot=True, interval=at_latest_ms)
        self._at_latest.timeout.connect(self.run_now)
        self._at_latest.start()
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() == QEvent.Type.Paint:
            self._widget.removeEventFilter(self)
            QTimer.singleShot(0, self, self.run_now)  # once the whole first paint is done
        return False

    def run_now(self) -> None:
        """Run it now if it has not run (also when the start ends before any paint)."""
        self._at_latest.stop()
        self._widget.removeEventFilter(self)
        action, self._action = self._action, None
        if action is not None:
            action()


def collect_garbage_again() -> None:
    """End the start's pause of the cycle collector (see ``cli``): what the start built
    (modules, classes, the window) lives as long as the program, so it is frozen out
    of every later collection rather than walked again and again."""
    gc.freeze()
    gc.enable()

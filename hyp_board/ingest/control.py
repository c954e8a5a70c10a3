"""Progress, cancelling and a time limit for a long import (a 500-page PDF).

The reader calls :meth:`ImportControl.step` as it goes; the window's worker thread
passes callables that report progress and say whether Cancel was pressed; the
command line passes none and gets the time limit alone.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

MAX_IMPORT_SECONDS = 120.0


class ImportCancelled(Exception):
    """The analyst cancelled the import; nothing of it is stored."""


class ImportTooSlow(Exception):
    """The file took longer to read than :data:`MAX_IMPORT_SECONDS`."""


@dataclass
class ImportControl:
    on_progress: Callable[[int, int], None] | None = None  # (done, total)
    is_cancelled: Callable[[], bool] | None = None
    seconds: float = MAX_IMPORT_SECONDS
    _deadline: float = field(default=0.0, init=False)

    def start(self) -> None:
        self._deadline = time.monotonic() + self.seconds

    def step(self, done: int, total: int) -> None:
        """Report progress; raises when cancelled or out of time."""
        if self.is_cancelled is not None and self.is_cancelled():
            raise ImportCancelled
        if self._deadline and time.monotonic() > self._deadline:
            raise ImportTooSlow
        if self.on_progress is not None:
            self.on_progress(done, total)

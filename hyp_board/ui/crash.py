"""Unexpected errors: logged with their traceback and told to the user, instead of
vanishing (the Windows build has no console) or killing the window."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path
from types import TracebackType

from hyp_board.ui.messages import Messages

log = logging.getLogger(__name__)


class ExceptionHandler:
    """Installed as ``sys.excepthook`` (exceptions in Qt slots end there) and for
    threads; :meth:`uninstall` puts the previous hooks back."""

    def __init__(self, messages: Messages, log_file: Path | None) -> None:
        self.messages = messages
        self._log_file = log_file
        self._showing = False
        self._previous = (sys.excepthook, threading.excepthook)

    def install(self) -> None:
        sys.excepthook = self.handle
        threading.excepthook = lambda args: self.handle(args.exc_type, args.exc_value, args.exc_traceback)

    def uninstall(self) -> None:
        sys.excepthook, threading.excepthook = self._previous

    def handle(
        self, kind: type[BaseException], error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error or kind(), trace)
            return
        log.critical("Unexpected error", exc_info=(kind, error or kind(), trace))
        if self._showing or threading.current_thread() is not threading.main_thread():
            return  # one dialog at a time, and never from a worker thread
        where = (
            f"The details were written to {self._log_file}; please include that file when you report it."
            if self._log_file
            else "The log could not be written, so the details are lost."
        )
        self._showing = True
        try:
            self.messages.error(
                f"Something unexpected went wrong: {kind.__name__}: {error}",
                "Every edit made before this one is saved. " + where,
            )
        finally:
            self._showing = False

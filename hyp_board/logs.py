"""What happened, written down: a rotating log file in the platform's log folder.

The window has no console on Windows, so the log is where an unexpected error can be
found afterwards; its location is shown to the user when one happens.
"""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from hyp_board.paths import log_dir

LOG_FILE = "hyp-board.log"
MAX_BYTES = 1_000_000
KEPT_FILES = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Send the application's log records to the log file; returns its path, or None
    when the folder cannot be written (the application works on without a log)."""
    path = log_dir() / LOG_FILE
    root = logging.getLogger("hyp_board")
    for handler in root.handlers:
        if isinstance(handler, RotatingFileHandler) and Path(handler.baseFilename) == path:
            return path  # already set up (a second window in the same process, tests)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=KEPT_FILES, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
    return path

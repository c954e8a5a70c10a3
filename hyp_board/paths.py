"""Where things live: the database, settings and the bundled resources."""

from __future__ import annotations

import os
import sys
from pathlib import Path

DB_ENV = "HYP_BOARD_DB"
CONFIG_ENV = "HYP_BOARD_CONFIG_DIR"


def default_database() -> Path:
    """``--db`` beats ``$HYP_BOARD_DB`` beats the per-user data folder."""
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    import appdirs  # only here: `--db` or the variable make it unneeded

    return Path(appdirs.user_data_dir("hyp-board", appauthor=False)) / "hyp-board.sqlite"


def config_dir() -> Path:
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env).expanduser()
    import appdirs

    return Path(appdirs.user_config_dir("hyp-board", appauthor=False))


def resources_dir() -> Path:
    """The bundled resources: inside the package when installed or frozen, else the checkout's."""
    here = Path(__file__).resolve().parent
    for candidate in (
        Path(getattr(sys, "_MEIPASS", here)) / "hyp_board" / "resources",
        here / "resources",
        here.parent / "resources",
    ):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the application's resources folder is missing; reinstall Hypothesis Board")


LOG_ENV = "HYP_BOARD_LOG_DIR"


def log_dir() -> Path:
    """Where the log is written: ``$HYP_BOARD_LOG_DIR``, else the platform's log folder."""
    env = os.environ.get(LOG_ENV)
    if env:
        return Path(env).expanduser()
    import appdirs

    return Path(appdirs.user_log_dir("hyp-board", appauthor=False))

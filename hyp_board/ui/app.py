"""Starting the window: the application object, the database, and what to do when the
database cannot be used."""

from __future__ import annotations

import logging
import sys
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from hyp_board import APP_ID, APP_NAME, __version__
from hyp_board.logs import setup_logging
from hyp_board.startup import open_store
from hyp_board.storage import (
    CorruptDatabaseError,
    DatabaseError,
    Store,
    backup_path,
    make_backup,
    restore_backup,
    set_aside,
)
from hyp_board.ui.crash import ExceptionHandler
from hyp_board.ui.messages import Choice, Messages, Role
from hyp_board.ui.settings import Settings

BACKUP_DELAY_MS = 3000
log = logging.getLogger(__name__)


def make_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    app = (
        existing
        if isinstance(existing, QApplication)
        else QApplication(argv if argv is not None else sys.argv[:1])
    )
    # Configured whoever created it (tests create theirs first).
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("hyp-board")
    app.setDesktopFileName(APP_ID)
    app.setStyle("Fusion")  # the same look everywhere, and a dark palette that works
    from hyp_board.ui.about import app_icon

    app.setWindowIcon(app_icon())
    return app


def open_store_interactively(db_path: Path, messages: Messages) -> Store | None:
    """Open the database, asking the user what to do if it is damaged or unusable.

    Nothing is ever deleted: a damaged file is renamed beside itself.
    """
    while True:
        try:
            return open_store(db_path)
        except CorruptDatabaseError as exc:
            if not _offer_recovery(db_path, exc, messages):
                return None
        except DatabaseError as exc:
            messages.error(str(exc), "Hypothesis Board will close.")
            return None
        except OSError as exc:
            messages.error(f"Cannot open the database {db_path}:", exc.strerror or str(exc))
            return None


def _offer_recovery(db_path: Path, exc: CorruptDatabaseError, messages: Messages) -> bool:
    backup = backup_path(db_path)
    choices = []
    if backup.exists():
        stamp = datetime.fromtimestamp(backup.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
        choices.append(Choice("restore", f"Restore Backup of {stamp}", Role.ACCEPT))
    choices += [
        Choice("fresh", "Start a New Database", Role.DESTRUCTIVE),
        Choice("quit", "Quit", Role.REJECT),
    ]
    answer = messages.choose(
        "The project database is damaged.",
        f"{exc}\n\nThe damaged file will be kept, renamed beside the original, whatever you choose.",
        choices,
        icon=QMessageBox.Icon.Critical,
    )
    if answer == "restore":
        kept = restore_backup(db_path)
    elif answer == "fresh":
        kept = set_aside(db_path)
    else:
        return False
    messages.info("The damaged database was kept as:", str(kept))
    return True


def run_gui(db_path: Path, files: list[Path] | None = None) -> int:
    log_file = setup_logging()
    log.info("Hypothesis Board %s starting on %s", __version__, db_path)
    app = make_application()
    messages = Messages()
    crashes = ExceptionHandler(messages, log_file)
    crashes.install()
    store = open_store_interactively(db_path, messages)
    if store is None:
        return 2
    from hyp_board.ui.main_window import MainWindow

    window = MainWindow(store, Settings.open(), messages)  # from now on, dialogs belong to it
    window.open_initial_project()
    if window.start_maximized:
        window.showMaximized()
    else:
        window.show()
    if files:
        QTimer.singleShot(0, lambda: window.import_files(files))
    # A snapshot of a database that just passed its integrity check, for recovery.
    QTimer.singleShot(BACKUP_DELAY_MS, lambda: _backup_quietly(store))
    status = app.exec()
    store.close()
    crashes.uninstall()
    log.info("Closed with status %s", status)
    return status


def _backup_quietly(store: Store) -> None:
    try:
        make_backup(store.engine, backup_path(store.path))
    except OSError as exc:
        log.warning("Could not write a backup: %s", exc)

"""Starting the window: the application object, the database, and what to do when the
database cannot be used."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from hyp_board import APP_ID, APP_NAME, __version__
from hyp_board.paths import config_dir
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

BACKUP_DELAY_MS = 3000


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


def open_settings() -> QSettings:
    """Window layout and view choices, in an ini file under the config folder."""
    return QSettings(str(config_dir() / "settings.ini"), QSettings.Format.IniFormat)


def open_store_interactively(db_path: Path) -> Store | None:
    """Open the database, asking the user what to do if it is damaged or unusable.

    Nothing is ever deleted: a damaged file is renamed beside itself.
    """
    while True:
        try:
            return open_store(db_path)
        except CorruptDatabaseError as exc:
            if not _offer_recovery(db_path, exc):
                return None
        except DatabaseError as exc:
            QMessageBox.critical(None, APP_NAME, f"{exc}\n\nHypothesis Board will close.")
            return None
        except OSError as exc:
            QMessageBox.critical(None, APP_NAME, f"Cannot open the database {db_path}:\n{exc}")
            return None


def _offer_recovery(db_path: Path, exc: CorruptDatabaseError) -> bool:
    backup = backup_path(db_path)
    box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, "The project database is damaged.")
    box.setInformativeText(
        f"{exc}\n\nThe damaged file will be kept, renamed beside the original, whatever you choose."
    )
    restore = None
    if backup.exists():
        stamp = datetime.fromtimestamp(backup.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
        restore = box.addButton(f"Restore Backup of {stamp}", QMessageBox.ButtonRole.AcceptRole)
    fresh = box.addButton("Start a New Database", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    if restore is not None and clicked is restore:
        kept = restore_backup(db_path)
    elif clicked is fresh:
        kept = set_aside(db_path)
    else:
        return False
    QMessageBox.information(None, APP_NAME, f"The damaged database was kept as:\n{kept}")
    return True


def run_gui(db_path: Path, files: list[Path] | None = None) -> int:
    app = make_application()
    store = open_store_interactively(db_path)
    if store is None:
        return 2
    from hyp_board.ui.main_window import MainWindow

    window = MainWindow(store, open_settings())
    window.open_initial_project()
    window.show()
    if files:
        QTimer.singleShot(0, lambda: window.import_files(files))
    # A snapshot of a database that just passed its integrity check, for recovery.
    QTimer.singleShot(BACKUP_DELAY_MS, lambda: _backup_quietly(store))
    status = app.exec()
    store.close()
    return status


def _backup_quietly(store: Store) -> None:
    try:
        make_backup(store.engine, backup_path(store.path))
    except OSError as exc:
        print(f"hyp-board: could not write a backup: {exc}", file=sys.stderr)

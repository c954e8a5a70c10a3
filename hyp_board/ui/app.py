"""Starting the window: the application object, the database, and what to do when the
database cannot be used."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from hyp_board import APP_ID, APP_NAME, __version__
from hyp_board.logs import setup_logging
from hyp_board.startup import open_store
from hyp_board.storage import (
    BackgroundBackup,
    BackupOutcome,
    CorruptDatabaseError,
    DatabaseError,
    Store,
    list_backups,
    restore,
    set_aside,
)
from hyp_board.ui.crash import ExceptionHandler
from hyp_board.ui.messages import Choice, Messages, Role
from hyp_board.ui.settings import Settings
from hyp_board.ui.single_instance import SingleInstance

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
    backups = list_backups(db_path)
    choices = []
    if backups:
        choices.append(Choice("restore", f"Restore Backup of {backups[0].describe()}", Role.ACCEPT))
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
        kept = restore(db_path, backups[0], "damaged")
    elif answer == "fresh":
        kept = set_aside(db_path)
    else:
        return False
    messages.info("The damaged database was kept as:", str(kept))
    return True


def report_unanswered(db_path: Path) -> int:
    """Another window holds the database but did not take the files: say so."""
    make_application()
    Messages().error(
        "Hypothesis Board is already open on this database, but it does not answer.",
        f"{db_path}\n\nSwitch to that window, or close it and try again.",
    )
    return 1


def run_gui(db_path: Path, files: list[Path] | None = None, instance: SingleInstance | None = None) -> int:
    """The window on *db_path*, opening *files*; *instance* is this process's claim on
    the database (see :func:`~hyp_board.ui.single_instance.open_window`)."""
    log_file = setup_logging()
    log.info("Hypothesis Board %s starting on %s", __version__, db_path)
    app = make_application()
    messages = Messages()
    if instance is None:
        instance = SingleInstance(db_path)
        if not instance.claim():
            return report_unanswered(db_path)
    instance.listen()
    crashes = ExceptionHandler(messages, log_file)
    crashes.install()
    store = open_store_interactively(db_path, messages)
    if store is None:
        instance.release()
        return 2
    from hyp_board.ui.main_window import MainWindow

    window = MainWindow(store, Settings.open(), messages)  # from now on, dialogs belong to it
    window.open_initial_project()
    window.show()
    if files:
        window.open_files(files)

    def take_over(handed: list[Path]) -> None:  # what a later launch on this database gave
        window.bring_to_front()
        window.open_files(handed)

    instance.set_handler(take_over)
    backup = BackgroundBackup(store.path, _backup_done)
    backup.start()
    status = app.exec()
    backup.cancel()
    store.close()
    instance.release()
    crashes.uninstall()
    log.info("Closed with status %s", status)
    return status


def _backup_done(outcome: BackupOutcome) -> None:
    if outcome.failure:
        log.warning("%s", outcome.failure)

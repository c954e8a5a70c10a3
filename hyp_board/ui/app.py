"""Starting the window: the application object, the database, and what to do when the
database cannot be used."""

from __future__ import annotations

import logging
import sys
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from hyp_board import APP_ID, APP_NAME, __version__
from hyp_board.logs import setup_logging
from hyp_board.startup import open_store
from hyp_board.storage import (
    Backup,
    CorruptDatabaseError,
    DatabaseError,
    is_missing,
    list_backups,
    restore,
    set_aside,
    write_access,
)
from hyp_board.storage.deferred_store import DeferredStore
from hyp_board.ui.crash import ExceptionHandler
from hyp_board.ui.database_guard import DatabaseGuard
from hyp_board.ui.first_paint import AfterFirstPaint, collect_garbage_again
from hyp_board.ui.messages import Choice, Messages, Role
from hyp_board.ui.settings import Settings
from hyp_board.ui.single_instance import SingleInstance

if TYPE_CHECKING:
    from hyp_board.storage import Store
    from hyp_board.ui.main_window import MainWindow

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
    from hyp_board.ui.icons import app_icon  # (not the About dialog's module: not needed at start)

    app.setWindowIcon(app_icon())
    return app


def open_store_interactively(db_path: Path, messages: Messages) -> Store | None:
    """Open the database, asking the user what to do when it cannot be used as it is.

    Nothing is ever deleted: a damaged or empty file is renamed beside itself. A
    missing or empty database that has backups is never replaced by a new one without
    asking; one that cannot be written is opened for viewing if the user agrees.

    A database in good order is opened in two steps (see ``DeferredStore``): the window
    is painted from it before the store itself is opened.
    """
    deferred = DeferredStore.try_open(db_path)
    if deferred is not None:
        return deferred
    ask_about_backups = True
    while True:
        try:
            if ask_about_backups and is_missing(db_path) and list_backups(db_path):
                answer = _offer_backup_for_missing(db_path, messages)
                if answer is None:
                    return None
                ask_about_backups = False
                continue
            store = open_store(db_path)
        except CorruptDatabaseError as exc:
            if not _offer_recovery(db_path, exc, messages):
                return None
            continue
        except DatabaseError as exc:
            messages.error("The project database cannot be opened.", f"{exc}\n\nHypothesis Board will close.")
            return None
        if store.read_only is not None and not _accept_read_only(store, messages):
            store.close()
            return None
        return store


def _offer_backup_for_missing(db_path: Path, messages: Messages) -> str | None:
    """The database is gone or empty but has backups: restore one, or start afresh?"""
    backups = list_backups(db_path)
    newest = backups[0]
    if db_path.exists():
        text, where = "The project database is empty.", f"{db_path} is empty (0 bytes)"
    else:
        text, where = "The project database is missing.", f"There is no database at {db_path}"
    count = "a backup" if len(backups) == 1 else f"{len(backups)} backups"
    answer = messages.choose(
        text,
        f"{where}, but there is {count} of it, the newest from {newest.describe()}.\n\n"
        "Restore the newest backup, or start afresh with a new database holding the sample "
        "case? The backups are kept either way.",
        [
            Choice("restore", f"Restore Backup of {newest.describe()}", Role.ACCEPT),
            Choice("fresh", "Start Afresh", Role.DESTRUCTIVE),
            Choice("quit", "Quit", Role.REJECT),
        ],
        default="restore",
        icon=QMessageBox.Icon.Warning,
    )
    if answer == "restore":
        restore(db_path, newest)  # a DatabaseError (read-only folder…) is the caller's to show
        log.info("restored %s from the backup of %s", db_path, newest.describe())
    elif answer == "fresh":
        if db_path.exists() or db_path.with_name(db_path.name + "-wal").exists():
            set_aside(db_path, "empty")  # nothing in it, but never deleted
    else:
        return None
    return answer


def _offer_recovery(db_path: Path, exc: CorruptDatabaseError, messages: Messages) -> bool:
    access = write_access(db_path)
    if not access.folder_writable:
        messages.error(
            "The project database is damaged.",
            f"{exc}\n\nNeither a backup nor a new database can take its place: {access.problem}. "
            "Make the folder writable (or copy the database to one that is, and open it with "
            "--db) and start Hypothesis Board again. Hypothesis Board will close.",
        )
        return False
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
    try:
        if answer == "restore":
            kept = restore(db_path, backups[0], "damaged")
        elif answer == "fresh":
            kept = set_aside(db_path)
        else:
            return False
    except DatabaseError as error:  # a read-only folder, a full disk: nothing was changed
        messages.error("The damaged database was left as it is.", f"{error}\n\nHypothesis Board will close.")
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


def _accept_read_only(store: Store, messages: Messages) -> bool:
    """The database cannot be written: view it read-only, or quit?"""
    reason = f"{store.path} cannot be changed: {store.read_only}."
    if store.is_empty():
        messages.error("The project database cannot be changed, and holds no project.", reason)
        return False
    answer = messages.choose(
        "The project database can only be read.",
        f"{reason}\n\nYou can look at your projects and export them, but not change them. To work "
        "on them, make the database writable (or copy it to a folder you can write to and open "
        "it with --db) and start Hypothesis Board again.",
        [Choice("view", "View Read-Only", Role.ACCEPT), Choice("quit", "Quit", Role.REJECT)],
        default="view",
        icon=QMessageBox.Icon.Warning,
    )
    return answer == "view"


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
    from hyp_board.ui.main_window import MainWindow

    status = 2
    while True:
        messages.window = None  # dialogs before the window exists stand alone
        store = open_store_interactively(db_path, messages)
        if store is None:
            break
        window = MainWindow(store, Settings.open(), messages)  # from now on, dialogs belong to it
        guard = DatabaseGuard(store, window, messages)
        window.open_initial_project()
        first_paint = AfterFirstPaint(window, partial(_after_first_paint, store, window, messages))
        if window.start_maximized:
            window.showMaximized()
        else:
            window.show()
        if files:
            window.open_files(files)
            files = None
        instance.set_handler(partial(_take_over, window))
        guard.start_backup_after_first_paint()  # in the background: the window does not wait
        status = app.exec()
        first_paint.run_now()  # (if the window closed before it was ever painted)
        guard.stop()
        store.close()
        if guard.restore_requested is None:
            break
        messages.window = None
        restore_damaged(db_path, guard.restore_requested, messages)
        window.deleteLater()
    instance.release()
    crashes.uninstall()
    log.info("Closed with status %s", status)
    return status


def _after_first_paint(store: Store, window: MainWindow, messages: Messages) -> None:
    """The window is painted: open the store if that waited for it (a turn of the event
    loop later, so that what else waited for the paint goes first), then give the
    cycle collector back (paused by the command line for the start: see cli)."""
    if not isinstance(store, DeferredStore):
        collect_garbage_again()
        return

    def open_store() -> None:
        try:
            store.open_now()
        except DatabaseError as exc:  # (checked a moment ago: only another program can have changed it)
            messages.error("The project database cannot be opened.", f"{exc}\n\nHypothesis Board will close.")
            window.close()
        collect_garbage_again()

    QTimer.singleShot(0, window, open_store)


def _take_over(window: MainWindow, handed: list[Path]) -> None:
    """What a later launch on this database gave: to the window open now."""
    window.bring_to_front()
    window.open_files(handed)


def restore_damaged(db_path: Path, backup: Backup, messages: Messages) -> None:
    """Put *backup* in place of the damaged database (closed by now), keeping it."""
    try:
        kept = restore(db_path, backup, "damaged")
    except DatabaseError as exc:
        messages.error("The backup was not restored.", str(exc))
        return
    messages.info(
        f"The backup of {backup.describe()} was restored. The damaged database was kept as:", str(kept)
    )

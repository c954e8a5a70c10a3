"""Watching over the open database while the window runs.

- The full check and the backup run in a thread once the window has first been
  painted (the thread would otherwise compete with the first paint for the
  interpreter); what they find
  is reported here, in the window's thread: damage the quick start-up check missed
  (with the offer to restore the newest backup), or why no backup could be made.
- The journal files are checked every few seconds; if another program deleted them,
  the store saves what they held and the user is told.
- A database open read-only says so, for as long as the window is open.
"""

from __future__ import annotations

import logging
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox

from hyp_board.storage import BackgroundBackup, Backup, BackupOutcome, list_backups
from hyp_board.ui.first_paint import AfterFirstPaint
from hyp_board.ui.messages import Choice, Messages, Role

if TYPE_CHECKING:
    from hyp_board.storage import Store

log = logging.getLogger(__name__)

JOURNAL_CHECK_MS = 5000
# The backup starts this long after start at the latest, should the window not be
# painted (started minimised, or on a screen that never shows it).
BACKUP_AT_LATEST_MS = 3000


class DatabaseGuard(QObject):
    # Emitted from the backup thread; Qt delivers it in the window's thread.
    backup_finished = Signal(object)

    def __init__(self, store: Store, window: QMainWindow, messages: Messages) -> None:
        super().__init__(window)
        self._store = store
        self._window = window
        self._messages = messages
        # Set when the user chose to replace a damaged database with a backup: the
        # window closes, and the application restores it and opens the window again.
        self.restore_requested: Backup | None = None
        self._backup: BackgroundBackup | None = None
        self.backup_finished.connect(self._backup_done)
        store.on_warning = self._warn_soon
        self._journal_timer = QTimer(self)
        self._journal_timer.timeout.connect(store.check_journal)
        self._journal_timer.start(JOURNAL_CHECK_MS)
        self._stopped = False
        self.banner: QLabel | None = None
        if store.read_only is not None:
            self._show_read_only(store.read_only)

    def start_backup(self) -> None:
        """Check the database completely and back it up, in the background."""
        if self._store.read_only is not None:
            return  # it cannot have changed since the last backup, nor can one be written beside it
        self._backup = BackgroundBackup(self._store.path, self.backup_finished.emit)
        self._backup.start()

    def start_backup_after_first_paint(self) -> None:
        """:meth:`start_backup`, once the window has been painted for the first time."""
        self._after_paint = AfterFirstPaint(self._window, self._start_backup_once, BACKUP_AT_LATEST_MS)

    def _start_backup_once(self) -> None:
        if self._backup is None and not self._stopped:
            self.start_backup()

    def stop(self) -> None:
        self._stopped = True
        self._journal_timer.stop()
        # What closing the store still finds goes to the log: the window is going.
        self._store.on_warning = lambda message: log.warning("%s", message)
        if self._backup is not None:
            self._backup.cancel()

    # -- what the background work found ----------------------------------------------------
    def _backup_done(self, outcome: BackupOutcome) -> None:
        if outcome.damage:
            self._offer_restore(outcome.damage)
        elif outcome.failure:
            self._messages.warning(
                "No backup of the database was made this time.",
                f"{outcome.failure}\n\nYour work is saved as usual; only the backup is missing.",
            )
        elif outcome.backup is not None:
            self._messages.status("Database checked and backed up")

    def _offer_restore(self, damage: list[str]) -> None:
        path = self._store.path
        found = "\n".join(f"• {line}" for line in damage[:5])
        more = f"\n… and {len(damage) - 5} more" if len(damage) > 5 else ""
        detail = f"The full check of {path} found:\n{found}{more}\n\nNo backup was made from it."
        backups = list_backups(path)
        if not backups:
            self._messages.error(
                "The project database is damaged.",
                f"{detail} There is no earlier backup to restore: export your projects "
                "(File → Export Project File…) while they can still be read.",
            )
            return
        newest = backups[0]
        answer = self._messages.choose(
            "The project database is damaged.",
            f"{detail}\n\nRestore the newest backup, of {newest.describe()}? Changes made since then "
            "are not in it. The damaged file is kept, renamed beside the original.",
            [
                Choice("restore", f"Restore Backup of {newest.describe()}", Role.ACCEPT),
                Choice("keep", "Keep Working", Role.REJECT),
            ],
            default="restore",
            icon=QMessageBox.Icon.Critical,
        )
        if answer == "restore":
            self.restore_requested = newest
            self._window.close()

    # -- the journal and read-only ---------------------------------------------------------
    def _warn_soon(self, message: str) -> None:
        # Not inside the edit that noticed it: once that edit has finished.
        QTimer.singleShot(0, lambda: self._messages.warning("The database journal was deleted.", message))

    def _show_read_only(self, reason: str) -> None:
        self.banner = QLabel("Read-only: changes cannot be saved")
        # The same amber in light and dark themes: it must stand out from both.
        self.banner.setStyleSheet(
            "QLabel { background: #f2c230; color: #1a1a1a; font-weight: bold; padding: 2px 8px; }"
        )
        # Markup of our own, with the path and reason escaped: never taken for markup.
        self.banner.setToolTip(f"<p>{escape(str(self._store.path))}<br>{escape(reason)}</p>")
        self._window.statusBar().addPermanentWidget(self.banner)

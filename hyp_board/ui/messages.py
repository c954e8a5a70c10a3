"""The one way the window speaks to the user: errors, warnings, information, questions
and status lines.

Every module of the UI gets a :class:`Messages` in its constructor instead of calling
``QMessageBox`` itself, so that

- what the user reads is always plain text (a label or a file name is never taken for
  markup, whatever it holds);
- what went wrong is also written to the log;
- tests script the answers to questions through a double instead of patching Qt.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QInputDialog, QLineEdit, QMainWindow, QMessageBox, QWidget

from hyp_board import APP_NAME

log = logging.getLogger(__name__)

STATUS_MS = 8000


class Role(Enum):
    """Where a button of a question stands, and what Esc and Enter do with it."""

    ACCEPT = QMessageBox.ButtonRole.AcceptRole
    ACTION = QMessageBox.ButtonRole.ActionRole
    DESTRUCTIVE = QMessageBox.ButtonRole.DestructiveRole
    REJECT = QMessageBox.ButtonRole.RejectRole


@dataclass(frozen=True)
class Choice:
    """One answer to a question: *key* is what :meth:`Messages.choose` returns."""

    key: str
    label: str
    role: Role = Role.ACCEPT


class Messages:
    """Speaks to the user through dialogs and the status bar; the application's only
    ``QMessageBox``.

    Dialogs belong to :attr:`window` and short notes go to its status bar; before the
    window exists (at start-up) dialogs stand alone and notes go to the log only.
    """

    def __init__(self, window: QMainWindow | None = None) -> None:
        self.window = window

    # -- telling ---------------------------------------------------------------------
    def error(self, text: str, detail: str = "") -> None:
        """Something the user asked for did not happen."""
        log.error("%s %s", text, detail)
        self._box(QMessageBox.Icon.Critical, text, detail)

    def warning(self, text: str, detail: str = "") -> None:
        """It happened, or nothing was harmed, but the user should know something."""
        log.warning("%s %s", text, detail)
        self._box(QMessageBox.Icon.Warning, text, detail)

    def info(self, text: str, detail: str = "") -> None:
        log.info("%s %s", text, detail)
        self._box(QMessageBox.Icon.Information, text, detail)

    def status(self, text: str, timeout_ms: int = STATUS_MS) -> None:
        """A short note in the status bar (0: until the next one)."""
        if text:
            log.info("%s", text)
        if self.window is not None:
            self.window.statusBar().showMessage(text, timeout_ms)

    def clear_status(self) -> None:
        if self.window is not None:
            self.window.statusBar().clearMessage()

    # -- asking ----------------------------------------------------------------------
    def choose(
        self,
        text: str,
        detail: str,
        choices: Sequence[Choice],
        default: str | None = None,
        title: str = APP_NAME,
        icon: QMessageBox.Icon = QMessageBox.Icon.Question,
    ) -> str | None:
        """Ask the user to pick one of *choices*; None when the dialog is closed."""
        box = self._make_box(icon, text, detail, title)
        buttons: dict[QAbstractButton, str] = {}
        for choice in choices:
            button = box.addButton(choice.label, choice.role.value)
            buttons[button] = choice.key
            if choice.key == default:
                box.setDefaultButton(button)
        box.exec()
        return buttons.get(box.clickedButton())

    def confirm(
        self,
        text: str,
        detail: str = "",
        action: str = "OK",
        destructive: bool = False,
        title: str = APP_NAME,
    ) -> bool:
        """Ask before doing *action*; the safe answer (Cancel) is the default for
        destructive actions."""
        role = Role.DESTRUCTIVE if destructive else Role.ACCEPT
        choices = [Choice("yes", action, role), Choice("no", "Cancel", Role.REJECT)]
        icon = QMessageBox.Icon.Warning if destructive else QMessageBox.Icon.Question
        answer = self.choose(text, detail, choices, "no" if destructive else "yes", title, icon)
        return answer == "yes"

    def ask_text(self, title: str, label: str, text: str = "") -> str | None:
        """One line of text from the user, stripped; None when cancelled or blank."""
        value, ok = QInputDialog.getText(self.window, title, label, QLineEdit.EchoMode.Normal, text)
        value = value.strip()
        return value if ok and value else None

    # -- dialogs ---------------------------------------------------------------------
    def _box(self, icon: QMessageBox.Icon, text: str, detail: str) -> None:
        self._make_box(icon, text, detail, APP_NAME).exec()

    def _make_box(self, icon: QMessageBox.Icon, text: str, detail: str, title: str) -> QMessageBox:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, self.window)
        # QMessageBox guesses rich text from what it is given; a label or a file name
        # from a colleague's project must never be taken for markup.
        box.setTextFormat(Qt.TextFormat.PlainText)
        if detail:
            box.setInformativeText(detail)
            label = box.findChild(QWidget, "qt_msgbox_informativelabel")
            if label is not None and hasattr(label, "setTextFormat"):
                label.setTextFormat(Qt.TextFormat.PlainText)
        return box

"""What-if mode in the window: the toggle, the bar above the matrix, Apply and Discard.

While it is on, ratings, inclusion, credibility and relevance change in memory only
(see :mod:`hyp_board.core.what_if`); the matrix shows those values [in brackets], and
scores and the analysis follow. Apply makes them real as one undo step; Discard puts
the originals back and the database was never written.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from hyp_board.ui.current_project import CurrentProject
from hyp_board.ui.messages import Choice, Messages, Role
from hyp_board.ui.project_session import ProjectSession


class WhatIfBar(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("what-if-bar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        # The tooltip colours: set apart from the matrix in either theme.
        self.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
        self.setForegroundRole(QPalette.ColorRole.ToolTipText)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.apply_button = QPushButton("&Apply")
        self.apply_button.setToolTip("Make the provisional changes real, as one undo step")
        self.discard_button = QPushButton("&Discard")
        self.discard_button.setToolTip("Put every original value back; nothing was saved")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.apply_button)
        layout.addWidget(self.discard_button)

    def show_count(self, count: int) -> None:
        changes = (
            f"{count} provisional change{'' if count == 1 else 's'}" if count else "no provisional change yet"
        )
        self.text.setText(
            f"What-if mode: {changes}, shown [in brackets]. Try ratings, inclusion, credibility "
            "and relevance; scores and the analysis follow. Nothing is saved until you apply."
        )
        self.apply_button.setEnabled(count > 0)


class WhatIfController(QObject):
    def __init__(
        self,
        current: CurrentProject,
        action: QAction,
        messages: Messages,
        matrix_area: QWidget,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._current = current
        self._action = action
        self._messages = messages
        self.bar = WhatIfBar()
        self.bar.hide()
        layout = matrix_area.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, self.bar)
        self.bar.apply_button.clicked.connect(self.apply)
        self.bar.discard_button.clicked.connect(self.discard)
        action.toggled.connect(self._toggled)
        current.opened.connect(self._opened)

    @property
    def _session(self) -> ProjectSession | None:
        return self._current.session

    def _opened(self, session: ProjectSession) -> None:
        session.what_if_changed.connect(self._update)
        self._update()

    def _toggled(self, on: bool) -> None:
        session = self._session
        if session is None:
            self._update()
            return
        if on:
            session.begin_what_if()
        elif session.what_if is not None:
            self._end(session)

    def _end(self, session: ProjectSession) -> None:
        """Leaving what-if mode with provisional changes: apply, discard, or stay."""
        what_if = session.what_if
        if what_if is None or not what_if.count:
            session.discard_what_if()
            return
        n = what_if.count
        answer = self._messages.choose(
            f"Apply the {n} provisional change{'' if n == 1 else 's'}?",
            "Apply makes them real (one undo step); Discard puts every original value back.",
            [
                Choice("apply", "Apply"),
                Choice("discard", "Discard", Role.DESTRUCTIVE),
                Choice("stay", "Keep Trying", Role.REJECT),
            ],
            "apply",
        )
        if answer == "apply":
            session.apply_what_if()
        elif answer == "discard":
            session.discard_what_if()
        self._update()

    def apply(self) -> None:
        if self._session is not None:
            self._session.apply_what_if()

    def discard(self) -> None:
        if self._session is not None:
            self._session.discard_what_if()

    def _update(self) -> None:
        session = self._session
        what_if = session.what_if if session is not None else None
        self._action.blockSignals(True)
        self._action.setChecked(what_if is not None)
        self._action.blockSignals(False)
        self.bar.setVisible(what_if is not None)
        if what_if is not None:
            self.bar.show_count(what_if.count)

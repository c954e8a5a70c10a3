"""The project open in the window, shared by the controllers that act on it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from hyp_board.core.matrix import Change
from hyp_board.ui.messages import Messages
from hyp_board.ui.project_session import ProjectSession

if TYPE_CHECKING:
    from hyp_board.storage import Store


class CurrentProject(QObject):
    """Opens projects and passes on what happens to the open one.

    Controllers hold this object, not a session: the session is replaced whenever
    another project is opened, and :attr:`opened` tells them so.
    """

    opened = Signal(object)  # the new ProjectSession
    changed = Signal(object)  # a Change made to the open project
    # (the session, why): the open project must be read again from the database
    reload_needed = Signal(object, str)

    def __init__(self, store: Store, messages: Messages, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._messages = messages
        self.session: ProjectSession | None = None

    def open(self, project_id: int) -> ProjectSession:
        old = self.session
        session = ProjectSession(self.store, project_id, self)
        session.changed.connect(self.changed.emit)
        session.error.connect(self._messages.warning)
        session.reload_needed.connect(lambda why, s=session: self.reload_needed.emit(s, why))
        self.session = session
        self.opened.emit(session)
        if old is not None:
            old.deleteLater()
        return session

    def notify_all(self) -> None:
        """Tell every view to show the whole project afresh."""
        self.changed.emit(Change(rows=True, columns=True, scores=True, project=True))

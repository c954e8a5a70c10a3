"""How the conclusion moved, in the window: the chart of each hypothesis's weighted
inconsistency over the recorded changes, with the changes of lead explained.

A tab of the History panel, worked out only while it is shown, a moment after edits pause, and from the most
recent :data:`MOST_CHANGES` changes at most. The journal is read whole once per project;
after that only the entries added since are read, so an edit costs the replay alone
(about 0.3 s for 20,000 changes, 0.5 ms to read what an edit added; see
tests/benchmarks/bench_snapshots.py).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from hyp_board.core.conclusion_history import ConclusionHistory, conclusion_history
from hyp_board.core.journal_entries import JournalEntry
from hyp_board.core.matrix import Change
from hyp_board.storage import DatabaseError
from hyp_board.ui.chart_widgets import ChartWidget
from hyp_board.ui.current_project import CurrentProject
from hyp_board.ui.project_session import ProjectSession

log = logging.getLogger(__name__)
MOST_CHANGES = 20_000
DELAY_MS = 600


class ConclusionPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.chart = ChartWidget("history")
        inner = QWidget()
        column = QVBoxLayout(inner)
        column.addWidget(self.status)
        column.addWidget(self.chart)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.on_shown = lambda: None
        self.show_history(None)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.on_shown()

    def show_history(self, history: ConclusionHistory | None, shortened: bool = False) -> None:
        if history is None:
            self.status.setText("How the conclusion moved appears here once a project is open.")
            self.chart.set_data(None)
            return
        changes = max(len(history.points) - 1, 0)
        text = f"{changes} change{'s' if changes != 1 else ''} that moved a score"
        if shortened:
            text += f" among the last {MOST_CHANGES:,} recorded"
        self.status.setText(text + ".")
        self.chart.set_data(history)


class ConclusionController(QObject):
    """Keeps the panel up to date with the open project and its journal."""

    def __init__(
        self, current: CurrentProject, panel: ConclusionPanel, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._current = current
        self._panel = panel
        self._timer = QTimer(self, singleShot=True, interval=DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self._stale = True
        self.history: ConclusionHistory | None = None
        self._entries: list[JournalEntry] = []  # the open project's, newest first
        self._entries_of = 0  # the project they belong to
        current.opened.connect(lambda _session: self._schedule())
        current.changed.connect(self._changed)
        panel.on_shown = self._shown

    def _changed(self, change: Change) -> None:
        if change.scores or change.rows or change.columns or change.evidence:
            self._schedule()

    def _schedule(self) -> None:
        self._stale = True
        if self._panel.isVisible():
            self._timer.start()

    def _shown(self) -> None:
        if self._stale:
            self._timer.start(0)

    def refresh(self) -> None:
        session: ProjectSession | None = self._current.session
        if session is None:
            self._panel.show_history(None)
            return
        try:
            entries = self._read(session)
        except DatabaseError as exc:
            log.warning("the journal could not be read: %s", exc)
            self._panel.status.setText(f"The recorded changes could not be read: {exc}")
            return
        shortened = len(entries) > MOST_CHANGES
        self.history = conclusion_history(session.matrix, entries[:MOST_CHANGES])
        self._panel.show_history(self.history, shortened)
        self._stale = False

    def _read(self, session: ProjectSession) -> list[JournalEntry]:
        """The journal, newest first: whole the first time, then what was added since."""
        store, project_id = session.store, session.project_id
        if self._entries_of != project_id or not self._entries:
            self._entries = store.journal(project_id, limit=MOST_CHANGES + 1)
            self._entries_of = project_id
            return self._entries
        newest = self._entries[0]
        fresh = [e for e in store.journal(project_id, since=newest.at) if e.id > newest.id]
        self._entries = (fresh + self._entries)[: MOST_CHANGES + 1]
        return self._entries

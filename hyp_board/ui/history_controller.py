"""The History panel in the window: follows the open project, shows what an entry is
about in the matrix, reverts changes and keeps the analyst's reasons.

The journal is read again only while the panel is shown, and at most a few times a
second however fast the edits come (a count and one page, on indexed columns).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QObject, QTimer
from PySide6.QtWidgets import QDockWidget

from hyp_board.core.editor import EditError
from hyp_board.core.journal_entries import JournalEntry, ref_number
from hyp_board.core.matrix import Change
from hyp_board.storage import DatabaseError
from hyp_board.ui.current_project import CurrentProject
from hyp_board.ui.history_panel import HistoryPanel
from hyp_board.ui.matrix_controller import MatrixController
from hyp_board.ui.messages import Messages
from hyp_board.ui.project_session import ProjectSession

if TYPE_CHECKING:
    from hyp_board.storage import Store

log = logging.getLogger(__name__)

RELOAD_DELAY_MS = 250


class HistoryController(QObject):
    def __init__(
        self,
        store: Store,
        current: CurrentProject,
        panel: HistoryPanel,
        dock: QDockWidget,
        matrix: MatrixController,
        show_document: Callable[[int], None],
        messages: Messages,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._current = current
        self._panel = panel
        self._dock = dock
        self._matrix = matrix
        self._show_document = show_document
        self._messages = messages
        self._stale = True  # the journal changed since it was last read
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_DELAY_MS)
        self._reload_timer.timeout.connect(self.reload)
        current.opened.connect(self._opened)
        current.changed.connect(self._changed)
        dock.visibilityChanged.connect(self._visibility_changed)
        panel.filter_changed.connect(self.reload)
        panel.item_choice.about_to_open.connect(self._list_items)
        panel.table.selectionModel().selectionChanged.connect(self._selection_changed)
        panel.revert_requested.connect(self.revert_selected)
        panel.revert_command_requested.connect(self.revert_selected_command)
        panel.reason_requested.connect(self.add_reason)

    @property
    def _session(self) -> ProjectSession | None:
        return self._current.session

    # -- following the project ---------------------------------------------------------------
    def _opened(self, session: ProjectSession) -> None:
        self._panel.set_items([])
        self._show_hypotheses(session)
        self._stale = True
        if self._dock.isVisible():
            self.reload()
        else:
            self._panel.model.show_project(None, 0)  # nothing of the last project stays shown

    def _changed(self, change: Change) -> None:
        session = self._session
        if session is None:
            return
        if change.columns:
            self._show_hypotheses(session)
        self._stale = True
        if self._dock.isVisible():
            self._reload_timer.start()  # edits in quick succession: one reading

    def _visibility_changed(self, visible: bool) -> None:
        if visible and self._stale:
            self.reload()

    def _show_hypotheses(self, session: ProjectSession) -> None:
        self._panel.set_hypotheses([(h.ref, h.label) for h in session.matrix.hypotheses])

    def reload(self) -> None:
        """Read the journal afresh with the panel's filters (the newest page)."""
        self._reload_timer.stop()
        session = self._session
        try:
            self._panel.model.show_project(
                self._store if session else None,
                session.project_id if session else 0,
                self._panel.current_filter(),
            )
        except DatabaseError as exc:
            self._messages.warning(str(exc))
            return
        self._stale = False
        self._panel.show_count()
        self._panel.show_selection(None)

    def _list_items(self) -> None:
        session = self._session
        if session is not None:
            try:
                self._panel.set_items(self._store.journal_items(session.project_id))
            except DatabaseError as exc:
                log.warning("listing the journal's items: %s", exc)

    # -- the entry chosen --------------------------------------------------------------------
    def selected_entry(self) -> JournalEntry | None:
        row = self._panel.selected_row()
        return None if row is None else self._panel.model.entry(row)

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        entry = self.selected_entry()
        session = self._session
        if entry is None or session is None:
            self._panel.show_selection(None)
            return
        try:
            group_size = (
                self._store.count_journal(session.project_id, group=entry.group) if entry.group else 1
            )
        except DatabaseError:
            group_size = 1
        self._panel.show_selection(group_size)
        self.show_item(entry)

    def show_item(self, entry: JournalEntry) -> None:
        """Select in the matrix (or the documents) what *entry* is about, if it is still there."""
        session = self._session
        if session is None:
            return
        m = session.matrix
        evidence = next((e for e in m.evidence if e.number == ref_number(entry.item, "E")), None)
        hypothesis_ref = entry.hypothesis or entry.item
        hypothesis = next((h for h in m.hypotheses if h.number == ref_number(hypothesis_ref, "H")), None)
        document = ref_number(entry.item, "D")
        if evidence is not None:
            if hypothesis is not None:
                self._matrix.select_evidence(evidence.id, session.model.column_of(hypothesis.id))
            else:
                self._matrix.select_evidence(evidence.id)
        elif hypothesis is not None and m.evidence:
            row_item = self._matrix.current_evidence() or session.model.evidence_id(0)
            self._matrix.select_evidence(row_item, session.model.column_of(hypothesis.id))
        elif document is not None:
            self._show_document(document)

    # -- acting on it --------------------------------------------------------------------------
    def revert_selected(self) -> None:
        entry = self.selected_entry()
        if entry is not None:
            self._revert([entry])

    def revert_selected_command(self) -> None:
        entry = self.selected_entry()
        session = self._session
        if entry is None or session is None:
            return
        try:
            entries = self._store.journal(session.project_id, group=entry.group) if entry.group else [entry]
        except DatabaseError as exc:
            self._messages.warning(str(exc))
            return
        self._revert(entries)

    def _revert(self, entries: list[JournalEntry]) -> None:
        session = self._session
        if session is None:
            return
        if session.revert(entries):
            self._messages.status(f"Reverted: {session.undo_stack.text(session.undo_stack.index() - 1)}")
            self.reload()  # at once: the revert is the newest entry, and the one to see

    def add_reason(self) -> None:
        row = self._panel.selected_row()
        if row is None:
            return
        entry = self._panel.model.entry(row)
        reason = self._messages.ask_text(
            f"Reason for the change to {entry.target}", "Why was this change made?", entry.reason
        )
        if reason is None:
            return
        try:
            self._store.set_journal_reason(entry.id, reason)
        except (DatabaseError, EditError) as exc:
            self._messages.warning(
                str(exc) if isinstance(exc, DatabaseError) else f"The reason was not saved: {exc}."
            )
            return
        self._panel.model.replace_entry(row, replace(entry, reason=reason))

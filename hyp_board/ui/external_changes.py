"""Changes other programs make to the database: noticed, and shown.

The command line, a script or an older copy of the application may write to the
database while the window is open. A cheap timer asks SQLite whether anything was
committed since it last looked (``PRAGMA data_version``: no table is read, whatever
the size of the projects); only then is the project list compared, and the open
project's revision. A project changed elsewhere is read afresh, keeping the current
and selected cells and the document shown, and the status bar says so. An edit that
was refused because the project had changed (see :class:`~hyp_board.storage.Store`)
is explained in a dialog, and the project read afresh the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from hyp_board.ui.current_project import CurrentProject
from hyp_board.ui.matrix_view import MatrixView
from hyp_board.ui.messages import Messages
from hyp_board.ui.project_session import ProjectSession
from hyp_board.ui.projects_controller import ProjectsController
from hyp_board.ui.reading_pane import ReadingPane

if TYPE_CHECKING:
    from hyp_board.storage import Store

log = logging.getLogger(__name__)

POLL_MS = 1500  # while the application is active; on becoming active, at once
MAX_KEPT_SELECTION = 10_000  # selected cells found again after a reload; the rest are let go

CellKey = tuple[int, int | None, int]  # evidence id, hypothesis id (None: a fixed column), column


class Place(NamedTuple):
    """Where the analyst was, by item ids, to find it again in the project read afresh."""

    current: CellKey | None
    selected: list[CellKey]
    document: int  # shown in the reading pane (0: none)


class ExternalChanges(QObject):
    def __init__(
        self,
        store: Store,
        current: CurrentProject,
        projects: ProjectsController,
        matrix_view: MatrixView,
        reading_pane: ReadingPane,
        show_document: Callable[[int], None],
        messages: Messages,
        flush_editors: Callable[[], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._current = current
        self._projects = projects
        self._view = matrix_view
        self._pane = reading_pane
        self._show_document = show_document
        self._messages = messages
        self._flush_editors = flush_editors
        self._version = store.data_version()
        self._listing = self._project_listing()
        self._last_refused: ProjectSession | None = None
        self._timer = QTimer(self, interval=POLL_MS)
        self._timer.timeout.connect(self.check)
        # Queued: the refusal arrives from inside an edit or an undo, which must finish
        # before the session that made it is replaced.
        current.reload_needed.connect(self._edit_refused, Qt.ConnectionType.QueuedConnection)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._application_state)
            self._application_state(app.applicationState())

    def _application_state(self, state: Qt.ApplicationState) -> None:
        # Nobody edits a window that is not active; look again the moment it is.
        if state == Qt.ApplicationState.ApplicationActive:
            self.check()
            self._timer.start()
        else:
            self._timer.stop()

    # -- noticing --------------------------------------------------------------------------
    def check(self) -> None:
        """Bring the window up to date with what was committed since the last look."""
        if QApplication.activeModalWidget() is not None or QApplication.activePopupWidget() is not None:
            # A dialog, a menu or a progress bar is working on the project as it is
            # shown: look again once it is closed.
            return
        version = self._store.data_version()
        if version is None or version == self._version:
            return
        self._version = version  # this window's own edits move it too
        listing = self._project_listing()
        if listing != self._listing:
            self._listing = listing
            self._projects.refresh_list()
        session = self._current.session
        if session is None or not self._store.changed_elsewhere(session.project_id):
            return
        # Whatever is being typed is offered to the store first: refused there (the
        # project changed), it is explained, not silently replaced.
        self._flush_editors()
        if self._current.session is session:
            title = session.matrix.project.title
            if self.reload(session):
                self._messages.status(
                    f"“{title}” was changed by another program: it is shown as it is now "
                    "(undo history cleared).",
                    0,
                )

    def _project_listing(self) -> list[tuple[int, str, int, int]]:
        return [(p.id, p.title, p.hypotheses, p.evidence) for p in self._store.list_projects()]

    def _edit_refused(self, session: ProjectSession, why: str) -> None:
        if session is not self._last_refused:  # several refused at once: one dialog
            self._last_refused = session
            self._messages.warning(why)
        if session is self._current.session:  # not yet read afresh
            self.reload(session)

    # -- reading afresh --------------------------------------------------------------------
    def reload(self, session: ProjectSession) -> bool:
        """Open the session's project again from the database, keeping the analyst's
        place; False if it is gone (deleted elsewhere) and another was opened."""
        project_id, title = session.project_id, session.matrix.project.title
        if self._store.project_revision(project_id) is None:
            self._messages.warning(
                f"The project “{title}” was deleted by another program.", "Another project is shown instead."
            )
            self._projects.open_initial()
            return False
        place = self._place(session)
        log.info("Reading project %s afresh", project_id)
        self._current.open(project_id)
        self._restore(place)
        return True

    def _place(self, session: ProjectSession) -> Place:
        model = session.model

        def key(index: QModelIndex) -> CellKey:
            # A hypothesis column by its id (columns may come and go); a fixed one by number.
            return model.evidence_id(index.row()), model.hypothesis_id(index.column()), index.column()

        current = self._view.currentIndex()
        selected = self._view.selectionModel().selectedIndexes()[:MAX_KEPT_SELECTION]
        return Place(
            key(current) if current.isValid() else None,
            [key(i) for i in selected],
            self._pane.document_id if self._pane.isVisible() else 0,
        )

    def _restore(self, place: Place) -> None:
        session = self._current.session
        if session is None:
            return
        model, matrix = session.model, session.matrix
        hypotheses = {h.id for h in matrix.hypotheses}

        def index(key: CellKey | None) -> QModelIndex:
            row = model.row_of(key[0]) if key else None
            if key is None or row is None:
                return QModelIndex()
            _, hid, column = key
            if hid is None:
                return model.index(row, column)
            return model.index(row, model.column_of(hid)) if hid in hypotheses else QModelIndex()

        selection = QItemSelection()
        for found in map(index, place.selected):
            if found.isValid():
                selection.select(found, found)
        flags = QItemSelectionModel.SelectionFlag
        current = index(place.current)
        if current.isValid():
            self._view.selectionModel().setCurrentIndex(current, flags.NoUpdate)
            self._view.scrollTo(current)
        self._view.selectionModel().select(selection, flags.ClearAndSelect)
        if place.document and matrix.has_document(place.document):
            self._show_document(place.document)

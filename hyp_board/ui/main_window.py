"""The main window: lays out the matrix, the inspector, the documents and their reading
pane, and composes the controllers that act on them.

The window holds no project, file or document logic of its own: each controller gets
what it uses in its constructor, and the window wires their signals together.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSize, Qt, QTimer
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
    QResizeEvent,
    QUndoGroup,
)
from PySide6.QtWidgets import QLabel, QMainWindow, QToolBar, QWidget

from hyp_board import APP_NAME
from hyp_board.core.matrix import Change, EvidenceOrder
from hyp_board.core.model import Evidence
from hyp_board.ui import settings as keys
from hyp_board.ui.actions import WindowActions
from hyp_board.ui.analysis_controller import AnalysisController
from hyp_board.ui.conclusion_panel import ConclusionController, ConclusionPanel
from hyp_board.ui.current_project import CurrentProject
from hyp_board.ui.documents_controller import DocumentsController
from hyp_board.ui.external_changes import ExternalChanges
from hyp_board.ui.files_controller import ProjectFilesController
from hyp_board.ui.history_controller import HistoryController
from hyp_board.ui.hypotheses_in_rows import HypothesesInRows
from hyp_board.ui.matrix_columns import Column
from hyp_board.ui.matrix_controller import MatrixController
from hyp_board.ui.matrix_delegates import KEYS_TOOLTIP, RatingDelegate
from hyp_board.ui.messages import Messages
from hyp_board.ui.method_controller import MethodController
from hyp_board.ui.panels import WIDE_SCREEN, Panels
from hyp_board.ui.project_session import ProjectSession
from hyp_board.ui.projects_controller import ProjectsController
from hyp_board.ui.settings import Settings
from hyp_board.ui.theme import ThemeChoice, apply_theme
from hyp_board.ui.what_if_controller import WhatIfController

if TYPE_CHECKING:  # the dialogs, the document readers: loaded when first used, not at start
    from hyp_board.storage import Store
    from hyp_board.ui.analysis_panel import AnalysisPanel
    from hyp_board.ui.rate_across import RateAcrossDialog
    from hyp_board.ui.snapshots_dialog import SnapshotsDialog


class MainWindow(QMainWindow):
    def __init__(self, store: Store, settings: Settings, messages: Messages | None = None) -> None:
        super().__init__()
        self.store = store
        self.settings = settings
        self.messages = messages or Messages()
        self.messages.window = self
        self.setWindowTitle(APP_NAME)
        self.start_maximized = False  # a first start on a laptop screen
        self.setAcceptDrops(True)  # project files and documents dropped on the window are opened
        self.current = CurrentProject(store, self.messages, self)
        # The window reacts first to a newly opened project (undo stack, title), then
        # the controllers, which connect after it.
        self.current.opened.connect(self._project_opened)
        self.undo_group = QUndoGroup(self)
        self.actions_ = WindowActions(self)
        self.panels = Panels(self, settings, self.actions_.import_documents, self.actions_.paste_document)
        p = self.panels
        self.inspector, self.inspector_dock = p.inspector, p.inspector_dock
        self.project_panel, self.project_dock = p.project_panel, p.project_dock
        self.documents_panel, self.documents_dock = p.documents_panel, p.documents_dock
        self.reading_pane, self.reading_dock = p.reading_pane, p.reading_dock
        self.analysis_dock = p.analysis_dock  # (its panel: built when first shown)
        self.history_panel, self.history_dock = p.history_panel, p.history_dock
        self.matrix = MatrixController(
            self.current, self.actions_, self.messages, self.inspector, self.inspector_dock, self
        )
        self.setCentralWidget(self.matrix.widget)
        self.rows_view = HypothesesInRows(
            self.current, self.matrix, self.actions_.hypotheses_in_rows, settings, self
        )
        self.projects = ProjectsController(
            store, self.current, settings, self.messages, self.flush_editors, self
        )
        self.files = ProjectFilesController(
            store, self.current, settings, self.messages, self.projects.open, self.flush_editors, self
        )
        self.documents = DocumentsController(
            self.current,
            settings,
            self.messages,
            self.matrix,
            self.documents_panel,
            self.reading_pane,
            self.reading_dock,
            self.inspector,
            self.inspector_dock,
            self,
        )
        self.analysis = AnalysisController(self.current, self)
        p.analysis_panel_built.connect(self.analysis.attach)
        self.history = HistoryController(
            store,
            self.current,
            self.history_panel,
            self.history_dock,
            self.matrix,
            self.documents.show_document,
            self.messages,
            self,
        )
        # How the conclusion moved, from the change journal: a tab of the History panel.
        self.conclusion_panel = ConclusionPanel()
        self.history_panel.tabs.addTab(self.conclusion_panel, "How the Conclusion Moved")
        self.conclusion = ConclusionController(self.current, self.conclusion_panel, self)
        self.what_if = WhatIfController(
            self.current, self.actions_.what_if, self.messages, self.matrix.widget, self
        )
        self.current.opened.connect(lambda _session: self._project_shown())
        self.snapshots_dialog: SnapshotsDialog | None = None
        self.current.opened.connect(lambda _session: self._close_snapshots())  # it showed the old project
        self.current.changed.connect(self._on_change)
        self.external_changes = ExternalChanges(
            store,
            self.current,
            self.projects,
            self.matrix.view,
            self.reading_pane,
            self.documents.show_document,
            self.messages,
            self.flush_editors,
            self,
        )
        self.undo_action = undo = self.undo_group.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = redo = self.undo_group.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.actions_.build_menus(
            undo,
            redo,
            [p.show_sources, p.show_inspector, p.show_history, p.focus_matrix],
            [d.toggleViewAction() for d in p.docks],
        )
        self.method = MethodController(self, p.checklist)  # after the menus: it adds its own
        self._build_toolbar(undo, redo)
        self._connect_actions()
        self._restore_settings()

    # -- layout ----------------------------------------------------------------------------
    def _build_toolbar(self, undo, redo) -> None:  # type: ignore[no-untyped-def]
        toolbar = QToolBar("Main", self)
        toolbar.setObjectName("main-toolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addWidget(QLabel(" Project: "))
        toolbar.addWidget(self.projects.combo)
        toolbar.addSeparator()
        self.actions_.build_toolbar(toolbar, undo, redo)
        toolbar.addWidget(QLabel(" Sort: "))
        toolbar.addWidget(self.matrix.sort_combo)
        self.addToolBar(toolbar)

    def _connect_actions(self) -> None:
        a = self.actions_
        p, f, d = self.projects, self.files, self.documents
        a.new_project.triggered.connect(p.new_project)
        a.open_sample.triggered.connect(p.open_sample)
        a.rename_project.triggered.connect(p.rename_project)
        a.duplicate_project.triggered.connect(p.duplicate_project)
        a.delete_project.triggered.connect(p.delete_project)
        a.open_file.triggered.connect(f.choose_files_to_open)
        a.compare_file.triggered.connect(f.choose_file_to_compare)
        a.snapshots.triggered.connect(self.show_snapshots)
        a.take_snapshot.triggered.connect(self._take_snapshot)
        for kind, action in (
            ("hypboard", a.export_file),
            ("pdf", a.export_pdf),
            ("csv", a.export_csv),
            ("markdown", a.export_markdown),
            ("achz", a.export_achz),
        ):
            action.triggered.connect(lambda _=False, kind=kind: f.export(kind))
        a.print_preview.triggered.connect(f.print_preview)
        a.import_documents.triggered.connect(d.choose_documents)
        a.paste_document.triggered.connect(d.paste_document)
        a.find_in_document.triggered.connect(d.find_in_document)
        a.add_evidence.triggered.connect(self._add_evidence)
        a.quit.triggered.connect(self.close)
        a.theme_group.triggered.connect(lambda act: self.set_theme(ThemeChoice(act.data())))
        a.rate_across.triggered.connect(self.rate_across)
        a.mark_blind.toggled.connect(self._mark_blind)
        a.show_keys.triggered.connect(lambda: self.messages.info(_plain(KEYS_TOOLTIP)))
        a.about.triggered.connect(self._show_about)
        self.project_panel.edit.connect(p.edit_project)
        self.projects.created.connect(self._write_question)

    def _show_about(self) -> None:
        from hyp_board.ui.about import AboutDialog

        AboutDialog(self.store.path, self).exec()

    def show_snapshots(self) -> SnapshotsDialog | None:
        """The open project's snapshots (one dialog at a time; it closes with the project)."""
        if self.session is None:
            return None
        self.flush_editors()
        if self.snapshots_dialog is not None:
            self.snapshots_dialog.close()
        from hyp_board.ui.snapshots_dialog import SnapshotsDialog

        self.snapshots_dialog = SnapshotsDialog(
            self.session, self.settings, self.messages, self.files.compare_with, self.projects.open, self
        )
        self.snapshots_dialog.show()
        return self.snapshots_dialog

    def _take_snapshot(self) -> None:
        dialog = self.show_snapshots()
        if dialog is not None:
            dialog.take()

    def _close_snapshots(self) -> None:
        if self.snapshots_dialog is not None:
            self.snapshots_dialog.close()
            self.snapshots_dialog.deleteLater()
            self.snapshots_dialog = None

    @property
    def analysis_panel(self) -> AnalysisPanel:
        return self.panels.analysis_panel

    # -- the open project ------------------------------------------------------------------
    @property
    def session(self) -> ProjectSession | None:
        return self.current.session

    def open_project(self, project_id: int) -> None:
        self.projects.open(project_id)

    def open_initial_project(self) -> None:
        self.projects.open_initial()

    def _project_opened(self, session: ProjectSession) -> None:
        old = self.undo_group.activeStack()
        self.undo_group.addStack(session.undo_stack)
        self.undo_group.setActiveStack(session.undo_stack)
        if old is not None:
            self.undo_group.removeStack(old)

    def _project_shown(self) -> None:
        """Every controller has taken the new project: show all of it."""
        assert self.session is not None
        self.project_panel.show_project(self.session.matrix)
        self.current.notify_all()
        self.matrix.show_first_cell()

    def _on_change(self, change: Change) -> None:
        session = self.session
        if session is None:
            return
        if change.project:
            self.project_panel.show_project(session.matrix)
            self.setWindowTitle(f"{session.matrix.project.title} — {APP_NAME}")
        m = session.matrix
        h, e = len(m.hypotheses), len(m.evidence)
        saved = "Read-only" if self.store.read_only is not None else "All changes saved"
        self.statusBar().showMessage(
            f"{saved} · {h} hypothes{'i' if h == 1 else 'e'}s · {e} evidence item{'' if e == 1 else 's'}"
        )

    def _add_evidence(self) -> None:
        # With a passage selected in the reading pane, Ctrl+E makes it the quote.
        if self.reading_pane.text.hasFocus() and self.reading_pane.take_selection():
            return
        if self.rows_view.shown:  # no summary cell to type in: the inspector's field
            if self.matrix.insert_evidence_below_current(Evidence("New evidence")) is not None:
                self.inspector_dock.show()
                self.inspector_dock.raise_()
                self.inspector.evidence_page.summary.setFocus()
                self.inspector.evidence_page.summary.selectAll()
            return
        self.matrix.add_evidence()

    def rate_across(self) -> RateAcrossDialog | None:
        """Rate-across mode, over the window (so the matrix is out of sight); the item
        rated last is selected in the matrix when it is left."""
        session = self.session
        if session is None:
            return None
        if session.what_if is not None:
            self.messages.warning("Apply or discard the what-if first: ratings made across are kept.")
            return None
        self.flush_editors()
        from hyp_board.ui.rate_across import RateAcrossDialog

        dialog = RateAcrossDialog(session, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setGeometry(self.geometry())
        dialog.finished.connect(lambda _r, d=dialog: self._left_rate_across(d))
        self.current.opened.connect(dialog.reject)  # another project: this round is over
        dialog.open()
        return dialog

    def _left_rate_across(self, dialog: RateAcrossDialog) -> None:
        self.current.opened.disconnect(dialog.reject)
        eid = dialog.round.current
        if self.session is dialog.session and eid is not None and self.session.matrix.has_evidence(eid):
            column = self.matrix.view.currentIndex().column()
            self.matrix.select_evidence(eid, column if column >= 0 else Column.SUMMARY)
            self.matrix.view.setFocus()

    def _mark_blind(self, on: bool) -> None:
        RatingDelegate.mark_blind = on
        self.settings.set(keys.MARK_BLIND, on)
        self.matrix.legend.refresh_colours()
        for view in (self.matrix.view, self.rows_view.view):
            view.viewport().update()

    def _write_question(self) -> None:
        self.project_dock.raise_()
        self.project_panel.question.setFocus()

    def flush_editors(self) -> None:
        """Commit whatever is being typed before the project changes under it."""
        focus = QGuiApplication.focusObject()
        if isinstance(focus, QWidget):
            focus.clearFocus()

    def set_theme(self, choice: ThemeChoice) -> None:
        self.actions_.theme_actions[choice].setChecked(True)
        apply_theme(choice)
        self.settings.set(keys.THEME, choice.value)
        self.actions_.refresh_icons()

    # -- files dropped on the window, or given on the command line -----------------------------
    def open_files(self, paths: list[Path]) -> None:
        """Documents join the open project; anything else is taken for a project file.

        Queued, so the caller (a drop, a second launch handing its files over) is not
        kept waiting on dialogs.
        """
        from hyp_board.ingest.importer import DOCUMENT_SUFFIXES

        documents = [p for p in paths if p.suffix.lower() in DOCUMENT_SUFFIXES]
        projects = [p for p in paths if p.suffix.lower() not in DOCUMENT_SUFFIXES]
        if documents:
            QTimer.singleShot(0, lambda: self.import_documents(documents))
        if projects:
            QTimer.singleShot(0, lambda: self.import_files(projects))

    def bring_to_front(self) -> None:
        """Show the window above the others (another launch on this database asked)."""
        self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        self.show()
        self.raise_()
        self.activateWindow()

    def import_files(self, paths: list[Path]) -> None:
        """Project files (from the command line or a drop): imported, the last one opened."""
        self.files.import_files(paths)

    def import_documents(self, paths: list[Path]) -> None:
        self.documents.import_documents(paths)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if not paths:
            return
        event.acceptProposedAction()
        self.open_files(paths)

    # -- settings and closing ----------------------------------------------------------------
    def _restore_settings(self) -> None:
        geometry = self.settings.get(keys.GEOMETRY)
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.first_start_layout()
        state = self.settings.get(keys.WINDOW_STATE)
        if not state.isEmpty():
            self.restoreState(state)
        self.panels.restore_focus_state()
        self.set_theme(ThemeChoice(self.settings.get(keys.THEME)))
        order = EvidenceOrder(self.settings.get(keys.ORDER))
        self.actions_.sort_actions[order].setChecked(True)
        self.matrix.sort_combo.setCurrentIndex(self.matrix.sort_combo.findData(order.value))
        self.actions_.hide_non_diagnostic.setChecked(self.settings.get(keys.HIDE_NON_DIAGNOSTIC))
        self.actions_.hide_excluded.setChecked(self.settings.get(keys.HIDE_EXCLUDED))
        self.actions_.mark_blind.setChecked(self.settings.get(keys.MARK_BLIND))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # The project list shows more of the title where the toolbar has room for it.
        self.projects.combo.setMinimumContentsLength(34 if self.width() >= WIDE_SCREEN - 100 else 18)

    def first_start_layout(self, available: QSize | None = None) -> None:
        """Size the window and arrange the panels for the screen it starts on.

        A laptop screen gets the whole of it (the window starts maximised) with the
        panels tabbed on one side, so the sample's every hypothesis column shows; a
        large screen gets most of it, with panels on both sides.
        """
        if available is None:
            screen = self.screen() or QGuiApplication.primaryScreen()
            available = screen.availableGeometry().size() if screen else QSize(1400, 860)
        if available.width() < WIDE_SCREEN:
            self.start_maximized = True
            self.resize(available)
        else:
            self.start_maximized = False
            self.resize(min(1800, int(available.width() * 0.92)), min(1050, int(available.height() * 0.9)))
        self.panels.arrange_for(available)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.flush_editors()
        self.analysis.wait(5000)
        s = self.settings
        s.set(keys.GEOMETRY, QByteArray(self.saveGeometry()))
        s.set(keys.WINDOW_STATE, QByteArray(self.saveState()))
        s.set(keys.ORDER, self.matrix.order().value)
        s.set(keys.HIDE_NON_DIAGNOSTIC, self.actions_.hide_non_diagnostic.isChecked())
        s.set(keys.HIDE_EXCLUDED, self.actions_.hide_excluded.isChecked())
        s.sync()
        super().closeEvent(event)


def _plain(markup: str) -> str:
    """The rating keys' tooltip (our own markup) as plain lines for a dialog."""
    return markup.replace("<br>", "\n").replace("<b>", "").replace("</b>", "")

"""The main window: the matrix with its scores, the inspector, the documents and their
reading pane, and project switching."""

from __future__ import annotations

from PySide6.QtCore import (
    QByteArray,
    QItemSelectionModel,
    QModelIndex,
    QPoint,
    QSettings,
    Qt,
    QTimer,
)
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QUndoGroup
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from hyp_board import APP_NAME
from hyp_board.core.matrix import Change, EvidenceOrder
from hyp_board.core.model import Evidence, Hypothesis
from hyp_board.startup import add_sample_project
from hyp_board.storage import Store
from hyp_board.ui.about import AboutDialog
from hyp_board.ui.actions import WindowActions
from hyp_board.ui.compare_view import CompareDialog
from hyp_board.ui.export import Exporter
from hyp_board.ui.inspector import Inspector, ProjectPanel
from hyp_board.ui.matrix_model import FIXED_COLUMNS, Column
from hyp_board.ui.matrix_view import KEYS_TOOLTIP, Legend, MatrixView, ScoreView
from hyp_board.ui.project_session import ProjectSession
from hyp_board.ui.theme import ThemeChoice, apply_theme
from hyp_board.ui.window_documents import DocumentHandling
from hyp_board.ui.window_files import FileHandling

SENSITIVITY_DELAY_MS = 150


class MainWindow(FileHandling, DocumentHandling, QMainWindow):
    def __init__(self, store: Store, settings: QSettings) -> None:
        super().__init__()
        self.store = store
        self.settings = settings
        self.session: ProjectSession | None = None
        self._compare: CompareDialog | None = None
        self.setWindowTitle(APP_NAME)
        self.setAcceptDrops(True)  # project files dropped on the window are opened
        self.undo_group = QUndoGroup(self)
        self.actions_ = WindowActions(self)
        self._build_central()
        self._build_docks()
        self.undo_action = undo = self.undo_group.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = redo = self.undo_group.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.actions_.build_menus(
            undo,
            redo,
            [
                self.inspector_dock.toggleViewAction(),
                self.project_dock.toggleViewAction(),
                self.documents_dock.toggleViewAction(),
                self.reading_dock.toggleViewAction(),
            ],
            [self.import_documents_action, self.paste_document_action],
            self.find_action,
        )
        self._build_toolbar(undo, redo)
        self._connect_actions()
        self.exporter = Exporter(self, settings, lambda text: self.statusBar().showMessage(text, 10000))
        self._sensitivity_timer = QTimer(self, singleShot=True, interval=SENSITIVITY_DELAY_MS)
        self._sensitivity_timer.timeout.connect(self._update_sensitivity)
        self._restore_settings()

    # -- layout ----------------------------------------------------------------------
    def _build_central(self) -> None:
        self.matrix_view = MatrixView()
        self.matrix_view.setObjectName("matrix")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setMargin(6)
        self.sensitivity = QLabel()
        self.sensitivity.setWordWrap(True)
        self.sensitivity.setTextFormat(Qt.TextFormat.RichText)
        self.sensitivity.setContentsMargins(4, 2, 4, 2)
        self.legend = Legend()
        central = QWidget()
        self._central_layout = QVBoxLayout(central)
        self._central_layout.setContentsMargins(4, 4, 4, 0)
        self._central_layout.setSpacing(2)
        self._central_layout.addWidget(self.hint)
        self._central_layout.addWidget(self.matrix_view, 1)
        self.score_view: ScoreView | None = None
        self._central_layout.addWidget(self.sensitivity)
        self._central_layout.addWidget(self.legend)
        self.setCentralWidget(central)
        self.matrix_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.matrix_view.customContextMenuRequested.connect(self._matrix_menu)
        header = self.matrix_view.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        header.sectionClicked.connect(self._header_clicked)
        self.matrix_view.rate_requested.connect(lambda cells, r: self.session and self.session.rate(cells, r))

    def _build_docks(self) -> None:
        self.inspector = Inspector()
        self.inspector_dock = QDockWidget("Inspector", self)
        self.inspector_dock.setObjectName("inspector")
        self.inspector_dock.setWidget(self.inspector)
        self.project_panel = ProjectPanel()
        self.project_dock = QDockWidget("Project", self)
        self.project_dock.setObjectName("project")
        self.project_dock.setWidget(self.project_panel)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.inspector_dock)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.project_dock)
        self.tabifyDockWidget(self.project_dock, self.inspector_dock)
        self.inspector_dock.raise_()
        self.resizeDocks([self.inspector_dock], [350], Qt.Orientation.Horizontal)
        page = self.inspector.evidence_page
        page.edit.connect(lambda eid, values: self.session and self.session.edit_evidence(eid, values))
        page.cell_edit.connect(lambda e, h, c: self.session and self.session.set_cell(e, h, c))
        self.inspector.hypothesis_page.edit.connect(
            lambda hid, values: self.session and self.session.edit_hypothesis(hid, values)
        )
        self.project_panel.edit.connect(lambda values: self.session and self.session.edit_project(values))
        self._build_document_docks()

    def _build_toolbar(self, undo, redo) -> None:  # type: ignore[no-untyped-def]
        toolbar = QToolBar("Main", self)
        toolbar.setObjectName("main-toolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.project_combo = QComboBox()
        self.project_combo.setMinimumContentsLength(28)
        self.project_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.project_combo.setToolTip("Switch project")
        self.project_combo.activated.connect(self._project_chosen)
        toolbar.addWidget(QLabel(" Project: "))
        toolbar.addWidget(self.project_combo)
        toolbar.addSeparator()
        self.actions_.build_toolbar(toolbar, undo, redo)
        self.sort_combo = QComboBox()
        for order in EvidenceOrder:
            self.sort_combo.addItem(
                order.value if order is not EvidenceOrder.POSITION else "Your order", order.value
            )
        self.sort_combo.setToolTip("Sort evidence by")
        self.sort_combo.activated.connect(
            lambda i: self._set_order(EvidenceOrder(self.sort_combo.itemData(i)))
        )
        toolbar.addWidget(QLabel(" Sort: "))
        toolbar.addWidget(self.sort_combo)
        self.addToolBar(toolbar)

    def _connect_actions(self) -> None:
        a = self.actions_
        a.new_project.triggered.connect(self.new_project)
        a.open_sample.triggered.connect(self.open_sample)
        a.rename_project.triggered.connect(self.rename_project)
        a.duplicate_project.triggered.connect(self.duplicate_project)
        a.delete_project.triggered.connect(self.delete_project)
        a.quit.triggered.connect(self.close)
        a.open_file.triggered.connect(self.choose_files_to_open)
        a.compare_file.triggered.connect(self.choose_file_to_compare)
        a.export_file.triggered.connect(lambda: self.export("hypboard"))
        a.export_pdf.triggered.connect(lambda: self.export("pdf"))
        a.export_csv.triggered.connect(lambda: self.export("csv"))
        a.export_markdown.triggered.connect(lambda: self.export("markdown"))
        a.export_achz.triggered.connect(lambda: self.export("achz"))
        a.print_preview.triggered.connect(self.print_preview)
        a.add_evidence.triggered.connect(self.add_evidence)
        a.add_hypothesis.triggered.connect(self.add_hypothesis)
        a.delete_evidence.triggered.connect(self.delete_evidence)
        a.delete_hypothesis.triggered.connect(lambda: self.delete_hypothesis(self._current_hypothesis()))
        a.move_up.triggered.connect(lambda: self._move_evidence(-1))
        a.move_down.triggered.connect(lambda: self._move_evidence(1))
        a.move_left.triggered.connect(lambda: self._move_hypothesis(-1))
        a.move_right.triggered.connect(lambda: self._move_hypothesis(1))
        a.toggle_included.triggered.connect(self.toggle_included)
        a.sort_group.triggered.connect(lambda act: self._set_order(EvidenceOrder(act.data())))
        a.hide_non_diagnostic.toggled.connect(lambda _: self._apply_view_options())
        a.hide_excluded.toggled.connect(lambda _: self._apply_view_options())
        a.theme_group.triggered.connect(lambda act: self.set_theme(ThemeChoice(act.data())))
        a.show_keys.triggered.connect(
            lambda: QMessageBox.information(self, "Rating keys", KEYS_TOOLTIP.replace("<br>", "<br>"))
        )
        a.about.triggered.connect(self._about)

    # -- projects --------------------------------------------------------------------
    def open_project(self, project_id: int) -> None:
        self._close_compare()  # it belongs to the project being closed
        old = self.session
        session = ProjectSession(self.store, project_id, self)
        session.changed.connect(self._on_change)
        session.error.connect(self.show_error)
        self.session = session
        self.undo_group.addStack(session.undo_stack)
        self.undo_group.setActiveStack(session.undo_stack)
        session.model.set_view_options(
            self._order(),
            self.actions_.hide_non_diagnostic.isChecked(),
            self.actions_.hide_excluded.isChecked(),
        )
        self.matrix_view.setModel(session.model)
        self.matrix_view.selectionModel().currentChanged.connect(self._current_changed)
        if self.score_view is not None:
            self._central_layout.removeWidget(self.score_view)
            self.score_view.deleteLater()
        self.score_view = ScoreView(self.matrix_view, session.scores)
        self._central_layout.insertWidget(2, self.score_view)
        if old is not None:
            self.undo_group.removeStack(old.undo_stack)
            old.deleteLater()
        self.settings.setValue("last_project", project_id)
        self._refresh_project_list()
        self.inspector.clear()
        self.project_panel.show_project(session.matrix)
        self._documents_opened()
        self._on_change(Change(rows=True, columns=True, scores=True, project=True))
        if session.model.rowCount() and session.model.columnCount() > FIXED_COLUMNS:
            self.matrix_view.setCurrentIndex(session.model.index(0, FIXED_COLUMNS))

    def open_initial_project(self) -> None:
        projects = self.store.list_projects()
        if not projects:
            self.open_project(self.store.create_project("Untitled project"))
            return
        last = self.settings.value("last_project", type=int)
        ids = [p.id for p in projects]
        self.open_project(last if last in ids else ids[0])

    def _refresh_project_list(self) -> None:
        self.project_combo.blockSignals(True)
        self.project_combo.clear()
        for p in self.store.list_projects():
            self.project_combo.addItem(p.title, p.id)
            self.project_combo.setItemData(
                self.project_combo.count() - 1,
                f"{p.title}\n{p.hypotheses} hypotheses, {p.evidence} evidence items\n"
                f"modified {p.modified_at:%Y-%m-%d %H:%M}",
                Qt.ItemDataRole.ToolTipRole,
            )
        if self.session is not None:
            self.project_combo.setCurrentIndex(self.project_combo.findData(self.session.project_id))
        self.project_combo.blockSignals(False)

    def _project_chosen(self, index: int) -> None:
        project_id = self.project_combo.itemData(index)
        if self.session is None or project_id != self.session.project_id:
            self._flush_editors()
            self.open_project(project_id)

    def new_project(self) -> None:
        title, ok = QInputDialog.getText(self, "New project", "Title of the new project:")
        if ok and title.strip():
            self._flush_editors()
            self.open_project(self.store.create_project(title.strip()))
            self.project_dock.raise_()
            self.project_panel.question.setFocus()

    def open_sample(self) -> None:
        self._flush_editors()
        self.open_project(add_sample_project(self.store))

    def rename_project(self) -> None:
        if self.session is None:
            return
        title, ok = QInputDialog.getText(
            self, "Rename project", "New title:", text=self.session.matrix.project.title
        )
        if ok and title.strip():
            self.session.edit_project({"title": title.strip()})

    def duplicate_project(self) -> None:
        if self.session is None:
            return
        self._flush_editors()
        title = f"{self.session.matrix.project.title} (copy)"
        self.open_project(self.store.duplicate_project(self.session.project_id, title))
        self.statusBar().showMessage(f"Duplicated as “{title}”", 5000)

    def delete_project(self) -> None:
        if self.session is None:
            return
        m = self.session.matrix
        answer = QMessageBox.warning(
            self,
            "Delete project",
            f"Delete “{m.project.title}” with its {len(m.hypotheses)} hypotheses and "
            f"{len(m.evidence)} evidence items?\n\nThis cannot be undone.",
            QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Discard,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Discard:
            return
        self.store.delete_project(self.session.project_id)
        self.statusBar().showMessage(f"Deleted “{m.project.title}”", 5000)
        self.open_initial_project()

    # -- project files ---------------------------------------------------------------------
    # -- reports -------------------------------------------------------------------------
    # -- evidence and hypotheses ---------------------------------------------------------
    def _current_evidence(self) -> int | None:
        index = self.matrix_view.currentIndex()
        return self.session.model.evidence_id(index.row()) if self.session and index.isValid() else None

    def _current_hypothesis(self) -> int | None:
        index = self.matrix_view.currentIndex()
        return self.session.model.hypothesis_id(index.column()) if self.session and index.isValid() else None

    def add_evidence(self) -> None:
        if self.session is None:
            return
        if self.reading_pane.text.hasFocus() and self.reading_pane.take_selection():
            return  # with a passage selected in the reading pane, it becomes the quote
        current = self._current_evidence()
        index = self.session.matrix.evidence_index(current) + 1 if current is not None else None
        new_id = self.session.add_evidence(Evidence("New evidence"), index)
        if new_id is not None:
            self.select_evidence(new_id, Column.SUMMARY)
            self.matrix_view.edit(self.matrix_view.currentIndex())

    def delete_evidence(self) -> None:
        if self.session is None:
            return
        model = self.session.model
        rows = {i.row() for i in self.matrix_view.selectionModel().selectedIndexes()}
        if not rows and self.matrix_view.currentIndex().isValid():
            rows = {self.matrix_view.currentIndex().row()}
        ids = [model.evidence_id(r) for r in sorted(rows)]
        self.session.remove_evidence(ids)
        if ids:
            self.statusBar().showMessage(f"Deleted {len(ids)} evidence item(s). Undo with Ctrl+Z.", 5000)

    def add_hypothesis(self) -> None:
        if self.session is None:
            return
        label, ok = QInputDialog.getText(self, "Add hypothesis", "Short label for the new hypothesis:")
        if ok and label.strip():
            new_id = self.session.add_hypothesis(Hypothesis(label.strip()))
            if new_id is not None:
                col = self.session.model.column_of(new_id)
                if self.session.model.rowCount():
                    self.matrix_view.setCurrentIndex(self.session.model.index(0, col))
                self.inspector.show_hypothesis(self.session.matrix, new_id)

    def delete_hypothesis(self, hypothesis_id: int | None) -> None:
        if self.session is None or hypothesis_id is None:
            return
        label = self.session.matrix.hypothesis(hypothesis_id).label
        answer = QMessageBox.question(
            self,
            "Delete hypothesis",
            f"Delete the hypothesis “{label}” and its ratings?\n(Undo brings it back.)",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.session.remove_hypothesis(hypothesis_id)

    def toggle_included(self) -> None:
        eid = self._current_evidence()
        if self.session is not None and eid is not None:
            ev = self.session.matrix.evidence_item(eid)
            self.session.edit_evidence(eid, {"included": not ev.included})

    def _move_evidence(self, delta: int) -> None:
        eid = self._current_evidence()
        if self.session is None or eid is None:
            return
        if self.session.model.order is not EvidenceOrder.POSITION:
            self.show_error("Evidence can be moved only when sorted by your order (View → Sort Evidence By).")
            return
        column = self.matrix_view.currentIndex().column()
        self.session.move_evidence(eid, delta)
        self.select_evidence(eid, column)

    def _move_hypothesis(self, delta: int) -> None:
        hid = self._current_hypothesis()
        if self.session is None or hid is None:
            return
        eid = self._current_evidence()
        self.session.move_hypothesis(hid, delta)
        if eid is not None:
            self.select_evidence(eid, self.session.model.column_of(hid))

    def select_evidence(self, evidence_id: int, column: int = Column.SUMMARY) -> None:
        if self.session is None:
            return
        row = self.session.model.row_of(evidence_id)
        if row is None:
            return
        index = self.session.model.index(row, column)
        self.matrix_view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.matrix_view.scrollTo(index)

    # -- view options ----------------------------------------------------------------------
    def _order(self) -> EvidenceOrder:
        checked = self.actions_.sort_group.checkedAction()
        return EvidenceOrder(checked.data()) if checked else EvidenceOrder.POSITION

    def _set_order(self, order: EvidenceOrder) -> None:
        self.actions_.sort_actions[order].setChecked(True)
        self.sort_combo.setCurrentIndex(self.sort_combo.findData(order.value))
        self._apply_view_options()

    def _apply_view_options(self) -> None:
        if self.session is None:
            return
        a = self.actions_
        self.session.model.set_view_options(
            self._order(), a.hide_non_diagnostic.isChecked(), a.hide_excluded.isChecked()
        )
        self.session.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, FIXED_COLUMNS - 1)
        self.matrix_view.scrollTo(self.matrix_view.currentIndex())
        self._update_hint()

    def set_theme(self, choice: ThemeChoice) -> None:
        self.actions_.theme_actions[choice].setChecked(True)
        apply_theme(choice)
        self.settings.setValue("theme", choice.value)
        if self.session is not None:
            self.session.model.refresh_styles()
            self.matrix_view.viewport().update()
        self.legend.refresh_colours()

    # -- reacting to edits and selection -----------------------------------------------------
    def _on_change(self, change: Change) -> None:
        session = self.session
        if session is None:
            return
        if change.scores or change.rows or change.columns:
            self._sensitivity_timer.start()
        if change.project or change.rows or change.columns:
            self._update_hint()
        if change.project:
            self.project_panel.show_project(session.matrix)
            self.setWindowTitle(f"{session.matrix.project.title} — {APP_NAME}")
            self._refresh_project_list()
        self.inspector.refresh(change)
        self._documents_changed(change)
        m = session.matrix
        self.statusBar().showMessage(
            f"All changes saved · {len(m.hypotheses)} hypotheses · {len(m.evidence)} evidence items"
        )

    def _update_hint(self) -> None:
        if self.session is None:
            return
        m, model = self.session.matrix, self.session.model
        if not m.hypotheses and not m.evidence:
            text = (
                "This project is empty. Add hypotheses (Ctrl+H) as columns and evidence (Ctrl+E) "
                "as rows, then rate each cell."
            )
        elif not m.hypotheses:
            text = "Add at least two competing hypotheses (Ctrl+H) to rate the evidence against."
        elif not m.evidence:
            text = "Add evidence (Ctrl+E): each item becomes a row you rate against every hypothesis."
        elif model.rowCount() < len(m.evidence):
            text = f"Showing {model.rowCount()} of {len(m.evidence)} evidence items (View menu to show all)."
        else:
            text = ""
        self.hint.setText(text)
        self.hint.setVisible(bool(text))

    def _update_sensitivity(self) -> None:
        if self.session is None:
            return
        m = self.session.matrix
        if len(m.hypotheses) < 2 or not any(m.board.inconsistency(h.id) for h in m.hypotheses):
            self.sensitivity.setText(
                "<i>Rate the evidence to see which hypothesis is least inconsistent.</i>"
            )
            return
        s = m.sensitivity()
        names = " and ".join(f"<b>{_esc(m.hypothesis(h).label)}</b>" for h in s.leaders)
        if len(s.leaders) > 1:
            text = f"★ Tied for the lead: {names}."
        else:
            text = f"★ Least inconsistent: {names}"
            if s.margin is not None:
                text += f", ahead by {s.margin:.2f} weighted points."
        if s.pivotal:
            numbers = ", ".join(f"#{m.evidence_item(e).position + 1}" for e in s.pivotal[:8])
            more = f" and {len(s.pivotal) - 8} more" if len(s.pivotal) > 8 else ""
            text += (
                f" Sensitive to evidence {numbers}{more}: removing any one of them alone "
                "would change the lead."
            )
        else:
            text += " No single evidence item changes the lead if removed."
        self.sensitivity.setText(text)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self.session is None or not current.isValid():
            return
        eid = self.session.model.evidence_id(current.row())
        hid = self.session.model.hypothesis_id(current.column())
        self.inspector.show_evidence(self.session.matrix, eid, hid)
        if eid != _previous_evidence(self.session.model, _previous):
            self._follow_current_evidence(eid)

    def _header_clicked(self, section: int) -> None:
        if self.session is None:
            return
        if section < FIXED_COLUMNS:
            self.session.model.sort(section)
            order = self.session.model.order
            self.actions_.sort_actions[order].setChecked(True)
            self.sort_combo.setCurrentIndex(self.sort_combo.findData(order.value))
            self._apply_view_options()
            return
        hid = self.session.model.hypothesis_id(section)
        if hid is not None:
            self.inspector.show_hypothesis(self.session.matrix, hid)
            self.inspector_dock.raise_()

    def _matrix_menu(self, pos: QPoint) -> None:
        if self.session is None:
            return
        menu = QMenu(self)
        a = self.actions_
        index = self.matrix_view.indexAt(pos)
        if index.isValid() and index.column() >= FIXED_COLUMNS:
            rate = menu.addMenu("Rate")
            from hyp_board.ui.matrix_view import RATING_KEYS_HELP

            for rating, keys in RATING_KEYS_HELP:
                act = rate.addAction(f"{rating.value} — {rating.label}\t{keys}")
                act.triggered.connect(
                    lambda _=False, r=rating: (
                        self.session and self.session.rate(self.matrix_view.selected_cells(), r)
                    )
                )
            clear = menu.addAction("Clear Rating\tDelete")
            clear.triggered.connect(
                lambda: self.session and self.session.rate(self.matrix_view.selected_cells(), None)
            )
            menu.addSeparator()
        for act in (a.add_evidence, a.delete_evidence, a.toggle_included, a.move_up, a.move_down):
            menu.addAction(act)
        menu.exec(self.matrix_view.viewport().mapToGlobal(pos))

    def _header_menu(self, pos: QPoint) -> None:
        if self.session is None:
            return
        section = self.matrix_view.horizontalHeader().logicalIndexAt(pos)
        hid = self.session.model.hypothesis_id(section)
        menu = QMenu(self)
        if hid is not None:
            edit = menu.addAction("Edit Hypothesis")
            edit.triggered.connect(lambda: self._header_clicked(section))
            left = menu.addAction("Move Left")
            left.triggered.connect(lambda: self.session and self.session.move_hypothesis(hid, -1))
            right = menu.addAction("Move Right")
            right.triggered.connect(lambda: self.session and self.session.move_hypothesis(hid, 1))
            delete = menu.addAction("Delete Hypothesis…")
            delete.triggered.connect(lambda: self.delete_hypothesis(hid))
            menu.addSeparator()
        menu.addAction(self.actions_.add_hypothesis)
        menu.exec(self.matrix_view.horizontalHeader().mapToGlobal(pos))

    # -- messages, settings, closing --------------------------------------------------------
    def show_error(self, message: str) -> None:
        self.statusBar().showMessage(message, 10000)
        QMessageBox.warning(self, APP_NAME, message)

    def _about(self) -> None:
        AboutDialog(self.store.path, self).exec()

    def _flush_editors(self) -> None:
        """Commit whatever is being typed before the project changes under it."""
        focus = QGuiApplication.focusObject()
        if isinstance(focus, QWidget):
            focus.clearFocus()

    def _restore_settings(self) -> None:
        geometry = self.settings.value("geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            # First start: most of the screen, since the matrix shares it with the
            # reading pane on the left and the inspector on the right.
            screen = QGuiApplication.primaryScreen()
            available = screen.availableGeometry().size() if screen else None
            width = min(1800, int(available.width() * 0.92)) if available else 1400
            height = min(1050, int(available.height() * 0.9)) if available else 860
            self.resize(max(width, 1000), max(height, 640))
        state = self.settings.value("window_state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        theme = self.settings.value("theme", ThemeChoice.SYSTEM.value)
        self.set_theme(ThemeChoice(theme) if theme in {t.value for t in ThemeChoice} else ThemeChoice.SYSTEM)
        order = self.settings.value("order", EvidenceOrder.POSITION.value)
        if order in {o.value for o in EvidenceOrder}:
            self.actions_.sort_actions[EvidenceOrder(order)].setChecked(True)
            self.sort_combo.setCurrentIndex(self.sort_combo.findData(order))
        self.actions_.hide_non_diagnostic.setChecked(
            self.settings.value("hide_non_diagnostic", False, type=bool)
        )
        self.actions_.hide_excluded.setChecked(self.settings.value("hide_excluded", False, type=bool))

    def closeEvent(self, event: QCloseEvent) -> None:
        self._flush_editors()
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("window_state", self.saveState())
        self.settings.setValue("order", self._order().value)
        self.settings.setValue("hide_non_diagnostic", self.actions_.hide_non_diagnostic.isChecked())
        self.settings.setValue("hide_excluded", self.actions_.hide_excluded.isChecked())
        self.settings.sync()
        super().closeEvent(event)


def _previous_evidence(model, index: QModelIndex) -> int | None:  # type: ignore[no-untyped-def]
    return model.evidence_id(index.row()) if index.isValid() and index.row() < model.rowCount() else None


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

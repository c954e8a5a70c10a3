"""The matrix: the central area (hint, matrix, scores, sensitivity line, legend), its
menus and header, evidence and hypothesis commands, and how evidence is sorted and
filtered."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QDockWidget, QLabel, QMenu, QVBoxLayout, QWidget

from hyp_board.core.matrix import Change, EvidenceOrder
from hyp_board.core.model import Cell, Evidence, Hypothesis, Level, Rating
from hyp_board.ui.actions import WindowActions
from hyp_board.ui.current_project import CurrentProject
from hyp_board.ui.inspector import Inspector
from hyp_board.ui.matrix_delegates import RATING_KEYS_HELP
from hyp_board.ui.matrix_model import FIXED_COLUMNS, Column
from hyp_board.ui.matrix_view import MatrixView
from hyp_board.ui.messages import Messages
from hyp_board.ui.project_session import ProjectSession
from hyp_board.ui.score_view import Legend, ScoreView

SENSITIVITY_DELAY_MS = 150
MAX_CITED = 8  # evidence numbers named in the sensitivity line before "and N more"


class MatrixController(QObject):
    """Owns :attr:`widget`, the window's central area, and acts on the open matrix."""

    current_evidence_changed = Signal(int)  # the current cell moved to another evidence row

    def __init__(
        self,
        current: CurrentProject,
        actions: WindowActions,
        messages: Messages,
        inspector: Inspector,
        inspector_dock: QDockWidget,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._current = current
        self._actions = actions
        self._messages = messages
        self._inspector = inspector
        self._inspector_dock = inspector_dock
        self._build_widget()
        self.sort_combo = QComboBox()
        for order in EvidenceOrder:
            self.sort_combo.addItem(
                order.value if order is not EvidenceOrder.POSITION else "Your order", order.value
            )
        self.sort_combo.setToolTip("Sort evidence by")
        self.sort_combo.activated.connect(
            lambda i: self.set_order(EvidenceOrder(self.sort_combo.itemData(i)))
        )
        self._sensitivity_timer = QTimer(self, singleShot=True, interval=SENSITIVITY_DELAY_MS)
        self._sensitivity_timer.timeout.connect(self._update_sensitivity)
        self._connect_actions()
        current.opened.connect(self._opened)
        current.changed.connect(self._changed)

    @property
    def _session(self) -> ProjectSession | None:
        return self._current.session

    def _build_widget(self) -> None:
        self.view = MatrixView()
        self.view.setObjectName("matrix")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setMargin(6)
        self.sensitivity = QLabel()
        self.sensitivity.setWordWrap(True)
        self.sensitivity.setTextFormat(Qt.TextFormat.RichText)  # labels in it are escaped
        self.sensitivity.setContentsMargins(4, 2, 4, 2)
        self.legend = Legend()
        self.score_view = ScoreView(self.view)
        self.widget = QWidget()
        self._layout = QVBoxLayout(self.widget)
        self._layout.setContentsMargins(4, 4, 4, 0)
        self._layout.setSpacing(2)
        for w, stretch in (
            (self.hint, 0),
            (self.view, 1),
            (self.score_view, 0),
            (self.sensitivity, 0),
            (self.legend, 0),
        ):
            self._layout.addWidget(w, stretch)
        self.view.cell_menu_requested.connect(self._matrix_menu)
        self.view.header_menu_requested.connect(self._header_menu)
        self.view.header_clicked.connect(self._header_clicked)
        self.view.rate_requested.connect(self.rate)
        self.view.levels_requested.connect(self._set_levels)
        page = self._inspector.evidence_page
        page.edit.connect(self.edit_evidence)
        page.cell_edit.connect(self.edit_cell)
        self._inspector.hypothesis_page.edit.connect(self.update_hypothesis)

    def _connect_actions(self) -> None:
        a = self._actions
        a.delete_evidence.triggered.connect(self.delete_evidence)
        a.add_hypothesis.triggered.connect(self.add_hypothesis)
        a.delete_hypothesis.triggered.connect(lambda: self.delete_hypothesis(self.current_hypothesis()))
        a.move_up.triggered.connect(lambda: self._move_evidence(-1))
        a.move_down.triggered.connect(lambda: self._move_evidence(1))
        a.move_left.triggered.connect(lambda: self._move_hypothesis(-1))
        a.move_right.triggered.connect(lambda: self._move_hypothesis(1))
        a.toggle_included.triggered.connect(self.toggle_included)
        a.sort_group.triggered.connect(lambda act: self.set_order(EvidenceOrder(act.data())))
        a.hide_non_diagnostic.toggled.connect(lambda _: self.apply_view_options())
        a.hide_excluded.toggled.connect(lambda _: self.apply_view_options())

    # -- the open project ------------------------------------------------------------------
    def _opened(self, session: ProjectSession) -> None:
        session.model.set_view_options(
            self.order(),
            self._actions.hide_non_diagnostic.isChecked(),
            self._actions.hide_excluded.isChecked(),
        )
        self.view.setModel(session.model)
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        self.score_view.show_scores(session.scores)
        self._inspector.clear()

    def show_first_cell(self) -> None:
        model = self._session.model if self._session else None
        if model is not None and model.rowCount() and model.columnCount() > FIXED_COLUMNS:
            self.view.setCurrentIndex(model.index(0, FIXED_COLUMNS))

    def _changed(self, change: Change) -> None:
        if change.scores or change.rows or change.columns:
            self._sensitivity_timer.start()
        if change.project or change.rows or change.columns:
            self._update_hint()
        self._inspector.refresh(change)
        self._leave_hidden_item(FIXED_COLUMNS)
        self._show_included()

    def _show_included(self) -> None:
        """Edit → Include in Scoring is ticked when the current item counts."""
        eid = self.current_evidence()
        session = self._session
        action = self._actions.toggle_included
        action.setEnabled(eid is not None)
        action.setChecked(bool(eid is not None and session and session.matrix.evidence_item(eid).included))

    # -- selection -----------------------------------------------------------------------
    def current_evidence(self) -> int | None:
        index = self.view.currentIndex()
        return self._session.model.evidence_id(index.row()) if self._session and index.isValid() else None

    def current_hypothesis(self) -> int | None:
        index = self.view.currentIndex()
        return (
            self._session.model.hypothesis_id(index.column()) if self._session and index.isValid() else None
        )

    def select_evidence(self, evidence_id: int, column: int = Column.SUMMARY) -> None:
        if self._session is None:
            return
        row = self._session.model.row_of(evidence_id)
        if row is None:
            return
        index = self._session.model.index(row, column)
        self.view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.view.scrollTo(index)

    def _current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        session = self._session
        if session is None or not current.isValid():
            return
        model = session.model
        eid = model.evidence_id(current.row())
        self._inspector.show_evidence(session.matrix, eid, model.hypothesis_id(current.column()))
        self._show_included()
        before = (
            model.evidence_id(previous.row())
            if previous.isValid() and previous.row() < model.rowCount()
            else None
        )
        if eid != before:
            self.current_evidence_changed.emit(eid)

    # -- edits ---------------------------------------------------------------------------
    def rate(self, cells: list[tuple[int, int]], rating: Rating | None) -> None:
        if self._session is not None:
            self._session.rate(cells, rating)

    def edit_evidence(self, evidence_id: int, values: dict[str, Any]) -> None:
        if self._session is not None:
            self._session.edit_evidence(evidence_id, values)

    def edit_cell(self, evidence_id: int, hypothesis_id: int, cell: Cell | None) -> None:
        if self._session is not None:
            self._session.set_cell(evidence_id, hypothesis_id, cell)

    def update_hypothesis(self, hypothesis_id: int, values: dict[str, Any]) -> None:
        if self._session is not None:
            self._session.edit_hypothesis(hypothesis_id, values)

    # -- evidence and hypotheses -----------------------------------------------------------
    def insert_evidence_below_current(self, evidence: Evidence) -> int | None:
        """Add *evidence* below the current row (at the end without one) and select it."""
        session = self._session
        if session is None:
            return None
        current = self.current_evidence()
        index = session.matrix.evidence_index(current) + 1 if current is not None else None
        new_id = session.add_evidence(evidence, index)
        if new_id is not None:
            self.select_evidence(new_id)
        return new_id

    def add_evidence(self) -> None:
        new_id = self.insert_evidence_below_current(Evidence("New evidence"))
        if new_id is not None:
            self.view.edit(self.view.currentIndex())

    def delete_evidence(self) -> None:
        if self._session is None:
            return
        model = self._session.model
        rows = {i.row() for i in self.view.selectionModel().selectedIndexes()}
        if not rows and self.view.currentIndex().isValid():
            rows = {self.view.currentIndex().row()}
        ids = [model.evidence_id(r) for r in sorted(rows)]
        self._session.remove_evidence(ids)
        if ids:
            items = "1 evidence item" if len(ids) == 1 else f"{len(ids)} evidence items"
            self._messages.status(f"Deleted {items}. Undo with Ctrl+Z.", 5000)

    def add_hypothesis(self) -> None:
        session = self._session
        if session is None:
            return
        label = self._messages.ask_text("Add hypothesis", "Short label for the new hypothesis:")
        if label is None:
            return
        new_id = session.add_hypothesis(Hypothesis(label))
        if new_id is not None:
            if session.model.rowCount():
                self.view.setCurrentIndex(session.model.index(0, session.model.column_of(new_id)))
            self._inspector.show_hypothesis(session.matrix, new_id)

    def delete_hypothesis(self, hypothesis_id: int | None) -> None:
        if self._session is None or hypothesis_id is None:
            return
        label = self._session.matrix.hypothesis(hypothesis_id).label
        if self._messages.confirm(
            f"Delete the hypothesis “{label}” and its ratings?",
            "Undo brings it back.",
            "Delete",
            title="Delete hypothesis",
        ):
            self._session.remove_hypothesis(hypothesis_id)

    def toggle_included(self) -> None:
        eid = self.current_evidence()
        if self._session is not None and eid is not None:
            ev = self._session.matrix.evidence_item(eid)
            self._session.edit_evidence(eid, {"included": not ev.included})
        self._show_included()  # also when the edit was refused

    def _move_evidence(self, delta: int) -> None:
        eid = self.current_evidence()
        if self._session is None or eid is None:
            return
        if self._session.model.order is not EvidenceOrder.POSITION:
            self._messages.warning(
                "Evidence can be moved only when sorted by your order (View → Sort Evidence By)."
            )
            return
        column = self.view.currentIndex().column()
        self._session.move_evidence(eid, delta)
        self.select_evidence(eid, column)

    def _move_hypothesis(self, delta: int) -> None:
        hid = self.current_hypothesis()
        if self._session is None or hid is None:
            return
        eid = self.current_evidence()
        self._session.move_hypothesis(hid, delta)
        if eid is not None:
            self.select_evidence(eid, self._session.model.column_of(hid))

    # -- view options ----------------------------------------------------------------------
    def order(self) -> EvidenceOrder:
        checked = self._actions.sort_group.checkedAction()
        return EvidenceOrder(checked.data()) if checked else EvidenceOrder.POSITION

    def set_order(self, order: EvidenceOrder) -> None:
        self._actions.sort_actions[order].setChecked(True)
        self.sort_combo.setCurrentIndex(self.sort_combo.findData(order.value))
        self.apply_view_options()

    def apply_view_options(self) -> None:
        if self._session is None:
            return
        a = self._actions
        model = self._session.model
        column = self.view.currentIndex().column()
        model.set_view_options(self.order(), a.hide_non_diagnostic.isChecked(), a.hide_excluded.isChecked())
        model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, FIXED_COLUMNS - 1)
        self._leave_hidden_item(column)
        self.view.scrollTo(self.view.currentIndex())
        self._update_hint()

    def _leave_hidden_item(self, column: int) -> None:
        """The view options hid the current item: the first item shown becomes current
        (and the inspector shows it), or the inspector shows nothing."""
        session = self._session
        shown = self._inspector.shown_evidence()
        if (
            session is None
            or shown is None
            or not session.matrix.has_evidence(shown)
            or session.model.row_of(shown) is not None
        ):
            return
        current = self.view.currentIndex()
        if current.isValid():  # the current cell moved on to a neighbour
            self._current_changed(current, QModelIndex())
        elif session.model.rowCount():
            self.view.setCurrentIndex(session.model.index(0, max(column, Column.SUMMARY)))
        else:
            self._inspector.clear()

    # -- lines above and below the matrix ------------------------------------------------------
    def _update_hint(self) -> None:
        if self._session is None:
            return
        m, model = self._session.matrix, self._session.model
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
        if self._session is None:
            return
        m = self._session.matrix
        if len(m.hypotheses) < 2 or not any(m.board.inconsistency(h.id) for h in m.hypotheses):
            self.sensitivity.setText(
                "<i>Rate the evidence to see which hypothesis is least inconsistent.</i>"
            )
            return
        s = m.sensitivity()
        names = " and ".join(f"<b>{html.escape(m.hypothesis(h).label)}</b>" for h in s.leaders)
        if len(s.leaders) > 1:
            text = f"★ Tied for the lead: {names}."
        else:
            text = f"★ Least inconsistent: {names}"
            if s.margin is not None:
                text += f", ahead by {s.margin:.2f} weighted points."
        if s.pivotal:
            numbers = ", ".join(m.evidence_item(e).ref for e in s.pivotal[:MAX_CITED])
            more = f" and {len(s.pivotal) - MAX_CITED} more" if len(s.pivotal) > MAX_CITED else ""
            if len(s.pivotal) == 1:
                text += f" Sensitive to evidence {numbers}: removing it alone would change the lead."
            else:
                text += (
                    f" Sensitive to evidence {numbers}{more}: removing any one of them alone "
                    "would change the lead."
                )
        else:
            text += " No single evidence item changes the lead if removed."
        self.sensitivity.setText(text)

    # -- header and menus --------------------------------------------------------------------
    def _header_clicked(self, section: int) -> None:
        """A fixed column's header sorts by it; a hypothesis's opens it for editing, with
        the keyboard in its label, so what is typed next renames it and rates nothing."""
        if self._session is None:
            return
        if section < FIXED_COLUMNS:
            self._session.model.sort(section)
            self.set_order(self._session.model.order)
            return
        hid = self._session.model.hypothesis_id(section)
        if hid is not None:
            self.edit_hypothesis(hid)

    def edit_hypothesis(self, hypothesis_id: int) -> None:
        if self._session is None:
            return
        self._inspector_dock.show()
        self._inspector_dock.raise_()
        self._inspector.show_hypothesis(self._session.matrix, hypothesis_id)
        self._inspector.hypothesis_page.start_editing()

    def _set_levels(self, evidence_ids: list[int], field: str, level: Level) -> None:
        """H, M or L typed on credibility or relevance cells: one undo step for them all."""
        session = self._session
        if session is None:
            return
        changing = [e for e in evidence_ids if getattr(session.matrix.evidence_item(e), field) is not level]
        if len(changing) == 1:
            session.edit_evidence(changing[0], {field: level})
        elif changing:
            with session.macro(f"Set {field} of {len(changing)} items to {level.value}"):
                for eid in changing:
                    session.edit_evidence(eid, {field: level})

    def _matrix_menu(self, index: QModelIndex, global_pos: QPoint) -> None:
        if self._session is None:
            return
        menu = QMenu(self.view)
        a = self._actions
        if index.isValid() and index.column() >= FIXED_COLUMNS:
            rate = menu.addMenu("Rate")
            for rating, keys in RATING_KEYS_HELP:
                act = rate.addAction(f"{rating.value} — {rating.label}\t{keys}")
                act.triggered.connect(lambda _=False, r=rating: self.rate(self.view.selected_cells(), r))
            clear = menu.addAction("Clear Rating\tDelete")
            clear.triggered.connect(lambda: self.rate(self.view.selected_cells(), None))
            menu.addSeparator()
        for act in (a.add_evidence, a.delete_evidence, a.toggle_included, a.move_up, a.move_down):
            menu.addAction(act)
        menu.exec(global_pos)

    def _header_menu(self, section: int, global_pos: QPoint) -> None:
        session = self._session
        if session is None:
            return
        hid = session.model.hypothesis_id(section)
        menu = QMenu(self.view)
        if hid is not None:
            menu.addAction("Edit Hypothesis").triggered.connect(lambda: self.edit_hypothesis(hid))
            menu.addAction("Move Left").triggered.connect(lambda: session.move_hypothesis(hid, -1))
            menu.addAction("Move Right").triggered.connect(lambda: session.move_hypothesis(hid, 1))
            menu.addAction("Delete Hypothesis…").triggered.connect(lambda: self.delete_hypothesis(hid))
            menu.addSeparator()
        menu.addAction(self._actions.add_hypothesis)
        menu.exec(global_pos)

"""Milestones of the hypotheses (Heuer's step 8): "if this is true, we expect to see …
by DATE", each watched until it is observed or does not happen.

Every change is made at once, as its own undoable edit, as in the inspector; the
list shows which milestones are due soon or overdue.
"""

from __future__ import annotations

import contextlib
from datetime import date

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hyp_board.core.matrix import Change
from hyp_board.core.method import Due, Milestone, MilestoneStatus
from hyp_board.ui.project_session import ProjectSession
from hyp_board.ui.widgets import CommitTextEdit

_DUE_COLOURS = {Due.OVERDUE: "#c62828", Due.SOON: "#b26a00"}


class MilestonesDialog(QDialog):
    def __init__(
        self, session: ProjectSession, hypothesis_id: int | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Milestones")
        self.session = session
        self.today = date.today()
        self._shown: list[int] = []  # milestone ids, in table order
        self.hypothesis = QComboBox()
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["If this is true, we expect to see…", "By", "Status", ""])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.text = QLineEdit()
        self.text.setPlaceholderText("What should be seen if the hypothesis is true")
        self.due = QLineEdit()
        self.due.setPlaceholderText("YYYY-MM-DD (optional)")
        self.due.setMaxLength(10)
        self.status = QComboBox()
        for status in MilestoneStatus:
            self.status.addItem(status.label, status.value)
        self.note = CommitTextEdit(lines=3)
        self.note.setPlaceholderText("What was seen, and where")
        self.add_button = QPushButton("&Add Milestone")
        self.delete_button = QPushButton("&Delete")
        close = QPushButton("Close")
        close.setDefault(True)

        top = QFormLayout()
        top.addRow("&Hypothesis", self.hypothesis)
        self.form = QFormLayout()
        self.form.addRow("&Expect to see", self.text)
        self.form.addRow("&By", self.due)
        self.form.addRow("&Status", self.status)
        self.form.addRow("&Note", self.note)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.empty = QLabel("No milestones for this hypothesis yet: add what you would expect to see.")
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
        layout.addLayout(self.form)
        layout.addLayout(buttons)

        for h in session.matrix.hypotheses:
            self.hypothesis.addItem(f"{h.ref} {h.label}", h.id)
        if hypothesis_id is not None:
            self.hypothesis.setCurrentIndex(max(0, self.hypothesis.findData(hypothesis_id)))
        self.hypothesis.currentIndexChanged.connect(lambda _i: self.refresh())
        self.table.itemSelectionChanged.connect(self._show_selected)
        self.text.editingFinished.connect(lambda: self._edit("text", self.text.text()))
        self.due.editingFinished.connect(lambda: self._edit("due", self.due.text()))
        self.status.activated.connect(
            lambda _i: self._edit("status", MilestoneStatus(self.status.currentData()))
        )
        self.note.committed.connect(lambda text: self._edit("note", text))
        self.add_button.clicked.connect(self.add)
        self.delete_button.clicked.connect(self.delete)
        close.clicked.connect(self.accept)
        session.changed.connect(self._changed)
        self.resize(720, 520)
        self.refresh()

    # -- showing --------------------------------------------------------------------------
    def hypothesis_id(self) -> int | None:
        data = self.hypothesis.currentData()
        return int(data) if data is not None else None

    def current_milestone(self) -> Milestone | None:
        row = self.table.currentRow()
        if not 0 <= row < len(self._shown):
            return None
        matrix = self.session.matrix
        mid = self._shown[row]
        return matrix.milestone(mid) if any(m.id == mid for m in matrix.milestones) else None

    def _changed(self, change: Change) -> None:
        if change.method or change.columns:
            self.refresh()

    def refresh(self) -> None:
        selected = self.current_milestone()
        hid = self.hypothesis_id()
        matrix = self.session.matrix
        milestones = matrix.milestones_of(hid) if hid is not None else []
        self._shown = [m.id for m in milestones]
        self.table.blockSignals(True)
        self.table.setRowCount(len(milestones))
        for row, m in enumerate(milestones):
            state = m.due_state(self.today)
            cells = [m.text, m.due or "—", m.status.label, state.value]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 3 and state in _DUE_COLOURS:
                    item.setForeground(QBrush(QColor(_DUE_COLOURS[state])))
                if m.note:
                    item.setToolTip(m.note)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        self.table.blockSignals(False)
        keep = self._shown.index(selected.id) if selected is not None and selected.id in self._shown else 0
        if milestones:
            self.table.selectRow(keep)
        self.empty.setVisible(not milestones)
        self._show_selected()

    def _show_selected(self) -> None:
        m = self.current_milestone()
        for widget in (self.text, self.due, self.status, self.note, self.delete_button):
            widget.setEnabled(m is not None)
        self.add_button.setEnabled(self.hypothesis_id() is not None)
        self.text.setText(m.text if m else "")
        self.due.setText(m.due if m else "")
        self.status.setCurrentIndex(self.status.findData(m.status.value) if m else 0)
        self.note.set_text(m.note if m else "")

    # -- editing ----------------------------------------------------------------------------
    def _edit(self, name: str, value: object) -> None:
        m = self.current_milestone()
        if m is None or getattr(m, name) == value:
            return
        self.session.edit_milestone(m.id, {name: value})
        self._show_selected()  # a refused value shows what is stored

    def add(self) -> None:
        hid = self.hypothesis_id()
        if hid is None:
            return
        new_id = self.session.add_milestone(Milestone(hid, "Something that should be seen"))
        if new_id is not None and new_id in self._shown:
            self.table.selectRow(self._shown.index(new_id))
            self.text.setFocus()
            self.text.selectAll()

    def delete(self) -> None:
        m = self.current_milestone()
        if m is not None:
            self.session.remove_milestone(m.id)

    def done(self, result: int) -> None:
        self.note.commit()  # what is being typed is kept
        with contextlib.suppress(RuntimeError):
            self.session.changed.disconnect(self._changed)
        super().done(result)

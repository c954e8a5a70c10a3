"""The History panel: every change made to the project, newest first, with filters, and
the ways to revert a change or say why it was made."""

from __future__ import annotations

from datetime import UTC, datetime, time

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hyp_board.core.journal_entries import ChangeKind
from hyp_board.ui.history_model import HistoryColumn, HistoryFilter, HistoryModel

_WIDTHS = {
    HistoryColumn.WHEN: 64,
    HistoryColumn.ITEM: 64,
    HistoryColumn.VALUES: 150,
    HistoryColumn.CHANGE: 112,
    HistoryColumn.LABEL: 160,
    HistoryColumn.REASON: 140,
    HistoryColumn.COMMAND: 180,
}


class ItemChoice(QComboBox):
    """The items the journal names; the list is read when it opens (it may be long)."""

    about_to_open = Signal()

    def showPopup(self) -> None:
        self.about_to_open.emit()
        super().showPopup()


class HistoryPanel(QWidget):
    filter_changed = Signal()
    revert_requested = Signal()
    revert_command_requested = Signal()
    reason_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = HistoryModel(self)
        self.item_choice = ItemChoice()
        self.item_choice.setToolTip("Only the changes to this item")
        self.hypothesis_choice = QComboBox()
        self.hypothesis_choice.setToolTip("Only the ratings against this hypothesis")
        self.kind_choice = QComboBox()
        self.kind_choice.setToolTip("Only this kind of change")
        self.kind_choice.addItem("All changes", None)
        for kind in ChangeKind:
            self.kind_choice.addItem(kind.label, kind.value)
        self.since_check = QCheckBox("&Since")
        self.since_check.setToolTip("Only the changes made on or after this day")
        self.since_date = QDateEdit(QDate.currentDate())
        self.since_date.setCalendarPopup(True)
        self.since_date.setDisplayFormat("yyyy-MM-dd")
        self.since_date.setEnabled(False)
        self.count = QLabel()
        self.count.setTextFormat(Qt.TextFormat.PlainText)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in _WIDTHS.items():
            self.table.setColumnWidth(column, width)
        self.revert_button = QPushButton("&Revert")
        self.revert_button.setToolTip(
            "Revert this change: put back the value it replaced, as a new change you can undo"
        )
        self.revert_command_button = QPushButton("Revert &Command")
        self.revert_command_button.setToolTip("Revert every change this command made, together")
        self.reason_button = QPushButton("Add Reason…")
        self.reason_button.setToolTip("Say why this change was made (kept with it in the history)")
        self._build_layout()
        self._connect()
        self.show_selection(None)

    def _build_layout(self) -> None:
        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        for widget in (self.item_choice, self.hypothesis_choice, self.kind_choice):
            widget.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            widget.setMinimumContentsLength(8)
            filters.addWidget(widget, 1)
        dates = QHBoxLayout()
        dates.setContentsMargins(0, 0, 0, 0)
        dates.addWidget(self.since_check)
        dates.addWidget(self.since_date)
        dates.addWidget(self.count, 1, Qt.AlignmentFlag.AlignRight)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.revert_command_button)
        buttons.addWidget(self.reason_button)
        buttons.addStretch(1)
        changes = QWidget()
        page = QVBoxLayout(changes)
        page.setContentsMargins(0, 4, 0, 0)
        page.addLayout(filters)
        page.addLayout(dates)
        page.addWidget(self.table, 1)
        page.addLayout(buttons)
        # More views of the history join the changes as tabs; alone, it needs no tab bar.
        self.tabs = QTabWidget()
        self.tabs.setTabBarAutoHide(True)
        self.tabs.addTab(changes, "Changes")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.tabs)

    def _connect(self) -> None:
        for combo in (self.item_choice, self.hypothesis_choice, self.kind_choice):
            combo.activated.connect(lambda _i: self.filter_changed.emit())
        self.since_check.toggled.connect(self.since_date.setEnabled)
        self.since_check.toggled.connect(lambda _on: self.filter_changed.emit())
        self.since_date.dateChanged.connect(lambda _d: self._date_changed())
        self.revert_button.clicked.connect(self.revert_requested.emit)
        self.revert_command_button.clicked.connect(self.revert_command_requested.emit)
        self.reason_button.clicked.connect(self.reason_requested.emit)

    def _date_changed(self) -> None:
        if self.since_check.isChecked():
            self.filter_changed.emit()

    # -- filters -------------------------------------------------------------------------------
    def set_items(self, refs: list[str]) -> None:
        """The items to choose from (those the journal names), keeping the one chosen."""
        chosen = self.item_choice.currentData()
        self.item_choice.clear()
        self.item_choice.addItem("All items", None)
        for ref in refs:
            self.item_choice.addItem(ref, ref)
        self.item_choice.setCurrentIndex(max(0, self.item_choice.findData(chosen)))

    def set_hypotheses(self, hypotheses: list[tuple[str, str]]) -> None:
        """(reference, label) of the project's hypotheses, keeping the one chosen."""
        chosen = self.hypothesis_choice.currentData()
        self.hypothesis_choice.clear()
        self.hypothesis_choice.addItem("All hypotheses", None)
        for ref, label in hypotheses:
            self.hypothesis_choice.addItem(f"{ref} {label}", ref)
        self.hypothesis_choice.setCurrentIndex(max(0, self.hypothesis_choice.findData(chosen)))

    def current_filter(self) -> HistoryFilter:
        kind = self.kind_choice.currentData()
        since = None
        if self.since_check.isChecked():
            day = self.since_date.date().toPython()
            # The start of that day where the analyst is, as a moment.
            since = datetime.combine(day, time()).astimezone().astimezone(UTC)  # type: ignore[arg-type]
        return HistoryFilter(
            item=self.item_choice.currentData(),
            hypothesis=self.hypothesis_choice.currentData(),
            kinds=frozenset({ChangeKind(kind)}) if kind else None,
            since=since,
        )

    def choose(self, item: str | None = None, hypothesis: str | None = None) -> None:
        """Set the item and hypothesis filters (None: all), as if chosen by hand."""
        if item is not None and self.item_choice.findData(item) < 0:
            self.item_choice.addItem(item, item)
        self.item_choice.setCurrentIndex(max(0, self.item_choice.findData(item)))
        self.hypothesis_choice.setCurrentIndex(max(0, self.hypothesis_choice.findData(hypothesis)))
        self.filter_changed.emit()

    # -- the entry chosen ----------------------------------------------------------------------
    def selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def show_selection(self, group_size: int | None) -> None:
        """Enable the actions for the entry selected (None: none is); *group_size* is how
        many changes its command made."""
        selected = group_size is not None
        self.revert_button.setEnabled(selected)
        self.reason_button.setEnabled(selected)
        self.revert_command_button.setEnabled(bool(group_size and group_size > 1))
        self.revert_command_button.setText(
            f"Revert &Command ({group_size})" if group_size and group_size > 1 else "Revert &Command"
        )

    def show_count(self) -> None:
        total = self.model.total
        self.count.setText(f"{total:,} change{'' if total == 1 else 's'}")
